"""Plain words for account values shown on pages (roles, digest choices); English msgids,
translated where they are shown."""

from __future__ import annotations

from mitradesa.web.templating import N_

ROLE_LABELS = {
    "admin": N_("Admin (DPMD)"),
    "pendamping": N_("Pendamping"),
    "operator_desa": N_("Village operator"),
    "mitra": N_("Partner (mitra)"),
    "viewer": N_("Viewer (read only)"),
}

DIGEST_LABELS = {
    "off": N_("No e-mail digest"),
    "weekly": N_("Weekly (Mondays)"),
    "daily": N_("Daily"),
}
