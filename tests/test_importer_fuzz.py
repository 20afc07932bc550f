"""Every importer, fed malformed files (truncated, bytes flipped, other encodings, wrong types,
huge cells, formula text): either it imports, or it refuses with a plain message, nothing
else. A refused import leaves every table as it was (the caller rolls back, as the CLI and the
pages do); imported formula text leaves the system only escaped."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.db.base import Base
from mitradesa.errors import MitradesaError
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.io.exports import FORMULA_START, write_xlsx
from mitradesa.mentoring import programs
from mitradesa.mentoring.spreadsheets import import_beneficiaries
from mitradesa.partnerships.spreadsheets import export_table, import_agreements, import_partners
from mitradesa.regions.geo import import_geojson
from tests.conftest import SEPATIN
from tests.idm_records.fixtures import rumusan, write_scores_csv

pytestmark = pytest.mark.slow  # exhaustive: many generated files per importer and backend
FORMULAS = ('=HYPERLINK("http://contoh.invalid","klik")', "=cmd|' /C calc'!A0", "@SUM(1+1)",
            "+62=1+1")
BAD_CELLS = (*FORMULAS, "x" * 120_000, "-1", "1e309", "NaN", "12,5", "\x00", "😀" * 8,
             "9" * 40, "2025-13-45", "", " ", "Rp-5")
BAD_VALUES = ("teks", -1, 10**40, 1.5, None, [], {}, "x" * 120_000, True)

mutation = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0.0, 0.98)),
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("encoding"), st.sampled_from(("utf-16", "latin-1", "cp1252"))),
    st.tuples(st.just("cell"), st.integers(0, 30), st.integers(0, 30),
              st.sampled_from(BAD_CELLS)),
    st.just(("empty",)),
    st.tuples(st.just("garbage"), st.binary(min_size=1, max_size=300)),
)
FUZZ = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _rows_everywhere(db: Session) -> dict[str, int]:
    return {t.name: db.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables}


def _mutate_table(rows: list[list[str]], change: tuple, suffix: str, path: Path) -> Path:
    """A table (header + rows) written as `suffix`, then changed as `change` says."""
    rows = [list(r) for r in rows]
    if change[0] == "cell":
        r, c = change[1] % len(rows), change[2] % len(rows[0])
        rows[r][c] = change[3]
    if suffix == ".csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        data = text.getvalue().encode("utf-8")
        if change[0] == "encoding":
            data = text.getvalue().replace("a", "ä").encode(change[1], errors="replace")
    else:
        write_xlsx(path, rows[0], rows[1:])
        data = path.read_bytes()
    return _mutate_bytes(data, change, path)


def _mutate_bytes(data: bytes, change: tuple, path: Path) -> Path:
    if change[0] == "truncate":
        data = data[: int(len(data) * change[1])]
    elif change[0] == "flip" and data:
        at = change[1] % len(data)
        data = data[:at] + bytes([data[at] ^ change[2]]) + data[at + 1:]
    elif change[0] == "encoding" and path.suffix in (".json", ".geojson"):
        data = data.decode("utf-8").replace("a", "ä").encode(change[1], errors="replace")
    elif change[0] == "empty":
        data = b""
    elif change[0] == "garbage":
        data = change[1]
    path.write_bytes(data)
    return path


def _refused_cleanly_or_imported(db: Session, run: Callable[[], object]) -> bool:
    """True when it imported; a refusal must be a MitradesaError with a message, and after
    the caller's rollback every table is as before."""
    before = _rows_everywhere(db)
    try:
        result = run()
    except MitradesaError as refusal:
        assert str(refusal).strip(), "a refusal without a message"
        db.rollback()
        assert _rows_everywhere(db) == before
        return False
    if getattr(result, "errors", None):  # refused with a report (GeoJSON: per feature)
        assert all(str(e).strip() for e in result.errors)
        assert _rows_everywhere(db) == before
        return False
    db.commit()
    return True


def _export_cells(path: Path) -> list[str]:
    if path.suffix == ".csv":
        return [c for row in csv.reader(path.open(encoding="utf-8")) for c in row]
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [str(c) for row in sheet.to_python() for c in row]


def _no_live_formula(cells: list[str]) -> None:
    for cell in cells:
        assert not (cell.startswith(FORMULA_START) and cell not in ("-", "")), cell


PARTNERS = [["nama", "jenis", "bidang", "wilayah", "kontak_telepon", "aktif"],
            ["PT Uji Fuzz", "csr_swasta", "umkm", "64.02.04", "+62 811 555", "ya"],
            ["Yayasan Uji", "yayasan_lsm", "pertanian", "64.02", "0812", "ya"]]
