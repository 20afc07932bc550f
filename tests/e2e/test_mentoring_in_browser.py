"""A pendamping enrols a household and an UMKM, assesses them, records sessions, moves them
through the stages, is refused graduation until the criteria hold, then graduates them —
on a desktop (1366 px) and on a phone (390 px)."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from mitradesa.accounts import services
from mitradesa.db.session import session_factory
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e
SEPATIN = "64.02.04.2001"
SUNGAI_MERIAM = "64.02.04.2006"
NIK = "6402045203780001"


def png(width: int = 64, height: int = 48) -> bytes:
    """A small orange picture, a real PNG."""
    row = b"\x00" + b"\xe0\x8a\x2c" * width
    data = zlib.compress(row * height)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> Iterator[None]:
    from mitradesa.web.pages import mentoring_people

    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("foto")
        patch.setattr(mentoring_people, "photos_dir", lambda: folder)
        yield


@pytest.fixture(scope="module")
def meriam(live_server) -> str:
    """An operator of Sungai Meriam, a village outside the household program."""
    with session_factory(live_server.engine)() as session:
        services.create_user(session, username="op.meriam", password=PASSWORD,
                             role="operator_desa", scope_codes=[SUNGAI_MERIAM])
        session.commit()
    return "op.meriam"


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


def both(desk: Page, phone: Page, url: str, name: str) -> None:
    """The same page at 1366 and 390 px; the phone must not scroll sideways."""
    desk.goto(url)
    screenshot(desk, f"{name}-1366")
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: the page is {width} px wide on a 390 px phone"
    screenshot(phone, f"{name}-390")


def create_program(page: Page, base: str, name: str, target: str, villages: list[str],
                   fill_criteria) -> str:
    page.goto(f"{base}/pendampingan")
    page.get_by_text("Program baru").click()
    form = page.locator("#program-baru form")
    form.get_by_label("Nama program").fill(name)
    form.get_by_label("Sasaran").select_option(target)
    form.get_by_label("Anggaran (Rp)").fill("250.000.000")
    form.locator("select[name=desa]").select_option(villages)
    fill_criteria(form)
    form.get_by_role("button", name="Buat program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    return page.url


def enrol_new(page: Page, fields: dict[str, str], selects: dict[str, str]) -> str:
    form = page.locator("#daftar-baru")
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    for name, value in selects.items():
        form.locator(f"select[name={name}]").select_option(value)
    form.get_by_role("button", name="Catat dan daftarkan").click()
    expect(page).to_have_url(re.compile(r"/pendampingan/peserta/\d+"))
    return page.url.split("?")[0].split("#")[0]


def assess(page: Page, ticks: list[str]) -> None:
    form = page.locator("#asesmen form")
    for text in ticks:
        form.get_by_label(text).check()
    form.get_by_role("button", name="Simpan asesmen").click()
    expect(page.locator(".alert-ok")).to_contain_text("Asesmen tercatat")


def record_session(page: Page, program_url: str, topic: str) -> None:
    page.goto(program_url)
    page.get_by_text("Catat sesi").click()
    form = page.locator("#sesi form")
    form.get_by_label("Topik").fill(topic)
    form.get_by_role("button", name="Simpan sesi").click()
    expect(page.locator(".alert-ok")).to_contain_text("Sesi dan daftar hadirnya tercatat")
    expect(page.locator("#sesi tbody tr").first).to_contain_text(topic)
    expect(page.locator("#sesi tbody tr").first).to_contain_text("1 / 1")


def move(page: Page, participant: str, stage: str) -> None:
    page.goto(participant)
    form = page.locator("#tahap form")
    form.locator("select[name=tahap]").select_option(stage)
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-ok")).to_contain_text("Tahap sudah diubah")
    expect(page.locator(".stage-path li.current .stage-no")).to_have_text(stage)


def graduate(page: Page) -> None:
    page.locator("#kelulusan").get_by_role("button", name="Luluskan").click()


def measure(page: Page, fields: dict[str, str], welfare: str | None = None) -> None:
    page.get_by_text("Catat pengukuran").click()
    form = page.locator("#hasil form")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    if welfare:
        form.get_by_label("Kelas kesejahteraan").select_option(welfare)
    form.get_by_role("button", name="Simpan pengukuran").click()
    expect(page.locator(".alert-ok")).to_contain_text("Hasil pengukuran tercatat")


def test_household_and_umkm_are_taken_to_graduation(desk, phone, live_server, photos):
    base = live_server.url
    log_in(desk, base, "admin")
    log_in(phone, base, "admin")
    desk.get_by_role("link", name="Pendampingan", exact=True).click()
    expect(desk.get_by_role("heading", name="Pendampingan ekonomi")).to_be_visible()

    # an UMKM program whose graduation needs turnover, a buyer and a PIRT
    def umkm_criteria(form):
        form.get_by_label("Omzet bulanan paling sedikit (Rp)").fill("10.000.000")
        form.get_by_label("Memiliki kontrak pasok dengan pembeli").check()
        form.get_by_label("PIRT").check()

    umkm_program = create_program(desk, base, "Pendampingan UMKM Olahan Pangan Anggana",
                                  "umkm", [SEPATIN, SUNGAI_MERIAM], umkm_criteria)
    business = enrol_new(desk, {"Nama usaha": "Kerupuk Udang Bunda", "Pemilik": "Hj. Rahmah",
                                "NIK pemilik 16 angka; boleh kosong": NIK,
                                "Omzet bulanan (Rp)": "3.000.000", "Tenaga kerja": "2"},
                         {"desa": SEPATIN})
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Kerupuk Udang Bunda")
    assess(desk, ["Sudah berproduksi"])  # producing, but no permit and no buyer yet
    expect(desk.locator(".stage-path li.current .stage-no")).to_have_text("3")

    # a household program whose graduation needs leaving prasejahtera and an income
    def household_criteria(form):
        form.get_by_label("Pendapatan rumah tangga bulanan paling sedikit (Rp)").fill(
            "2.500.000")
        form.get_by_label("Kelas kesejahteraan di atas prasejahtera").check()

    home_program = create_program(desk, base, "Pendampingan Rumah Tangga Prasejahtera Sepatin",
                                  "household", [SEPATIN], household_criteria)
    home = enrol_new(desk, {"Nomor kartu keluarga (KK) 16 angka": "6402040101230001",
                            "Kepala keluarga": "Siti Aminah",
                            "Pendapatan bulanan (Rp)": "1.200.000"},
                     {"desa": SEPATIN, "kelas": "prasejahtera"})
    assess(desk, [])
    expect(desk.locator(".stage-path li.current .stage-no")).to_have_text("2")

    record_session(desk, umkm_program, "Higiene dan keamanan pangan")
    record_session(desk, home_program, "Pembukuan usaha rumah tangga")
    move(desk, business, "4")
    move(desk, home, "3")

    # graduation is refused, naming what is missing
    desk.goto(business)
    graduate(desk)
    refused = desk.locator("#kelulusan-ditolak")
    expect(refused).to_contain_text("omzet bulanan paling sedikit Rp10.000.000")
    expect(refused).to_contain_text("memiliki kontrak pasok dengan pembeli")
    expect(refused).to_contain_text("memiliki legalitas PIRT")
    screenshot(desk, "mentoring-refused-1366")
    phone.goto(business)
    graduate(phone)
    expect(phone.locator("#kelulusan-ditolak")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "mentoring-refused-390")

    # the turnover grows; still refused for the contract and the permit
    desk.goto(business)
    measure(desk, {"Omzet bulanan (Rp)": "12.500.000", "Tenaga kerja": "5"})
    graduate(desk)
    expect(refused).not_to_contain_text("omzet bulanan")
    expect(refused).to_contain_text("memiliki legalitas PIRT")

    # the permit, a photo, a buyer, a contract and a delivery on the UMKM's page
    desk.locator("#data").get_by_role("link", name="Kerupuk Udang Bunda").click()
    umkm_url = desk.url.split("?")[0]
    desk.get_by_text("Legalitas dan data usaha").click()
    desk.locator("#legalitas form").get_by_label("PIRT").fill("2066402010231-30")
    desk.locator("#legalitas form").get_by_role("button", name="Simpan").click()
    expect(desk.locator("#data")).to_contain_text("2066402010231-30")
    desk.locator("#foto input[type=file]").set_input_files(
        files=[{"name": "produk.png", "mimeType": "image/png", "buffer": png()}])
    desk.locator("#foto").get_by_role("button", name="Unggah").click()
    expect(desk.locator("#foto img")).to_have_count(1)
    desk.goto(f"{base}/pendampingan/pembeli")
    desk.get_by_text("Catat pembeli").click()
    buyer = desk.locator("#pembeli-baru form")
    buyer.get_by_label("Nama pembeli").fill("Hotel Tepian Mahakam")
    buyer.get_by_label("Alamat").fill("Tenggarong")
    buyer.get_by_role("button", name="Simpan").click()
    expect(desk.locator("table")).to_contain_text("Hotel Tepian Mahakam")
    desk.goto(umkm_url)
    desk.get_by_text("Kontrak pasok baru").click()
    contract = desk.locator("#kontrak-baru form")
    contract.get_by_label("Pembeli").select_option(label="Hotel Tepian Mahakam")
    contract.get_by_label("Produk").fill("kerupuk udang")
    contract.get_by_label("Harga per satuan (Rp)").fill("90.000")
    contract.get_by_label("Volume per bulan").fill("80")
    contract.get_by_role("button", name="Simpan kontrak").click()
    expect(desk.locator(".alert-ok")).to_contain_text("Kontrak pasok tercatat")
    desk.get_by_text("Catat pengiriman").click()
    delivery = desk.locator("#kontrak article form")
    delivery.get_by_label("Volume (kg)").fill("60")
    delivery.get_by_label("Nilai (Rp)").fill("5.400.000")
    delivery.get_by_role("button", name="Simpan pengiriman").click()
    expect(desk.locator("#kontrak table")).to_contain_text("Rp5.400.000")
    both(desk, phone, umkm_url, "mentoring-umkm")

    # now every criterion holds
    desk.goto(business)
    expect(desk.locator("#kelulusan .checks li.unmet")).to_have_count(0)
    graduate(desk)
    expect(desk.locator(".alert-ok").first).to_contain_text("Lulus: semua kriteria terpenuhi")
    expect(desk.locator("#posisi")).to_contain_text("lulus")
    expect(desk.locator(".stage-path li.current .stage-no")).to_have_text("5")
    both(desk, phone, business, "mentoring-graduated")

    # the household: refused until it rises above prasejahtera with enough income
    desk.goto(home)
    graduate(desk)
    expect(refused).to_contain_text("kelas kesejahteraan di atas prasejahtera")
    expect(refused).to_contain_text("pendapatan rumah tangga bulanan paling sedikit "
                                    "Rp2.500.000")
    measure(desk, {"Pendapatan rumah tangga bulanan (Rp)": "2.800.000"}, welfare="ks1")
    graduate(desk)
    expect(desk.locator("#posisi")).to_contain_text("lulus")
    both(desk, phone, home, "mentoring-household")

    # the dashboards and the story read from the records
    desk.goto(umkm_program)
    expect(desk.locator("#tingkat-lulus")).to_have_text("100%")
    expect(desk.locator("#median-perubahan")).to_have_text("+Rp9.500.000")
    both(desk, phone, umkm_program, "mentoring-program")
    both(desk, phone, f"{umkm_url}/kisah-sukses", "mentoring-story")
    expect(phone.locator("#nilai-kirim")).to_contain_text("Rp5.400.000")
    both(desk, phone, f"{base}/pendampingan", "mentoring-home")

    # a prasejahtera household that no program reaches shows among the gaps
    desk.goto(f"{base}/pendampingan/rumah-tangga")
    desk.get_by_text("Catat rumah tangga").click()
    form = desk.locator("#catat form")
    form.get_by_label("Nomor kartu keluarga (KK) 16 angka").fill("6402040101230009")
    form.get_by_label("Kepala keluarga", exact=True).fill("Darman")
    form.locator("select[name=desa]").select_option(SUNGAI_MERIAM)
    form.get_by_label("Desil P3KE (1 = termiskin)").fill("1")
    form.get_by_role("button", name="Simpan").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Darman")
    both(desk, phone, f"{base}/pendampingan/duplikasi", "mentoring-duplicates")
    expect(phone.locator("#belum-terjangkau")).to_contain_text("Darman")
    expect(phone.locator("#belum-terjangkau")).not_to_contain_text("Siti Aminah")


def test_operator_of_another_village_finds_no_such_program(page, live_server, meriam):
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/pendampingan")
    link = page.locator("#program-list a", has_text="Rumah Tangga Prasejahtera Sepatin")
    expect(link).to_have_count(1)  # made by the journey above
    href = link.get_attribute("href")
    page.context.clear_cookies()
    log_in(page, live_server.url, "op.sepatin")
    assert page.goto(f"{live_server.url}{href}").status == 200  # their own village
    page.context.clear_cookies()
    log_in(page, live_server.url, meriam)
    response = page.goto(f"{live_server.url}{href}")
    # Answered as a program that does not exist: no one can tell which numbers are taken.
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Tidak ditemukan")).to_be_visible()
