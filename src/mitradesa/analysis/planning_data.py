"""The database side of planning: a region's villages, candidate activities and funders,
then the plan (`mitradesa.analysis.planning` stays pure). The CLI, the page and the API all
call `plan_for_region` and show `plan_as_dict`.

What goes in, for a region (kabupaten, kecamatan or province), an index family (the IDM or
the Indeks Desa; default: the family of the newest year) and a year of it:
- villages: every desa with a stored result that year, with its 50 IDM scores or its 127
  Indeks Desa item scores (the plan is then made on the Indeks Desa: see
  `planning.family_scale`; activities raise items to their next allowed level or to 5);
- candidates: `default_candidates` on their gaps, priced by the unit costs per step (per
  index, or per indicator and funder kind: `StepCosts`, e.g. read from a cost file);
- funders: the APBD kabupaten budget (any village of the region), each village's Dana Desa
  (one amount for all, or per village) and the partners:
  - from partnerships: for each agreement still running (not selesai or diakhiri) and each
    of its active partners, what the partner committed (its commitments; a commitment of no
    partner in particular, and the agreement's value where it has no commitments, split
    evenly between the agreement's partners, no rupiah lost) less what the progress reports
    DPMD verified say was spent (reports on a commitment count against it; reports on no
    commitment are split like the agreement's value). The money may go only to the
    commitments' villages (the agreement's villages where a commitment names none) inside
    the region, and only to the indicators of the partner's sectors
    (partnerships/data/sector_indicators.toml; the agreement's scope where the partner names
    no sector) and those its commitments name;
  - given by the user: a name, a budget, sectors and optionally an area (kecamatan or
    villages of the region).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.allocation import split_evenly
from mitradesa.analysis import planning as pl
from mitradesa.analysis.data import YearData, available_years, newest_family, year_data
from mitradesa.analysis.families import IndexFamily, UnknownFamilyError, family
from mitradesa.errors import MitradesaError
from mitradesa.formatting import number, rupiah
from mitradesa.partnerships.lifecycle import ACTIVE
from mitradesa.partnerships.models import Agreement
from mitradesa.regions.codes import RegionCodeError, is_within, normalize_code
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.regions.queries import get_region

MODES = {"to_five": "dinaikkan langsung ke skor 5",
         "stacked_steps": "per langkah skor (boleh sebagian)",
         "next_level": "dinaikkan ke tingkat skor berikutnya yang sah"}
ID_MODES = ("to_five", "next_level")  # an Indeks Desa item moves only between its levels
MAX_TIME_LIMIT = 600.0
MAX_RUPIAH = 10**16  # any one budget; the whole state budget is a few times 10^15
Progress = Callable[[int, int, str], None]


class PlanningError(MitradesaError):
    reason = "planning_invalid"


@contextmanager
def _plain_errors() -> Iterator[None]:
    """The engine's input errors as this domain's error (exit code 2, HTTP 400)."""
    try:
        yield
    except pl.PlanningInputError as exc:
        raise PlanningError(f"Masukan rencana tidak dapat dipakai: {exc}.") from exc


@dataclass(frozen=True)
class ExtraPartner:
    """A partner's money given by the user, not (yet) in the partnerships records."""

    name: str
    budget: int
    sectors: tuple[str, ...]
    area: tuple[str, ...] = ()  # kecamatan or village codes; empty: the whole region


