"""Partners and agreements as spreadsheet tables (CSV or XLSX): export, and import back.

The columns are the same both ways, so an exported file imports without changing anything.
An import is all or nothing: every row goes through the use cases in `services` (which check
it), each bad row is reported with the file, the row and the reason, and any problem leaves
the database untouched (the caller rolls back). A row with an `id` updates that record; a row
without one is added (partners: or updates the partner of the same name). Lists in a cell
are separated by `;` (codes and sectors also by `,`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.errors import MitradesaError, NotFoundError
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.io.exports import restore_cell, write_csv, write_xlsx
from mitradesa.io.tables import read_rows, rupiah_digits
from mitradesa.partnerships import services
from mitradesa.partnerships.models import Agreement, Partner
from mitradesa.partnerships.queries import visible_agreements, visible_partners
from mitradesa.partnerships.vocab import PARTNER_KINDS, SECTORS, STAGES
from mitradesa.regions.queries import get_region

PARTNER_COLUMNS = ("id", "nama", "jenis", "bidang", "wilayah", "kontak_nama", "kontak_telepon",
                   "kontak_email", "alamat", "catatan", "aktif")
AGREEMENT_COLUMNS = ("id", "nomor", "judul", "tahap", "mou_id", "mitra", "desa", "lingkup",
                     "ruang_lingkup", "bidang", "tata_cara_pelaksanaan", "hak_kewajiban",
                     "pendanaan", "nilai_rupiah", "tanggal_mulai", "tanggal_selesai",
                     "tanggal_tanda_tangan", "laporan_setiap_hari", "tata_cara_perubahan",
                     "penyelesaian_perselisihan")
REQUIRED = {"partners": ("nama", "jenis"), "agreements": ("judul",)}
CONTACT = {"kontak_nama": "contact_name", "kontak_telepon": "contact_phone",
           "kontak_email": "contact_email", "alamat": "address", "catatan": "notes"}
TEXTS = ("ruang_lingkup", "bidang", "tata_cara_pelaksanaan", "hak_kewajiban", "pendanaan",
         "tata_cara_perubahan", "penyelesaian_perselisihan")
DATES = {"tanggal_mulai": "start_date", "tanggal_selesai": "end_date",
         "tanggal_tanda_tangan": "signed_on"}
SEPARATOR = "; "
YES = {"ya", "y", "yes", "true", "1", "aktif"}
NO = {"tidak", "t", "no", "false", "0", "nonaktif"}


@dataclass
class TableImport:
    """What an import did; `rows` counts the data rows read."""

    what: str
    rows: int = 0
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0


class RowError(MitradesaError):
    """A cell that cannot be read; becomes one reason of its row."""


# ------------------------------------------------------------------ export


def partner_rows(session: Session) -> list[list[Any]]:
    return [[p.id, p.name, p.kind, SEPARATOR.join(p.sectors), SEPARATOR.join(p.area_codes),
             p.contact_name, p.contact_phone, p.contact_email, p.address, p.notes,
             "ya" if p.active else "tidak"] for p in visible_partners(session, None)]


def agreement_rows(session: Session) -> list[list[Any]]:
    rows = []
    for a in sorted(visible_agreements(session, None), key=lambda a: a.id):
        rows.append([
            a.id, a.number, a.title, a.stage, a.mou_id,
            SEPARATOR.join(p.name for p in a.partners), SEPARATOR.join(a.village_codes),
            SEPARATOR.join(a.scope), *(getattr(a, key) for key in TEXTS[:5]), a.value_rupiah,
            *(_iso(getattr(a, attr)) for attr in DATES.values()), a.report_every_days,
            a.tata_cara_perubahan, a.penyelesaian_perselisihan,
        ])
    return rows


def export_table(session: Session, what: str, path: Path, fmt: str) -> int:
    """Write partners or agreements to `path` as csv or xlsx; returns the number of rows."""
    columns, rows = ((PARTNER_COLUMNS, partner_rows(session)) if what == "partners"
                     else (AGREEMENT_COLUMNS, agreement_rows(session)))
    if fmt == "csv":
        return write_csv(path, columns, rows)
    return write_xlsx(path, columns, rows, sheet="mitra" if what == "partners" else "perjanjian")


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


# ------------------------------------------------------------------ reading cells


def _text(value: str) -> str:
    """A cell as written; undoes the apostrophe the export puts before formula characters."""
    return restore_cell(value.strip()).strip()


def _list(value: str, *, commas: bool = True) -> list[str]:
    parts = re.split(r"[;,\n]" if commas else r"[;\n]", value)
    return [p.strip() for p in parts if p.strip()]


class _Row:
    """One data row: typed readers that collect every problem of the row, so it is reported
    with all its reasons at once."""

    def __init__(self, session: Session, cells: dict[str, str],
                 actor: User | None = None) -> None:
        self.session = session
        self.cells = cells
        self.actor = actor  # who imports (None: the command line, trusted)
        self.reasons: list[str] = []

    def has(self, column: str) -> bool:
        return column in self.cells

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)

    def check(self) -> None:
        if self.reasons:
            raise RowError("; ".join(self.reasons))

    def integer(self, column: str) -> int | None:
        raw = self.text(column)
        clean = rupiah_digits(raw) if column == "nilai_rupiah" else raw.replace(" ", "")
        if not clean:
            return None
        if not clean.isdigit():
            self.fail(f"{column} “{raw}” bukan bilangan bulat")
            return None
        return int(clean)

    def day(self, column: str) -> date | None:
        raw = self.text(column)
        if not raw:
            return None
        text = raw.split(" ")[0].split("T")[0]
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        self.fail(f"{column} “{raw}” bukan tanggal yang sah (tulis YYYY-MM-DD)")
        return None

    def flag(self, column: str) -> bool:
        word = self.text(column).lower()
        if word in NO:
            return False
        if word and word not in YES:
            self.fail(f"{column} “{self.text(column)}” tidak dikenal (tulis ya atau tidak)")
        return True

    def choice(self, column: str, allowed: dict[str, str]) -> str:
        value = self.text(column).lower()
        if value not in allowed:
            shown = f"“{self.text(column)}” tidak dikenal" if value else "kosong"
            self.fail(f"{column} {shown} (pilih dari: {', '.join(allowed)})")
        return value

    def sectors(self, column: str) -> list[str]:
        values = [v.lower() for v in _list(self.text(column))]
        unknown = [v for v in values if v not in SECTORS]
        if unknown:
            self.fail(f"{column}: bidang tidak dikenal: {', '.join(unknown)} "
                      f"(pilih dari: {', '.join(SECTORS)})")
        return values

    def regions(self, column: str) -> list[str]:
        codes: list[str] = []
        unknown: list[str] = []
        for raw in _list(self.text(column)):
            try:
                codes.append(get_region(self.session, raw).code)
            except MitradesaError:
                unknown.append(raw)
        if unknown:
            what = "kode desa" if column == "desa" else "kode wilayah"
            self.fail(f"{column}: {what} tidak dikenal: {', '.join(unknown)}")
        return codes

    def partners(self, column: str) -> list[int]:
        ids: list[int] = []
        unknown: list[str] = []
        for name in _list(self.text(column), commas=False):
            found = self.session.scalar(select(Partner.id).where(
                func.lower(Partner.name) == " ".join(name.split()).lower()))
            if found is None:
                unknown.append(name)
            else:
                ids.append(found)
        if unknown:
            self.fail(f"mitra tidak ditemukan: {', '.join(unknown)} (impor mitranya dulu "
                      "dengan mitradesa partnerships import-partners)")
        return ids


def _table(path: Path, what: str) -> Iterator[tuple[int, dict[str, str]]]:
    columns = PARTNER_COLUMNS if what == "partners" else AGREEMENT_COLUMNS
    headers, body = read_rows(path)
    unknown = [h for h in headers if h and h not in columns]
    missing = [c for c in REQUIRED[what] if c not in headers]
    problems = []
    if unknown:
        problems.append(RowProblem(path.name, 1, f"kolom tidak dikenal: {', '.join(unknown)} "
                                                 f"(kolom yang dikenal: {', '.join(columns)})"))
    if missing:
        problems.append(RowProblem(path.name, 1, f"kolom wajib tidak ada: {', '.join(missing)}"))
    if problems:
        raise ImportRejectedError(problems)
    for number, cells in body:
        yield number, {h: _text(cells[i]) if i < len(cells) else ""
                       for i, h in enumerate(headers) if h}


Apply = Callable[[_Row, TableImport, dict[str, int]], str | None]
Progress = Callable[[int, int, str], None]


def _noop(done: int, total: int, stage: str) -> None:
    return None


def _run(session: Session, path: Path, what: str, apply: Apply, actor: User | None = None,
         progress: Progress = _noop) -> TableImport:
    """Each row in its own savepoint, so one bad row is reported and the others still
    checked; `apply` returns the row's key (name or id) to catch duplicates in the file.
    `actor`: the user importing, whose rights and scope the use cases check (None: the
    command line)."""
    report = TableImport(what)
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    rows = list(_table(path, what))
    for done, (number, cells) in enumerate(rows):
        progress(done, len(rows), "menyimpan")
        report.rows += 1
        savepoint = session.begin_nested()
        try:
            key = apply(_Row(session, cells, actor), report, seen)
            savepoint.commit()
        except MitradesaError as exc:
            savepoint.rollback()
            problems.append(RowProblem(path.name, number, exc.message.rstrip(".")))
        else:
            if key:
                seen[key] = number
    if problems:
        raise ImportRejectedError(problems)
    progress(len(rows), len(rows), "menyimpan")
    return report


# ------------------------------------------------------------------ partners


def import_partners(session: Session, path: Path, *, actor: User | None = None,
                    progress: Progress = _noop) -> TableImport:
    """Add or update partners from a table; all or nothing."""
    return _run(session, path, "partners", _partner_row, actor, progress)


def _partner_row(row: _Row, report: TableImport, seen: dict[str, int]) -> str:
    name = " ".join(row.text("nama").split())
    if not name:
        row.fail("nama mitra kosong")
    elif name.lower() in seen:
        row.fail(f"mitra “{name}” sudah ada di baris {seen[name.lower()]} berkas ini")
    number = row.integer("id")
    # Columns left out of the file keep what is stored.
    wanted: dict[str, Any] = {"name": name, "kind": row.choice("jenis", PARTNER_KINDS)}
    if row.has("bidang"):
        wanted["sectors"] = row.sectors("bidang")
    if row.has("wilayah"):
        wanted["area_codes"] = row.regions("wilayah")
    if row.has("aktif"):
        wanted["active"] = row.flag("aktif")
    wanted |= {attr: row.text(column) for column, attr in CONTACT.items() if row.has(column)}
    partner = None
    if number is not None:
        partner = _visible(row, Partner, number)
        if partner is None:
            row.fail(f"tidak ada mitra dengan id {number}; kosongkan kolom id untuk menambah "
                     "mitra baru")
    elif name:
        partner = row.session.scalar(select(Partner).where(
            func.lower(Partner.name) == name.lower()))
    row.check()
    if partner is None:
        active = wanted.pop("active", True)
        created = services.create_partner(row.session, row.actor, **{"sectors": [], **wanted})
        if not active:
            services.update_partner(row.session, row.actor, created, active=False,
                                    expected_version=created.version)
        report.created.append(created.id)
        return name.lower()
    changed = {k: v for k, v in wanted.items() if not _same(partner, k, v)}
    if changed:
        services.update_partner(row.session, row.actor, partner,
                                expected_version=partner.version, **changed)
        report.updated.append(partner.id)
    else:
        report.unchanged += 1
    return name.lower()


# ------------------------------------------------------------------ agreements


def import_agreements(session: Session, path: Path, *, actor: User | None = None,
                      progress: Progress = _noop) -> TableImport:
    """Add or update agreements from a table; all or nothing. New agreements start in the
    persiapan stage: later stages are reached through the lifecycle, which checks the
    documents each one needs."""
    return _run(session, path, "agreements", _agreement_row, actor, progress)


def _agreement_row(row: _Row, report: TableImport, seen: dict[str, int]) -> str | None:
    number = row.integer("id")
    if number is not None and str(number) in seen:
        row.fail(f"id {number} sudah dipakai di baris {seen[str(number)]} berkas ini")
    mou_id = row.integer("mou_id")
    stage = row.text("tahap").lower()
    if stage and stage not in STAGES:
        row.fail(f"tahap “{row.text('tahap')}” tidak dikenal (pilih dari: {', '.join(STAGES)})")
    # Columns left out of the file keep what is stored (new agreements: empty).
    wanted: dict[str, Any] = {"title": row.text("judul")}
    if row.has("nomor"):
        wanted["number"] = row.text("nomor")
    if row.has("mitra"):
        wanted["partner_ids"] = row.partners("mitra")
    if row.has("desa"):
        wanted["village_codes"] = row.regions("desa")
    if row.has("lingkup"):
        wanted["scope"] = row.sectors("lingkup")
    wanted |= {key: row.text(key) for key in TEXTS if row.has(key)}
    if row.has("nilai_rupiah"):
        wanted["value_rupiah"] = row.integer("nilai_rupiah")
    if row.text("laporan_setiap_hari"):
        wanted["report_every_days"] = row.integer("laporan_setiap_hari")
    wanted |= {attr: row.day(column) for column, attr in DATES.items() if row.has(column)}
    agreement = None
    if number is not None:
        agreement = _visible(row, Agreement, number)
        if agreement is None:
            row.fail(f"tidak ada perjanjian dengan id {number}; kosongkan kolom id untuk "
                     "menambah perjanjian baru")
        elif stage and stage != agreement.stage:
            row.fail(f"tahap tidak diubah lewat impor (sekarang {agreement.stage}); pakai "
                     "transisi tahap")
        elif row.has("mou_id") and mou_id != agreement.mou_id:
            row.fail("nota kesepahaman (mou_id) sebuah perjanjian tidak diubah lewat impor")
    elif stage not in ("", "persiapan"):
        row.fail("perjanjian baru dimulai pada tahap persiapan; tahap berikutnya dicapai lewat "
                 "transisi yang memeriksa dokumennya")
    row.check()
    if agreement is None:
        new = {"partner_ids": [], "village_codes": [], "scope": [], **wanted}
        report.created.append(
            services.create_agreement(row.session, row.actor, mou_id=mou_id, **new).id)
        return None
    changed = {k: v for k, v in wanted.items() if not _same(agreement, k, v)}
    if changed:
        services.update_agreement(row.session, row.actor, agreement,
                                  expected_version=agreement.version, **changed)
        report.updated.append(agreement.id)
    else:
        report.unchanged += 1
    return str(number)


def _visible(row: _Row, model: type[Partner] | type[Agreement], number: int
             ) -> Partner | Agreement | None:
    """The record of that id, or None when it does not exist or the importing user may not
    see it (the same answer: an import does not reveal what its user may not see)."""
    if row.actor is None:
        return row.session.get(model, number)
    lookup = services.visible_partner if model is Partner else services.visible_agreement
    try:
        return lookup(row.session, row.actor, number)
    except NotFoundError:
        return None


def _same(record: Partner | Agreement, key: str, value: Any) -> bool:
    """Whether `value` (as read from the file) is what `record` holds already."""
    if key in ("sectors", "area_codes", "partner_ids", "village_codes", "scope"):
        return set(value) == set(getattr(record, key))
    current = getattr(record, key)
    if isinstance(current, str):
        return current == (value or "").strip()
    return current == value
