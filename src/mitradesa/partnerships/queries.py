"""Reading partnerships as a given user may see them: lists, one partner's agreements, and
commitments against realisation per village."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.allocation import split_evenly
from mitradesa.partnerships import access
from mitradesa.partnerships.models import Agreement, AgreementPartner, Mou, Partner
from mitradesa.partnerships.services import summary_of
from mitradesa.regions.models import Region


def visible_agreements(
    session: Session, user: User | None, *, stage: str | None = None,
    partner_id: int | None = None, village_code: str | None = None,
) -> list[Agreement]:
    """Every agreement `user` may see (all for None: the command line), newest first."""
    query = select(Agreement).order_by(Agreement.id.desc())
    if stage:
        query = query.where(Agreement.stage == stage)
    if partner_id is not None:
        query = query.where(Agreement.id.in_(
            select(AgreementPartner.agreement_id).where(AgreementPartner.partner_id == partner_id)
        ))
    agreements = list(session.scalars(query))
    if village_code:
        agreements = [a for a in agreements if village_code in a.village_codes]
    if user is None:
        return agreements
    return [a for a in agreements if access.can_see_agreement(session, user, a)]


def visible_partners(session: Session, user: User | None) -> list[Partner]:
    partners = list(session.scalars(select(Partner).order_by(Partner.name)))
    if user is None:
        return partners
    return [p for p in partners if access.can_see_partner(session, user, p.id)]


def visible_mous(session: Session, user: User | None) -> list[Mou]:
    mous = list(session.scalars(select(Mou).order_by(Mou.signed_on.desc(), Mou.id.desc())))
    if user is None:
        return mous
    return [m for m in mous if access.can_see_mou(session, user, m)]


def village_names(session: Session, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(set(codes))))
    return dict(rows.all())


def listing(session: Session, agreements: list[Agreement]) -> list[dict[str, Any]]:
    """`summary_of` each agreement, with village names: `partnerships list --format json`."""
    names = village_names(session, [c for a in agreements for c in a.village_codes])
    result = []
    for agreement in agreements:
        item = summary_of(agreement)
        item["desa"] = [{"kode": c, "nama": names.get(c, "")} for c in agreement.village_codes]
        result.append(item)
    return result


@dataclass
class VillageRealisation:
    village_code: str
    village_name: str
    committed_rupiah: int = 0
    spent_rupiah: int = 0
    activities: int = 0
    reports: int = 0

    @property
    def share(self) -> float | None:
        return self.spent_rupiah / self.committed_rupiah if self.committed_rupiah else None


def realisation_by_village(
    session: Session, agreements: list[Agreement], partner_id: int | None = None
) -> list[VillageRealisation]:
    """Commitments against verified spending per village. A commitment for several villages
    is split between them without losing a rupiah (`allocation.split_evenly`); a report
    without a village counts for the commitment's villages in the same way. Only reports
    DPMD verified count. With `partner_id`, only that partner's commitments (and those of
    no partner in particular) and the reports on them count."""
    rows: dict[str, VillageRealisation] = {}
    names = village_names(session, [c for a in agreements for c in a.village_codes])

    def row(code: str) -> VillageRealisation:
        if code not in rows:
            rows[code] = VillageRealisation(code, names.get(code, ""))
        return rows[code]

    for agreement in agreements:
        villages_of: dict[int, list[str]] = defaultdict(list)
        for commitment in agreement.commitments:
            if partner_id is not None and commitment.partner_id not in (None, partner_id):
                continue
            targets = commitment.village_codes or agreement.village_codes
            villages_of[commitment.id] = targets
            if not targets:
                continue
            for code, amount in zip(targets, split_evenly(commitment.budget_rupiah,
                                                          len(targets)), strict=True):
                row(code).committed_rupiah += amount
                row(code).activities += 1
        for report in agreement.reports:
            if not report.verified:
                continue
            if partner_id is not None and report.commitment_id is not None \
                    and report.commitment_id not in villages_of:
                continue
            if report.village_code:
                targets = [report.village_code]
            else:
                targets = villages_of.get(report.commitment_id or -1) or agreement.village_codes
            if not targets:
                continue
            for code, amount in zip(targets, split_evenly(report.spent_rupiah, len(targets)),
                                    strict=True):
                row(code).spent_rupiah += amount
                row(code).reports += 1
    return sorted(rows.values(), key=lambda r: r.village_code)
