"""The header search finds every kind of record by name, a NIK or KK only for the roles that
see them whole, and never what lies outside the user's role or scope; numbers are masked."""

from __future__ import annotations

import pytest

from mitradesa.mentoring import beneficiaries
from mitradesa.partnerships import services
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, login, send

KK = "6402040101900007"
HEAD_NIK = "6402044505800002"
OWNER_NIK = "6402045203780001"
OTHER_NIK = "6402024107850003"  # the owner of an UMKM in Loa Kulu (another kecamatan)


@pytest.fixture
def records(db):
    partner = services.create_partner(db, None, name="PT Samudra Mahakam Lestari",
                                      kind="csr_swasta", sectors=["umkm"],
                                      area_codes=[SEPATIN[:8]])
    other = services.create_partner(db, None, name="Yayasan Kenari Hijau", kind="yayasan_lsm",
                                    sectors=["pertanian"])
    agreement = services.create_agreement(
        db, None, title="Penguatan usaha kerupuk Sepatin", partner_ids=[partner.id],
        village_codes=[SEPATIN], scope=["umkm"])
    far_agreement = services.create_agreement(
        db, None, title="Penguatan kebun aren Loh Sumber", partner_ids=[other.id],
        village_codes=[LOH_SUMBER], scope=["pertanian"])
    mou = services.create_mou(db, None, title="Nota kesepahaman pesisir Anggana",
                              region_code="64.02", partner_ids=[partner.id])
    home = beneficiaries.register_household(
        db, None, kk_number=KK, head_name="Abdul Karimun", village_code=SEPATIN,
        welfare_class="prasejahtera", head_nik=HEAD_NIK)
    umkm = beneficiaries.register_umkm(
        db, None, name="Kerupuk Udang Bunda Sepatin", owner_name="Hj. Rahmawati",
        village_code=SEPATIN, owner_nik=OWNER_NIK, sector="Pengolahan ikan")
    far_umkm = beneficiaries.register_umkm(
        db, None, name="Kerupuk Ikan Loh Sumber", owner_name="Suryani",
        village_code=LOH_SUMBER, owner_nik=OTHER_NIK)
    group = beneficiaries.create_group(db, None, name="Kelompok Pengolah Kerupuk Sepatin",
                                       village_code=SEPATIN, umkm_ids=[umkm.id])
    db.commit()
    return {"partner": partner, "other": other, "agreement": agreement,
            "far_agreement": far_agreement, "mou": mou, "home": home, "umkm": umkm,
            "far_umkm": far_umkm, "group": group}