@dataclass(frozen=True)
class PlanRequest:
    region: str
    objective: str = "status_up"
    year: int | None = None  # None: the latest year with data
    apbd: int = 0
    dana_desa: int = 0  # for each village …
    dana_desa_by_village: Mapping[str, int] = field(default_factory=dict)  # … unless here
    step_costs: pl.StepCosts | None = None  # None: DEFAULT_STEP_COSTS
    mode: str = "to_five"
    catalogue_actors: bool = False  # only the kinds the ministry's texts name may pay
    partners: bool = True  # the partnerships' commitments not yet spent
    extra_partners: tuple[ExtraPartner, ...] = ()
    time_limit: float = 60.0
    index: str | None = None  # idm | indeks_desa; None: the family of the newest year

    def __post_init__(self) -> None:
        problems = []
        if self.objective not in pl.OBJECTIVES:
            problems.append(f"tujuan “{self.objective}” tidak dikenal (pilih "
                            f"{', '.join(pl.OBJECTIVES)})")
        if self.mode not in MODES:
            problems.append(f"mode kegiatan “{self.mode}” tidak dikenal (pilih "
                            f"{', '.join(MODES)})")
        for what, value in (("APBD", self.apbd), ("Dana Desa", self.dana_desa),
                            *((f"Dana Desa {c}", v) for c, v in self.dana_desa_by_village.items()),
                            *((f"mitra {p.name}", p.budget) for p in self.extra_partners)):
            if value < 0:
                problems.append(f"anggaran {what} tidak boleh negatif ({rupiah(value)})")
            elif value > MAX_RUPIAH:
                problems.append(f"anggaran {what} terlalu besar (paling banyak 10^16 rupiah)")
        if self.index is not None and self.index not in ("idm", "indeks_desa"):
            problems.append(f"indeks “{self.index}” tidak dikenal (pilih idm atau indeks_desa)")
        elif self.index == "indeks_desa" and self.mode not in ID_MODES:
            problems.append(f"mode kegiatan “{self.mode}” tidak berlaku untuk Indeks Desa "
                            f"(pilih {', '.join(ID_MODES)})")
        if not 0 < self.time_limit <= MAX_TIME_LIMIT:
            problems.append(f"batas waktu harus lebih dari 0 dan paling lama "
                            f"{number(MAX_TIME_LIMIT)} detik")
        if problems:
            raise PlanningError("Masukan rencana tidak sah: " + "; ".join(problems) + ".")


@dataclass(frozen=True)
class PartnerMoney:
    """Where a partner funder comes from, to show beside the plan."""

    funder_id: str
    partner_id: int | None  # None: given by the user
    partner: str
    agreement_id: int | None
    agreement: str  # number or title
    stage: str
    committed: int
    realised: int
    villages: int  # villages of the region it may fund
    sectors: tuple[str, ...]
    demo: bool = False


@dataclass(frozen=True)
class PlanningInputs:
    region: Region
    year: int
    data: YearData
    villages: pl.Villages
    candidates: pl.Candidates
    funders: tuple[pl.Funder, ...]
    partners: tuple[PartnerMoney, ...]
    notes: tuple[str, ...]
    demo: bool


@dataclass(frozen=True)
class RegionPlan:
    request: PlanRequest
    inputs: PlanningInputs
    plan: pl.Plan


def _no_progress(done: int, total: int, stage: str) -> None:
    del done, total, stage


def plan_for_region(session: Session, request: PlanRequest,
                    progress: Progress | None = None) -> RegionPlan:
    """Load the region's inputs and solve: the plan beside the greedy one."""
    progress = progress or _no_progress
    index = _family_of(session, request)
    with pl.family_scale(index.key):
        inputs = load_inputs(session, request, progress)
        progress(2, 3, "menghitung rencana (MIP)")
        with _plain_errors():
            plan = pl.plan(inputs.villages, inputs.candidates, inputs.funders,
                           request.objective, time_limit=request.time_limit)
    progress(3, 3, "selesai")
    return RegionPlan(request, inputs, plan)


def _family_of(session: Session, request: PlanRequest) -> IndexFamily:
    try:
        return family(request.index) if request.index else newest_family(
            session, get_region(session, request.region).code)
    except UnknownFamilyError as exc:
        raise PlanningError(str(exc)) from exc


