"""`mitradesa analysis …`: inequality, where to intervene, robustness, contribution."""

from __future__ import annotations

import typer
from rich.table import Table

from mitradesa.analysis.data import available_years, year_data, years_by_family
from mitradesa.analysis.families import UnknownFamilyError
from mitradesa.analysis.interventions import as_dict, contribution_for_region
from mitradesa.analysis.results import choose_family
from mitradesa.analysis.summaries import convergence, inequality_summary, value_names
from mitradesa.analysis.targeting import NO_PATH
from mitradesa.cli.app import OutputFormat, console, print_json
from mitradesa.db.session import session_scope
from mitradesa.errors import MitradesaError
from mitradesa.formatting import fixed, index4, percent
from mitradesa.regions.queries import get_region

app = typer.Typer(help="Analysis: inequality, targeting, robustness, contribution.",
                  no_args_is_help=True)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="table or json")
REGION = typer.Option(None, "--region", "-r", help="Only villages under this code")
INDEKS = typer.Option(None, "--indeks", help="idm or indeks_desa (default: the family of "
                                             "the newest year)")


def _load(session, year: int | None, region: str | None, indeks: str | None = None):
    """The region, the years of the chosen index family and the chosen year's villages."""
    code = get_region(session, region).code if region else None
    try:
        index = choose_family(session, code, indeks, year)
    except UnknownFamilyError as exc:
        raise MitradesaError(str(exc)) from exc
    years = available_years(session, code, index)
    if not years:
        raise MitradesaError(f"Belum ada data {index.label} untuk pilihan ini.")
    chosen = year or years[-1]
    if chosen not in years:
        shown = years if indeks else sorted(
            {y for ys in years_by_family(session, code).values() for y in ys})
        raise MitradesaError(f"Tidak ada data {chosen}; tersedia: "
                             f"{', '.join(map(str, shown))}.")
    return code, years, year_data(session, chosen, code, index)


@app.command()
def inequality(year: int = typer.Option(None, "--year", "-y"), region: str = REGION,
               fmt: OutputFormat = FORMAT, indeks: str = INDEKS) -> None:
    """Gini, Theil (within/between kecamatan), CV and the bottom-20% gap; convergence (of
    the IDM or the Indeks Desa's nilai, one family at a time)."""
    with session_scope() as session:
        code, years, data = _load(session, year, region, indeks)
        index = data.family
        summary = inequality_summary(data.indices, data.kecamatan, value_names(index))
        history = [year_data(session, y, code, index) for y in years]
        summary["convergence"] = convergence(years, [h.codes for h in history],
                                             [h.value for h in history])
    summary = {"tahun": data.year, "wilayah": code, "indeks": index.key, "demo": data.demo,
               **summary}
    if fmt is OutputFormat.json:
        print_json(summary)
        return
    table = Table(title=f"Ketimpangan {index.label} {data.year}" + (f" · {code}" if code else ""))
    for heading in ("Indeks", "Gini", "Theil", "dalam kec.", "antar kec.", "CV", "Celah 20%"):
        table.add_column(heading, justify="right" if heading != "Indeks" else "left")
    parts = dict(zip(index.component_keys, index.components, strict=True))
    rows = [(index.label, summary), *((parts[k], v) for k, v in summary["by_index"].items())]
    for name, figures in rows:
        table.add_row(name, *(index4(figures[k]) for k in (
            "gini", "theil", "theil_within", "theil_between", "cv", "bottom20_gap")))
    console.print(table)
    beta = summary["convergence"]["beta"]
    if beta:
        word = "mengejar" if beta["converging"] else "belum terbukti mengejar"
        typer.echo(f"β-konvergensi {beta['from']}–{beta['to']}: b = {fixed(beta['slope'], 4)} "
                   f"(95%: {fixed(beta['ci_low'], 4)} s.d. {fixed(beta['ci_high'], 4)}, "
                   f"{beta['villages']} "
                   f"desa): desa yang tertinggal {word}.")
    if data.demo:
        typer.echo("DATA DEMO (sintetis)")


@app.command()
def targeting(year: int = typer.Option(None, "--year", "-y"), region: str = REGION,
              fmt: OutputFormat = FORMAT, limit: int = typer.Option(20, "--limit"),
              indeks: str = INDEKS) -> None:
    """Per village: weakest dimension and indicators (Indeks Desa: items), steps to the next
    status, near a threshold; villages closest to moving up first."""
    with session_scope() as session:
        _code, _years, data = _load(session, year, region, indeks)
    index = data.family
    found = index.targets(data.scores, k=3)
    items = index.items()
    rows = []
    for i, code in enumerate(data.codes):
        steps = int(found.steps_to_next[i])
        rows.append({
            "kode_desa": code, "nama_desa": data.names[i], "status": data.status[i],
            index.value_key: float(data.value[i]),
            "dimensi_terlemah": index.components[int(found.weakest_dimension[i])],
            "indikator_terlemah": [items[p].key for p in found.weakest_indicators[i]],
            "langkah_ke_status_berikut": None if steps == NO_PATH else steps,
            "dekat_ambang": bool(found.near_threshold[i]),
        })
    rows.sort(key=lambda r: (r["langkah_ke_status_berikut"] is None,
                             r["langkah_ke_status_berikut"] or 0, r["kode_desa"]))
    if fmt is OutputFormat.json:
        print_json({"tahun": data.year, "indeks": index.key, "desa": rows})
        return
    table = Table(title=f"Sasaran intervensi {index.label} {data.year}")
    table.add_column("Kode", no_wrap=True)
    for heading in ("Desa", "Status", index.value_label, "Terlemah",
                    "Indikator" if index.key == "idm" else "Butir", "Langkah"):
        table.add_column(heading)
    for row in rows[:limit]:
        table.add_row(row["kode_desa"], row["nama_desa"], row["status"].title(),
                      index.format_value(row[index.value_key]), row["dimensi_terlemah"],
                      ", ".join(row["indikator_terlemah"]),
                      "—" if row["langkah_ke_status_berikut"] is None
                      else str(row["langkah_ke_status_berikut"]))
    console.print(table)


