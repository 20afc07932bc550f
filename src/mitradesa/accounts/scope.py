"""Who may see and change what: role plus location scope."""

from __future__ import annotations

from mitradesa.accounts.models import User
from mitradesa.regions.codes import is_within

# Roles whose empty scope means "everywhere" (DPMD staff and read-only observers).
UNSCOPED_WHEN_EMPTY = frozenset({"admin", "viewer"})
EDITOR_ROLES = frozenset({"admin", "pendamping", "operator_desa"})


def can_see_region(user: User, code: str) -> bool:
    """A user sees a region inside one of its scope codes; admin/viewer without scope see all.

    A kecamatan in scope grants its villages; a village in scope also lets the user see the
    kecamatan, kabupaten and province it lies in (to navigate), not their other villages.
    """
    scopes = user.scope_codes
    if not scopes:
        return user.role in UNSCOPED_WHEN_EMPTY
    return any(is_within(code, s) or is_within(s, code) for s in scopes)


def can_see_village(user: User, code: str) -> bool:
    scopes = user.scope_codes
    if not scopes:
        return user.role in UNSCOPED_WHEN_EMPTY
    return any(is_within(code, s) for s in scopes)


def can_edit_village(user: User, code: str) -> bool:
    return user.role in EDITOR_ROLES and can_see_village(user, code)
