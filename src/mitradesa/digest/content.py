"""What goes in one user's digest: the partnership reminders among the agreements that user
may see, each as a line in the user's language with dates and money written its way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.partnerships import queries
from mitradesa.partnerships.reminder_words import reminder_text
from mitradesa.partnerships.reminders import reminders
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


def digest_for(session: Session, user: User, today: date) -> Digest:
    """The reminders among what `user` may see (its scope, its role, a mitra its partner)."""
    locale = user_locale(user)
    agreements = {a.id: a for a in queries.visible_agreements(session, user)}
    items = [DigestItem(r.kind, r.agreement_id, r.title,
                        reminder_text(r, agreements[r.agreement_id], today, locale))
             for r in reminders(list(agreements.values()), today)]
    return Digest(user, locale, today, items)