AGREEMENTS = [["judul", "mitra", "desa", "lingkup", "nilai_rupiah", "tanggal_mulai",
               "tanggal_selesai"],
              ["Kerja sama uji", "PT Uji Fuzz", SEPATIN, "umkm", "25.000.000", "2025-01-01",
               "2025-12-31"]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@given(change=mutation)
@FUZZ
def test_partner_and_agreement_imports(db, tmp_path, suffix, change):
    path = _mutate_table(PARTNERS, change, suffix, tmp_path / f"mitra{suffix}")
    if _refused_cleanly_or_imported(db, lambda: import_partners(db, path)):
        exported = tmp_path / f"ekspor{suffix}"
        export_table(db, "partners", exported, suffix[1:])
        _no_live_formula(_export_cells(exported))
    path = _mutate_table(AGREEMENTS, change, suffix, tmp_path / f"perjanjian{suffix}")
    if _refused_cleanly_or_imported(db, lambda: import_agreements(db, path)):
        exported = tmp_path / f"ekspor-p{suffix}"
        export_table(db, "agreements", exported, suffix[1:])
        _no_live_formula(_export_cells(exported))
    db.rollback()


@pytest.fixture
def program(db):
    made = programs.create_program(
        db, None, name="Program uji", funder="apbd", target_type="umkm",
        village_codes=[SEPATIN],
        graduation_criteria=[{"kind": "omzet_minimal", "value": 5_000_000}])
    db.commit()
    return made


UMKM = [["nama_usaha", "nama_pemilik", "desa", "nik_pemilik", "omzet_bulanan"],
        ["Kerupuk Uji", "Rahmah", SEPATIN, "6402040101800001", "3.000.000"]]


@given(change=mutation)
@FUZZ
def test_beneficiary_import(db, tmp_path, program, change):
    for suffix in (".csv", ".xlsx"):
        path = _mutate_table(UMKM, change, suffix, tmp_path / f"umkm{suffix}")
        _refused_cleanly_or_imported(db, lambda p=path: import_beneficiaries(db, program, p))
        db.rollback()


def _json_change(document: object, change: tuple, value: object) -> object:
    """Put `value` at a leaf chosen by the change's numbers (wrong types, huge text, …)."""
    if change[0] != "cell":
        return document
    node, depth = document, change[1] % 5
    for _ in range(depth):
        children = (list(node.values()) if isinstance(node, dict)
                    else node if isinstance(node, list) else [])
        holders = [c for c in children if isinstance(c, dict | list) and c]
        if not holders:
            break
        node = holders[change[2] % len(holders)]
    if isinstance(node, dict) and node:
        node[sorted(node)[change[2] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[change[2] % len(node)] = value
    return document


@given(change=mutation, value=st.sampled_from(BAD_VALUES))
@FUZZ
def test_idm_json_and_table_imports(db, tmp_path, change, value):
    document = _json_change(rumusan("6402042001", 2023, [3] * 50), change, value)
    path = _mutate_bytes(json.dumps(document).encode(), change, tmp_path / "rumusan.json")
    store = tmp_path / "imports"
    _refused_cleanly_or_imported(db, lambda: import_idm_files(db, [path], store_dir=store))
    db.rollback()
    table = write_scores_csv(tmp_path / "skor.csv", [("6402042001", 2023, [3] * 50)])
    rows = list(csv.reader(table.open(encoding="utf-8")))
    for suffix in (".csv", ".xlsx"):
        path = _mutate_table(rows, change, suffix, tmp_path / f"skor-uji{suffix}")
        _refused_cleanly_or_imported(db, lambda p=path: import_idm_files(db, [p],
                                                                         store_dir=store))
        db.rollback()


GEOJSON = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"kode": SEPATIN},
    "geometry": {"type": "Polygon", "coordinates": [[[117.1, -0.6], [117.2, -0.6],
                                                     [117.2, -0.5], [117.1, -0.6]]]}}]}


@given(change=mutation, value=st.sampled_from(BAD_VALUES))
@FUZZ
def test_geojson_import(db, tmp_path, change, value):
    document = _json_change(json.loads(json.dumps(GEOJSON)), change, value)
    path = _mutate_bytes(json.dumps(document).encode(), change, tmp_path / "batas.geojson")
    _refused_cleanly_or_imported(db, lambda: import_geojson(db, path, code_property="kode"))
    db.rollback()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_formula_text_is_kept_as_text_and_exported_escaped(db, tmp_path, suffix):
    rows = [PARTNERS[0], [FORMULAS[0], "csr_swasta", "umkm", "64.02.04", "+62 811 555", "ya"]]
    source = _mutate_table(rows, ("none",), suffix, tmp_path / f"mitra{suffix}")
    assert _refused_cleanly_or_imported(db, lambda: import_partners(db, source))
    exported = tmp_path / f"ekspor{suffix}"
    export_table(db, "partners", exported, suffix[1:])
    cells = _export_cells(exported)
    assert "'" + FORMULAS[0] in cells and "'+62 811 555" in cells
    _no_live_formula(cells)
