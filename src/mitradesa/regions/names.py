"""Name normalisation for search: case, diacritics, punctuation and common prefixes."""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_PREFIX = re.compile(r"^(desa|kelurahan|kel|kecamatan|kec|kabupaten|kab|provinsi|prov)\.?\s+")


def normalize_name(text: str) -> str:
    """'Désa  Loh-Sumber' → 'loh sumber'."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = _NOISE.sub(" ", ascii_text.lower().replace("'", ""))
    collapsed = _SPACES.sub(" ", lowered).strip()
    return _PREFIX.sub("", collapsed, count=1)
