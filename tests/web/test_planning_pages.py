"""The budget plan page: DPMD staff of the region plan and download; others are refused."""

from __future__ import annotations

import io
import re

import pytest
from python_calamine import CalamineWorkbook

from tests.analysis.planning_fixtures import seed_plan_data
from tests.conftest import csrf_of, login

FORM = {"tujuan": "status_up", "tahun": "2023", "apbd": "400.000.000", "dana_desa": "0",
        "biaya_iks": "25.000.000", "biaya_ike": "40.000.000", "biaya_ikl": "60.000.000",
        "mode": "to_five", "mitra": "1", "batas_waktu": "10"}


@pytest.fixture
def stored(db, tmp_path):
    seed_plan_data(db, tmp_path)


def run(client, **changes):
    return client.post("/wilayah/64.02/rencana",
                       data={**FORM, **changes, "csrf_token": csrf_of(client)})


def test_dpmd_staff_plan_the_region_and_download_the_same_plan(client, make_user, stored):
    make_user("dpmd.kukar", "admin", ["64.02"])
    login(client, "dpmd.kukar")
    assert 'href="/wilayah/64.02/rencana"' in client.get("/wilayah/64.02/idm").text
    assert 'name="apbd"' in client.get("/wilayah/64.02/rencana").text
    page = run(client)
    assert page.status_code == 200, page.text
    moved = int(re.search(r'id="plan-moved">(\d+)<', page.text).group(1))
    assert moved >= 1
    assert "Penguatan ekonomi desa" in page.text  # the partner's agreement, with its money
    assert re.search(r'id="plan-funders">.*Rp400\.000\.000', page.text, re.S)
    link = re.search(r'href="(/wilayah/64\.02/rencana\.xlsx\?[^"]+)"', page.text).group(1)
    download = client.get(link.replace("&amp;", "&"))
    assert download.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(download.content))
    assert len(book.get_sheet_by_name("Desa Naik Status").to_python()) - 1 == moved


def test_wrong_amounts_come_back_in_the_form_with_what_is_wrong(client, make_user, stored):
    make_user("admin", "admin")
    login(client, "admin")
    page = run(client, apbd="lima juta", biaya_ikl="0")
    assert page.status_code == 400
    assert "lima juta" in page.text and 'value="lima juta"' in page.text
    assert run(client, apbd="0", mitra="").status_code == 400  # no budget at all


def test_staff_of_another_region_and_other_roles_cannot_plan_it(client, make_user, stored):
    make_user("luar", "admin", ["64.03"])
    make_user("kecamatan", "pendamping", ["64.02.04"])
    make_user("pengamat", "viewer")
    for username in ("luar", "kecamatan", "pengamat"):
        login(client, username)
        assert client.get("/wilayah/64.02/rencana").status_code == 403, username
        assert run(client).status_code == 403, username
    assert "/rencana" not in client.get("/wilayah/64.02/idm").text  # the viewer sees no link
    login(client, "kecamatan")
    assert client.get("/wilayah/64.02.04/rencana").status_code == 200  # its own kecamatan
