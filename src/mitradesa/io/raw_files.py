"""The imported files themselves: named by their SHA-256 and kept unchanged, so that the same
file imported again is recognised and every stored figure can be traced to its source."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass
class FileOutcome:
    """What an import did with one file."""

    name: str
    sha256: str
    file_format: str
    records: int
    state: str  # imported | unchanged (already imported) | rejected


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keep_raw(path: Path, sha256: str, store_dir: Path) -> Path:
    """Copy the file to `store_dir/<ab>/<sha256><suffix>` unless it is there already."""
    target = store_dir / sha256[:2] / f"{sha256}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target
