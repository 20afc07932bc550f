"""Uploads are judged by their content: a name that claims another type is refused, Office
files must have their structure and a bounded unpacked size (a zip bomb is refused before it
is stored), long names keep their extension, and a size refusal states the real size."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from mitradesa.io import uploads
from mitradesa.io.exports import write_xlsx
from mitradesa.partnerships import documents
from mitradesa.partnerships.errors import PartnershipError
from mitradesa.web.api import partnerships as partnerships_api
from tests.conftest import csrf_of, login
from tests.partnerships.fixtures import PDF, agreement, partner

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/{part}" ContentType="application/'
    'vnd.openxmlformats-officedocument.{kind}+xml"/></Types>')


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            part="word/document.xml", kind="wordprocessingml.document.main"))
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes(tmp_path) -> bytes:
    write_xlsx(tmp_path / "t.xlsx", ["nama"], [["Desa Sepatin"]])
    return (tmp_path / "t.xlsx").read_bytes()


def zip_bomb(unpacked: int = 1 << 30) -> bytes:
    """A workbook-shaped zip of `unpacked` bytes of spaces (about 1 MB on disk for 1 GiB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            part="xl/workbook.xml", kind="spreadsheetml.sheet.main"))
        archive.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b" " * (8 << 20)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(unpacked // len(chunk)):
                sheet.write(chunk)
    return buffer.getvalue()


def refused(content: bytes, name: str, folder) -> PartnershipError:
    with pytest.raises(PartnershipError) as caught:
        documents.store(content, name, folder)
    return caught.value


def test_a_pdf_named_docx_is_refused_and_names_its_real_type(tmp_path):
    error = refused(PDF, "Berita acara.docx", tmp_path)
    assert error.reason == "upload_mismatch"
    assert "isinya PDF, bukan DOCX" in error.message and "Berita acara.pdf" in error.message
    assert not any(tmp_path.iterdir())


def test_the_stored_file_takes_the_extension_of_the_detected_type(tmp_path):
    stored = documents.store(PDF, "scan-berita-acara", tmp_path)
    assert stored.filename == "scan-berita-acara.pdf" and stored.path.suffix == ".pdf"
    dotted = documents.store(PDF + b"v1.2", "Laporan v1.2 final", tmp_path)
    assert dotted.filename == "Laporan v1.2 final.pdf"
    jpeg = documents.store(b"\xff\xd8\xff\xe0" + b"\x00" * 20, "foto.JPEG", tmp_path)
    assert jpeg.filename == "foto.JPEG" and jpeg.path.suffix == ".jpg"


def test_real_office_files_are_recognised_by_their_structure(tmp_path):
    workbook = documents.store(xlsx_bytes(tmp_path), "anggaran.xlsx", tmp_path / "s")
    assert workbook.content_type == uploads.XLSX.content_type
    word = documents.store(docx_bytes(), "kak.docx", tmp_path / "s")
    assert word.content_type == uploads.DOCX.content_type and word.path.suffix == ".docx"
    # a Word file named .xlsx is refused, not stored as a workbook
    assert refused(docx_bytes(), "kak.xlsx", tmp_path / "s").reason == "upload_mismatch"


def test_a_zip_that_is_no_office_file_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", b"MZ" * 100)
    assert refused(buffer.getvalue(), "laporan.xlsx", tmp_path).reason == "upload_damaged"
    assert refused(b"PK\x03\x04 broken", "laporan.docx", tmp_path).reason == "upload_damaged"


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_stored(tmp_path):
    bomb = zip_bomb()
    assert len(bomb) < documents.MAX_BYTES  # small on disk, 1 GiB unpacked
    error = refused(bomb, "laporan.xlsx", tmp_path)
    assert error.reason == "upload_unpacked_too_large"
    assert "1.024,0 MB" in error.message and "100,0 MB" in error.message
    assert not any(tmp_path.iterdir())


def test_a_long_name_is_shortened_but_keeps_its_extension(tmp_path):
    stored = documents.store(PDF, "Laporan " * 60 + ".pdf", tmp_path)
    assert len(stored.filename) <= uploads.MAX_NAME and stored.filename.endswith(".pdf")
    assert uploads.safe_filename("../../" + "x" * 300 + ".docx").endswith("x.docx")


def test_the_size_refusal_states_the_real_size(tmp_path):
    error = refused(PDF + b"0" * (25 * 1024 * 1024 + 300_000), "besar.pdf", tmp_path)
    assert error.reason == "upload_too_large"
    assert "(25,3 MB)" in error.message and "batasnya 20,0 MB" in error.message


def test_the_api_states_the_real_size_of_a_refused_upload(client, make_user, db, tmp_path,
                                                          monkeypatch):
    monkeypatch.setattr(partnerships_api, "documents_dir", lambda: tmp_path)
    deal = agreement(db, [partner(db)])
    db.commit()
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    answer = client.post(f"/api/v1/agreements/{deal.id}/documents",
                         headers={"X-CSRF-Token": csrf_of(client)}, data={"jenis": "kak"},
                         files={"berkas": ("kak.pdf", PDF + b"0" * (22 * 1024 * 1024),
                                           "application/pdf")})
    assert answer.status_code == 400
    assert answer.json()["error"]["reason"] == "upload_too_large"
    assert "(22,0 MB)" in answer.json()["error"]["message"]


def test_the_photo_page_states_the_real_size_of_a_refused_photo(client, make_user, db,
                                                                tmp_path, monkeypatch):
    from mitradesa.demo.loading import load_demo
    from mitradesa.mentoring.models import Umkm
    from mitradesa.web.pages import mentoring_people

    load_demo(db, tmp_path / "demo", date(2026, 11, 23))
    umkm = db.query(Umkm).first()
    db.commit()
    monkeypatch.setattr(mentoring_people, "photos_dir", lambda: tmp_path / "foto")
    make_user("admin.dpmd", "admin")
    login(client, "admin.dpmd")
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (12 * 1024 * 1024)
    answer = client.post(f"/pendampingan/umkm/{umkm.id}/foto",
                         data={"csrf_token": csrf_of(client)},
                         files={"foto": ("produk.png", big, "image/png")})
    assert answer.status_code == 400
    assert "(12,0 MB)" in answer.text and "10,0 MB" in answer.text
