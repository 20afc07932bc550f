"""What an uploaded file is, judged by its content: PDF, JPEG, PNG, or an Office file (XLSX,
DOCX) whose zip container holds the parts of its kind and unpacks to a bounded size.

Rules (the same for agreement documents and UMKM photos):
- the type is detected from the content, never from the name or the browser's word;
- a name whose extension names another accepted type is refused (a PDF named `x.docx` is
  not stored as a Word file, nor silently renamed); any other name gets the detected
  extension added;
- an Office file is opened as a zip: it must hold `[Content_Types].xml` and its main part
  (`xl/workbook.xml`, `word/document.xml`), unpack to at most `MAX_UNPACKED_BYTES` in all and
  compress no part more than `MAX_RATIO` times (a zip bomb is refused before it is stored);
- a long name is shortened to `MAX_NAME` characters, keeping its extension.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from mitradesa.errors import MitradesaError
from mitradesa.reports.formatting import file_size

MAX_NAME = 120
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ZIP_ENTRIES = 5_000
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extension: str
    also: tuple[str, ...] = ()  # other extensions a name may carry for this kind

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.also)


PDF = FileKind("PDF", "application/pdf", ".pdf")
JPEG = FileKind("JPEG", "image/jpeg", ".jpg", (".jpeg",))
PNG = FileKind("PNG", "image/png", ".png")
XLSX = FileKind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".xlsx")
DOCX = FileKind("DOCX",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".docx")
KINDS = (PDF, JPEG, PNG, XLSX, DOCX)
SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
# Office kind → (its main part, the content type [Content_Types].xml gives that part)
OFFICE_PARTS = {
    XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
}


class UploadRefusedError(MitradesaError):
    """An upload that is not stored; `reason` says which rule refused it."""

    reason = "upload_refused"


def safe_filename(name: str) -> str:
    """The last path part with only plain characters, at most `MAX_NAME` long with its
    extension kept, never empty."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    if not base:
        return "berkas"
    suffix = PurePath(base).suffix
    if not re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix):  # a dot in the name, no extension
        suffix = ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    return stem[: MAX_NAME - len(suffix)].rstrip(" .") + suffix


def refuse_size(name: str, size: int, limit: int) -> UploadRefusedError:
    return UploadRefusedError(
        f"Berkas “{safe_filename(name)}” terlalu besar ({file_size(size)}); "
        f"batasnya {file_size(limit)}.", reason="upload_too_large")


def detect_kind(content: bytes, name: str) -> FileKind:
    """The kind of a file from its content; an Office file is checked for its structure."""
    for magic, kind in SIGNATURES:
        if content.startswith(magic):
            return kind
    if content.startswith(ZIP):
        return _office_kind(content, name)
    raise UploadRefusedError(
        f"Berkas “{safe_filename(name)}” tidak diterima: hanya PDF, JPEG, PNG, XLSX atau "
        "DOCX (diperiksa dari isinya, bukan dari namanya).", reason="upload_type")


def stored_name(name: str, kind: FileKind) -> str:
    """The name the file is kept under, ending in the detected kind's extension: a name that
    claims another accepted kind (`x.docx` holding a PDF) is refused; any other name gets
    the extension added (`scan`, `laporan v1.2` → `scan.pdf`, `laporan v1.2.pdf`)."""
    clean = safe_filename(name)
    suffix = PurePath(clean).suffix.lower()
    if suffix in kind.extensions:
        return clean
    claimed = next((k for k in KINDS if suffix in k.extensions), None)
    if claimed is None:
        return safe_filename(clean + kind.extension)
    right = safe_filename(PurePath(clean).stem + kind.extension)
    raise UploadRefusedError(
        f"Berkas “{clean}” isinya {kind.label}, bukan {claimed.label}: namanya tidak sesuai "
        f"isinya. Ganti namanya menjadi “{right}” atau unggah berkas yang benar.",
        reason="upload_mismatch")


def _office_kind(content: bytes, name: str) -> FileKind:
    shown = safe_filename(name)
    damaged = UploadRefusedError(
        f"Berkas “{shown}” tidak dapat dibuka sebagai XLSX atau DOCX (rusak atau bukan berkas "
        "Office).", reason="upload_damaged")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise damaged from None
    _check_unpacked_size(shown, entries, len(content))
    names = {entry.filename for entry in entries}
    try:
        types = _read(archive, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
        for kind, (main_part, main_type) in OFFICE_PARTS.items():
            if main_part in names and main_type.encode() in types:
                _read(archive, main_part)  # unpacks: a damaged part fails its CRC here
                return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise damaged from None
    raise damaged


def _check_unpacked_size(shown: str, entries: list[zipfile.ZipInfo], packed: int) -> None:
    unpacked = sum(entry.file_size for entry in entries)
    ratio = max((e.file_size / max(e.compress_size, 1) for e in entries), default=0)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNPACKED_BYTES or ratio > MAX_RATIO:
        raise UploadRefusedError(
            f"Berkas “{shown}” tidak diterima: isinya jika dibuka {file_size(unpacked)} dari "
            f"{file_size(packed)} (batasnya {file_size(MAX_UNPACKED_BYTES)}, dan tidak lebih "
            f"dari {MAX_RATIO} kali ukuran terkemasnya). Simpan ulang berkasnya dari Excel atau "
            "Word, atau unggah sebagai PDF.", reason="upload_unpacked_too_large")


def _read(archive: zipfile.ZipFile, part: str) -> bytes:
    """One part, unpacked in pieces so that no more than its declared size is produced."""
    info = archive.getinfo(part)
    out = bytearray()
    with archive.open(info) as handle:
        while piece := handle.read(1 << 20):
            out += piece
            if len(out) > info.file_size or len(out) > MAX_UNPACKED_BYTES:
                raise ValueError("part larger than declared")
    return bytes(out)
