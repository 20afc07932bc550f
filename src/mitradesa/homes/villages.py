"""Villages as a table with their status and trend: a pendamping's villages with their open
tasks, and a kecamatan's villages on its page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.homes.agreements import documents_due, report_due
from mitradesa.homes.statuses import STATUS_ORDER, StatusPoint, Trend, status_lines, trend
from mitradesa.homes.village_tasks import follow_ups
from mitradesa.mentoring.beneficiaries import beneficiary_village
from mitradesa.partnerships.queries import visible_agreements
from mitradesa.regions import queries as region_queries
from mitradesa.regions.models import VILLAGE_KINDS, Region


@dataclass
class VillageRow:
    region: Region
    kecamatan: str
    line: list[StatusPoint]
    trend: Trend | None
    reports_due: int = 0
    documents_due: int = 0
    follow_ups: int = 0

    @property
    def latest(self) -> StatusPoint | None:
        return self.line[-1] if self.line else None

    @property
    def open_tasks(self) -> int:
        return self.reports_due + self.documents_due + self.follow_ups


@dataclass
class VillageTable:
    rows: list[VillageRow] = field(default_factory=list)

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        """Villages per latest status, lowest status first, those without data left out."""
        counts = Counter(r.latest.status for r in self.rows if r.latest)
        return [(s, counts[s]) for s in STATUS_ORDER if counts[s]]

    @property
    def without_data(self) -> int:
        return sum(1 for r in self.rows if r.latest is None)


def villages_in(session: Session, user: User, codes: list[str]) -> list[Region]:
    """The villages under (or at) each code that the user may see, in code order."""
    found: dict[str, Region] = {}
    for code in codes:
        region = region_queries.get_region(session, code)
        if region.kind in VILLAGE_KINDS:
            found[region.code] = region
        for village in region_queries.descendants(session, region.code, kinds=VILLAGE_KINDS):
            found[village.code] = village
    return [found[c] for c in sorted(found) if can_see_village(user, c)]


def village_table(session: Session, villages: list[Region]) -> VillageTable:
    """Each village with its status over the years and the trend (no tasks)."""
    lines = status_lines(session, [v.code for v in villages])
    kecamatan = _kecamatan_names(session, villages)
    return VillageTable([
        VillageRow(v, kecamatan.get(_kecamatan_of(v.code), ""), lines.get(v.code, []),
                   trend(lines.get(v.code, [])))
        for v in villages
    ])


def pendamping_table(session: Session, user: User, today: date) -> VillageTable:
    """The villages of the user's scope with status, trend and open tasks: reports and
    documents their agreements wait for, and beneficiaries to follow up."""
    villages = villages_in(session, user, user.scope_codes)
    table = village_table(session, villages)
    by_code = {row.region.code: row for row in table.rows}
    for agreement in visible_agreements(session, user):
        report = 1 if report_due(agreement, today) is not None else 0  # late or within 30 days
        for code in agreement.village_codes:
            row = by_code.get(code)
            if row is None:
                continue
            row.reports_due += report
            row.documents_due += len(documents_due(agreement, code))
    for follow_up in follow_ups(session, user, list(by_code), today):
        row = by_code.get(beneficiary_village(follow_up.enrolment))
        if row is not None:
            row.follow_ups += 1
    return table


def _kecamatan_of(code: str) -> str:
    return code.split(".P")[0].rsplit(".", 1)[0]


def _kecamatan_names(session: Session, villages: list[Region]) -> dict[str, str]:
    codes = {_kecamatan_of(v.code) for v in villages}
    return {code: region_queries.get_region(session, code).name for code in codes}