def load_inputs(session: Session, request: PlanRequest,
                progress: Progress | None = None) -> PlanningInputs:
    """The region's villages, candidates and funders, on the family of the planning scale
    (`pl.family_scale`; `plan_for_region` sets it from the request)."""
    progress = progress or _no_progress
    index = family(pl.unit_scale().family)
    progress(0, 3, f"memuat data {index.label}")
    region = get_region(session, request.region)
    if region.kind in VILLAGE_KINDS:
        raise PlanningError(f"{region.name} ({region.code}) adalah desa; rencana dibuat untuk "
                            "kabupaten, kecamatan atau provinsi.")
    if index.key == "indeks_desa" and request.mode not in ID_MODES:
        raise PlanningError(f"Mode kegiatan “{request.mode}” tidak berlaku untuk Indeks Desa "
                            f"(pilih {', '.join(ID_MODES)}).")
    years = available_years(session, region.code, index)
    if not years:
        raise PlanningError(f"Belum ada data {index.label} untuk desa-desa {region.name}.")
    year = request.year or years[-1]
    if year not in years:
        raise PlanningError(f"Tidak ada data {index.label} {year} untuk {region.name}; "
                            f"tersedia: {', '.join(map(str, years))}.")
    data = year_data(session, year, region.code, index)
    if request.step_costs is not None and \
            len(request.step_costs.table) != len(pl.unit_scale().index_of):
        raise PlanningError(f"Biaya per langkah dibuat untuk indeks lain, bukan {index.label}.")
    progress(1, 3, "menyusun kegiatan dan pendana")
    notes: list[str] = []
    with _plain_errors():
        villages = pl.Villages(data.codes, data.kecamatan, data.scores)
        candidates = pl.default_candidates(
            villages, request.step_costs, mode=request.mode,
            actors="catalogue" if request.catalogue_actors else "all")
        funders = _own_funders(request, data, notes)
        partners = _recorded_partners(session, data, notes) if request.partners else []
        partners += _extra_partners(session, request, data)
        funders += [funder for funder, _money in partners]
    if not funders:
        raise PlanningError("Tidak ada anggaran: isi APBD, Dana Desa atau mitra (nilai lebih "
                            "dari nol).")
    sources = tuple(money for _funder, money in partners)
    demo = data.demo or any(p.demo for p in sources)
    return PlanningInputs(region, year, data, villages, candidates, tuple(funders), sources,
                          tuple(notes), demo)


def _own_funders(request: PlanRequest, data: YearData, notes: list[str]) -> list[pl.Funder]:
    funders = [pl.apbd(request.apbd)] if request.apbd > 0 else []
    by_village = _village_amounts(request.dana_desa_by_village)
    unused = sorted(set(by_village) - set(data.codes))
    if unused:
        notes.append(f"Dana Desa untuk {len(unused)} kode desa yang tidak direncanakan (di luar "
                     f"wilayah atau tanpa data IDM {data.year}) tidak dipakai: "
                     + ", ".join(unused[:5]) + (" …" if len(unused) > 5 else "") + ".")
    for code in data.codes:
        amount = by_village.get(code, request.dana_desa)
        if amount > 0:
            funders.append(pl.dana_desa(code, amount))
    return funders


def _village_amounts(amounts: Mapping[str, int]) -> dict[str, int]:
    """Dana Desa per village under dotted codes (10 digits are accepted too)."""
    result: dict[str, int] = {}
    bad = []
    for raw, amount in amounts.items():
        try:
            result[normalize_code(raw)] = int(amount)
        except RegionCodeError:
            bad.append(repr(str(raw)))
    if bad:
        raise PlanningError("Kode desa Dana Desa tidak valid: " + ", ".join(bad[:5]) + ".")
    return result


def _split(amount: int, parts: list[int]) -> dict[int, int]:
    """`amount` across the partners `parts`, every rupiah kept (largest remainder)."""
    return dict(zip(parts, split_evenly(amount, len(parts)), strict=True)) if parts else {}


