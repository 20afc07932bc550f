"""Every table downloads as XLSX and CSV (`?format=xlsx|csv` on the page's own address, or the
plan's CSV link): the same rows as the page with the same filters (every page of them), numbers
as numbers, formula-looking text neutralised, and only what the user may see — an operator or
pendamping gets its own villages, a mitra its own partner, NIK/KK masked for the role."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select, update

from mitradesa.demo.loading import load_demo
from mitradesa.idm_records.models import IdmResult
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.mentoring.models import Household, Program, Umkm
from mitradesa.partnerships import services
from mitradesa.partnerships.models import Agreement, Mou, Partner
from mitradesa.regions.models import Region
from mitradesa.web.table_downloads import Column, Table, csv_bytes, xlsx_bytes
from tests.analysis.planning_fixtures import seed_plan_data
from tests.conftest import SEPATIN, csrf_of, login

EVIL = '=HYPERLINK("http://x","y")'
TODAY = date(2026, 11, 23)
KUKAR = "64.02"
LOA_KULU = "64.02.02"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def demo(db, tmp_path):
    load_demo(db, tmp_path / "demo", TODAY)
    db.commit()
    return db


@pytest.fixture
def users(make_user):
    make_user("admin.dpmd", "admin")
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    make_user("pd.loakulu", "pendamping", [LOA_KULU])
    make_user("pengamat", "viewer")


def as_user(client, username):
    login(client, username)
    return client


def workbook(response):
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == XLSX_TYPE
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def xlsx_rows(response) -> list[list]:
    sheet = workbook(response).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def both(client, url: str) -> tuple[list[list], list[list[str]]]:
    """The XLSX and the CSV of a page's table."""
    join = "&" if "?" in url else "?"
    return (xlsx_rows(client.get(f"{url}{join}format=xlsx")),
            csv_rows(client.get(f"{url}{join}format=csv")))


def every_page(client, url: str, pattern: str, section: str) -> list[str]:
    """What `pattern` finds in the page's table on every page of it (?halaman=…)."""
    found: list[str] = []
    for number in range(1, 50):
        join = "&" if "?" in url else "?"
        page = client.get(f"{url}{join}halaman={number}")
        assert page.status_code == 200
        part = page.text.split(f'id="{section}"')[1].split("</section>")[0]
        rows = re.findall(pattern, part)
        if not rows or (found and rows[0] in found):
            break
        found += rows
    return found


def column(rows: list[list], index: int) -> list:
    return [row[index] for row in rows]


def rename_village(db, code: str) -> None:
    db.execute(update(Region).where(Region.code == code).values(name=EVIL))
    db.commit()


def assert_neutral(xlsx: list[list], csv_: list[list[str]]) -> None:
    assert "'" + EVIL in [v for row in xlsx for v in row], "the test value is not exported"
    assert "'" + EVIL in [v for row in csv_ for v in row]
    assert not [v for row in xlsx for v in row if isinstance(v, str) and v.startswith("=")]
    assert not [v for row in csv_ for v in row if v.startswith("=")]


# ------------------------------------------------------------------ the helper


def test_the_workbook_keeps_numbers_and_dates_typed_and_states_filters_and_demo():
    table = Table(
        name="IDM ranking", slug="peringkat-idm-2024",
        columns=(Column("Village"), Column("IDM", "d4"), Column("Value (Rp)", "rupiah"),
                 Column("Start date", "date"), Column("Active", "flag")),
        rows=[(EVIL, 0.81234, 1_250_000, date(2025, 8, 14), True),
              ("-1+2", None, 0, None, False)],
        region="Kutai Kartanegara", filters=[("Year", 2024), ("Status", "Maju"), ("Kecamatan", "")],
        demo=True)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table, str, datetime(2026, 12, 7, 9))))
    data, notes = book.worksheets
    first = data[2]
    assert [c.value for c in data[1]] == ["Village", "IDM", "Value (Rp)", "Start date", "Active"]
    assert first[0].value == "'" + EVIL and first[0].data_type == "s"
    assert first[1].value == 0.8123 and first[1].data_type == "n"
    assert first[1].number_format == "0.0000"  # Excel in Indonesian shows 0,8123
    assert first[2].value == 1_250_000 and first[2].number_format == '"Rp"#,##0'
    assert first[3].value.date() == date(2025, 8, 14) and first[3].is_date
    assert first[4].value == "yes" and data[3][0].value == "'-1+2"
    stated = {row[0].value: row[1].value for row in notes.iter_rows()}
    assert stated["Year"] == 2024 and stated["Status"] == "Maju"
    assert "Kecamatan" not in stated  # an empty filter is not stated
    assert stated["Note"] == "Data contoh (fiktif)" and stated["Rows"] == 2
    table.rows = [(EVIL, 0.81234, 1_250_000, date(2025, 8, 14), True)]
    text = csv_bytes(table, str).decode("utf-8")
    assert text.startswith("\ufeffVillage,IDM")  # a BOM: Excel reads the accents
    assert f"'{EVIL}" .replace('"', '""') in text and ",0.8123,1250000,2025-08-14,yes" in text


