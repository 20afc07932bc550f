"""The kinds of table a user may import in the browser, and their template files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.accounts.scope import can_see_village
from mitradesa.idm.indeks_desa import items
from mitradesa.io.exports import open_workbook, write_cell
from mitradesa.io.idm_files import SCORE_COLUMNS
from mitradesa.mentoring.spreadsheets import HOUSEHOLD_COLUMNS, UMKM_COLUMNS
from mitradesa.partnerships.spreadsheets import AGREEMENT_COLUMNS, PARTNER_COLUMNS
from mitradesa.regions.models import VILLAGE_KINDS, Region
from mitradesa.settings import get_settings


def N_(message: str) -> str:  # noqa: N802 - marks a message for extraction
    return message


@dataclass(frozen=True)
class Kind:
    key: str  # in the address: /impor/templat/<key>.xlsx
    label: str  # English msgid
    hint: str  # English msgid
    needs_year: bool = False
    needs_program: bool = False
    json: bool = False  # also accepts the ministry's rumusan JSON


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("idm", N_("IDM results (Indeks Desa Membangun)"),
         N_("The ministry's score table: village code, year and the 50 indicator scores; or a "
            "rumusan JSON file."), needs_year=True, json=True),
    Kind("indeks-desa", N_("Indeks Desa results"),
         N_("The ministry's Indeks Desa export: village code, data year and the 127 items."),
         needs_year=True),
    Kind("mitra", N_("Partners"),
         N_("One partner per row. A row with an id changes that partner; a row without one "
            "adds a partner (or changes the partner of the same name).")),
    Kind("perjanjian", N_("Agreements"),
         N_("One agreement per row. New agreements start in the persiapan stage.")),
    Kind("peserta", N_("Beneficiaries of a program"),
         N_("Households or UMKM, as the program targets; each row is registered (if new) and "
            "enrolled in the program."), needs_program=True),
)}

# Template files: the five kinds, beneficiaries in two shapes (households, UMKM).
TEMPLATES = ("idm", "indeks-desa", "mitra", "perjanjian", "peserta-rumah-tangga", "peserta-umkm")
EXAMPLE_NOTE = "CONTOH — ganti atau hapus baris ini sebelum mengunggah"
INDEKS_DESA_IDENTITY = ("Provinsi", "Kabupaten/ Kota", "Kecamatan",
                        "Kode Wilayah Administrasi Desa", "Desa", "TAHUN DATA")


def example_village(session: Session, user: User) -> Region | None:
    """A village the user may see, to fill the example row with a real code."""
    home = get_settings().home_region
    roots = user.scope_codes or [home]
    for root in roots:
        query = (select(Region).where(Region.kind.in_(VILLAGE_KINDS), Region.active.is_(True),
                                      Region.code.like(f"{root}%"))
                 .order_by(Region.code).limit(20))
        for region in session.scalars(query):
            if can_see_village(user, region.code):
                return region
    return None


def template_rows(key: str, village: Region | None, year: int) -> tuple[list[str], list[object]]:
    """(header row, example row) of a template."""
    code = village.code.replace(".", "") if village else "6402042001"
    name = village.name if village else "SEPATIN"
    dotted = village.code if village else "64.02.04.2001"
    if key == "idm":
        return (["kode_desa", "nama_desa", "tahun", *SCORE_COLUMNS],
                [code, name, year, *([3] * len(SCORE_COLUMNS))])
    if key == "indeks-desa":
        found = items()
        return ([*INDEKS_DESA_IDENTITY, *(item.export_label for item in found)],
                ["", "", "", code, name, year, *(item.levels[-1] for item in found)])
    if key == "mitra":
        example = {"nama": "PT Contoh Sejahtera", "jenis": "csr_swasta",
                   "bidang": "pertanian; umkm", "wilayah": dotted, "kontak_nama": "Budi Santoso",
                   "kontak_telepon": "0812 0000 0000", "kontak_email": "budi@contoh.id",
                   "aktif": "ya"}
        return list(PARTNER_COLUMNS), [example.get(c, "") for c in PARTNER_COLUMNS]
    if key == "perjanjian":
        example = {"judul": "Pelatihan pengolahan hasil kebun", "mitra": "PT Contoh Sejahtera",
                   "desa": dotted, "lingkup": "pertanian", "nilai_rupiah": 25_000_000,
                   "tanggal_mulai": f"{year}-03-01", "tanggal_selesai": f"{year}-12-31"}
        return list(AGREEMENT_COLUMNS), [example.get(c, "") for c in AGREEMENT_COLUMNS]
    if key == "peserta-rumah-tangga":
        example = {"no_kk": "6402040101010001", "nama_kepala_keluarga": "Siti Aminah",
                   "desa": dotted, "kelas_kesejahteraan": "prasejahtera",
                   "jumlah_anggota": 4, "pendapatan_bulanan": 1_500_000}
        return list(HOUSEHOLD_COLUMNS), [example.get(c, "") for c in HOUSEHOLD_COLUMNS]
    if key == "peserta-umkm":
        example = {"nama_usaha": "Keripik Pisang Bu Sri", "nama_pemilik": "Sri Wahyuni",
                   "desa": dotted, "sektor": "olahan pangan", "produk": "keripik pisang",
                   "tenaga_kerja": 2, "omzet_bulanan": 3_000_000}
        return list(UMKM_COLUMNS), [example.get(c, "") for c in UMKM_COLUMNS]
    raise KeyError(key)


def write_template(path: Path, key: str, village: Region | None, year: int) -> None:
    """An XLSX with the header row and one example row, marked as the example (a note on
    its first cell and a fill), through the one export writer."""
    headers, example = template_rows(key, village, year)
    workbook = open_workbook(path)
    sheet = workbook.add_worksheet("data")
    bold = workbook.add_format({"bold": True, "bg_color": "#E7F3EC"})
    marked = workbook.add_format({"bg_color": "#FFF4CC", "italic": True})
    sheet.write_row(0, 0, headers, bold)
    for column, value in enumerate(example):
        write_cell(sheet, 1, column, value, workbook, marked)
    sheet.write_comment(1, 0, EXAMPLE_NOTE)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(headers) - 1, 16)
    notes = workbook.add_worksheet("petunjuk")
    notes.set_column(0, 0, 100)
    lines = [
        "Baris 2 lembar “data” adalah CONTOH: ganti dengan data Anda atau hapus.",
        "Baris pertama (judul kolom) jangan diubah. Satu baris untuk satu data.",
        "Unggah berkas ini (XLSX) atau simpan sebagai CSV, lalu periksa pratinjaunya "
        "sebelum menyimpan.",
    ]
    for row, line in enumerate(lines):
        notes.write_string(row, 0, line)
    workbook.close()