def _recorded_partners(session: Session, data: YearData,
                       notes: list[str]) -> list[tuple[pl.Funder, PartnerMoney]]:
    """One funder per running agreement and active partner with money not yet spent."""
    inside = set(data.codes)
    table = pl.sector_indicators()
    found = []
    agreements = session.scalars(select(Agreement).where(Agreement.stage.in_(ACTIVE))
                                 .order_by(Agreement.id))
    for agreement in agreements:
        partners = {p.id: p for p in agreement.partners}
        ids = list(partners)
        committed: dict[int, int] = defaultdict(int)
        realised: dict[int, int] = defaultdict(int)
        villages: dict[int, set[str]] = defaultdict(set)
        named: dict[int, set[str]] = defaultdict(set)
        payers_of: dict[int, list[int]] = {}
        for c in agreement.commitments:
            payers = [c.partner_id] if c.partner_id in partners else ids
            payers_of[c.id] = payers
            for p, amount in _split(c.budget_rupiah, payers).items():
                committed[p] += amount
                villages[p] |= set(c.village_codes or agreement.village_codes)
                named[p] |= set(c.indicators)
        if not agreement.commitments and agreement.value_rupiah:
            for p, amount in _split(agreement.value_rupiah, ids).items():
                committed[p] += amount
                villages[p] |= set(agreement.village_codes)
        for r in agreement.reports:
            if not r.verified:  # only what DPMD verified counts as spent
                continue
            for p, amount in _split(r.spent_rupiah, payers_of.get(r.commitment_id, ids)).items():
                realised[p] += amount
        for p, partner in partners.items():
            left = committed[p] - realised[p]
            if not partner.active or committed[p] == 0 or left <= 0:
                continue
            label = agreement.number or agreement.title
            area = sorted(villages[p] & inside)
            sectors = tuple(s for s in (partner.sectors or agreement.scope) if s in table)
            if not area:  # its villages lie elsewhere or have no IDM that year
                continue
            if not (sectors or named[p]):
                notes.append(f"{partner.name} ({label}): sisa komitmen tidak dipakai karena "
                             "mitra dan perjanjian tidak menyebut bidang atau indikator.")
                continue
            indicators = _known_indicators(named[p])
            if not (sectors or indicators):
                notes.append(f"{partner.name} ({label}): sisa komitmen tidak dipakai karena "
                             "indikatornya bukan bagian indeks yang direncanakan.")
                continue
            funder = pl.partner(f"{partner.name} · {label}", left, sectors=sectors,
                                indicators=indicators or None, area=area,
                                name=partner.name)
            found.append((funder, PartnerMoney(
                funder.id, p, partner.name, agreement.id, label, agreement.stage,
                committed[p], realised[p], len(area), sectors, agreement.demo)))
    return found


def _known_indicators(named: set[str]) -> list[str]:
    """The commitment's indicators that belong to the planned index (an IDM indicator
    named by a commitment does not bind a plan on the Indeks Desa)."""
    known = []
    for text in sorted(named):
        try:
            pl.inputs.indicator_position(text)
        except pl.PlanningInputError:
            continue
        known.append(text)
    return known


def _extra_partners(session: Session, request: PlanRequest,
                    data: YearData) -> list[tuple[pl.Funder, PartnerMoney]]:
    found = []
    for extra in request.extra_partners:
        area = None
        if extra.area:
            codes = [get_region(session, code).code for code in extra.area]
            area = sorted(v for v in data.codes if any(is_within(v, c) for c in codes))
            if not area:
                raise PlanningError(f"Wilayah mitra {extra.name} ({', '.join(codes)}) tidak "
                                    f"memuat desa ber-IDM {data.year} dalam wilayah rencana.")
        if extra.budget <= 0:
            continue
        funder = pl.partner(extra.name, extra.budget, sectors=extra.sectors, area=area)
        found.append((funder, PartnerMoney(
            funder.id, None, extra.name, None, "", "", extra.budget, 0,
            len(area) if area is not None else len(data.codes), tuple(extra.sectors))))
    return found


# ---------------------------------------------------------------- the plan as one object


