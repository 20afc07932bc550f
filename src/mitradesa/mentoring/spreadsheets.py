"""A program's beneficiaries as a spreadsheet table (CSV or XLSX): import and export.

The columns depend on the program's target type (households or UMKM) and are the same both
ways, so an exported file imports into another program. An import is all or nothing: every
row is checked and goes through `services` (register, then enrol); each bad row is reported
with the file, the row and every reason, and any problem leaves the database untouched (the
caller rolls back). A household whose KK is already registered, or an UMKM already registered
with the same owner NIK, name and village, is enrolled as it is on record (the file's figures
do not overwrite it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.errors import MitradesaError
from mitradesa.io.errors import ImportRejectedError, RowProblem
from mitradesa.io.exports import restore_cell, write_csv, write_xlsx
from mitradesa.io.tables import read_rows, rupiah_digits
from mitradesa.mentoring import beneficiaries, enrolments
from mitradesa.mentoring.errors import MentoringError
from mitradesa.mentoring.models import Household, Program, Umkm
from mitradesa.mentoring.outcomes import Figures, enrolment_latest
from mitradesa.mentoring.queries import program_enrolments
from mitradesa.mentoring.vocab import TARGET_TYPES, WELFARE_CLASSES
from mitradesa.regions.models import VILLAGE_KINDS
from mitradesa.regions.queries import get_region

HOUSEHOLD_COLUMNS = ("no_kk", "nama_kepala_keluarga", "nik_kepala_keluarga", "desa",
                     "kelas_kesejahteraan", "jumlah_anggota", "desil_p3ke",
                     "pendapatan_bulanan", "tanggal_daftar")
UMKM_COLUMNS = ("nama_usaha", "nama_pemilik", "nik_pemilik", "desa", "sektor", "produk", "nib",
                "pirt", "halal", "bpom", "tenaga_kerja", "modal", "omzet_bulanan",
                "tanggal_daftar")
COLUMNS = {"household": HOUSEHOLD_COLUMNS, "umkm": UMKM_COLUMNS}
REQUIRED = {"household": ("no_kk", "nama_kepala_keluarga", "desa", "kelas_kesejahteraan"),
            "umkm": ("nama_usaha", "nama_pemilik", "desa")}
# Informational columns of an export; an import ignores them.
INFO_COLUMNS = ("tahap", "status")
ALIASES = {"nomor_kk": "no_kk", "kk": "no_kk", "kode_desa": "desa"}
_DIGITS16 = re.compile(r"^\d{16}$")


@dataclass
class BeneficiaryImport:
    """What an import did: data rows read, beneficiaries registered, already on record, and
    enrolments made."""

    target: str
    rows: int = 0
    registered: int = 0
    existing: int = 0
    enrolled: list[int] = field(default_factory=list)


# ------------------------------------------------------------------ export


def export_rows(session: Session, program: Program) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The program's beneficiaries in the import columns (the enrolment date left empty, so a
    re-import enrols on its own date), then their stage and status."""
    target = _importable(program)
    rows = []
    for enrolment in program_enrolments(session, program, None):
        b = beneficiaries.beneficiary_of(enrolment)
        now = enrolment_latest(enrolment) or Figures()
        if target == "household":
            cells = [b.kk_number, b.head_name, b.head_nik, b.village_code,
                     _or(now.welfare_class, b.welfare_class), b.members, b.p3ke_decile,
                     _or(now.household_income_rupiah, b.monthly_income_rupiah), None]
        else:
            cells = [b.name, b.owner_name, b.owner_nik, b.village_code, b.sector, b.products,
                     b.nib, b.pirt, b.halal, b.bpom, _or(now.employees, b.employees),
                     b.capital_rupiah, _or(now.monthly_turnover_rupiah,
                                           b.monthly_turnover_rupiah), None]
        rows.append([*cells, enrolment.stage, enrolment.status])
    return (*COLUMNS[target], *INFO_COLUMNS), rows


def _or(measured: Any, registered: Any) -> Any:
    """The latest measurement of a figure; what was registered when it was never measured."""
    return registered if measured is None else measured


def export_beneficiaries(session: Session, program: Program, path: Path, fmt: str) -> int:
    """Write the beneficiaries to `path` as csv or xlsx; returns the number of rows."""
    columns, rows = export_rows(session, program)
    if fmt == "csv":
        return write_csv(path, columns, rows)
    return write_xlsx(path, columns, rows, sheet="peserta")