@app.command()
def robustness(year: int = typer.Option(None, "--year", "-y"), region: str = REGION,
               draws: int = typer.Option(500, "--draws"), fmt: OutputFormat = FORMAT,
               indeks: str = INDEKS) -> None:
    """Monte Carlo over index weights and aggregation (IKS/IKE/IKL, or the Indeks Desa's six
    dimensions): fragile statuses and rank intervals."""
    if draws < 10:
        raise MitradesaError("--draws paling sedikit 10.")
    with session_scope() as session:
        _code, _years, data = _load(session, year, region, indeks)
    result = data.family.robustness(data.components, draws)
    fragile = [
        {"kode_desa": c, "nama_desa": n, "status": s,
         "peluang_status": float(result.status_probability[i, result.official_status[i]]),
         "peringkat": [int(result.rank_low[i]), int(result.rank_high[i])]}
        for i, (c, n, s) in enumerate(zip(data.codes, data.names, data.status, strict=True))
        if result.fragile[i]
    ]
    if fmt is OutputFormat.json:
        print_json({"tahun": data.year, "indeks": data.family.key, "undian": draws,
                    "desa": len(data.codes),
                    "rapuh": fragile})
        return
    typer.echo(f"{len(fragile)} dari {len(data.codes)} desa berstatus rapuh (status resmi "
               f"muncul di kurang dari 80% dari {draws} undian bobot dan agregasi).")
    for row in fragile[:30]:
        typer.echo(f"  {row['kode_desa']} {row['nama_desa']}: {row['status'].title()} "
                   f"{percent(row['peluang_status'], digits=0)}, peringkat {row['peringkat'][0]}–"
                   f"{row['peringkat'][1]}")


def _signed(value: float) -> str:
    return fixed(value, 4, signed=True)


def _interval(figures: dict) -> str:
    low, high = figures["ci95"]
    return (f"{_signed(figures['efek'])} (95%: {_signed(low)} s.d. {_signed(high)}; "
            f"{figures['desa_intervensi']} desa intervensi, {figures['desa_pembanding']} "
            "desa pembanding)")


@app.command()
def contribution(
    region: str = typer.Option(..., "--region", "-r", help="Region code, e.g. 64.02"),
    outcome: str = typer.Option("idm", "--outcome", help="idm or ike"),
    kind: str = typer.Option("all", "--kind", help="all, kemitraan or pendampingan"),
    indeks: str = typer.Option(
        None, "--indeks", help="idm or indeks_desa (default: the Indeks Desa when its series "
                               "has 3 years or more, else the IDM)"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Intervention villages vs matched villages without: DiD of IDM/IKE (or the Indeks
    Desa's nilai/Ekonomi) with 95% intervals, within one index family.

    Per start cohort too. Association under stated assumptions, not proof of cause."""
    if indeks is not None and indeks not in ("idm", "indeks_desa"):
        raise MitradesaError(f"Indeks “{indeks}” tidak dikenal; pilih idm atau indeks_desa.")
    with session_scope() as session:
        result, details = contribution_for_region(session, region, outcome.lower(),
                                                  kind.lower(), indeks)
    found = as_dict(result, details)
    if fmt is OutputFormat.json:
        print_json(found)
        return
    if details.family_note:
        typer.echo(details.family_note)
    name = f"{details.family_label} ({details.outcome})" if details.family != "idm" \
        else details.outcome.upper()
    typer.echo(f"Kontribusi intervensi ({kind.lower()}) terhadap {name}: "
               f"{details.region_name} ({details.region_code}), data "
               + (f"{details.years[0]}–{details.years[-1]}" if details.years else "tidak ada"))
    if found["perkiraan"] is None:
        typer.echo(f"Tidak ada perkiraan: {found['pesan']}")
    else:
        typer.echo(f"Selisih {name} (sesudah − sebelum, intervensi − pembanding): "
                   + _interval(found["perkiraan"]))
    if found["per_kohort"]:
        table = Table(title="Per tahun mulai")
        for heading in ("Mulai", "Desa", "Pembanding", "Selisih", "95%"):
            table.add_column(heading, justify="left" if heading == "Mulai" else "right")
        for cohort in found["per_kohort"]:
            figures = cohort["perkiraan"]
            table.add_row(str(cohort["tahun_mulai"]), str(cohort["desa_intervensi"]),
                          str(cohort["desa_pembanding"]),
                          _signed(figures['efek']) if figures else "—",
                          f"{_signed(figures['ci95'][0])} s.d. {_signed(figures['ci95'][1])}"
                          if figures else "terlalu sedikit desa")
        console.print(table)
    unmatched = [v for v in found["desa_intervensi"] if v["pembanding"] is None]
    for village in unmatched:
        typer.echo(f"  tanpa pembanding: {village['kode']} {village['nama']} "
                   f"({village['tanpa_pembanding']})")
    if found["mulai_sesudah_data"]:
        typer.echo(f"{len(found['mulai_sesudah_data'])} desa baru mulai sesudah tahun data "
                   "terakhir: belum ada tahun sesudah intervensi.")
    typer.echo(found["catatan"])
    if details.demo:
        typer.echo("DATA DEMO (sintetis)")
