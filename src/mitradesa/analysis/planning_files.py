"""What a planner writes for `mitradesa plan`: unit costs and Dana Desa per village (CSV or
Excel, the first sheet), and partners given on the command line. Every problem names its
row; nothing is used until the whole file is right.

Unit costs per step (`--costs FILE`), one rule per row:

    indikator,pendana,biaya_per_langkah
    IKS,,25000000
    IKE,,40.000.000
    IKE 9,mitra,30000000
    IKL,dana_desa,55000000

- `indikator`: an index (IKS, IKE, IKL: each of its indicators) or one indicator (`IKE 9`);
- `pendana`: `apbd`, `dana_desa` or `mitra`; empty (or `semua`) for every kind of funder;
- `biaya_per_langkah`: the rupiah cost of raising the indicator by one score step, when
  that kind of funder pays (25000000, 25.000.000 and Rp 25.000.000 are the same).
What no row names keeps the defaults (IKS 25, IKE 40, IKL 60 juta per step, every funder).
The most specific row wins, whatever the order: index for everyone < index for one kind <
indicator for everyone < indicator for one kind. Two rows for the same indicator and kind
are refused.

Dana Desa per village (`--dana-desa-file FILE`): columns `kode_desa` (dotted or 10 digits)
and `dana_desa` (rupiah for IDM activities); villages not listed get `--dana-desa`.

Partners (`--partner`, repeatable): "NAMA:ANGGARAN:BIDANG[,BIDANG…][:WILAYAH[,WILAYAH…]]",
e.g. "PT Contoh:2000000000:umkm,pertanian:64.02.03" — sectors from
partnerships/data/sector_indicators.toml, the area as kecamatan or village codes (the whole
region when left out).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mitradesa.analysis import planning as pl
from mitradesa.analysis.planning_data import ExtraPartner, PlanningError
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.io.tables import read_rows, rupiah_amount
from mitradesa.regions.codes import RegionCodeError, normalize_code

EVERY_KIND = ("", "*", "semua")
SHOWN_PROBLEMS = 5


def _problems(what: str, problems: list[RowProblem]) -> PlanningError:
    shown = "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS])
    more = f" (dan {len(problems) - SHOWN_PROBLEMS} masalah lain)" \
        if len(problems) > SHOWN_PROBLEMS else ""
    return PlanningError(f"{what} tidak dapat dipakai: {shown}{more}", reason="planning_file")


def _rows(path: Path, what: str, required: tuple[str, ...],
          optional: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, column → text) of each row with something in it."""
    if not path.is_file():
        raise PlanningError(f"{what} {path} tidak ditemukan.")
    try:
        headers, body = read_rows(path)
        missing = [c for c in required if c not in headers]
        if missing:
            raise ImportRejectedError([RowProblem(path.name, 1, "kolom wajib tidak ada: "
                                                  + ", ".join(missing))])
        wanted = [(c, headers.index(c)) for c in (*required, *optional) if c in headers]
        for number, cells in body:
            yield number, {c: (cells[k] if k < len(cells) else "").strip() for c, k in wanted}
    except ImportRejectedError as exc:  # a broken file, at its start or on a later row
        raise _problems(what, exc.problems) from exc


def read_step_costs(path: Path) -> pl.StepCosts:
    what = "Berkas biaya"
    problems: list[RowProblem] = []
    rules: list[tuple[str, str | None, int]] = []
    seen: dict[tuple[str, str | None], int] = {}
    for number, row in _rows(path, what, ("indikator", "biaya_per_langkah"), ("pendana",)):
        problem = None
        text = " ".join(row["indikator"].upper().split())
        kind_text = row.get("pendana", "").lower().replace(" ", "_")
        kind = None if kind_text in EVERY_KIND else kind_text
        try:
            cost = rupiah_amount(row["biaya_per_langkah"])
            if text not in pl.unit_scale().codes:
                text = pl.unit_scale().label(pl.inputs.indicator_position(text))
        except (ValueError, pl.PlanningInputError) as exc:
            problem = str(exc)
        else:
            if kind is not None and kind not in pl.KINDS:
                problem = (f"pendana “{row['pendana']}” tidak dikenal (apbd, dana_desa, mitra, "
                           "atau kosong untuk semua)")
            elif not cost or cost > pl.inputs.MAX_STEP_COST:
                problem = "biaya_per_langkah harus lebih dari nol dan paling banyak 10^12"
            elif (text, kind) in seen:
                problem = f"{text} untuk {kind or 'semua pendana'} sudah ada di baris " \
                          f"{seen[text, kind]}"
        if problem:
            problems.append(RowProblem(path.name, number, problem))
            continue
        seen[text, kind] = number
        rules.append((text, kind, int(cost)))
    if problems:
        raise _problems(what, problems)
    return pl.StepCosts.build(rules)


def read_dana_desa(path: Path) -> dict[str, int]:
    what = "Berkas Dana Desa"
    problems: list[RowProblem] = []
    amounts: dict[str, int] = {}
    rows: dict[str, int] = {}
    for number, row in _rows(path, what, ("kode_desa", "dana_desa")):
        try:
            code = normalize_code(row["kode_desa"])
            amount = rupiah_amount(row["dana_desa"])
        except (RegionCodeError, ValueError) as exc:
            problems.append(RowProblem(path.name, number, getattr(exc, "message", str(exc))))
            continue
        if amount is None:
            problems.append(RowProblem(path.name, number, "dana_desa kosong"))
        elif code in rows:
            problems.append(RowProblem(path.name, number,
                                       f"desa {code} sudah ada di baris {rows[code]}"))
        else:
            rows[code] = number
            amounts[code] = amount
    if problems:
        raise _problems(what, problems)
    return amounts


def parse_partner(text: str) -> ExtraPartner:
    """"NAMA:ANGGARAN:BIDANG[,BIDANG…][:WILAYAH[,WILAYAH…]]" → ExtraPartner."""
    parts = [p.strip() for p in text.split(":")]
    known = sorted(pl.sector_indicators())
    usage = (f"Mitra “{text}” tidak sah: tulis NAMA:ANGGARAN:BIDANG[,BIDANG][:WILAYAH], "
             f"misalnya “PT Contoh:2000000000:umkm,pertanian:64.02.03”.")
    if len(parts) not in (3, 4) or not parts[0]:
        raise PlanningError(usage)
    try:
        budget = rupiah_amount(parts[1])
    except ValueError:
        budget = None
    if budget is None:
        raise PlanningError(usage)
    sectors = tuple(s.strip().lower() for s in parts[2].split(",") if s.strip())
    unknown = [s for s in sectors if s not in known]
    if not sectors or unknown:
        raise PlanningError(f"Bidang mitra {parts[0]} tidak dikenal: "
                            f"{', '.join(unknown) or '(kosong)'}; pilih dari {', '.join(known)}.")
    area = tuple(c.strip() for c in parts[3].split(",") if c.strip()) if len(parts) == 4 else ()
    return ExtraPartner(parts[0], budget, sectors, area)