def _result_dict(result: pl.PlanResult, names: dict[str, str],
                 kecamatan: dict[str, str]) -> dict[str, Any]:
    by_kind: dict[str, int] = dict.fromkeys(pl.KIND_TITLES, 0)
    for s in result.spending:
        by_kind[s.funder.kind] += s.spent
    return {
        "metode": result.method,
        "nilai_tujuan": result.objective_value,
        "biaya_total": result.total_cost,
        "kenaikan_idm": result.total_idm_gain,
        "idm_20_terbawah_awal": result.bottom20_before,
        "idm_20_terbawah_akhir": result.bottom20_after,
        "desa_naik_status": len(result.status_changes),
        "status_solver": result.solver_status,
        "celah_optimalitas": result.mip_gap,
        "detik": result.solve_seconds,
        "belanja_per_jenis": by_kind,
        "belanja": {s.funder.id: s.spent for s in result.spending},
        "perubahan_status": [
            {"kode": c.code, "nama": names.get(c.code, ""),
             "kecamatan": kecamatan.get(c.kecamatan, ""),
             "idm_awal": c.idm_before, "idm_akhir": c.idm_after,
             "status_awal": c.status_before, "status_akhir": c.status_after}
            for c in result.status_changes
        ],
        "kegiatan": [
            {"kode": a.code, "nama": names.get(a.code, ""),
             "kecamatan": kecamatan.get(a.kecamatan, ""),
             "indikator": a.label, "skor_awal": a.score_from, "skor_akhir": a.score_to,
             "kali": a.times, "biaya": a.cost, "kenaikan_idm": a.idm_gain,
             "pembayar": [{"pendana": fid, "rupiah": amount} for fid, amount in a.payments]}
            for a in result.activities()
        ],
    }


def plan_as_dict(result: RegionPlan) -> dict[str, Any]:
    """The plan as `mitradesa plan --format json` prints it and the API returns it."""
    plan, inputs, request = result.plan, result.inputs, result.request
    names = dict(zip(inputs.data.codes, inputs.data.names, strict=True))
    kecamatan = dict(zip(inputs.data.kecamatan, inputs.data.kecamatan_names, strict=True))
    budget_by_kind: dict[str, int] = dict.fromkeys(pl.KIND_TITLES, 0)
    for f in plan.funders:
        budget_by_kind[f.kind] += f.budget
    return {
        "wilayah": {"kode": inputs.region.code, "nama": inputs.region.name},
        "tahun": inputs.year,
        # the family of every figure; `idm…` keys hold the Indeks Desa's nilai (0–100) then
        "indeks": inputs.data.family.key, "nama_indeks": inputs.data.family.label,
        "demo": inputs.demo,
        "tujuan": plan.objective,
        "judul_tujuan": plan.objective_title,
        "mode_kegiatan": request.mode,
        "desa": len(inputs.villages),
        "kegiatan_calon": len(inputs.candidates),
        "anggaran_total": plan.total_budget,
        "anggaran_per_jenis": budget_by_kind,
        "pendana": [{"id": f.id, "nama": f.name or f.id, "jenis": f.kind, "anggaran": f.budget}
                    for f in plan.funders],
        "mitra": [
            {"pendana": m.funder_id, "mitra_id": m.partner_id, "nama": m.partner,
             "perjanjian_id": m.agreement_id, "perjanjian": m.agreement, "tahap": m.stage,
             "komitmen": m.committed, "realisasi": m.realised, "desa": m.villages,
             "bidang": list(m.sectors), "demo": m.demo}
            for m in inputs.partners
        ],
        "catatan": list(inputs.notes),
        "optimal": _result_dict(plan.optimal, names, kecamatan),
        "greedy": _result_dict(plan.greedy, names, kecamatan),
    }


def spending_by_funder(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of `plan_as_dict`'s funders with what each plan spends; the villages' Dana Desa
    as one row (`jumlah`: how many funders a row stands for)."""
    mip, greedy = data["optimal"]["belanja"], data["greedy"]["belanja"]
    rows: dict[str, dict[str, Any]] = {}
    for f in data["pendana"]:
        own = f["jenis"] == pl.DANA_DESA
        row = rows.setdefault(pl.DANA_DESA if own else f["id"], {
            "pendana": f["id"], "jenis": f["jenis"], "anggaran": 0, "optimal": 0, "greedy": 0,
            "jumlah": 0})
        row["anggaran"] += f["anggaran"]
        row["optimal"] += mip[f["id"]]
        row["greedy"] += greedy[f["id"]]
        row["jumlah"] += 1
        if own:
            row["pendana"] = f"Dana Desa ({row['jumlah']} desa)"
    return list(rows.values())
