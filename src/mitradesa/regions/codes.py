"""Kemendagri region codes: accept dotted (64.02.01.2001) or plain digits (6402012001)."""

from __future__ import annotations

import re

from mitradesa.errors import MitradesaError

_SEGMENT_LENGTHS = (2, 2, 2, 4)
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_DIGITS = re.compile(r"^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$")
# A desa persiapan gets a provisional code under its parent desa: 64.02.03.2005.P01
_PERSIAPAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}\.P\d{2}$")


class RegionCodeError(MitradesaError):
    reason = "region_code_invalid"


def normalize_code(raw: str) -> str:
    """Return the dotted form of a code, or raise RegionCodeError with a readable message."""
    text = str(raw).strip().upper()
    if _PERSIAPAN.match(text):
        return text
    if _DOTTED.match(text):
        return text
    if _DIGITS.match(text):
        parts, start = [], 0
        for length in _SEGMENT_LENGTHS:
            if start >= len(text):
                break
            parts.append(text[start : start + length])
            start += length
        return ".".join(parts)
    raise RegionCodeError(
        f"Kode wilayah tidak valid: {raw!r}. Gunakan kode Kemendagri, misalnya 64.02.04.2001 "
        "atau 6402042001.",
        code=str(raw),
    )


def plain_code(dotted: str) -> str:
    """The 10-digit form used by the ministry's IDM files (6402042001)."""
    return dotted.replace(".", "")


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def level_of(code: str) -> int:
    return code.count(".") + 1


def is_within(code: str, scope_code: str) -> bool:
    """True when `code` is `scope_code` itself or lies under it."""
    return code == scope_code or code.startswith(scope_code + ".")
