"""Search by a NIK or KK number: exact 16 digits, only for the roles that see them whole.

Any other role sees these numbers masked (`mitradesa.masking`); letting it look one up would
tell it whose number it is, so its search by number is refused, not answered empty.
"""

from __future__ import annotations

import re

from mitradesa.accounts.models import User
from mitradesa.masking import FULL_NUMBER_ROLES

_SEPARATORS = re.compile(r"[\s.\-]+")
_SIXTEEN = re.compile(r"^\d{16}$")


def personal_number(query: str) -> str | None:
    """The 16 digits of a NIK or KK typed with or without spaces, dots or dashes; else None."""
    digits = _SEPARATORS.sub("", query.strip())
    return digits if _SIXTEEN.match(digits) else None


def may_search_numbers(user: User) -> bool:
    """Mentoring records are closed to a partner's account; the others need the whole number."""
    return user.role in FULL_NUMBER_ROLES and user.role != "mitra"
