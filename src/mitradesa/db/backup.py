"""Backup and restore of a whole installation: the database and the stored files.

A backup is one `.tar.gz` holding `manifest.json` (format, backend, schema revision, rows per
table, files), the database (`database.sqlite3`, a consistent copy made with SQLite's online
backup, or `database.pgdump`, PostgreSQL's custom format from `pg_dump`) and the folders of
stored files under the data folder (uploaded documents, photos, imported raw files).

Both directions are all-or-nothing: a backup is written under a temporary name and renamed
when complete; a restore checks the whole archive before it touches anything, replaces an
SQLite file by one rename and restores PostgreSQL in one transaction (`pg_restore
--single-transaction`), and counts every table against the manifest afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, inspect, select, text

from mitradesa.db import data_version
from mitradesa.db.migrate import current_revision
from mitradesa.errors import MitradesaError

FORMAT = "mitradesa-backup/1"
FILE_FOLDERS = ("documents", "photos", "imports", "uploads")
MANIFEST = "manifest.json"
# What `db upgrade` and `regions load` fill: a database holding only these has no user data.
LOADED_BY_SETUP = frozenset({"alembic_version", "regions", "region_code_changes",
                             "region_aliases", data_version.TABLE})
Progress = Callable[[str], None]


class BackupError(MitradesaError):
    reason = "backup"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    backend: str
    revision: str | None
    rows: dict[str, int]
    files: int
    size: int


def backend_of(engine: Engine) -> str:
    return "postgresql" if engine.dialect.name == "postgresql" else "sqlite"


def table_rows(engine: Engine) -> dict[str, int]:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in sorted(metadata.tables.items())
        }


def _libpq_url(engine: Engine) -> str:
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def postgres_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else Debian's versioned folder (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    raise BackupError(f"{name} tidak ditemukan; pasang paket Debian postgresql-client.")


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} gagal: {done.stderr.strip() or done.stdout.strip()}")


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("Basis data SQLite di memori tidak bisa dicadangkan.")
    return Path(database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy even while the web app writes (SQLite's online backup)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _file_count(data_dir: Path) -> int:
    return sum(
        1 for folder in FILE_FOLDERS if (data_dir / folder).is_dir()
        for path in (data_dir / folder).rglob("*") if path.is_file()
    )


def create_backup(engine: Engine, data_dir: Path, target: Path,
                  progress: Progress = lambda _: None) -> BackupReport:
    backend = backend_of(engine)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mitradesa-backup-") as scratch:
        work = Path(scratch)
        progress("menyalin basis data")
        if backend == "sqlite":
            database = work / "database.sqlite3"
            _copy_sqlite(_sqlite_path(engine), database)
        else:
            database = work / "database.pgdump"
            _run([postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={database}", f"--dbname={_libpq_url(engine)}"], "pg_dump")
        progress("menghitung baris")
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "backend": backend,
            "revision": current_revision(engine),
            "database": database.name,
            "rows": table_rows(engine),
            "files": _file_count(data_dir),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        progress("menulis arsip")
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(database, arcname=database.name)
            for folder in FILE_FOLDERS:
                if (data_dir / folder).is_dir():
                    archive.add(data_dir / folder, arcname=f"files/{folder}")
        os.replace(partial, target)
    return BackupReport(target, backend, manifest["revision"], manifest["rows"],
                        manifest["files"], target.stat().st_size)


def _safe_extract(archive: Path, into: Path) -> dict:
    """Unpack only regular files and folders below `into`; read and check the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                name = Path(member.name)
                if name.is_absolute() or ".." in name.parts or not (
                        member.isfile() or member.isdir()):
                    raise BackupError(f"Arsip memuat entri tidak aman: {member.name}")
            if hasattr(tarfile, "data_filter"):
                tar.extractall(into, members=members, filter="data")
            else:  # Python before 3.11.4, e.g. Debian 12's 3.11.2: members checked above
                tar.extractall(into, members=members)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"Arsip cadangan rusak atau terpotong: {archive} ({error}).") from error
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive} bukan cadangan mitradesa: {MANIFEST} tidak ada atau "
                          "rusak.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format cadangan tidak dikenal: {manifest.get('format')!r}.")
    if not (into / str(manifest.get("database"))).is_file():
        raise BackupError("Arsip cadangan tidak memuat berkas basis data.")
    return manifest


def _holds_data(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    if "users" not in names:
        return False
    return any(count for name, count in table_rows(engine).items()
               if name not in LOADED_BY_SETUP)


def _data_version(engine: Engine) -> int:
    if data_version.TABLE not in inspect(engine).get_table_names():
        return 0
    with engine.connect() as connection:
        return int(connection.scalar(text(f"SELECT version FROM {data_version.TABLE}")) or 0)


def _move_data_version_past(engine: Engine, replaced: int) -> None:
    """The restored data version could equal one a running app process kept pages under,
    with other data then: set it past both, so that every kept page is a miss."""
    restored = _data_version(engine)
    if restored:
        with engine.begin() as connection:
            connection.execute(text(f"UPDATE {data_version.TABLE} SET version = :version"),
                               {"version": max(restored, replaced) + 1})


def _replace_folders(source: Path, data_dir: Path) -> None:
    for folder in FILE_FOLDERS:
        incoming, current = source / folder, data_dir / folder
        old = data_dir / f".{folder}.before-restore"
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            os.replace(current, old)
        if incoming.is_dir():
            shutil.move(str(incoming), current)
        shutil.rmtree(old, ignore_errors=True)


def restore_backup(engine: Engine, data_dir: Path, archive: Path, *, replace: bool = False,
                   progress: Progress = lambda _: None) -> BackupReport:
    if not archive.is_file():
        raise BackupError(f"Berkas cadangan tidak ada: {archive}")
    backend = backend_of(engine)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mitradesa-restore-", dir=data_dir) as scratch:
        work = Path(scratch)
        progress("memeriksa arsip")
        manifest = _safe_extract(archive, work)
        if manifest["backend"] != backend:
            raise BackupError(
                f"Cadangan ini dari {manifest['backend']}, basis data tujuan {backend}; "
                "pulihkan ke basis data jenis yang sama.")
        replaced_version = _data_version(engine)
        if _holds_data(engine) and not replace:
            raise BackupError("Basis data tujuan sudah berisi data; pemulihan akan "
                              "menggantinya seluruhnya. Ulangi dengan --replace bila itu yang "
                              "dimaksud.")
        database = work / manifest["database"]
        progress("memulihkan basis data")
        if backend == "sqlite":
            check = sqlite3.connect(database)
            try:
                verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                check.close()
            if verdict != "ok":
                raise BackupError(f"Basis data dalam cadangan rusak: {verdict}")
            path = _sqlite_path(engine)
            engine.dispose()
            staged = path.with_name(path.name + ".restore")
            shutil.copyfile(database, staged)
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            os.replace(staged, path)
        else:
            engine.dispose()
            _run([postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                  "--no-privileges", "--single-transaction", "--exit-on-error",
                  f"--dbname={_libpq_url(engine)}", str(database)], "pg_restore")
        progress("memulihkan berkas")
        _replace_folders(work / "files", data_dir)
    _move_data_version_past(engine, replaced_version)
    rows = table_rows(engine)
    if rows != manifest["rows"]:
        differing = sorted(k for k in set(rows) | set(manifest["rows"])
                           if rows.get(k) != manifest["rows"].get(k))
        raise BackupError("Hasil pemulihan tidak sama dengan cadangan pada tabel: "
                          + ", ".join(differing))
    return BackupReport(archive, backend, manifest["revision"], rows, manifest["files"],
                        archive.stat().st_size)