# ------------------------------------------------------------------ rankings


RANKINGS = {
    "idm": (IdmResult, r'<td><a href="/desa/([\d.]+)/idm\?tahun=\d+">', "BERKEMBANG"),
    "indeks-desa": (IndeksDesaResult, r'<td><a href="/desa/([\d.]+)/indeks-desa\?tahun=\d+">',
                    "BERKEMBANG"),
}


@pytest.mark.parametrize("family", RANKINGS)
def test_a_ranking_downloads_every_row_the_page_lists_with_its_filter(
        client, users, demo, family):
    model, pattern, status = RANKINGS[family]
    year = demo.scalar(select(func.max(model.year)))
    as_user(client, "admin.dpmd")
    url = f"/wilayah/{KUKAR}/{family}?tahun={year}"
    on_screen = every_page(client, url, pattern, "peringkat")
    assert len(on_screen) > 50  # more than one page: the download has them all
    xlsx, csv_ = both(client, url)
    assert column(xlsx, 1) == on_screen == column(csv_, 1)
    assert column(xlsx, 0) == list(range(1, len(on_screen) + 1))  # the rank, a number

    filtered = f"{url}&status={status}"
    on_screen = every_page(client, filtered, pattern, "peringkat")
    response = client.get(filtered + "&format=xlsx")
    book = workbook(response)
    assert [r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == on_screen
    assert {r[-1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)} == \
        {status.title()}
    notes = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True)}
    assert notes["Status"] == status.title() and notes["Tahun"] == year
    assert "Data contoh (fiktif)" in notes.values()
    name = response.headers["content-disposition"]
    assert f"peringkat-{family}-{year}-kabupaten-kutai-kartanegara-" in name


def test_the_idm_ranking_keeps_figures_as_numbers_and_neutralises_a_name(client, users, demo):
    year = demo.scalar(select(func.max(IdmResult.year)))
    rename_village(demo, SEPATIN)
    as_user(client, "admin.dpmd")
    url = f"/wilayah/{KUKAR}/idm?tahun={year}"
    xlsx, csv_ = both(client, url)
    assert_neutral(xlsx, csv_)
    sheet = workbook(client.get(url + "&format=xlsx")).worksheets[0]
    idm = [row[7] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and c.number_format == "0.0000" for c in idm)


@pytest.mark.parametrize("family", RANKINGS)
def test_an_operator_and_a_pendamping_get_only_their_villages_in_a_ranking(
        client, users, demo, family):
    url = f"/wilayah/{KUKAR}/{family}"
    as_user(client, "op.sepatin")
    xlsx, csv_ = both(client, url)
    assert column(xlsx, 1) == [SEPATIN] == column(csv_, 1)
    as_user(client, "pd.loakulu")
    xlsx, csv_ = both(client, url)
    assert xlsx and all(code.startswith(LOA_KULU + ".") for code in column(xlsx, 1))
    assert column(csv_, 1) == column(xlsx, 1)
    assert client.get("/wilayah/64.03/idm?format=xlsx").status_code in (403, 404)


# ------------------------------------------------------------------ analysis and quality