def _importable(program: Program) -> str:
    if program.target_type not in COLUMNS:
        raise MentoringError(f"Program {program.id} untuk {TARGET_TYPES[program.target_type]}: "
                             "peserta kelompok dicatat satu per satu, bukan lewat berkas.")
    return program.target_type


# ------------------------------------------------------------------ reading a row


class _Row:
    """One data row: readers that collect every problem of the row."""

    def __init__(self, cells: dict[str, str]) -> None:
        self.cells = cells
        self.reasons: list[str] = []

    def text(self, column: str) -> str:
        # restore_cell: the apostrophe an export puts before formula characters
        return restore_cell(self.cells.get(column, "").strip()).strip()

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.fail(f"{column} kosong")
        return value

    def number16(self, column: str, what: str, *, required: bool) -> str:
        raw = self.text(column)
        clean = re.sub(r"\s+", "", raw)
        if not clean:
            if required:
                self.fail(f"{what} kosong")
            return ""
        if not _DIGITS16.match(clean):
            self.fail(f"{what} harus 16 angka (tertulis “{raw}”)")
        return clean

    def integer(self, column: str, *, money: bool = False) -> int | None:
        raw = self.text(column)
        clean = rupiah_digits(raw) if money else raw.replace(" ", "")
        if not clean:
            return None
        if not clean.isdigit():
            self.fail(f"{column} “{raw}” bukan bilangan bulat tidak negatif")
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

    def welfare(self, column: str) -> str:
        raw = self.text(column)
        key = raw.lower().replace(" ", "_").replace("+", "_plus")
        by_label = {label.lower(): k for k, label in WELFARE_CLASSES.items()}
        found = key if key in WELFARE_CLASSES else by_label.get(raw.lower())
        if found is None:
            shown = f"“{raw}” tidak dikenal" if raw else "kosong"
            self.fail(f"kelas kesejahteraan {shown} (pilih dari: {', '.join(WELFARE_CLASSES)})")
            return ""
        return found


def _village(session: Session, row: _Row, program: Program) -> str:
    raw = row.required("desa")
    if not raw:
        return ""
    try:
        region = get_region(session, raw)
    except MitradesaError:
        row.fail(f"kode desa “{raw}” tidak dikenal")
        return ""
    if region.kind not in VILLAGE_KINDS:
        row.fail(f"{region.code} ({region.name}) bukan desa atau kelurahan")
    elif program.village_codes and region.code not in program.village_codes:
        row.fail(f"desa {region.code} ({region.name}) bukan desa sasaran program ini")
    return region.code


# ------------------------------------------------------------------ import


Progress = Callable[[int, int, str], None]


def _noop(done: int, total: int, stage: str) -> None:
    return None


def import_beneficiaries(
    session: Session, program: Program, path: Path, *, on: date | None = None,
    actor: User | None = None, progress: Progress = _noop,
) -> BeneficiaryImport:
    """Register and enrol every row of `path` in `program`, or nothing: raises
    ImportRejectedError listing each problem (the caller rolls back). `actor`: the user
    importing, whose role and scope the use cases check (None: the command line)."""
    target = _importable(program)
    headers, rows = read_rows(path)
    headers = [ALIASES.get(h, h) for h in headers]
    missing = [c for c in REQUIRED[target] if c not in headers]
    if missing:
        raise ImportRejectedError([RowProblem(
            path.name, 1, f"kolom wajib tidak ada: {', '.join(missing)} (kolom untuk program "
                          f"{TARGET_TYPES[target]}: {', '.join(COLUMNS[target])})")])
    report = BeneficiaryImport(target)
    problems: list[RowProblem] = []
    seen: dict[tuple[str, ...], int] = {}
    body = list(rows)
    for done, (number, cells) in enumerate(body):
        progress(done, len(body), "menyimpan")
        report.rows += 1
        row = _Row(dict(zip(headers, cells, strict=False)))
        try:
            enrolment_id = _import_row(session, program, row, number, seen, report,
                                       on or date.today(), actor)
        except MitradesaError as exc:
            row.fail(exc.message.rstrip("."))
            enrolment_id = None
        if row.reasons:
            problems.append(RowProblem(path.name, number, "; ".join(row.reasons)))
        elif enrolment_id is not None:
            report.enrolled.append(enrolment_id)
    if not report.rows:
        problems.append(RowProblem(path.name, None, "tidak ada baris data"))
    if problems:
        raise ImportRejectedError(problems)
    progress(len(body), len(body), "menyimpan")
    return report


