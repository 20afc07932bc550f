"""Plain words and one way of writing figures: with the demo data loaded, each role walks its
pages in Indonesian and no visible text shows a raw code (a snake_case value of a
vocabulary, `system`), an ISO date (2025-08-14) or a dot decimal (0.8102); the English
interface names stages, partner kinds and sectors in English.

Visible text is the page's text nodes outside <script>, <style>, <template>, <code>, <pre>,
<kbd>, <samp> and <textarea>; attribute values (input values, links, data-*) are not read.
Region codes (64.02.04.2001, 64.02.03.2007.P01) are codes, not decimals."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from mitradesa.demo.loading import load_demo
from mitradesa.mentoring import vocab as mentoring_vocab
from mitradesa.mentoring.models import Program, Umkm
from mitradesa.partnerships import services as partnerships
from mitradesa.partnerships import vocab
from mitradesa.partnerships.models import Agreement, Partner
from tests.conftest import login

SEPATIN = "64.02.04.2001"
REGENCY = "64.02"
HIDDEN = {"script", "style", "template", "code", "pre", "kbd", "samp", "textarea"}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NUMBER = re.compile(r"(?<![\w.,])\d[\d.,]*\d(?![\w])")
REGION_CODE = re.compile(r"\d{2}(\.\d{2}){1,2}(\.\d{4}(\.P\d{2})?)?")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def enum_codes() -> set[str]:
    """Every stored code of the fixed vocabularies that a page might print raw."""
    codes: set[str] = {"system"}
    for table in (vocab.PARTNER_KINDS, vocab.SECTORS, vocab.DOCUMENT_KINDS, vocab.STAGES,
                  vocab.REPORT_STATUSES, vocab.MINIMUM_CONTENT, mentoring_vocab.FUNDERS,
                  mentoring_vocab.LEAVE_REASONS, mentoring_vocab.BUYER_KINDS,
                  mentoring_vocab.WELFARE_CLASSES, mentoring_vocab.TARGET_TYPES):
        codes |= {key for key in table if "_" in key}
    return codes | {"status_up", "bottom20", "total_gain", "to_five", "stacked_steps",
                    "next_level", "indeks_desa"}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def dot_decimal(token: str) -> bool:
    """0.8102, 86.93, 1,234.5: a decimal point the Indonesian way would be a comma. Grouped
    thousands (1.250.000) and region codes are not decimals."""
    if "." not in token or REGION_CODE.fullmatch(token):
        return False
    if "," in token:  # 1,234.56 (en) — on an Indonesian page "1.234,56" has the comma last
        return token.rfind(".") > token.rfind(",")
    groups = token.split(".")
    if len(groups) > 2:  # 1.250.000, or a decree's or a version's number (300.2.2)
        return False
    whole, part = groups
    return whole == "0" or len(part) != 3 or len(whole) > 3


FILE_NAME = re.compile(r"\S+\.(?:pdf|jpe?g|png|xlsx|xls|csv|docx?|geojson|json)\b", re.I)


def problems_on(html: str, codes: set[str]) -> list[str]:
    found = []
    for text in visible_text(html):
        text = FILE_NAME.sub("", text)  # a file's name is the uploader's words
        found += [f"ISO date {m!r} in “{text[:80]}”" for m in ISO_DATE.findall(text)]
        found += [f"dot decimal {t!r} in “{text[:80]}”" for t in NUMBER.findall(text)
                  if dot_decimal(t)]
        found += [f"raw code {t!r} in “{text[:80]}”" for t in SNAKE.findall(text)
                  if t in codes]
        if re.fullmatch(r"[·(\s]*system[)\s]*", text):  # the stored actor of no person
            found.append(f"raw code 'system' in “{text[:80]}”")
    return found


def test_the_checks_know_codes_dates_and_decimals():
    codes = enum_codes()
    bad = problems_on("<p>pendampingan_usaha · 2025-08-14 · IDM 0.8102 · 1.5</p>"
                      "<span>· system</span>", codes)
    assert len(bad) == 5, bad
    good = ('<p>64.02.04.2001 · 64.02 · Rp1.250.000.000 · 0,8102 · 14 Agustus 2025 · '
            'Kepmendagri 300.2.2-2138/2025 · rkp_desa-demo.pdf · 1.250</p>'
            '<input value="2025-08-14"><a href="/desa/64.02.04.2001?x=0.5">x</a>'
            '<code>kode_desa</code><script>var a = 0.5;</script>')
    assert problems_on(good, codes) == []


@pytest.fixture
def demo(db, tmp_path, make_user):
    load_demo(db, tmp_path, date(2026, 11, 23))
    db.commit()
    partner = db.scalars(select(Partner).order_by(Partner.id)).first()
    make_user("admin.words", "admin")
    make_user("staf.words", "viewer")
    make_user("pd.words", "pendamping", ["64.02.04"])
    make_user("op.words", "operator_desa", [SEPATIN])
    mitra = make_user("mitra.words", "mitra", organisation=partner.name)
    partnerships.add_partner_member(db, None, partner, mitra)
    db.commit()
    return {
        "program": db.scalars(select(Program).order_by(Program.id)).first().id,
        "umkm": db.scalars(select(Umkm).order_by(Umkm.id)).first().id,
        "agreement": db.scalars(select(Agreement).order_by(Agreement.id)).first().id,
        "partner": partner.id,
    }


def pages_of(role: str, ids: dict[str, int]) -> list[str]:
    regions = [f"/wilayah/{REGENCY}", f"/wilayah/{REGENCY}/idm",
               f"/wilayah/{REGENCY}/indeks-desa", f"/desa/{SEPATIN}", f"/desa/{SEPATIN}/idm",
               f"/desa/{SEPATIN}/indeks-desa"]
    analysis = [f"/wilayah/{REGENCY}/analisis", f"/wilayah/{REGENCY}/analisis/ketahanan",
                f"/wilayah/{REGENCY}/analisis/kontribusi",
                f"/wilayah/{REGENCY}/analisis/sasaran", f"/wilayah/{REGENCY}/idm/kualitas",
                f"/wilayah/{REGENCY}/analisis?indeks=idm",
                f"/wilayah/{REGENCY}/analisis/sasaran?indeks=idm",
                f"/wilayah/{REGENCY}/analisis/ketahanan?indeks=idm",
                f"/wilayah/{REGENCY}/rencana?indeks=idm", "/wilayah/64.02.04"]
    partnership = ["/kerja-sama", f"/kerja-sama/{ids['agreement']}", "/kerja-sama/mou",
                   "/mitra", f"/mitra/{ids['partner']}", f"/desa/{SEPATIN}/mitra-cocok"]
    mentoring = ["/pendampingan", f"/pendampingan/program/{ids['program']}",
                 f"/pendampingan/umkm/{ids['umkm']}", "/pendampingan/umkm",
                 "/pendampingan/rumah-tangga", "/pendampingan/kelompok",
                 "/pendampingan/pembeli"]
    if role == "admin.words":
        return ["/", *regions, *analysis, f"/wilayah/{REGENCY}/rencana", *partnership,
                *mentoring, "/akun"]
    if role == "staf.words":
        return [f"/wilayah/{REGENCY}", f"/wilayah/{REGENCY}/analisis", "/kerja-sama",
                "/pendampingan"]
    if role == "pd.words":
        return [f"/desa/{SEPATIN}", f"/desa/{SEPATIN}/idm", "/pendampingan",
                "/pendampingan/umkm", "/kerja-sama"]
    if role == "op.words":
        return [f"/desa/{SEPATIN}", f"/desa/{SEPATIN}/indeks-desa", "/kerja-sama"]
    return ["/kerja-sama", f"/mitra/{ids['partner']}"]  # mitra


ROLES = ("admin.words", "staf.words", "pd.words", "op.words", "mitra.words")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_indonesian_pages_show_no_raw_codes_iso_dates_or_dot_decimals(client, demo):
    codes = enum_codes()
    found: list[str] = []
    for role in ROLES:
        login(client, role)
        for path in pages_of(role, demo):
            page = client.get(path)
            assert page.status_code == 200, (role, path, page.status_code)
            found += [f"{role} {path}: {p}" for p in problems_on(page.text, codes)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_plan_and_its_reasons_are_written_the_indonesian_way(client, demo):
    login(client, "admin.words")
    page = client.get("/wilayah/64.02/rencana?indeks=idm")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = re.findall(r'<input name="(biaya_[a-z_]+)" value="([^"]*)"', page.text)
    result = client.post("/wilayah/64.02/rencana", data={
        "csrf_token": token, "indeks": "idm", "tujuan": "status_up", "tahun": "2024",
        "apbd": "2.000.000.000", "dana_desa": "0", "mode": "to_five", "mitra": "1",
        "batas_waktu": "5", **dict(form)})
    assert result.status_code == 200, result.text
    assert problems_on(result.text, enum_codes()) == []
    assert "Rp2.000.000.000" in result.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_english_pages_name_stages_partner_kinds_and_sectors_in_english(client, demo):
    login(client, "admin.words")
    client.cookies.set("mitradesa_lang", "en")
    dashboard = client.get("/kerja-sama").text
    partners = client.get("/mitra").text
    assert "Preparation" in dashboard or "Implementation" in dashboard
    assert "Private company CSR" in partners
    assert "Community business mentoring" in partners or "Agriculture" in partners
    for indonesian in ("Pelaksanaan", "Penandatanganan", "CSR perusahaan swasta",
                       "Pendampingan usaha masyarakat"):
        assert indonesian not in dashboard + partners, indonesian