def test_targeting_downloads_the_filtered_ordered_rows_of_the_page(client, users, demo):
    year = demo.scalar(select(func.max(IdmResult.year)))
    as_user(client, "admin.dpmd")
    url = (f"/wilayah/{KUKAR}/analisis/sasaran?indeks=idm&tahun={year}"
           f"&kecamatan=Loa+Kulu&urut=nama")
    on_screen = every_page(client, url, r'<a href="/desa/([\d.]+)/idm\?tahun=\d+">', "sasaran")
    assert on_screen
    xlsx, csv_ = both(client, url)
    assert column(xlsx, 0) == on_screen == column(csv_, 0)
    assert set(column(xlsx, 2)) == {"Loa Kulu"}
    assert column(xlsx, 1) == sorted(column(xlsx, 1))  # the page's order: by name
    assert all(isinstance(v, float) for v in column(xlsx, 4))  # the IDM
    as_user(client, "op.sepatin")
    xlsx, _csv = both(client, f"/wilayah/{KUKAR}/analisis/sasaran?indeks=idm&tahun={year}")
    assert column(xlsx, 0) == [SEPATIN]


def test_quality_findings_download_with_the_cause_neutralised_and_in_scope(client, users, demo):
    year = demo.scalar(select(func.max(IdmResult.year)))
    codes = [SEPATIN, "64.02.02.2005", "64.02.02.2006"]
    for code in codes:
        idm = demo.scalar(select(IdmResult.idm).where(IdmResult.village_code == code,
                                                      IdmResult.year == year))
        demo.execute(update(IdmResult).where(
            IdmResult.village_code == code, IdmResult.year == year).values(discrepancy={
                "fields": {"idm": {"published": idm, "computed": round(idm - 0.0076, 4)}},
                "cause": EVIL}))
    demo.commit()
    as_user(client, "admin.dpmd")
    url = f"/wilayah/{KUKAR}/idm/kualitas?tahun={year}"
    on_screen = every_page(client, url, r'<a href="/desa/([\d.]+)/idm\?tahun=\d+#selisih">',
                           "temuan")
    assert sorted(on_screen) == sorted(codes)
    xlsx, csv_ = both(client, url)
    assert column(xlsx, 0) == on_screen == column(csv_, 0)
    assert_neutral(xlsx, csv_)
    indeks_desa = workbook(client.get(url + "&tabel=indeks-desa&format=xlsx")).worksheets[0]
    assert indeks_desa["H1"].value  # the Indeks Desa table's own columns
    as_user(client, "op.sepatin")
    xlsx, csv_ = both(client, f"/wilayah/{KUKAR}/idm/kualitas")
    assert column(xlsx, 0) == [SEPATIN] == column(csv_, 0)


FORM = {"tujuan": "status_up", "tahun": "2023", "apbd": "400.000.000", "dana_desa": "0",
        "biaya_iks": "25.000.000", "biaya_ike": "40.000.000", "biaya_ikl": "60.000.000",
        "mode": "to_five", "mitra": "1", "batas_waktu": "10"}


def test_the_plan_downloads_as_csv_beside_the_workbook_for_planners_only(
        client, make_user, db, tmp_path):
    seed_plan_data(db, tmp_path)
    make_user("dpmd.kukar", "admin", [KUKAR])
    make_user("kecamatan", "pendamping", ["64.02.04"])
    login(client, "dpmd.kukar")
    page = client.post(f"/wilayah/{KUKAR}/rencana", data={**FORM, "csrf_token": csrf_of(client)})
    assert page.status_code == 200, page.text
    link = re.search(r'href="(/wilayah/64\.02/rencana\.csv\?[^"]+)"', page.text).group(1)
    link = link.replace("&amp;", "&")
    rows = csv_rows(client.get(link))
    plan = openpyxl.load_workbook(io.BytesIO(client.get(link.replace(".csv", ".xlsx")).content))
    activities = [r for r in plan["Kegiatan"].iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in rows] == [r[0] for r in activities] and rows
    assert [int(r[5]) for r in rows] == [r[5] for r in activities]  # the cost, in rupiah
    login(client, "kecamatan")
    assert client.get(link).status_code == 403


# ------------------------------------------------------------------ partnerships


def agreement_titles(client, url: str) -> list[str]:
    part = client.get(url).text.split('id="daftar"')[1]
    return re.findall(r'<a href="/kerja-sama/\d+"><strong>(.*?)</strong>', part)


def mitra_user(db, make_user, client, name: str):
    partner = db.scalar(select(Partner).where(Partner.name == name))
    user = make_user("mitra.tambang", "mitra", organisation=partner.name)
    services.add_partner_member(db, None, partner, user)
    db.commit()
    login(client, "mitra.tambang")
    return partner


