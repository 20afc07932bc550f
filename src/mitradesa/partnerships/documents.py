"""Uploaded documents: checked by content (not by the name or the browser's word), stored
once under their checksum, and described in the database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from mitradesa.io import uploads
from mitradesa.partnerships.errors import PartnershipError

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    path: Path


def safe_filename(name: str) -> str:
    return uploads.safe_filename(name)


def detect_type(content: bytes, filename: str) -> tuple[str, str]:
    """(content type, extension) of the content; refused as a PartnershipError."""
    try:
        kind = uploads.detect_kind(content, filename)
    except uploads.UploadRefusedError as exc:
        raise PartnershipError(exc.message, reason=exc.reason) from None
    return kind.content_type, kind.extension


def store(content: bytes, filename: str, folder: Path) -> StoredFile:
    """Check and keep one upload (see `io.uploads` for the rules); the same content is
    stored once, under its checksum and the extension of its detected type."""
    try:
        if not content:
            raise uploads.UploadRefusedError("Berkas kosong tidak diterima.",
                                             reason="upload_empty")
        if len(content) > MAX_BYTES:
            raise uploads.refuse_size(filename, len(content), MAX_BYTES)
        kind = uploads.detect_kind(content, filename)
        name = uploads.stored_name(filename, kind)
    except uploads.UploadRefusedError as exc:
        raise PartnershipError(exc.message, reason=exc.reason) from None
    digest = hashlib.sha256(content).hexdigest()
    target = folder / digest[:2] / f"{digest}{kind.extension}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(content)
        partial.replace(target)
    return StoredFile(name, kind.content_type, len(content), digest, target)
