"""Uploaded files waiting between the preview and the confirmation.

Each upload is kept in `<data dir>/impor/<token>/` with a small `meta.json` (who uploaded it,
the kind of table, the year or program chosen). The token is random and bound to the user:
another user's token is treated as unknown. Uploads older than `KEEP` are removed whenever a
new one is staged. Nothing is stored in the database until the import is confirmed.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mitradesa.errors import NotFoundError
from mitradesa.io.uploads import UploadRefusedError, detect_kind, refuse_size, safe_filename
from mitradesa.settings import get_settings

KEEP = 24 * 3600  # seconds an upload stays staged
MAX_BYTES = 20 * 1024 * 1024
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class Staged:
    token: str
    user_id: int
    kind: str
    filename: str
    year: int | None = None
    program_id: int | None = None
    created: float = 0.0

    @property
    def folder(self) -> Path:
        return staging_dir() / self.token

    @property
    def path(self) -> Path:
        return self.folder / self.filename

    def save_json(self, name: str, data: Any) -> None:
        target = self.folder / name
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(target)

    def load_json(self, name: str) -> Any:
        target = self.folder / name
        if not target.is_file():
            return None
        return json.loads(target.read_text(encoding="utf-8"))


def staging_dir() -> Path:
    return get_settings().data_dir / "impor"


def checked_upload(name: str, content: bytes, *, allow_json: bool) -> str:
    """The name to keep an upload under (its extension from its content), or a refusal:
    only CSV (text) and XLSX, and the ministry's JSON where the kind takes it."""
    if len(content) > MAX_BYTES:
        raise refuse_size(name, len(content), MAX_BYTES)
    shown = safe_filename(name)
    stem = Path(shown).stem or "berkas"
    if not content.strip():
        raise UploadRefusedError(f"Berkas “{shown}” kosong.", reason="upload_empty")
    if content.startswith(b"PK\x03\x04") or content.startswith((b"%PDF-", b"\xff\xd8\xff",
                                                                 b"\x89PNG")):
        kind = detect_kind(content, name)  # zip-bomb and structure checks for Office files
        if kind.extension != ".xlsx":
            raise UploadRefusedError(
                f"Berkas “{shown}” berisi {kind.label}; yang diterima hanya XLSX atau CSV.",
                reason="upload_type")
        return safe_filename(stem + ".xlsx")
    if b"\x00" in content[:65536]:
        raise UploadRefusedError(
            f"Berkas “{shown}” bukan teks CSV maupun XLSX (isinya biner).", reason="upload_type")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise UploadRefusedError(f"Berkas “{shown}”: pengodean teks tidak dikenali.",
                                     reason="upload_type") from None
    if text.lstrip().startswith(("{", "[")):
        if not allow_json:
            raise UploadRefusedError(
                f"Berkas “{shown}” berisi JSON; untuk tabel ini unggah XLSX atau CSV.",
                reason="upload_type")
        return safe_filename(stem + ".json")
    return safe_filename(stem + ".csv")


def stage(user_id: int, kind: str, filename: str, content: bytes, *, year: int | None = None,
          program_id: int | None = None) -> Staged:
    """Keep an already checked upload under a new random token."""
    clean_old()
    staged = Staged(secrets.token_urlsafe(24), user_id, kind, filename, year, program_id,
                    time.time())
    staged.folder.mkdir(parents=True, exist_ok=False)
    staged.path.write_bytes(content)
    staged.save_json("meta.json", asdict(staged))
    return staged


def load(token: str, user_id: int) -> Staged:
    """The staged upload of that token if it is this user's; otherwise NotFoundError (the
    same answer for another user's token and for one that never existed or expired)."""
    missing = NotFoundError("Unggahan ini tidak ditemukan atau sudah kedaluwarsa; unggah "
                            "berkasnya lagi.")
    if not TOKEN.match(token or ""):
        raise missing
    meta = staging_dir() / token / "meta.json"
    if not meta.is_file():
        raise missing
    data = json.loads(meta.read_text(encoding="utf-8"))
    staged = Staged(**data)
    if staged.user_id != user_id or time.time() - staged.created > KEEP:
        raise missing
    return staged


def clean_old(now: float | None = None) -> int:
    """Remove uploads older than KEEP; returns how many were removed."""
    root = staging_dir()
    if not root.is_dir():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for folder in root.iterdir():
        meta = folder / "meta.json"
        try:
            created = json.loads(meta.read_text(encoding="utf-8"))["created"]
        except (OSError, ValueError, KeyError):
            created = folder.stat().st_mtime
        if now - created > KEEP:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