def test_agreements_download_with_the_dashboards_filters(client, users, demo):
    demo.execute(update(Agreement).where(Agreement.stage == "pelaksanaan").values(title=EVIL))
    demo.commit()
    as_user(client, "admin.dpmd")
    everything = agreement_titles(client, "/kerja-sama")
    xlsx, csv_ = both(client, "/kerja-sama")
    assert len(xlsx) == len(everything) == len(csv_) >= 2
    on_screen = agreement_titles(client, "/kerja-sama?tahap=pelaksanaan")
    xlsx, csv_ = both(client, "/kerja-sama?tahap=pelaksanaan")
    assert len(xlsx) == len(on_screen) == len(csv_) < len(everything)
    assert_neutral(xlsx, csv_)
    assert all(isinstance(v, int) for v in column(xlsx, 5) if v is not None)  # rupiah


def test_a_mitra_downloads_only_its_own_partner_agreements_and_mous(
        client, users, demo, make_user):
    partner = mitra_user(demo, make_user, client, "PT Tambang Mahakam Sejahtera (demo)")
    own = [a.title for a in demo.scalars(select(Agreement)) if partner in a.partners]
    xlsx, csv_ = both(client, "/kerja-sama")
    assert sorted(column(xlsx, 0)) == sorted(own) == sorted(column(csv_, 0))
    assert demo.scalar(select(func.count()).select_from(Agreement)) > len(own)
    xlsx, csv_ = both(client, "/mitra")
    assert column(xlsx, 0) == [partner.name] == column(csv_, 0)
    mous = [m.title for m in demo.scalars(select(Mou)) if partner in m.partners]
    assert column(both(client, "/kerja-sama/mou")[0], 0) == mous


def test_partners_and_mous_download_as_listed_with_names_neutralised(client, users, demo):
    first = demo.scalar(select(func.min(Partner.id)))
    demo.execute(update(Partner).where(Partner.id == first).values(name=EVIL))
    demo.commit()
    as_user(client, "admin.dpmd")
    partners = re.findall(r'<a href="/mitra/\d+"><strong>(.*?)</strong>',
                          client.get("/mitra").text)
    xlsx, csv_ = both(client, "/mitra")
    assert len(xlsx) == len(partners) == len(csv_) >= 3
    assert_neutral(xlsx, csv_)
    mous = re.findall(r'<a href="/kerja-sama/mou/\d+"><strong>(.*?)</strong>',
                      client.get("/kerja-sama/mou").text)
    xlsx, csv_ = both(client, "/kerja-sama/mou")
    assert column(xlsx, 0) == mous == column(csv_, 0)
    assert isinstance(xlsx[0][4], datetime)  # signed on: a date in Excel


# ------------------------------------------------------------------ mentoring


def test_umkm_download_masks_the_nik_for_a_viewer_and_follows_the_search(client, users, demo):
    owners = {u.name: u.owner_nik for u in demo.scalars(select(Umkm))}
    as_user(client, "pengamat")
    xlsx, csv_ = both(client, "/pendampingan/umkm")
    assert sorted(column(xlsx, 0)) == sorted(owners) == sorted(column(csv_, 0))
    assert all(nik.startswith("*" * 12) for nik in column(xlsx, 2) if nik)
    as_user(client, "pd.loakulu")  # a pendamping sees full numbers, in its villages only
    xlsx, _csv = both(client, "/pendampingan/umkm")
    assert xlsx and all(row[3].startswith(LOA_KULU) for row in xlsx)
    assert all(row[2] == owners[row[0]] for row in xlsx)
    as_user(client, "admin.dpmd")
    found = both(client, "/pendampingan/umkm?q=Kerupuk")[0]
    assert column(found, 0) == ["Kerupuk Udang Bunda Sepatin"]


def test_households_download_every_row_not_only_the_first_200_and_masked(client, users, demo):
    demo.add_all([Household(kk_number=f"64020499{n:08d}", head_name=f"Warga Uji {n}",
                            welfare_class="prasejahtera", village_code=SEPATIN)
                  for n in range(205)])
    demo.execute(update(Household).where(Household.head_name == "Warga Uji 0")
                 .values(head_name=EVIL))
    demo.commit()
    total = demo.scalar(select(func.count()).select_from(Household)
                        .where(Household.village_code == SEPATIN))
    as_user(client, "op.sepatin")
    page = client.get("/pendampingan/rumah-tangga").text
    assert page.count('<a href="/pendampingan/rumah-tangga/') == 200  # the page shows 200
    xlsx, csv_ = both(client, "/pendampingan/rumah-tangga")
    assert len(xlsx) == total == len(csv_) > 200
    assert all(kk.startswith("*" * 12) for kk in column(xlsx, 2))
    assert set(column(xlsx, 3)) == {SEPATIN}
    assert_neutral(xlsx, csv_)


