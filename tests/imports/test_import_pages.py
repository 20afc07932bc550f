"""The /impor pages for each role: upload → preview with every problem and its row → confirm
→ result; templates and problem reports to download; bad, too large and formula files; a
token of another user. Runs the real app on the test database (the import job runs inside
the request there, as tests share one connection)."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from mitradesa.idm_records.models import IdmResult
from mitradesa.imports import staging
from mitradesa.partnerships.models import Partner
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, csrf_of, login
from tests.idm_records.fixtures import scores_for, write_scores_csv
from tests.imports.helpers import csv_bytes

ROLES = {"admin": [], "pendamping": ["64.02.04"], "operator_desa": [SEPATIN], "mitra": [],
         "viewer": []}
PLAIN = {SEPATIN: "6402042001", SUNGAI_MERIAM: "6402042006", LOH_SUMBER: "6402022005"}


@pytest.fixture
def as_role(client, make_user):
    def become(role: str):
        extra = {"organisation": "PT Mitra Uji"} if role == "mitra" else {}
        make_user(f"{role}.uji", role, scope=ROLES[role], **extra)
        login(client, f"{role}.uji")
        client.cookies.set("mitradesa_lang", "en")
        return client

    return become


def upload(client, kind: str, name: str, content: bytes, **fields):
    return client.post("/impor", data={"jenis": kind, "csrf_token": csrf_of(client), **fields},
                       files={"berkas": (name, content, "application/octet-stream")},
                       follow_redirects=False)


def idm_file(tmp_path, rows) -> bytes:
    return write_scores_csv(tmp_path / "idm.csv", rows).read_bytes()


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(IdmResult))


@pytest.mark.parametrize("role", ["operator_desa", "mitra", "viewer"])
def test_other_roles_are_refused_every_import_route(as_role, role, tmp_path):
    client = as_role(role)
    assert client.get("/impor").status_code == 403
    assert client.get("/impor/templat/idm.xlsx").status_code == 403
    content = idm_file(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1))])
    assert upload(client, "idm", "idm.csv", content).status_code == 403


@pytest.mark.parametrize("role", ["admin", "pendamping"])
def test_staff_see_the_form_and_download_every_template(as_role, role):
    client = as_role(role)
    page = client.get("/impor")
    assert page.status_code == 200
    for key in ("idm", "indeks-desa", "mitra", "perjanjian", "peserta-rumah-tangga",
                "peserta-umkm"):
        assert f"/impor/templat/{key}.xlsx" in page.text
        response = client.get(f"/impor/templat/{key}.xlsx")
        assert response.status_code == 200
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
        rows = sheet.to_python()
        assert len(rows) == 2 and all(rows[0])  # the header row and one example row
    idm = CalamineWorkbook.from_filelike(io.BytesIO(
        client.get("/impor/templat/idm.xlsx").content)).get_sheet_by_index(0).to_python()
    assert idm[0][:3] == ["kode_desa", "nama_desa", "tahun"] and len(idm[0]) == 53
    if role == "pendamping":  # the example is a village of the user's own scope
        assert str(idm[1][0]).startswith("640204")


def test_admin_uploads_previews_confirms_and_sees_the_result(as_role, db, tmp_path):
    client = as_role("admin")
    content = idm_file(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1)),
                                  (PLAIN[SUNGAI_MERIAM], 2023, scores_for(2))])
    response = upload(client, "idm", "idm 2023.csv", content, tahun="2023")
    assert response.status_code == 303
    preview = client.get(response.headers["location"])
    assert preview.status_code == 200
    assert 'id="jumlah-baru">2<' in preview.text and "Sepatin, 2023" in preview.text
    assert 'id="konfirmasi"' in preview.text
    assert count(db) == 0
    token = response.headers["location"].rsplit("/", 1)[1]
    done = client.post(f"/impor/{token}/simpan", data={"csrf_token": csrf_of(client)})
    assert done.status_code == 200 and done.url.path == f"/impor/{token}/hasil"
    assert "2 new and 0 changed records saved" in done.text, done.text[-3000:]
    assert f'href="/desa/{SEPATIN}/idm"' in done.text and 'href="/wilayah/64.02/idm"' in done.text
    assert count(db) == 2
    # confirming twice does not import twice; the preview now leads to the result
    again = client.post(f"/impor/{token}/simpan", data={"csrf_token": csrf_of(client)})
    assert again.status_code == 200 and count(db) == 2
    assert client.get(f"/impor/{token}", follow_redirects=False).status_code == 303
    assert "saved" in client.get(f"/impor/{token}/kemajuan").text


def test_problems_listed_with_rows_downloadable_and_no_confirm(as_role, db, tmp_path):
    client = as_role("pendamping")
    bad = scores_for(2)
    bad[0] = 7
    content = idm_file(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1)),
                                  (PLAIN[SUNGAI_MERIAM], 2023, bad),
                                  (PLAIN[LOH_SUMBER], 2023, scores_for(3))])
    location = upload(client, "idm", "idm.csv", content).headers["location"]
    preview = client.get(location)
    assert "row 3" in preview.text and "di luar 0–5" in preview.text
    assert "row 4" in preview.text and "Loh Sumber" in preview.text
    assert "di luar wilayah kerja Anda" in preview.text
    assert 'id="konfirmasi"' not in preview.text
    token = location.rsplit("/", 1)[1]
    refused = client.post(f"/impor/{token}/simpan", data={"csrf_token": csrf_of(client)})
    assert refused.status_code == 400 and count(db) == 0
    report = client.get(f"/impor/{token}/masalah.csv")
    assert report.status_code == 200 and report.text.splitlines()[0] == "berkas,baris,masalah"
    assert len(report.text.strip().splitlines()) == 3
    workbook = client.get(f"/impor/{token}/masalah.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(workbook.content)).get_sheet_by_index(
        0).to_python()
    assert [row[1] for row in rows[1:]] == [3, 4]


def test_another_users_upload_is_not_found(client, make_user, tmp_path):
    make_user("admin.a", "admin")
    make_user("admin.b", "admin")
    login(client, "admin.a")
    content = idm_file(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1))])
    location = upload(client, "idm", "idm.csv", content).headers["location"]
    token = location.rsplit("/", 1)[1]
    login(client, "admin.b")
    assert client.get(location).status_code == 404
    assert client.get(f"/impor/{token}/masalah.csv").status_code == 404
    assert client.post(f"/impor/{token}/simpan",
                       data={"csrf_token": csrf_of(client)}).status_code == 404
    assert client.get("/impor/bukan-token/hasil").status_code == 404


def test_a_bad_file_and_a_too_large_file_are_refused_on_the_form(as_role, monkeypatch):
    client = as_role("admin")
    pdf = upload(client, "idm", "idm.csv", b"%PDF-1.7 not a table")
    assert pdf.status_code == 400 and "XLSX atau CSV" in pdf.text
    assert 'value="idm" checked' in pdf.text  # the form comes back as filled
    broken = upload(client, "mitra", "mitra.xlsx", b"PK\x03\x04 broken zip")
    assert broken.status_code == 400 and "rusak" in broken.text
    monkeypatch.setattr(staging, "MAX_BYTES", 1000)
    big = upload(client, "mitra", "mitra.csv", b"nama,jenis\n" + b"x" * 2000)
    assert big.status_code == 413 and "terlalu besar" in big.text
    nothing = client.post("/impor", data={"jenis": "idm", "csrf_token": csrf_of(client)})
    assert nothing.status_code == 400 and "Choose a file" in nothing.text
    no_csrf = client.post("/impor", data={"jenis": "idm"},
                          files={"berkas": ("a.csv", b"a,b\n", "text/csv")})
    assert no_csrf.status_code == 403


def test_a_csv_with_formula_cells_is_read_as_text_and_reported_neutralised(as_role, db):
    client = as_role("admin")
    content = csv_bytes(["nama", "jenis"], [['=HYPERLINK("http://x.invalid","klik")',
                                             "csr_swasta"], ["PT Baik", "=1+2"]])
    location = upload(client, "mitra", "mitra.csv", content).headers["location"]
    preview = client.get(location)
    assert "row 3" in preview.text and "=1+2" in preview.text
    assert "<a href=\"http://x.invalid" not in preview.text
    token = location.rsplit("/", 1)[1]
    report = client.get(f"/impor/{token}/masalah.csv").text
    cells = [cell for line in report.splitlines() for cell in line.split(",")]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    # fixed: the formula-looking name is kept as text, never run
    fixed = csv_bytes(["nama", "jenis"], [['=HYPERLINK("http://x.invalid","klik")',
                                           "csr_swasta"]])
    token = upload(client, "mitra", "mitra.csv", fixed).headers["location"].rsplit("/", 1)[1]
    client.post(f"/impor/{token}/simpan", data={"csrf_token": csrf_of(client)})
    assert db.scalars(select(Partner.name)).all() == ['=HYPERLINK("http://x.invalid","klik")']


def test_pendamping_imports_rows_of_its_own_villages(as_role, db, tmp_path):
    client = as_role("pendamping")
    content = idm_file(tmp_path, [(PLAIN[SEPATIN], 2023, scores_for(1))])
    location = upload(client, "idm", "idm.csv", content).headers["location"]
    assert 'id="konfirmasi"' in client.get(location).text
    token = location.rsplit("/", 1)[1]
    done = client.post(f"/impor/{token}/simpan", data={"csrf_token": csrf_of(client)})
    assert done.status_code == 200 and count(db) == 1
    assert client.get("/impor/templat/tidak-ada.xlsx").status_code == 404
