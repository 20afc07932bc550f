"""Matching: villages for a partner and partners for a village, with the reasons shown."""

from __future__ import annotations

import pytest

from mitradesa.idm import compute
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.partnerships import matching, services
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM
from tests.idm_records.fixtures import write_scores_csv

IKE = 35  # position of IKE 1 in the 50-score vector


def scores(**low: int) -> list[int]:
    """All 5 except the given IKE numbers: scores(ike1=1, ike3=1)."""
    values = [5] * 50
    for name, score in low.items():
        values[IKE + int(name.removeprefix("ike")) - 1] = score
    return values


@pytest.fixture
def villages(db, tmp_path):
    rows = [
        (SEPATIN.replace(".", ""), 2023, scores(ike1=1, ike3=1)),
        (LOH_SUMBER.replace(".", ""), 2023, scores(ike1=3)),
        (SUNGAI_MERIAM.replace(".", ""), 2023, [5] * 50),
    ]
    import_idm_files(db, [write_scores_csv(tmp_path / "s.csv", rows)], store_dir=tmp_path)
    db.flush()


def test_partner_sees_its_area_first_with_gain_and_reasons(db, villages):
    partner = services.create_partner(db, None, name="PT Contoh", kind="csr_swasta",
                                      sectors=["umkm"], area_codes=[SEPATIN[:8]])
    ranked = matching.villages_for_partner(db, partner)
    assert [m.village_code for m in ranked] == [SEPATIN]  # the area bounds the search
    sepatin = ranked[0]
    assert [g.key for g in sepatin.indicators] == ["IKE 1"]  # IKE 3 Pasar: no CSR actor
    nilai = (5 - 1) / (5 * 12) / 3
    assert sepatin.gain == pytest.approx(nilai)
    assert sepatin.idm_after == pytest.approx(compute(scores(ike1=1, ike3=1)).idm + nilai)
    assert sepatin.reasons[0] == "di wilayah kerja mitra"
    assert "IKE 1 Keragaman Produksi (skor 1)" in sepatin.reasons[1]


def test_partner_without_area_is_matched_across_the_home_region(db, villages):
    partner = services.create_partner(db, None, name="BAZNAS Uji", kind="baznas_filantropi",
                                      sectors=["pertanian"])
    ranked = matching.villages_for_partner(db, partner)
    assert [m.village_code for m in ranked] == [SEPATIN, LOH_SUMBER]  # Sungai Meriam: no gap
    assert ranked[0].gain > ranked[1].gain


def test_village_sees_partners_that_fund_its_gaps_in_area_first(db, villages):
    far = services.create_partner(db, None, name="Bank Jauh", kind="perbankan",
                                  sectors=["umkm", "pendampingan_usaha"])
    near = services.create_partner(db, None, name="Yayasan Dekat", kind="yayasan_lsm",
                                   sectors=["pertanian"], area_codes=[SEPATIN])
    services.create_partner(db, None, name="Dinas Kesehatan Mitra", kind="pemerintah",
                            sectors=["kesehatan"])
    ranked = matching.partners_for_village(db, SEPATIN)
    assert [m.partner_id for m in ranked] == [near.id, far.id]  # health funds no gap here
    assert ranked[0].reasons[0] == "desa ini di wilayah kerja mitra"
    assert "potensi kenaikan IDM" in ranked[1].reasons[-1]


def test_a_village_without_idm_data_has_no_matches(db):
    assert matching.partners_for_village(db, SEPATIN) == []


# ------------------------------------------------------------------ the Indeks Desa


def id_scores(**low: int) -> list[int]:
    """Every Indeks Desa item at its top except the given ones: id_scores(b53=1)."""
    from mitradesa.idm import indeks_desa as idx

    values = [item.top for item in idx.items()]
    for name, score in low.items():
        values[int(name.removeprefix("b")) - 1] = score
    return values


