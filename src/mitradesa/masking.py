"""The one masking policy for personal numbers: NIK (Nomor Induk Kependudukan) and the family
card number (KK), both 16 digits.

Policy: a masked number shows only its last 4 digits, `************1234`. The first 6 digits
are the region of issue and the next 6 the holder's birth date (or the card's issue date);
with the village already on the page, any more than the last 4 would reveal them.

Who sees what:
- full numbers: the command line (run by the system's administrator on the server) and the
  roles in `FULL_NUMBER_ROLES` (admin, pendamping: they register people and check their
  cards in the field);
- masked: every other role, on pages, in the API and in any export made for them;
- the audit log keeps every NIK and KK masked, whoever did the change and whoever reads it.
"""

from __future__ import annotations

import re
from typing import Any

VISIBLE_DIGITS = 4
MASK = "*"
FULL_NUMBER_ROLES = frozenset({"admin", "pendamping"})
_DIGITS16 = re.compile(r"(?<!\d)\d{16}(?!\d)")
# Keys under which a NIK or KK number is recorded (audit entries, exports): `nik`,
# `head_nik`, `owner_nik`, `kk`, `no_kk`, `kk_number`, ...
_PERSONAL_KEY = re.compile(r"(^|_)(nik|kk)(_|$)", re.IGNORECASE)


def mask_number(number: str) -> str:
    """`6402041203850001` → `************0001`; empty stays empty."""
    text = str(number or "").strip()
    if not text:
        return text
    return MASK * max(len(text) - VISIBLE_DIGITS, 0) + text[-VISIBLE_DIGITS:]


def number_for(number: str, user: Any) -> str:
    """The number as `user` may see it: whole for the command line (no user) and the roles
    in `FULL_NUMBER_ROLES`, masked for everyone else."""
    if not number or user is None or getattr(user, "role", None) in FULL_NUMBER_ROLES:
        return number
    return mask_number(number)


def is_personal_number_key(key: str) -> bool:
    return bool(_PERSONAL_KEY.search(key))


def mask_in_text(text: str) -> str:
    """Every 16-digit run in a text (a note, a key like "KK 6402…") masked."""
    return _DIGITS16.sub(lambda m: mask_number(m.group()), text)


def mask_record(values: dict[str, Any]) -> dict[str, Any]:
    """A record with every NIK/KK masked: the values under NIK/KK keys, and any 16-digit
    number in any text value (nested dicts and lists included)."""
    return {key: (mask_number(value) if is_personal_number_key(key) and value
                  and isinstance(value, str | int) else _mask_value(value))
            for key, value in values.items()}


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_in_text(value)
    if isinstance(value, dict):
        return mask_record(value)
    if isinstance(value, list | tuple):
        return [_mask_value(v) for v in value]
    return value
