"""What an agreement asks of the people on it now: its next step with what that step still
lacks, and when its next progress report is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mitradesa.partnerships.agreements import facts_of
from mitradesa.partnerships.lifecycle import (
    PER_VILLAGE_DOCUMENTS,
    REQUIRED_DOCUMENTS,
    TERMINAL,
    missing_for,
    next_stages,
)
from mitradesa.partnerships.models import Agreement

DUE_SOON_DAYS = 30  # a report due within this many days is listed before it is late


@dataclass(frozen=True)
class NextStep:
    stage: str  # the forward stage the agreement can move to
    missing: list[str]  # what it still lacks, in words; [] when it may move now


@dataclass(frozen=True)
class ReportDue:
    agreement: Agreement
    due: date
    last: date | None  # the latest report, None before the first

    def days_late(self, today: date) -> int:
        return (today - self.due).days


@dataclass(frozen=True)
class DocumentDue:
    agreement: Agreement
    kind: str  # partnerships.vocab.DOCUMENT_KINDS
    stage: str  # the stage that needs it


def next_step(agreement: Agreement, names: dict[str, str]) -> NextStep | None:
    """The forward step (not an amendment or a termination); None once closed."""
    if agreement.stage in TERMINAL:
        return None
    facts = facts_of(agreement, names)
    target = next_stages(facts)[0]
    return NextStep(target, missing_for(facts, target, note="-"))


def report_due(agreement: Agreement, today: date,
               within: int = DUE_SOON_DAYS) -> ReportDue | None:
    """The next progress report of a running agreement, when it is late or due within
    `within` days: every `report_every_days` after the latest report (or the signing),
    the rule of `partnerships.reminders`."""
    if agreement.stage != "pelaksanaan":
        return None
    last = max((r.reported_on for r in agreement.reports), default=None)
    since = last or agreement.signed_on or agreement.stage_changed_at.date()
    due = since + timedelta(days=agreement.report_every_days)
    if (due - today).days > within:
        return None
    return ReportDue(agreement, due, last)


def documents_due(agreement: Agreement, village_code: str | None = None) -> list[DocumentDue]:
    """The documents the next forward step needs that are not uploaded yet; with
    `village_code`, the village's own (Musdes decision, RKP Desa) and the shared ones."""
    if agreement.stage in TERMINAL:
        return []
    facts = facts_of(agreement)
    target = next_stages(facts)[0]
    found: list[DocumentDue] = []
    for kind in REQUIRED_DOCUMENTS.get(target, ()):
        if kind in PER_VILLAGE_DOCUMENTS:
            codes = [village_code] if village_code else list(facts.village_codes)
            if any((kind, code) not in facts.village_documents for code in codes):
                found.append(DocumentDue(agreement, kind, target))
        elif kind not in facts.documents:
            found.append(DocumentDue(agreement, kind, target))
    return found