@pytest.fixture
def indeks_desa(db, villages):
    from tests.analysis.indeks_desa_fixtures import seed_indeks_desa

    seed_indeks_desa(db, [(SEPATIN, 2025, id_scores(b53=1, b54=1, b13=1)),
                          (LOH_SUMBER, 2025, id_scores(b55=1, b56=1))])


def test_on_the_indeks_desa_a_partners_kind_meets_the_items_lainnya_implementers(
        db, indeks_desa):
    company = services.create_partner(db, None, name="PT Contoh", kind="csr_swasta",
                                      sectors=["umkm"], area_codes=[SEPATIN[:8]])
    campus = services.create_partner(db, None, name="Universitas Uji",
                                     kind="perguruan_tinggi", sectors=["pertanian"])
    services.create_partner(db, None, name="Yayasan Uji", kind="yayasan_lsm",
                            sectors=["umkm"])  # no item here names LSM
    services.create_partner(db, None, name="Dinas Uji", kind="pemerintah",
                            sectors=["kesehatan"])  # government is not "lainnya"
    ranked = matching.partners_for_village(db, SEPATIN)  # the newest year: Indeks Desa 2025
    assert [m.partner_id for m in ranked] == [company.id, campus.id]
    first, second = ranked
    assert (first.family, first.year) == ("indeks_desa", 2025)
    assert [g.key for g in first.indicators] == ["butir 53"]  # 54: Akademisi only
    assert "butir 53: pelaksana lainnya Swasta" in first.reasons
    assert first.gain == pytest.approx(4 / 635 * 100)
    assert [g.key for g in second.indicators] == ["butir 53", "butir 54"]
    assert "butir 53: pelaksana lainnya Akademisi; butir 54: pelaksana lainnya Akademisi" \
        in second.reasons
    idm = matching.partners_for_village(db, SEPATIN, family="idm")
    assert idm and all(m.family == "idm" and m.indicators[0].key.startswith("IKE")
                       for m in idm)


def test_villages_for_a_partner_on_the_indeks_desa_rank_by_nilai_points(db, indeks_desa):
    partner = services.create_partner(db, None, name="PT Contoh", kind="csr_swasta",
                                      sectors=["umkm"])
    ranked = matching.villages_for_partner(db, partner)
    assert [m.village_code for m in ranked] == [LOH_SUMBER, SEPATIN]  # 8 points, then 4
    assert all(m.family == "indeks_desa" and m.year == 2025 for m in ranked)
    assert ranked[0].idm_after == pytest.approx(ranked[0].idm + 8 / 635 * 100, abs=0.01)
    assert any("pelaksana lainnya Swasta" in r for r in ranked[0].reasons)
    assert matching.villages_for_partner(db, partner, family="idm")[0].family == "idm"


def test_the_village_page_and_api_show_partners_matched_on_the_indeks_desa(
        db, indeks_desa, client, make_user):
    from tests.conftest import login

    services.create_partner(db, None, name="PT Contoh", kind="csr_swasta", sectors=["umkm"])
    make_user("dpmd", "admin", [])
    db.commit()
    login(client, "dpmd")
    found = client.get(f"/api/v1/villages/{SEPATIN}/matching-partners").json()
    assert [(m["nama"], m["indeks"], m["tahun"]) for m in found] == [
        ("PT Contoh", "indeks_desa", 2025)]
    assert found[0]["indikator"][0]["indikator"] == "butir 53"
    assert found[0]["indikator"][0]["skor_berikut"] == 5
    idm = client.get(f"/api/v1/villages/{SEPATIN}/matching-partners",
                     params={"indeks": "idm"}).json()
    assert idm[0]["indeks"] == "idm"
    page = client.get(f"/desa/{SEPATIN}/mitra-cocok").text
    assert "PT Contoh" in page and "Indeks Desa 2025" in page
    assert "butir 53: pelaksana lainnya Swasta" in page
