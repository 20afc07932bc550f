"""Debian 12's own Python (3.11.2, the one the deployment's venv is made with) has no tar
extraction filters (they came with 3.11.4): a backup still restores there, and an archive
with an unsafe entry is still refused."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from mitradesa.db.backup import FORMAT, MANIFEST, BackupError, _safe_extract


def archive_with(path, entries: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


@pytest.fixture
def without_filters(monkeypatch):
    """tarfile as Python 3.11.2 has it: no filters, and extractall() without `filter=`."""
    extractall = tarfile.TarFile.extractall

    def extractall_3_11_2(self, path=".", members=None, *, numeric_owner=False):
        return extractall(self, path, members, numeric_owner=numeric_owner,
                          filter="fully_trusted")

    monkeypatch.delattr(tarfile, "data_filter")
    monkeypatch.setattr(tarfile.TarFile, "extractall", extractall_3_11_2)


def test_an_archive_unpacks_without_extraction_filters(without_filters, tmp_path):
    manifest = {"format": FORMAT, "backend": "sqlite", "database": "database.sqlite3"}
    archive_with(tmp_path / "backup.tar.gz", {
        MANIFEST: json.dumps(manifest).encode(), "database.sqlite3": b"SQLite format 3\0",
        "files/documents/kak.pdf": b"%PDF-1.4\n"})
    into = tmp_path / "out"
    into.mkdir()
    assert _safe_extract(tmp_path / "backup.tar.gz", into)["backend"] == "sqlite"
    assert (into / "files" / "documents" / "kak.pdf").read_bytes() == b"%PDF-1.4\n"


def test_an_entry_outside_the_folder_is_still_refused(without_filters, tmp_path):
    archive_with(tmp_path / "evil.tar.gz", {"../outside.txt": b"x"})
    into = tmp_path / "out"
    into.mkdir()
    with pytest.raises(BackupError):
        _safe_extract(tmp_path / "evil.tar.gz", into)
    assert not (tmp_path / "outside.txt").exists()
