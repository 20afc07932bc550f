"""The analysis pages of a region: the figures are the library's, rows stay in the user's scope."""

from __future__ import annotations

import re

import pytest

from mitradesa.analysis.data import year_data
from mitradesa.analysis.robustness import monte_carlo
from mitradesa.analysis.summaries import inequality_summary
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.web.routes import all_routes
from tests.conftest import LOH_SUMBER, SEPATIN, login
from tests.idm_records.fixtures import scores_for, write_scores_csv

LOW, ALL_THREE = [2] * 50, [3] * 50  # IDM 0.4000 SANGAT TERTINGGAL; 0.6000 BERKEMBANG (±0.01)
ROWS = [  # Anggana (64.02.04) and Loa Kulu (64.02.02), 2022 and 2023; made-up scores
    ("6402042001", 2022, LOW), ("6402042001", 2023, ALL_THREE),
    ("6402042006", 2022, scores_for(2)), ("6402042006", 2023, [5] * 50),
    ("6402042002", 2022, scores_for(1)), ("6402042002", 2023, scores_for(4)),  # falls back
    ("6402022005", 2022, ALL_THREE), ("6402022005", 2023, LOW),  # falls back a status
    ("6402022006", 2022, scores_for(3)), ("6402022006", 2023, scores_for(3)),
    ("6402022001", 2022, [4] * 50), ("6402022001", 2023, [4] * 50),
]


def d4(value: float) -> str:
    """As the Indonesian pages write a four-decimal figure: 0,2347."""
    return f"{value:.4f}".replace(".", ",")


def seed(db, tmp_path):
    """Import ROWS; the library's figures of 2023 (inequality summary, Monte Carlo)."""
    path = write_scores_csv(tmp_path / "skor.csv", ROWS)
    import_idm_files(db, [path], store_dir=tmp_path / "disimpan")
    db.commit()
    data = year_data(db, 2023, "64.02")
    return inequality_summary(data.indices, data.kecamatan), monte_carlo(data.indices[:, :3])


@pytest.fixture
def kukar(db, tmp_path):
    return seed(db, tmp_path)


@pytest.fixture
def staff(client, make_user):
    make_user("staf", "viewer", [])
    login(client, "staf")
    return client


def value_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">(?:<a [^>]*>)?([^<]+)<', page)
    assert found, element_id
    return found.group(1)


def test_inequality_page_shows_the_librarys_headline_figures_and_its_charts(app, staff, kukar):
    figures, robust = kukar
    page = staff.get("/wilayah/64.02/analisis").text
    assert value_of(page, "gini-idm") == d4(figures["gini"])
    assert value_of(page, "theil-idm") == d4(figures["theil"])
    assert value_of(page, "gap-idm") == d4(figures["bottom20_gap"])
    assert value_of(page, "fragile-count") == str(int(robust.fragile.sum()))
    assert f"dalam kecamatan {d4(figures['theil_within'])} · antar {d4(figures['theil_between'])}" \
        in page
    for chart in ("gini", "theil", "split", "sigma", "beta", "gap"):
        assert f'data-chart="{chart}"' in page
    assert "/static/analysis-charts.js" in page and "<script>" not in page  # nothing inline
    assert "n = 6 desa per tahun" in page and "n = 6 desa yang ada di kedua tahun" in page
    assert "β-konvergensi 2022–2023" in page
    # other analysis pages are linked once they exist, and only for those they let in
    paths = {r.path for r in all_routes(app)}
    assert ('href="/wilayah/64.02/analisis/kontribusi' in page) == (
        "/wilayah/{kode}/analisis/kontribusi" in paths)
    assert 'href="/wilayah/64.02/rencana' not in page  # a viewer does not plan


def test_the_regency_dashboard_and_the_idm_page_lead_to_the_analysis(staff, kukar):
    figures, robust = kukar
    page = staff.get("/wilayah/64.02").text
    assert value_of(page, "headline-gini") == d4(figures["gini"])
    assert value_of(page, "headline-within") == d4(figures["theil_within"])
    assert value_of(page, "headline-between") == d4(figures["theil_between"])
    assert value_of(page, "headline-gap") == d4(figures["bottom20_gap"])
    assert value_of(page, "headline-fragile") == str(int(robust.fragile.sum()))
    assert 'href="/wilayah/64.02/analisis?indeks=idm"' in page
    assert 'href="/wilayah/64.02/analisis?tahun=2023"' in staff.get("/wilayah/64.02/idm").text


def test_targeting_names_weakest_indicators_steps_and_flags(staff, kukar):
    page = staff.get("/wilayah/64.02/analisis/sasaran").text
    assert "turun dari Berkembang" in page and "turun dari Tertinggal" in page
    assert value_of(page, "fell-count") == "2" and value_of(page, "near-count") == "1"
    assert "Skor Kualitas Lingkungan" in page  # IKL 1 by name beside its key
    near = staff.get("/wilayah/64.02/analisis/sasaran", params={"tanda": "dekat"}).text
    assert "Sepatin" in near and "Loh Sumber" not in near and "dekat ambang" in near


def test_robustness_lists_fragile_villages_first_with_rank_intervals(staff, kukar):
    _figures, robust = kukar
    page = staff.get("/wilayah/64.02/analisis/ketahanan").text
    assert value_of(page, "fragile-count") == str(int(robust.fragile.sum()))
    assert re.search(r'<td data-label="Rentang peringkat" class="num">\d+–\d+</td>', page)


def test_operator_sees_figures_of_the_regency_but_only_their_own_village_rows(
        client, make_user, kukar):
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    page = client.get("/wilayah/64.02/analisis/sasaran").text
    assert "Sepatin" in page and "Loh Sumber" not in page
    assert "5 desa lain ikut dihitung di atas tetapi tidak ditampilkan" in page
    assert client.get("/wilayah/64.02.02/analisis").status_code == 403  # another kecamatan
    assert client.get(f"/wilayah/{LOH_SUMBER}/analisis/ketahanan").status_code == 403


def test_a_region_without_data_says_so_and_an_unknown_year_is_404(staff, kukar):
    empty = staff.get("/wilayah/64.01/analisis")
    assert empty.status_code == 200 and "Belum ada data IDM" in empty.text
    missing = staff.get("/wilayah/64.02/analisis", params={"tahun": 2019})
    assert missing.status_code == 404 and "tersedia: 2022, 2023" in missing.text
