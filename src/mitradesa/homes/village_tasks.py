"""A village's tasks, the home of an `operator_desa` user: the reports and documents its
agreements wait for, the beneficiaries to follow up, and its index with the weakest items
and what the ministry recommends for each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.homes.agreements import DocumentDue, ReportDue, documents_due, report_due
from mitradesa.homes.statuses import IDM_SCHEME, StatusPoint, Trend, status_lines, trend
from mitradesa.idm import indeks_desa as core
from mitradesa.idm_records.models import IdmResult
from mitradesa.idm_records.queries import indicator_rows
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.mentoring.beneficiaries import beneficiary_of
from mitradesa.mentoring.models import Enrolment, Group, Household, Umkm
from mitradesa.mentoring.queries import program_enrolments, visible_programs
from mitradesa.partnerships.models import Agreement
from mitradesa.partnerships.queries import visible_agreements

FOLLOW_UP_AFTER_DAYS = 60  # an active beneficiary without news for longer is listed
WEAKEST = 5
IDM_TOP = 5


@dataclass(frozen=True)
class FollowUp:
    enrolment: Enrolment
    name: str
    stage_name: str
    last_news: date  # enrolment, stage change or measurement, whichever is latest
    days: int


@dataclass(frozen=True)
class WeakItem:
    """An item (Indeks Desa) or indicator (IDM) below its top score."""

    label: str
    group: str  # its dimension (Indeks Desa) or index (IDM: IKS, IKE, IKL)
    score: int
    top: int
    recommendation: str | None


@dataclass
class VillageTasks:
    code: str
    reports_due: list[ReportDue] = field(default_factory=list)
    documents_due: list[DocumentDue] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    line: list[StatusPoint] = field(default_factory=list)
    trend: Trend | None = None
    indeks_desa: IndeksDesaResult | None = None
    idm: IdmResult | None = None  # the newest IDM year, shown when there is no Indeks Desa
    weakest: list[WeakItem] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def open_tasks(self) -> int:
        return len(self.reports_due) + len(self.documents_due) + len(self.follow_ups)


def village_tasks(session: Session, user: User, code: str, today: date,
                  with_index: bool = True) -> VillageTasks:
    agreements = visible_agreements(session, user, village_code=code)
    tasks = VillageTasks(code, agreements=agreements)
    tasks.reports_due = sorted((d for a in agreements if (d := report_due(a, today))),
                               key=lambda d: d.due)
    tasks.documents_due = [d for a in agreements for d in documents_due(a, code)]
    tasks.follow_ups = follow_ups(session, user, [code], today)
    if with_index:
        tasks.line = status_lines(session, [code]).get(code, [])
        tasks.trend = trend(tasks.line)
        tasks.indeks_desa = newest_indeks_desa(session, code)
        if tasks.indeks_desa is not None:
            tasks.weakest = weakest_items(tasks.indeks_desa)
        else:
            tasks.idm = newest_idm(session, code)
            tasks.weakest = weakest_indicators(tasks.idm) if tasks.idm else []
    return tasks


def follow_ups(session: Session, user: User, codes: list[str], today: date,
               after_days: int = FOLLOW_UP_AFTER_DAYS) -> list[FollowUp]:
    """Active beneficiaries in `codes` (villages) with no news for more than `after_days`,
    the longest silent first."""
    wanted = set(codes)
    found: list[FollowUp] = []
    for program in visible_programs(session, user):
        for enrolment in program_enrolments(session, program, user):
            if enrolment.status != "aktif":
                continue
            beneficiary = beneficiary_of(enrolment)
            if beneficiary.village_code not in wanted:
                continue
            news = [enrolment.enrolled_on, *(c.occurred_on for c in enrolment.stage_changes),
                    *(o.measured_on for o in enrolment.outcomes)]
            last = max(news)
            days = (today - last).days
            if days > after_days:
                found.append(FollowUp(enrolment, _name(beneficiary),
                                      program.stages[enrolment.stage - 1], last, days))
    return sorted(found, key=lambda f: (-f.days, f.enrolment.id))


def _name(beneficiary: Household | Umkm | Group) -> str:
    return beneficiary.head_name if isinstance(beneficiary, Household) else beneficiary.name


def newest_indeks_desa(session: Session, code: str) -> IndeksDesaResult | None:
    query = (select(IndeksDesaResult).where(IndeksDesaResult.village_code == code)
             .order_by(IndeksDesaResult.year.desc()).limit(1))
    return session.scalar(query)


def weakest_items(result: IndeksDesaResult, count: int = WEAKEST) -> list[WeakItem]:
    """Items below their top level, the most points still to gain first (as the village's
    Indeks Desa page orders them), with the ministry's recommendation for the score."""
    scored = [(item, int(digit)) for item, digit in zip(core.items(), result.scores,
                                                        strict=True)]
    below = [(item, score) for item, score in scored if score < item.top]
    below.sort(key=lambda pair: (-(pair[0].top - pair[1]),
                                 -((pair[0].next_level(pair[1]) or pair[1]) - pair[1]),
                                 pair[1], pair[0].no))
    return [WeakItem(item.label, item.dimension, score, item.top, item.recommendation(score))
            for item, score in below[:count]]


def newest_idm(session: Session, code: str) -> IdmResult | None:
    query = (select(IdmResult).where(IdmResult.village_code == code,
                                     IdmResult.scheme == IDM_SCHEME)
             .order_by(IdmResult.year.desc()).limit(1))
    return session.scalar(query)


def weakest_indicators(result: IdmResult, count: int = WEAKEST) -> list[WeakItem]:
    """IDM indicators below 5, the lowest score first (among equal scores those the
    ministry's table names an activity for), with that activity."""
    rows = [r for r in indicator_rows(result) if r["skor"] < IDM_TOP]
    rows.sort(key=lambda r: (r["skor"], not r["kegiatan"], r["index"], r["no"]))
    return [WeakItem(r["indikator"], r["index"], r["skor"], IDM_TOP, r["kegiatan"] or None)
            for r in rows[:count]]
