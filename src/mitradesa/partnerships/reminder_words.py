"""A reminder as people read it, in their language: its label and the sentence after the
agreement's title. The dashboard, the e-mail digest and the command line share these."""

from __future__ import annotations

from datetime import date, timedelta

from mitradesa import formatting
from mitradesa.partnerships.models import Agreement
from mitradesa.partnerships.reminders import Reminder
from mitradesa.partnerships.vocab import STAGES
from mitradesa.words import N_, gettext_for, label

KIND_NAMES = {
    "berakhir": N_("Ending soon"),
    "laporan_terlambat": N_("Report overdue"),
    "tahap_macet": N_("Stage stalled"),
}


def _gettext(locale: str):
    from mitradesa.web.i18n import translations  # the catalogues; no web import otherwise

    return translations(locale).gettext


def kind_name(kind: str, locale: str) -> str:
    return gettext_for(locale)(KIND_NAMES[kind])


def reminder_text(reminder: Reminder, agreement: Agreement, today: date, locale: str) -> str:
    """`ends on 31 January 2027 (in 56 days); value Rp150,000,000` and the like."""
    tr = gettext_for(locale)
    if reminder.kind == "berakhir":
        text = tr(N_("ends on %(day)s (in %(days)s days)")) % {
            "day": formatting.long_date(today + timedelta(days=reminder.days), locale),
            "days": reminder.days}
        if agreement.value_rupiah:
            text += tr(N_("; value %(value)s")) % {
                "value": formatting.rupiah(agreement.value_rupiah, locale)}
        return text
    if reminder.kind == "laporan_terlambat":
        return tr(N_("progress report due on %(day)s (%(days)s days late)")) % {
            "day": formatting.long_date(today - timedelta(days=reminder.days), locale),
            "days": reminder.days}
    stage = label(STAGES, agreement.stage, locale)
    return tr(N_("%(days)s days in the stage “%(stage)s”")) % {"days": reminder.days,
                                                                "stage": stage}
