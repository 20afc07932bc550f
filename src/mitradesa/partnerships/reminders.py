"""What needs attention: agreements ending soon, reports overdue, stages that stalled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mitradesa.formatting import long_date
from mitradesa.partnerships.models import Agreement
from mitradesa.partnerships.vocab import STAGES

ENDING_WITHIN_DAYS = 90
STALLED_AFTER_DAYS = 60
PREPARATION = frozenset({"persiapan", "penawaran", "penyusunan", "penandatanganan", "perubahan"})
RUNNING = frozenset({"pelaksanaan", "evaluasi"})
KIND_LABELS = {
    "berakhir": "Segera berakhir",
    "laporan_terlambat": "Laporan terlambat",
    "tahap_macet": "Tahap tertahan",
}


@dataclass(frozen=True)
class Reminder:
    kind: str  # berakhir | laporan_terlambat | tahap_macet
    agreement_id: int
    title: str
    message: str
    days: int  # days left (berakhir) or days overdue / waiting

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def reminders(agreements: list[Agreement], today: date) -> list[Reminder]:
    found: list[Reminder] = []
    for agreement in agreements:
        found += _ending(agreement, today) + _report_due(agreement, today)
        found += _stalled(agreement, today)
    order = list(KIND_LABELS)
    return sorted(found, key=lambda r: (order.index(r.kind), -r.days if r.kind != "berakhir"
                                        else r.days, r.agreement_id))


def _ending(agreement: Agreement, today: date) -> list[Reminder]:
    end = agreement.end_date
    if agreement.stage in ("selesai", "diakhiri") or end is None:
        return []
    left = (end - today).days
    if not 0 <= left <= ENDING_WITHIN_DAYS:
        return []
    return [Reminder("berakhir", agreement.id, agreement.title,
                     f"berakhir {long_date(end)} ({left} hari lagi)", left)]


def _report_due(agreement: Agreement, today: date) -> list[Reminder]:
    if agreement.stage != "pelaksanaan":
        return []
    last = max((r.reported_on for r in agreement.reports), default=None)
    since = last or agreement.signed_on or agreement.stage_changed_at.date()
    due = since + timedelta(days=agreement.report_every_days)
    late = (today - due).days
    if late <= 0:
        return []
    what = f"laporan terakhir {long_date(last)}" if last else "belum ada laporan"
    return [Reminder("laporan_terlambat", agreement.id, agreement.title,
                     f"{what}; laporan jatuh tempo {long_date(due)} ({late} hari lewat)", late)]


def _stalled(agreement: Agreement, today: date) -> list[Reminder]:
    if agreement.stage not in PREPARATION:
        return []
    waiting = (today - agreement.stage_changed_at.date()).days
    if waiting <= STALLED_AFTER_DAYS:
        return []
    return [Reminder("tahap_macet", agreement.id, agreement.title,
                     f"{waiting} hari pada tahap {STAGES[agreement.stage].lower()}", waiting)]
