"""A partner's portfolio, the home of a `mitra` user: its agreements with their stage and
next step, the reports due, the villages they cover with their status over the years, and
the villages where the partner's sectors meet their weakest items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.homes.agreements import NextStep, ReportDue, next_step, report_due
from mitradesa.homes.statuses import StatusPoint, Trend, status_lines, trend
from mitradesa.partnerships import matching
from mitradesa.partnerships.access import partner_of
from mitradesa.partnerships.matching import VillageMatch
from mitradesa.partnerships.models import Agreement, Partner
from mitradesa.partnerships.queries import village_names, visible_agreements

MATCHES = 5


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    step: NextStep | None


@dataclass(frozen=True)
class CoveredVillage:
    code: str
    name: str
    line: list[StatusPoint]
    trend: Trend | None
    agreements: int


@dataclass
class Portfolio:
    partner: Partner | None  # None: the account is not linked to a partner yet
    agreements: list[AgreementRow] = field(default_factory=list)
    reports_due: list[ReportDue] = field(default_factory=list)
    villages: list[CoveredVillage] = field(default_factory=list)
    matches: list[VillageMatch] = field(default_factory=list)


def portfolio(session: Session, user: User, today: date) -> Portfolio:
    partner_id = partner_of(session, user)
    partner = session.get(Partner, partner_id) if partner_id is not None else None
    if partner is None:
        return Portfolio(None)
    agreements = visible_agreements(session, user, partner_id=partner.id)
    codes = [c for a in agreements for c in a.village_codes]
    names = village_names(session, codes)
    rows = [AgreementRow(a, next_step(a, names)) for a in agreements]
    due = [d for a in agreements if (d := report_due(a, today)) is not None]
    return Portfolio(
        partner, rows, sorted(due, key=lambda d: d.due),
        covered_villages(session, agreements, names),
        matching.villages_for_partner(session, partner, limit=MATCHES) if partner.sectors else [],
    )


def covered_villages(session: Session, agreements: list[Agreement],
                     names: dict[str, str]) -> list[CoveredVillage]:
    counts: dict[str, int] = {}
    for agreement in agreements:
        for code in agreement.village_codes:
            counts[code] = counts.get(code, 0) + 1
    lines = status_lines(session, counts)
    return [CoveredVillage(code, names.get(code, code), lines.get(code, []),
                           trend(lines.get(code, [])), count)
            for code, count in sorted(counts.items(), key=lambda i: names.get(i[0], i[0]))]