def test_groups_buyers_and_participants_download_within_the_users_villages(
        client, users, demo):
    as_user(client, "admin.dpmd")
    page = client.get("/pendampingan/kelompok").text
    xlsx, csv_ = both(client, "/pendampingan/kelompok")
    assert len(xlsx) == page.count('<a href="/pendampingan/kelompok/') == len(csv_) > 0
    buyers = both(client, "/pendampingan/pembeli")[0]
    assert column(buyers, 0) == ["Hotel Tepian Mahakam (demo)"]
    assert isinstance(buyers[0][5], int)  # the delivered value, in rupiah
    program = demo.scalar(select(Program).where(Program.target_type == "umkm"))
    url = f"/pendampingan/program/{program.id}"
    everyone = both(client, url)[0]
    assert len(everyone) == client.get(url).text.count('<a href="/pendampingan/peserta/')
    as_user(client, "op.sepatin")
    xlsx, csv_ = both(client, url)
    assert set(column(xlsx, 4)) == {SEPATIN} and len(xlsx) < len(everyone)
    assert all(nik.startswith("*" * 12) for nik in column(xlsx, 2) if nik)
    assert column(csv_, 0) == column(xlsx, 0)
    assert both(client, "/pendampingan/kelompok")[0] == []  # no group in Sepatin


def test_a_mitra_gets_no_mentoring_download(client, users, demo, make_user):
    mitra_user(demo, make_user, client, "PT Tambang Mahakam Sejahtera (demo)")
    for url in ("/pendampingan/umkm", "/pendampingan/rumah-tangga", "/pendampingan/pembeli"):
        page = client.get(url)
        download = client.get(url + "?format=csv")
        assert download.status_code == page.status_code == 403
        assert "text/csv" not in download.headers["content-type"]


def test_every_listed_page_shows_the_two_download_links_with_its_query(client, users, demo):
    as_user(client, "admin.dpmd")
    year = demo.scalar(select(func.max(IdmResult.year)))
    page = client.get(f"/wilayah/{KUKAR}/idm?tahun={year}&status=MAJU&halaman=2").text
    assert f'href="/wilayah/{KUKAR}/idm?tahun={year}&amp;status=MAJU&amp;format=xlsx"' in page
    assert f'href="/wilayah/{KUKAR}/idm?tahun={year}&amp;status=MAJU&amp;format=csv"' in page
    for url in (f"/wilayah/{KUKAR}/indeks-desa", f"/wilayah/{KUKAR}/analisis/sasaran",
                f"/wilayah/{KUKAR}/analisis/ketahanan",
                "/kerja-sama", "/mitra", "/kerja-sama/mou", "/pendampingan/umkm",
                "/pendampingan/rumah-tangga", "/pendampingan/kelompok", "/pendampingan/pembeli",
                f"/pendampingan/program/{demo.scalar(select(func.min(Program.id)))}"):
        text = client.get(url).text
        assert "format=xlsx" in text and "format=csv" in text, url


def test_robustness_downloads_every_village_fragile_first_with_shares_as_numbers(
        client, users, demo):
    year = demo.scalar(select(func.max(IdmResult.year)))
    as_user(client, "admin.dpmd")
    url = f"/wilayah/{KUKAR}/analisis/ketahanan?indeks=idm&tahun={year}"
    on_screen = every_page(client, url, r'<a href="/desa/([\d.]+)/idm\?tahun=\d+">',
                           "robustness")
    xlsx, csv_ = both(client, url)
    assert column(xlsx, 0) == on_screen == column(csv_, 0) and len(on_screen) > 50
    assert all(0 <= share <= 1 for share in column(xlsx, 5))  # a share, shown as 54,8%
    as_user(client, "op.sepatin")
    assert column(both(client, url)[0], 0) == [SEPATIN]
