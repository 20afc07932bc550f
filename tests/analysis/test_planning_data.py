"""A region's planning inputs read from the database (both backends), and the files a
planner writes: unit costs, Dana Desa per village, partners on the command line."""

from __future__ import annotations

import pytest

from mitradesa.analysis import planning as pl
from mitradesa.analysis.planning_data import (
    ExtraPartner,
    PlanningError,
    PlanRequest,
    load_inputs,
    plan_as_dict,
    plan_for_region,
)
from mitradesa.analysis.planning_files import parse_partner, read_dana_desa, read_step_costs
from mitradesa.errors import MitradesaError
from tests.analysis.planning_fixtures import JT, seed_plan_data
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM


@pytest.fixture
def stored(db, tmp_path):
    return seed_plan_data(db, tmp_path)


def test_inputs_hold_the_villages_budgets_and_the_partner_money_not_yet_spent(db, stored):
    mine, running = stored
    inputs = load_inputs(db, PlanRequest(
        "64.02", apbd=400 * JT, dana_desa=10 * JT,
        dana_desa_by_village={"6402042006": 0, LOH_SUMBER: 20 * JT, "64.02.01.2001": JT}))
    assert inputs.year == 2023 and not inputs.demo
    assert inputs.villages.codes == (LOH_SUMBER, SEPATIN, SUNGAI_MERIAM)
    partner_id = f"{mine.name} · {running.title}"
    assert [(f.id, f.budget) for f in inputs.funders] == [
        ("APBD", 400 * JT), (f"DD {LOH_SUMBER}", 20 * JT), (f"DD {SEPATIN}", 10 * JT),
        (partner_id, 100 * JT)]  # 150 juta committed, 50 juta reported spent
    money = inputs.funders[-1]
    assert money.villages == {SEPATIN, LOH_SUMBER}  # the ended agreement's village is not
    sectors = pl.sector_indicators()
    assert money.indicators == sectors["umkm"] | sectors["pertanian"]  # IKE 1, 9 among them
    (source,) = inputs.partners
    assert (source.partner_id, source.agreement_id, source.stage, source.committed,
            source.realised, source.villages) == (mine.id, running.id, "pelaksanaan",
                                                 150 * JT, 50 * JT, 2)
    assert "64.02.01.2001" in inputs.notes[0]  # Dana Desa for a village without IDM data


def test_the_plan_keeps_partner_money_in_its_villages_and_names_who_moves_up(db, stored):
    result = plan_for_region(db, PlanRequest("64.02", "status_up", apbd=400 * JT))
    data = plan_as_dict(result)
    mip = data["optimal"]
    assert data["wilayah"] == {"kode": "64.02", "nama": "Kabupaten Kutai Kartanegara"}
    assert mip["desa_naik_status"] >= 1 and mip["celah_optimalitas"] is not None
    moves = {c["nama"]: (c["status_awal"], c["status_akhir"]) for c in mip["perubahan_status"]}
    assert set(moves.values()) <= {("Berkembang", "Maju"), ("Sangat Tertinggal", "Tertinggal")}
    assert set(moves) <= {"Sepatin", "Sungai Meriam", "Loh Sumber"}
    assert all(c["kecamatan"] for c in mip["perubahan_status"])
    partner_id = data["mitra"][0]["pendana"]
    for activity in mip["kegiatan"]:
        assert sum(p["rupiah"] for p in activity["pembayar"]) == activity["biaya"]
        if any(p["pendana"] == partner_id for p in activity["pembayar"]):
            assert activity["kode"] in (SEPATIN, LOH_SUMBER)
    for plan in (mip, data["greedy"]):
        assert all(plan["belanja"][f["id"]] <= f["anggaran"] for f in data["pendana"])
    assert mip["desa_naik_status"] >= data["greedy"]["desa_naik_status"]


REFUSED = [
    ({"apbd": -1}, "tidak boleh negatif"),
    ({"objective": "most_money", "apbd": JT}, "tujuan"),
    ({"apbd": JT, "year": 1999}, "tersedia: 2023"),
    ({"region": SEPATIN, "apbd": JT}, "adalah desa"),
    ({"partners": False}, "Tidak ada anggaran"),
    ({"extra_partners": (ExtraPartner("X", JT, ("pariwisata",)),)}, "sektor"),
    ({"extra_partners": (ExtraPartner("X", JT, ("umkm",), ("64.03",)),)}, "tidak memuat desa"),
    ({"region": "99.99", "apbd": JT}, "tidak ditemukan"),
]


def test_inputs_that_cannot_make_a_plan_are_refused_in_words(db, stored):
    for fields, message in REFUSED:
        with pytest.raises(MitradesaError, match=message):
            plan_for_region(db, PlanRequest(**{"region": "64.02", **fields}))


def test_cost_file_rules_apply_by_specificity_and_bad_rows_are_named(tmp_path):
    good = tmp_path / "biaya.csv"
    good.write_text("indikator;pendana;biaya_per_langkah\nike 9;mitra;Rp 10.000.000\n"
                    "IKE;;30.000.000\nIKL;dana_desa;50000000\n", encoding="utf-8")
    table = read_step_costs(good).table
    ike9, ike1, ikl1 = (pl.inputs.indicator_position(x) for x in ("IKE 9", "IKE 1", "IKL 1"))
    assert list(table[ike9]) == [30 * JT, 30 * JT, 10 * JT]
    assert list(table[ike1]) == [30 * JT] * 3
    assert list(table[ikl1]) == [60 * JT, 50 * JT, 60 * JT]
    assert list(table[0]) == [25 * JT] * 3  # IKS keeps the default
    bad = tmp_path / "salah.csv"
    bad.write_text("indikator,pendana,biaya_per_langkah\nIKE 13,,1\nIKS,desa,1\nIKL,,0\n"
                   "IKS 2,,dua\nIKE,,5\nIKE,,6\n", encoding="utf-8")
    with pytest.raises(PlanningError) as caught:
        read_step_costs(bad)
    text = caught.value.message
    for row in (2, 3, 4, 5, 7):
        assert f"salah.csv, baris {row}:" in text
    assert "salah.csv, baris 6:" not in text and "sudah ada di baris 6" in text
    (tmp_path / "kolom.csv").write_text("indikator,biaya\nIKS,1\n", encoding="utf-8")
    with pytest.raises(PlanningError, match="kolom wajib tidak ada: biaya_per_langkah"):
        read_step_costs(tmp_path / "kolom.csv")


def test_dana_desa_file_and_partner_option_are_read_or_refused(tmp_path):
    path = tmp_path / "dd.csv"
    path.write_text("kode_desa,dana_desa\n6402042001,150.000.000\n64.02.02.2005,0\n")
    assert read_dana_desa(path) == {SEPATIN: 150 * JT, LOH_SUMBER: 0}
    path.write_text("kode_desa,dana_desa\n6402042001,banyak\nABC,1\n6402022005,1\n"
                    "64.02.02.2005,2\n")
    with pytest.raises(PlanningError, match=r"baris 2: .*baris 3: .*baris 5: desa .* baris 4"):
        read_dana_desa(path)
    assert parse_partner("PT Contoh:2.000.000.000:umkm,pertanian:64.02.04") == ExtraPartner(
        "PT Contoh", 2000 * JT, ("umkm", "pertanian"), ("64.02.04",))
    with pytest.raises(PlanningError, match="NAMA:ANGGARAN"):
        parse_partner("PT Contoh:dua miliar:umkm")
    with pytest.raises(PlanningError, match="pariwisata"):
        parse_partner("PT Contoh:1:pariwisata")
