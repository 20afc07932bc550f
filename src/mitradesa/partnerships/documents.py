"""Uploaded documents: checked by content (not by the name or the browser's word), stored
once under their checksum, and described in the database."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from mitradesa.partnerships.errors import PartnershipError

MAX_BYTES = 20 * 1024 * 1024
# Leading bytes → (content type, extension). Office files are zip containers.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
ZIP = b"PK\x03\x04"
OFFICE = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    path: Path


def safe_filename(name: str) -> str:
    """The last path part, with only plain characters, never empty."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    return base[:200] or "berkas"


def detect_type(content: bytes, filename: str) -> tuple[str, str]:
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    suffix = Path(filename).suffix.lower()
    if content.startswith(ZIP) and suffix in OFFICE:
        return OFFICE[suffix], suffix
    raise PartnershipError(
        f"Berkas “{safe_filename(filename)}” tidak diterima: hanya PDF, JPEG, PNG, XLSX atau "
        "DOCX (diperiksa dari isinya, bukan dari namanya).",
        reason="upload_type",
    )


def store(content: bytes, filename: str, folder: Path) -> StoredFile:
    """Check and keep one upload; the same content is stored once."""
    if not content:
        raise PartnershipError("Berkas kosong tidak diterima.", reason="upload_empty")
    if len(content) > MAX_BYTES:
        raise PartnershipError(
            f"Berkas terlalu besar ({len(content) / 1_048_576:.1f} MB); batasnya "
            f"{MAX_BYTES // 1_048_576} MB.",
            reason="upload_too_large",
        )
    content_type, extension = detect_type(content, filename)
    digest = hashlib.sha256(content).hexdigest()
    target = folder / digest[:2] / f"{digest}{extension}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(content)
        partial.replace(target)
    return StoredFile(safe_filename(filename), content_type, len(content), digest, target)