def _import_row(session: Session, program: Program, row: _Row, number: int,
                seen: dict[tuple[str, ...], int], report: BeneficiaryImport,
                today: date, actor: User | None = None) -> int | None:
    village = _village(session, row, program)
    on = row.day("tanggal_daftar") or today
    if program.target_type == "household":
        key, beneficiary = _household(session, row, village)
    else:
        key, beneficiary = _umkm(session, row, village)
    if key is not None:
        if key in seen:
            what = "Nomor KK" if program.target_type == "household" else "UMKM"
            row.fail(f"{what} ganda dalam berkas (sama dengan baris {seen[key]})")
        else:
            seen[key] = number
    if row.reasons:
        return None
    if beneficiary is None:
        beneficiary = _register(session, program.target_type, row, village, actor)
        report.registered += 1
    else:
        report.existing += 1
    enrolment = enrolments.enrol(session, actor, program, on=on,
                               **{f"{program.target_type}_id": beneficiary.id})
    return enrolment.id


def _household(session: Session, row: _Row, village: str
               ) -> tuple[tuple[str, ...] | None, Household | None]:
    kk = row.number16("no_kk", "Nomor KK", required=True)
    row.number16("nik_kepala_keluarga", "NIK kepala keluarga", required=False)
    row.required("nama_kepala_keluarga")
    row.welfare("kelas_kesejahteraan")
    for column in ("jumlah_anggota", "desil_p3ke"):
        row.integer(column)
    row.integer("pendapatan_bulanan", money=True)
    if not _DIGITS16.match(kk):
        return None, None
    existing = session.scalar(select(Household).where(Household.kk_number == kk))
    if existing is not None and village and existing.village_code != village:
        row.fail(f"Nomor KK {kk} sudah terdaftar di desa {existing.village_code} (rumah tangga "
                 f"nomor {existing.id}), bukan di {village}")
    return ("kk", kk), existing


def _umkm(session: Session, row: _Row, village: str
          ) -> tuple[tuple[str, ...] | None, Umkm | None]:
    name = row.required("nama_usaha")
    owner = row.required("nama_pemilik")
    nik = row.number16("nik_pemilik", "NIK pemilik", required=False)
    row.integer("tenaga_kerja")
    for column in ("modal", "omzet_bulanan"):
        row.integer(column, money=True)
    if not name or not owner or row.reasons:
        return None, None
    # The same business: same village and name, and the same owner NIK (or, without one,
    # the same owner name).
    key = ("umkm", village, name.casefold(), nik or owner.casefold())
    query = select(Umkm).where(Umkm.village_code == village,
                               func.lower(Umkm.name) == name.lower())
    query = query.where(Umkm.owner_nik == nik) if nik else query.where(
        Umkm.owner_nik == "", func.lower(Umkm.owner_name) == owner.lower())
    return key, session.scalar(query.order_by(Umkm.id).limit(1))


def _register(session: Session, target: str, row: _Row, village: str,
              actor: User | None = None) -> Household | Umkm:
    if target == "household":
        return beneficiaries.register_household(
            session, actor, kk_number=row.text("no_kk"),
            head_name=row.text("nama_kepala_keluarga"),
            head_nik=row.text("nik_kepala_keluarga"), village_code=village,
            welfare_class=row.welfare("kelas_kesejahteraan"),
            members=row.integer("jumlah_anggota") or 1, p3ke_decile=row.integer("desil_p3ke"),
            monthly_income_rupiah=row.integer("pendapatan_bulanan", money=True),
        )
    return beneficiaries.register_umkm(
        session, actor, name=row.text("nama_usaha"), owner_name=row.text("nama_pemilik"),
        owner_nik=row.text("nik_pemilik"), village_code=village, sector=row.text("sektor"),
        products=row.text("produk"), nib=row.text("nib"), pirt=row.text("pirt"),
        halal=row.text("halal"), bpom=row.text("bpom"),
        employees=row.integer("tenaga_kerja") or 0, capital_rupiah=row.integer("modal", money=True),
        monthly_turnover_rupiah=row.integer("omzet_bulanan", money=True),
    )
