"""What a partner report says: commitments against realisation per village, and the index of
the covered villages before the cooperation started and in the newest year since — the IDM
or the Indeks Desa, each quoted with its family named. A change is given only within one
family (the two are on different scales); across the change of index the status is the
bridge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.partnerships.models import Agreement, Partner
from mitradesa.partnerships.queries import (
    VillageRealisation,
    realisation_by_village,
    village_names,
    visible_agreements,
)


@dataclass
class VillageIdm:
    village_code: str
    village_name: str
    before_year: int | None = None
    before_idm: float | None = None
    before_status: str | None = None
    after_year: int | None = None
    after_idm: float | None = None
    after_status: str | None = None
    demo: bool = False
    before_family: str | None = None  # idm | indeks_desa: `before_idm` is IDM or nilai
    after_family: str | None = None

    @property
    def change(self) -> float | None:
        """The change of the value, within one family only (None across the change)."""
        if self.before_idm is None or self.after_idm is None \
                or self.before_family != self.after_family:
            return None
        return self.after_idm - self.before_idm


@dataclass(frozen=True)
class Figure:
    """One village-year of either family."""

    year: int
    family: str  # idm | indeks_desa
    value: float
    status: str
    demo: bool


@dataclass
class PartnerReport:
    partner: Partner
    generated_on: date
    agreements: list[Agreement]
    villages: list[VillageRealisation]
    idm: list[VillageIdm] = field(default_factory=list)

    @property
    def demo(self) -> bool:
        return any(a.demo for a in self.agreements) or any(v.demo for v in self.idm)

    @property
    def committed(self) -> int:
        return sum(v.committed_rupiah for v in self.villages)

    @property
    def spent(self) -> int:
        return sum(v.spent_rupiah for v in self.villages)


def _start_year(agreements: list[Agreement], code: str) -> int | None:
    starts = [a.signed_on or a.start_date for a in agreements if code in a.village_codes]
    known = [d.year for d in starts if d is not None]
    return min(known) if known else None


def figures_of(session: Session, codes: list[str]) -> dict[str, list[Figure]]:
    """Each village's years of both families, oldest first; in a year with both, the Indeks
    Desa after the IDM (it is the newer index)."""
    found: dict[str, list[Figure]] = {code: [] for code in codes}
    if not codes:
        return found
    for r in session.scalars(select(IdmResult).where(IdmResult.village_code.in_(codes))):
        found[r.village_code].append(Figure(r.year, "idm", r.idm, r.status,
                                            r.figures_source == "demo"))
    for d in session.scalars(select(IndeksDesaResult).where(
            IndeksDesaResult.village_code.in_(codes))):
        found[d.village_code].append(Figure(d.year, "indeks_desa", d.nilai, d.status,
                                            d.figures_source == "demo"))
    for history in found.values():
        history.sort(key=lambda f: (f.year, f.family == "indeks_desa"))
    return found


def idm_before_after(session: Session, agreements: list[Agreement]) -> list[VillageIdm]:
    """Per covered village: the last year before the cooperation started and the newest year
    from its start on (None where there is none yet), of either family (named)."""
    codes = sorted({c for a in agreements for c in a.village_codes})
    names = village_names(session, codes)
    results = figures_of(session, codes)
    rows = []
    for code in codes:
        row = VillageIdm(code, names.get(code, ""))
        start = _start_year(agreements, code)
        history = results[code]
        row.demo = any(f.demo for f in history)
        before = [f for f in history if start is None or f.year < start]
        after = [f for f in history if start is not None and f.year >= start]
        if before:
            row.before_year, row.before_idm, row.before_status, row.before_family = (
                before[-1].year, before[-1].value, before[-1].status, before[-1].family)
        if after:
            row.after_year, row.after_idm, row.after_status, row.after_family = (
                after[-1].year, after[-1].value, after[-1].status, after[-1].family)
        rows.append(row)
    return rows


def partner_report(
    session: Session, partner: Partner, user: User | None, today: date
) -> PartnerReport:
    agreements = visible_agreements(session, user, partner_id=partner.id)
    realisation = realisation_by_village(session, agreements, partner.id)
    return PartnerReport(partner, today, agreements, realisation,
                         idm_before_after(session, agreements))
