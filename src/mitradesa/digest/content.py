"""What goes in one user's digest: the partnership reminders among the agreements that user
may see, each as a line in the user's language with dates and money written its way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.partnerships import queries
from mitradesa.partnerships.models import Agreement
from mitradesa.partnerships.reminders import Reminder, reminders
from mitradesa.partnerships.vocab import STAGES
from mitradesa.web.i18n import translations
from mitradesa.web.templating import N_

KIND_HEADINGS = {
    "berakhir": N_("Agreements ending soon"),
    "laporan_terlambat": N_("Progress reports overdue"),
    "tahap_macet": N_("Stages stalled"),
}


@dataclass(frozen=True)
class DigestItem:
    kind: str
    agreement_id: int
    title: str
    detail: str  # in the user's language


@dataclass(frozen=True)
class Digest:
    user: User
    locale: str
    today: date
    items: list[DigestItem]

    def by_kind(self) -> list[tuple[str, list[DigestItem]]]:
        return [(kind, [i for i in self.items if i.kind == kind]) for kind in KIND_HEADINGS
                if any(i.kind == kind for i in self.items)]


def user_locale(user: User) -> str:
    return "en" if user.locale == "en" else "id"


def long_day(value: date, locale: str) -> str:
    return format_date(value, format="d MMMM y", locale="id_ID" if locale == "id" else "en")


def money(value: int | None, locale: str) -> str:
    if value is None:
        return "—"
    return "Rp" + format_decimal(value, locale="id_ID" if locale == "id" else "en")


def _detail(reminder: Reminder, agreement: Agreement, today: date, locale: str,
            tr: Callable[[str], str]) -> str:
    if reminder.kind == "berakhir":
        text = tr(N_("ends on %(day)s (in %(days)s days)")) % {
            "day": long_day(today + timedelta(days=reminder.days), locale),
            "days": reminder.days}
        if agreement.value_rupiah:
            text += tr(N_("; value %(value)s")) % {"value": money(agreement.value_rupiah,
                                                                  locale)}
        return text
    if reminder.kind == "laporan_terlambat":
        return tr(N_("progress report due on %(day)s (%(days)s days late)")) % {
            "day": long_day(today - timedelta(days=reminder.days), locale),
            "days": reminder.days}
    stage = STAGES.get(agreement.stage, agreement.stage)
    return tr(N_("%(days)s days in the stage “%(stage)s”")) % {"days": reminder.days,
                                                                "stage": stage}


def digest_for(session: Session, user: User, today: date) -> Digest:
    """The reminders among what `user` may see (its scope, its role, a mitra its partner)."""
    locale = user_locale(user)
    tr = translations(locale).gettext
    agreements = {a.id: a for a in queries.visible_agreements(session, user)}
    items = [DigestItem(r.kind, r.agreement_id, r.title,
                        _detail(r, agreements[r.agreement_id], today, locale, tr))
             for r in reminders(list(agreements.values()), today)]
    return Digest(user, locale, today, items)
