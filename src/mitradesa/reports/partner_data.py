"""What a partner report says: commitments against realisation per village, and the IDM of
the covered villages before the cooperation started and in the newest year since."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.idm_records.models import IdmResult
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

    @property
    def change(self) -> float | None:
        if self.before_idm is None or self.after_idm is None:
            return None
        return self.after_idm - self.before_idm


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


def idm_before_after(session: Session, agreements: list[Agreement]) -> list[VillageIdm]:
    """Per covered village: the last IDM year before the cooperation started and the newest
    year from its start on (None where there is none yet)."""
    codes = sorted({c for a in agreements for c in a.village_codes})
    names = village_names(session, codes)
    results: dict[str, list[IdmResult]] = {code: [] for code in codes}
    if codes:
        query = select(IdmResult).where(IdmResult.village_code.in_(codes)).order_by(
            IdmResult.year)
        for result in session.scalars(query):
            results[result.village_code].append(result)
    rows = []
    for code in codes:
        row = VillageIdm(code, names.get(code, ""))
        start = _start_year(agreements, code)
        history = results[code]
        row.demo = any(r.figures_source == "demo" for r in history)
        before = [r for r in history if start is None or r.year < start]
        after = [r for r in history if start is not None and r.year >= start]
        if before:
            row.before_year, row.before_idm, row.before_status = (
                before[-1].year, before[-1].idm, before[-1].status)
        if after:
            row.after_year, row.after_idm, row.after_status = (
                after[-1].year, after[-1].idm, after[-1].status)
        rows.append(row)
    return rows


def partner_report(
    session: Session, partner: Partner, user: User | None, today: date
) -> PartnerReport:
    agreements = visible_agreements(session, user, partner_id=partner.id)
    realisation = realisation_by_village(session, agreements, partner.id)
    return PartnerReport(partner, today, agreements, realisation,
                         idm_before_after(session, agreements))
