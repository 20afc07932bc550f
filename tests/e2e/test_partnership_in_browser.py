"""A DPMD officer walks one village agreement from persiapan to evaluasi (and selesai) through
the pages: records the partner, creates the agreement, is refused a step while a required
document is missing and sees which, uploads the PDFs, fills in the content, adds a commitment
and a report, records the evaluation. A mitra of another partner cannot see it. The pages
are looked at on a desktop (1366 px) and a phone (390 px)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from mitradesa.accounts import services as accounts
from mitradesa.db.session import session_factory
from mitradesa.demo.pdf import simple_pdf
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.partnerships import services
from mitradesa.partnerships.lifecycle import REQUIRED_DOCUMENTS
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in, screenshot
from tests.idm_records.fixtures import scores_for, write_scores_csv
from tests.partnerships.fixtures import CONTENT, walk_to

pytestmark = pytest.mark.e2e
SEPATIN = "64.02.04.2001"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TITLE = "Penguatan UMKM Sepatin"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def partnership_server(live_server, tmp_path_factory) -> Iterator:
    """Uploads kept in a throw-away folder; another partner with its own mitra account."""
    from mitradesa.web.pages import partnerships as pages

    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("dokumen")
        patch.setattr(pages, "documents_dir", lambda: folder)
        with session_factory(live_server.engine)() as session:
            other = services.create_partner(session, None, name="Yayasan Lain",
                                            kind="yayasan_lsm", sectors=["pendidikan"])
            user = accounts.create_user(session, username="mitra.lain", role="mitra",
                                        password=PASSWORD, organisation="Yayasan Lain")
            services.add_partner_member(session, None, other, user)
            session.commit()
        live_server.store = folder
        yield live_server


def open_tab(browser: Browser, viewport: dict) -> Page:
    context = browser.new_context(viewport=viewport, locale="id-ID")
    return context.new_page()


def upload(page: Page, kind: str, count: int, content: bytes | None = None,
           name: str = "") -> None:
    form = page.locator("#unggah")
    form.locator("select[name=jenis]").select_option(kind)
    form.locator("input[name=berkas]").set_input_files(files=[{
        "name": name or f"{kind}.pdf", "mimeType": "application/pdf",
        "buffer": content or simple_pdf([kind, TITLE]),
    }])
    form.get_by_role("button", name="Unggah").click()
    expect(page.locator("#dokumen h2")).to_contain_text(f"({count})")


def advance(page: Page, stage: str, label: str) -> None:
    page.locator(f"#langkah-{stage}").get_by_role("button").click()
    expect(page.locator(".page-head .stage")).to_have_text(label)


def test_one_agreement_walks_from_persiapan_to_evaluasi_through_the_pages(
    browser, partnership_server
):
    server = partnership_server
    page = open_tab(browser, DESKTOP)
    log_in(page, server.url, "admin")

    # the partner
    page.goto(f"{server.url}/kerja-sama")
    page.get_by_role("link", name="Mitra", exact=True).click()
    page.get_by_role("link", name="Catat mitra").click()
    page.fill("input[name=nama]", "PT Tambang Contoh")
    page.select_option("select[name=jenis]", "csr_swasta")
    page.get_by_label("UMKM").check()
    page.get_by_label("Pertanian").check()
    kecamatan = page.locator("details.kec-pick", has_text="Kecamatan")
    kecamatan.locator("summary").click()
    kecamatan.get_by_label("Anggana", exact=True).check()
    page.fill("input[name=kontak_nama]", "Bu Sari")
    page.get_by_role("button", name="Simpan mitra").click()
    expect(page.get_by_role("heading", name="PT Tambang Contoh")).to_be_visible()

    # the agreement, from the dashboard
    page.goto(f"{server.url}/kerja-sama")
    page.get_by_role("link", name="Perjanjian baru").click()
    page.fill("input[name=judul]", TITLE)
    page.get_by_label("PT Tambang Contoh").check()
    page.locator("fieldset", has_text="Lingkup").get_by_label("UMKM").check()
    page.locator("details.kec-pick summary", has_text="Anggana").click()
    page.get_by_label("Sepatin", exact=True).check()
    screenshot(page, f"partnership-new-{server.backend}")
    page.get_by_role("button", name="Buat perjanjian").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    agreement_url = page.url.split("?")[0]
    agreement_id = int(agreement_url.rsplit("/", 1)[1])

    # refused while a document is missing, and told which
    for count, kind in enumerate(REQUIRED_DOCUMENTS["penawaran"][:3], 1):
        upload(page, kind, count)
    page.locator("#langkah-penawaran").get_by_role("button").click()
    alert = page.locator("#langkah-penawaran [role=alert]")
    expect(alert).to_contain_text("Belum dapat masuk tahap Penawaran")
    expect(alert).to_contain_text("Kerangka Acuan Kerja (KAK)")
    expect(alert).not_to_contain_text("Musyawarah Desa")
    expect(page.locator(".page-head .stage")).to_have_text("Persiapan")
    screenshot(page, f"partnership-refused-{server.backend}")

    upload(page, "kak", 4)
    advance(page, "penawaran", "Penawaran")
    upload(page, "surat_penawaran", 5)
    advance(page, "penyusunan", "Penyusunan perjanjian")

    # the minimum content, through the edit form
    page.get_by_role("link", name="Ubah isi").first.click()
    for key in ("ruang_lingkup", "bidang", "tata_cara_pelaksanaan", "hak_kewajiban",
                "pendanaan", "tata_cara_perubahan", "penyelesaian_perselisihan"):
        page.fill(f"textarea[name={key}]", CONTENT[key])
    page.fill("input[name=nilai]", "750.000.000")
    page.fill("input[name=mulai]", "2025-09-01")
    page.fill("input[name=selesai]", "2027-08-31")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator("#nilai-rupiah")).to_have_text("Rp750.000.000")
    expect(page.locator("#isi .missing-item")).to_have_count(0)
    upload(page, "draf_perjanjian", 6)
    advance(page, "penandatanganan", "Penandatanganan")

    # signed: the date, the signed text and a commitment
    page.get_by_role("link", name="Ubah isi").first.click()
    expect(page.locator("textarea[name=ruang_lingkup]")).to_have_count(0)  # locked
    page.fill("input[name=tanda_tangan]", "2025-08-20")
    page.get_by_role("button", name="Simpan perubahan").click()
    upload(page, "perjanjian_ditandatangani", 7)
    page.locator("#komitmen summary", has_text="Tambah komitmen").click()
    page.fill("input[name=kegiatan]", "Pelatihan pemasaran daring")
    page.fill("input[name=anggaran]", "150.000.000")
    page.fill("input[name=indikator]", "IKE 7, IKE 9")
    page.get_by_role("button", name="Tambahkan komitmen").click()
    expect(page.locator("#komitmen h2")).to_contain_text("(1)")
    expect(page.locator("#komitmen")).to_contain_text("IKE 7")
    advance(page, "pelaksanaan", "Pelaksanaan")

    # a progress report with its evidence
    page.locator("#laporan summary", has_text="Tambah laporan kemajuan").click()
    page.fill("input[name=tanggal]", "2025-12-01")
    page.fill("input[name=realisasi]", "40.000.000")
    page.fill("input[name=kemajuan]", "30")
    page.fill("textarea[name=ringkasan]", "Pelatihan angkatan pertama, 25 pelaku UMKM")
    page.locator("input[name=bukti]").set_input_files(files=[{
        "name": "foto-pelatihan.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="Tambahkan laporan").click()
    expect(page.locator("#laporan h2")).to_contain_text("(1)")
    expect(page.locator("#laporan")).to_contain_text("foto-pelatihan.png")
    advance(page, "evaluasi", "Evaluasi")

    # the evaluation, then closing
    page.fill("#evaluasi input[name=tanggal]", "2027-09-01")
    page.select_option("#evaluasi select[name=nilai]", "4")
    page.fill("#evaluasi textarea[name=ringkasan]", "Omzet peserta naik; pemasaran daring jalan")
    page.get_by_role("button", name="Simpan evaluasi").click()
    expect(page.locator("#evaluasi")).to_contain_text("4/5")
    screenshot(page, f"partnership-agreement-{server.backend}")
    # closing before the end date with 40 of 150 million spent: a reason and a confirmation
    closing = page.locator("#langkah-selesai")
    expect(closing).to_contain_text("alasan penutupan sebelum tanggal selesai 31 Agustus 2027")
    closing.locator("textarea[name=catatan]").fill("Pelatihan tuntas lebih awal")
    closing.get_by_label("Saya yakin: langkah ini tidak dapat dibatalkan.").check()
    advance(page, "selesai", "Selesai")
    expect(page.locator("#riwayat li")).to_have_count(7)  # created + 6 steps

    # a document downloads for who may see the agreement
    link = page.locator("#daftar-dokumen a", has_text="kak.pdf")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "kak.pdf"
    document_href = link.get_attribute("href")

    page.goto(f"{server.url}/kerja-sama")
    expect(page.locator("#perjanjian")).to_contain_text(TITLE)
    screenshot(page, f"partnership-dashboard-{server.backend}")
    page.context.close()

    # a mitra of another partner neither finds nor opens it
    other = open_tab(browser, DESKTOP)
    log_in(other, server.url, "mitra.lain")
    other.goto(f"{server.url}/kerja-sama")
    expect(other.get_by_role("heading", name="Kerja sama desa")).to_be_visible()
    expect(other.locator("#daftar")).not_to_contain_text(TITLE)
    # not theirs answers as if it did not exist
    response = other.goto(f"{server.url}/kerja-sama/{agreement_id}")
    assert response is not None and response.status == 404
    expect(other.get_by_role("heading", name="Tidak ditemukan")).to_be_visible()
    response = other.goto(f"{server.url}{document_href}")
    assert response is not None and response.status == 404
    screenshot(other, f"partnership-mitra-refused-{server.backend}")
    other.context.close()


@pytest.fixture(scope="module")
def seeded(partnership_server, tmp_path_factory):
    """An agreement in execution made by the services, and IDM scores of a few Anggana
    villages so that matching has something to show, for the phone and desktop looks."""
    folder = tmp_path_factory.mktemp("idm")
    rows = [(f"64020420{n:02d}", 2024, scores_for(n)) for n in range(1, 9)]
    with session_factory(partnership_server.engine)() as session:
        import_idm_files(session, [write_scores_csv(folder / "skor.csv", rows)],
                         store_dir=folder / "disimpan")
        partner = services.create_partner(session, None, name="BAZNAS Uji",
                                          kind="baznas_filantropi", sectors=["umkm"],
                                          area_codes=["64.02.04"])
        deal = services.create_agreement(
            session, None, title="Zakat produktif untuk UMKM Anggana dan sekitarnya",
            partner_ids=[partner.id], village_codes=[SEPATIN, "64.02.04.2006"],
            scope=["umkm", "pendampingan_usaha"], demo=True, number="PKS/012/DPMD/2025",
            **CONTENT)
        walk_to(session, deal, "pelaksanaan", partnership_server.store)
        session.commit()
        return partnership_server, deal.id, partner.id


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_partnership_pages_read_well_on_desktop_and_phone(browser, seeded, viewport):
    server, agreement_id, partner_id = seeded
    tab = open_tab(browser, viewport)
    log_in(tab, server.url, "admin")
    size = viewport["width"]
    for path, name in [(f"/kerja-sama/{agreement_id}", "agreement"), ("/kerja-sama", "dashboard"),
                       (f"/mitra/{partner_id}", "partner"), (f"/desa/{SEPATIN}", "village"),
                       (f"/desa/{SEPATIN}/mitra-cocok", "village-matches")]:
        tab.goto(server.url + path)
        expect(tab.locator("main")).to_be_visible()
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= size, f"{path} scrolls sideways at {size} px ({width})"
        screenshot(tab, f"partnership-{name}-{size}-{server.backend}")
    tab.goto(f"{server.url}/mitra/{partner_id}")
    expect(tab.locator("#desa-cocok .match").first).to_contain_text("di wilayah kerja mitra")
    tab.goto(f"{server.url}/kerja-sama/{agreement_id}")
    expect(tab.locator(".badge-demo").first).to_have_text(re.compile("DEMO"))
    expect(tab.locator("#langkah-evaluasi")).to_contain_text("sedikitnya satu laporan kemajuan")
    tab.context.close()
