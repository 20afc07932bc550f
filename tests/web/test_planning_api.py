"""POST /api/v1/regions/{kode}/plan: the plan as JSON, its schema, and who may ask."""

from __future__ import annotations

import pytest

from tests.analysis.planning_fixtures import JT, seed_plan_data
from tests.conftest import LOH_SUMBER, SEPATIN, csrf_of, login

URL = "/api/v1/regions/64.02/plan"


@pytest.fixture
def stored(db, tmp_path):
    seed_plan_data(db, tmp_path)


def ask(client, body):
    return client.post(URL, json=body, headers={"X-CSRF-Token": csrf_of(client)})


def test_the_plan_comes_back_as_the_cli_json_with_costs_and_partners(client, make_user,
                                                                     stored):
    make_user("admin", "admin")
    login(client, "admin")
    answer = ask(client, {
        "tujuan": "total_gain", "apbd": 300 * JT, "dana_desa_per_desa": {SEPATIN: 50 * JT},
        "biaya_per_langkah": [{"indikator": "IKL", "biaya_per_langkah": 30 * JT}],
        "mitra_kerja_sama": False, "mode": "stacked_steps",
        "mitra_lain": [{"nama": "Bank Desa", "anggaran": 80 * JT, "bidang": ["umkm"],
                        "wilayah": [LOH_SUMBER]}]})
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert [(f["id"], f["anggaran"]) for f in plan["pendana"]] == [
        ("APBD", 300 * JT), (f"DD {SEPATIN}", 50 * JT), ("Bank Desa", 80 * JT)]
    assert plan["tahun"] == 2023 and plan["tujuan"] == "total_gain"
    ikl = [a for a in plan["optimal"]["kegiatan"] if a["indikator"].startswith("IKL")]
    assert ikl and all(a["biaya"] == 30 * JT * a["kali"] for a in ikl)
    for activity in plan["optimal"]["kegiatan"]:
        if any(p["pendana"] == "Bank Desa" for p in activity["pembayar"]):
            assert activity["kode"] == LOH_SUMBER
    assert plan["optimal"]["kenaikan_idm"] >= plan["greedy"]["kenaikan_idm"] - 1e-9
    schema = client.get("/api/v1/openapi.json").json()
    assert "PlanCreate" in schema["components"]["schemas"]
    assert "PlanRead" in str(schema["paths"]["/api/v1/regions/{kode}/plan"]["post"])


def test_bad_input_is_a_400_or_422_and_other_regions_a_403(client, make_user, stored):
    make_user("admin", "admin")
    make_user("luar", "admin", ["64.03"])
    login(client, "admin")
    assert ask(client, {"apbd": -5}).status_code == 422
    wrong = ask(client, {"apbd": JT, "tahun": 2019})
    assert wrong.status_code == 400 and "tersedia: 2023" in wrong.json()["error"]["message"]
    costs = ask(client, {"apbd": JT, "biaya_per_langkah": [
        {"indikator": "IKE 99", "biaya_per_langkah": 1}]})
    assert costs.status_code == 400 and "IKE 99" in costs.json()["error"]["message"]
    login(client, "luar")
    assert ask(client, {"apbd": JT}).status_code == 403