def found(client, q: str, **params) -> dict[str, list[dict]]:
    answer = client.get("/api/v1/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    by_kind: dict[str, list[dict]] = {}
    for hit in answer.json()["hasil"]:
        by_kind.setdefault(hit["jenis"], []).append(hit)
    return by_kind


def titles(by_kind, kind: str) -> list[str]:
    return [h["nama"] for h in by_kind.get(kind, [])]


@pytest.mark.parametrize(("q", "kind", "title", "href"), [
    ("sepatin", "region", "Sepatin", f"/desa/{SEPATIN}"),
    ("samudra mahakam", "partner", "PT Samudra Mahakam Lestari", "/mitra/{partner}"),
    ("pesisir anggana", "mou", "Nota kesepahaman pesisir Anggana", "/kerja-sama/mou/{mou}"),
    ("usaha kerupuk", "agreement", "Penguatan usaha kerupuk Sepatin", "/kerja-sama/{agreement}"),
    ("bunda sepatin", "umkm", "Kerupuk Udang Bunda Sepatin", "/pendampingan/umkm/{umkm}"),
    ("rahmawati", "umkm", "Kerupuk Udang Bunda Sepatin", "/pendampingan/umkm/{umkm}"),
    ("karimun", "household", "Abdul Karimun", "/pendampingan/rumah-tangga/{home}"),
    ("pengolah kerupuk", "group", "Kelompok Pengolah Kerupuk Sepatin",
     "/pendampingan/kelompok/{group}"),
])
def test_each_kind_is_found_by_name_with_its_link(client, make_user, records, q, kind, title,
                                                  href):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    hits = found(client, q)
    assert title in titles(hits, kind)
    ids = {key: getattr(value, "id", None) for key, value in records.items()}
    hit = next(h for h in hits[kind] if h["nama"] == title)
    assert hit["tautan"] == href.format(**ids)
    assert client.get(hit["tautan"]).status_code == 200


def test_the_page_groups_hits_by_kind_under_plain_headings_with_badges(client, make_user,
                                                                       records):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    client.cookies.set("mitradesa_lang", "en")
    page = client.get("/cari", params={"q": "sepatin"}).text
    for heading in ("Villages and regions", "Cooperation agreements", "UMKM", "Business groups"):
        assert heading in page
    assert page.index("Villages and regions") < page.index("Cooperation agreements") \
        < page.index("Business groups")
    assert '<span class="badge badge-kind badge-umkm">UMKM</span>' in page
    assert '>Business group</span>' in page
    assert f'href="/pendampingan/umkm/{records["umkm"].id}"' in page
    assert ">group<" not in page and ">agreement<" not in page  # no raw codes shown


def test_records_named_like_the_query_come_before_villages_that_only_look_alike(
        client, make_user, records):
    """"kerupuk" is an UMKM's name; villages called Perupuk or Kupuk only resemble it."""
    make_user("dpmd", "admin")
    login(client, "dpmd")
    client.cookies.set("mitradesa_lang", "en")
    page = client.get("/cari", params={"q": "kerupuk"}).text
    assert "Kerupuk Udang Bunda Sepatin" in page and "Villages and regions" in page
    assert page.index("Kerupuk Udang Bunda Sepatin") < page.index("Villages and regions")


def test_the_header_search_box_asks_for_everything(client, make_user):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    client.cookies.set("mitradesa_lang", "en")
    page = client.get(f"/desa/{SEPATIN}").text
    assert 'placeholder="Search villages, partners, UMKM…"' in page
    assert 'class="topsearch" action="/cari"' in page and 'aria-label="Search"' in page


def test_htmx_gets_the_results_fragment_only(client, make_user, records):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    fragment = client.get("/cari", params={"q": "bunda sepatin"}, headers={"HX-Request": "true"})
    assert "Kerupuk Udang Bunda Sepatin" in fragment.text and "<html" not in fragment.text


def test_nothing_found_is_said_plainly(client, make_user, records):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    client.cookies.set("mitradesa_lang", "en")
    assert "Nothing you may see matches" in client.get("/cari", params={"q": "qqqzzz"}).text


# ------------------------------------------------------------------ by NIK / KK


@pytest.mark.parametrize("role", ["admin", "pendamping"])
def test_admin_and_pendamping_find_a_household_by_kk_or_nik_and_an_umkm_by_owner_nik(
        client, make_user, records, role):
    make_user("staf", role, [] if role == "admin" else ["64.02.04"])
    login(client, "staf")
    assert titles(found(client, KK), "household") == ["Abdul Karimun"]
    spaced = f"{HEAD_NIK[:6]} {HEAD_NIK[6:12]} {HEAD_NIK[12:]}"
    by_nik = found(client, spaced)
    assert titles(by_nik, "household") == ["Abdul Karimun"]
    assert by_nik["household"][0]["no_kk"] == KK  # these roles see the numbers whole
    assert titles(found(client, OWNER_NIK), "umkm") == ["Kerupuk Udang Bunda Sepatin"]


@pytest.mark.parametrize(("role", "scope"), [
    ("operator_desa", [SEPATIN]), ("viewer", []), ("mitra", []),
])
def test_other_roles_are_refused_a_search_by_number(client, make_user, records, role, scope):
    make_user("lain", role, scope, **({"organisation": "PT Lain"} if role == "mitra" else {}))
    login(client, "lain")
    answer = client.get("/api/v1/search", params={"q": KK})
    assert answer.status_code == 403
    client.cookies.set("mitradesa_lang", "en")
    page = client.get("/cari", params={"q": OWNER_NIK})
    assert "Bunda Sepatin" not in page.text
    assert "Searching by NIK or KK number is open to DPMD staff and pendamping only" in page.text


def test_a_pendamping_does_not_find_a_number_outside_the_kecamatan(client, make_user, records):
    make_user("pd.anggana", "pendamping", ["64.02.04"])
    login(client, "pd.anggana")
    answer = client.get("/api/v1/search", params={"q": OTHER_NIK}).json()
    assert answer["hasil"] == [] and answer["menurut_nomor"] is True


def test_part_of_a_nik_finds_no_person(client, make_user, records):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    hits = found(client, OWNER_NIK[:10])
    assert "umkm" not in hits and "household" not in hits


# ------------------------------------------------------------------ scope and masking


def test_a_pendamping_of_one_kecamatan_does_not_see_anothers_umkm(client, make_user, records):
    make_user("pd.anggana", "pendamping", ["64.02.04"])
    login(client, "pd.anggana")
    hits = found(client, "kerupuk")
    assert titles(hits, "umkm") == ["Kerupuk Udang Bunda Sepatin"]
    assert "Penguatan kebun aren Loh Sumber" not in titles(found(client, "penguatan"), "agreement")
    page = client.get("/cari", params={"q": "kerupuk"}).text
    assert "Kerupuk Ikan Loh Sumber" not in page


def test_an_operator_sees_only_its_village_and_masked_numbers(client, make_user, records):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    hits = found(client, "kerupuk")
    assert titles(hits, "umkm") == ["Kerupuk Udang Bunda Sepatin"]
    assert hits["umkm"][0]["nik"] == "************0001"
    household = found(client, "karimun")["household"][0]
    assert (household["nik"], household["no_kk"]) == ("************0002", "************0007")
    page = client.get("/cari", params={"q": "karimun"}).text
    assert KK not in page and HEAD_NIK not in page and "************0007" in page
    assert "Sungai Meriam" not in titles(found(client, "sungai meriam"), "region")


def test_a_mitra_sees_its_partner_and_agreements_but_no_household_or_umkm(client, make_user,
                                                                          records, db):
    mitra = make_user("mitra.samudra", "mitra", organisation="PT Samudra Mahakam Lestari")
    services.add_partner_member(db, None, records["partner"], mitra)
    db.commit()
    login(client, "mitra.samudra")
    hits = found(client, "sepatin")
    assert titles(hits, "agreement") == ["Penguatan usaha kerupuk Sepatin"]
    assert set(hits) <= {"agreement", "partner", "mou"}
    assert titles(found(client, "samudra"), "partner") == ["PT Samudra Mahakam Lestari"]
    assert found(client, "kenari") == {}  # another partner
    assert found(client, "kerupuk").get("umkm") is None
    assert found(client, "karimun") == {}


def test_admin_sees_whole_numbers_in_name_results(client, make_user, records):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    assert found(client, "karimun")["household"][0]["no_kk"] == KK


def test_within_limits_every_kind_to_the_region(client, make_user, records):
    make_user("dpmd", "admin")
    login(client, "dpmd")
    hits = found(client, "kerupuk", within="64.02.04")
    assert titles(hits, "umkm") == ["Kerupuk Udang Bunda Sepatin"]
    assert found(client, "sungai meriam", within="64.02.02").get("region") is None
    assert SUNGAI_MERIAM in [h["kunci"] for h in found(client, "sungai meriam")["region"]]


def test_search_api_needs_a_login(client):
    assert send(client, "GET", "/search?q=sepatin").status_code == 401
