"""The top bar reaches every section a role may open, and no other: the links come from the
routes' access rules, each one answers (never 403), and the role shows in plain words."""

from __future__ import annotations

import re

import pytest

from mitradesa.idm_records.importing import import_idm_files
from mitradesa.web.permissions import RULES
from mitradesa.web.routes import all_routes
from tests.conftest import SEPATIN, login
from tests.idm_records.fixtures import scores_for, write_scores_csv

ANGGANA = "64.02.04"
REGENCY = "64.02"
ROWS = [(code, year, scores_for(i + year))
        for i, code in enumerate(("6402042001", "6402042006", "6402042002", "6402022005",
                                  "6402022006", "6402022001"))
        for year in (2022, 2023)]
USERS = {  # username: (role, scope)
    "admin.dpmd": ("admin", []),
    "staf": ("viewer", []),
    "pd.anggana": ("pendamping", [ANGGANA]),
    "op.sepatin": ("operator_desa", [SEPATIN]),
    "mitra.a": ("mitra", []),
}
REGION_PAGES = ["indeks-desa", "idm", "idm/kualitas", "analisis", "analisis/sasaran",
                "analisis/ketahanan", "analisis/kontribusi"]
EXPECTED = {
    "admin.dpmd": {*(f"/wilayah/{REGENCY}/{p}" for p in REGION_PAGES),
                   f"/wilayah/{REGENCY}/rencana", "/kerja-sama", "/pendampingan",
                   "/admin/pengguna"},
    "staf": {*(f"/wilayah/{REGENCY}/{p}" for p in REGION_PAGES), "/kerja-sama",
             "/pendampingan"},
    "pd.anggana": {*(f"/wilayah/{ANGGANA}/{p}" for p in REGION_PAGES),
                   f"/wilayah/{ANGGANA}/rencana", "/kerja-sama", "/pendampingan"},
    "op.sepatin": {f"/desa/{SEPATIN}/indeks-desa", f"/desa/{SEPATIN}/idm", "/kerja-sama",
                   "/pendampingan"},
    "mitra.a": {"/kerja-sama"},
}
# Sections other helpers add: shown to the roles their rules let in, once the routes exist.
LATER = {"/audit": {"admin.dpmd"}, "/impor": {"admin.dpmd", "pd.anggana"}}


@pytest.fixture
def idm(db, tmp_path):
    path = write_scores_csv(tmp_path / "skor.csv", ROWS)
    import_idm_files(db, [path], store_dir=tmp_path / "disimpan")
    db.commit()


def menu_links(page: str) -> set[str]:
    nav = page.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'href="([^"]+)"', nav))


def as_user(client, make_user, username: str):
    role, scope = USERS[username]
    extra = {"organisation": "PT Mitra A"} if role == "mitra" else {}
    make_user(username, role, scope, **extra)
    login(client, username)
    return client


@pytest.mark.parametrize("username", list(USERS))
def test_the_menu_offers_each_role_its_sections_and_every_link_opens(
    app, client, make_user, idm, username
):
    as_user(client, make_user, username)
    links = menu_links(client.get("/akun").text)
    installed = {r.path for r in all_routes(app)}
    expected = EXPECTED[username] | {path for path, users in LATER.items()
                                     if path in installed and username in users}
    assert links == expected
    for href in sorted(links):
        answer = client.get(href)
        assert answer.status_code == 200, (username, href, answer.status_code)


def test_the_menu_marks_the_current_page_and_names_the_role_in_plain_words(
    client, make_user, idm
):
    as_user(client, make_user, "op.sepatin")
    page = client.get(f"/desa/{SEPATIN}/idm").text
    assert f'<a href="/desa/{SEPATIN}/idm" aria-current="page">' in page
    who = page.split('class="who"', 1)[1].split("</a>", 1)[0]
    assert "operator_desa" not in who
    assert "Operator desa" in who or "Village operator" in who


def test_a_phone_gets_a_menu_button_that_works_without_a_framework(client, make_user):
    as_user(client, make_user, "admin.dpmd")
    page = client.get("/akun").text
    assert '<button type="button" class="menu-toggle" aria-expanded="false" ' \
           'aria-controls="mainnav" hidden>' in page
    script = re.search(r'<script src="(/static/nav\.js\?v=[0-9a-f]+)" defer></script>', page)
    assert script and client.get(script.group(1)).status_code == 200


def test_the_mentoring_home_rule_matches_what_the_page_lets_in():
    """The menu reads the rules: a route that refuses a role in its handler must say so in
    its rule too (a mitra sees no mentoring records)."""
    assert "mitra" not in (RULES["mentoring_home"].roles or ())


def test_error_pages_keep_the_menu_and_the_login_page_has_none(client, make_user):
    assert 'id="mainnav"' not in client.get("/masuk").text
    as_user(client, make_user, "admin.dpmd")
    missing = client.get("/wilayah/99.99")
    assert missing.status_code == 404
    assert 'href="/kerja-sama"' in missing.text.split('id="mainnav"', 1)[1]


def test_the_current_section_is_the_longest_link_the_page_lies_under(client, make_user, idm):
    as_user(client, make_user, "admin.dpmd")
    quality = client.get(f"/wilayah/{REGENCY}/idm/kualitas").text.split('id="mainnav"', 1)[1]
    quality = quality.split("</nav>", 1)[0]
    assert f'href="/wilayah/{REGENCY}/idm/kualitas" aria-current="page"' in quality
    assert f'href="/wilayah/{REGENCY}/idm" aria-current' not in quality
    assert '<summary class="current">' in quality
    user_page = client.get("/admin/pengguna/admin.dpmd").text.split('id="mainnav"', 1)[1]
    assert 'href="/admin/pengguna" aria-current="page"' in user_page.split("</nav>", 1)[0]
