"""The IDM data-quality page: which published figures disagree with their scores, and why."""

from __future__ import annotations

import re

from mitradesa.idm import compute
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM, login
from tests.web.test_idm_pages import ALL_THREE, PLAIN, seed

FIGURES = compute(ALL_THREE)  # IDM 0.6000, BERKEMBANG


def published(iks_shift: float) -> dict[str, list[str]]:
    """Published figures shifted as the 2024 defect shifts them, for one row."""
    figures = {"iks": FIGURES.iks + iks_shift, "ike": FIGURES.ike, "ikl": FIGURES.ikl,
               "idm": FIGURES.idm + iks_shift / 3}
    return {key: [f"{value:.14g}"] for key, value in figures.items()}


def seed_findings(db, tmp_path):
    """Sepatin 2024: the defect, status kept. Sungai Meriam 2024: its scores give 0.5981
    (TERTINGGAL), the defect publishes 0.6057 (BERKEMBANG). Loh Sumber 2023: agrees."""
    for name in "abc":
        (tmp_path / name).mkdir()
    seed(db, tmp_path / "a", [(PLAIN[SEPATIN], 2024, ALL_THREE)],
         {**published(4 / 175), "status": ["BERKEMBANG"]})
    lowered = [3] * 35 + [3] * 12 + [3] * 3
    lowered[0] = 2  # IDM 0.5981: TERTINGGAL by its scores; published + 4/525 = 0.6057
    figures = compute(lowered)
    extra = {"iks": [f"{figures.iks + 4 / 175:.14g}"], "ike": [f"{figures.ike:.14g}"],
             "ikl": [f"{figures.ikl:.14g}"], "idm": [f"{figures.idm + 4 / 525:.14g}"],
             "status": ["BERKEMBANG"]}
    seed(db, tmp_path / "b", [(PLAIN[SUNGAI_MERIAM], 2024, lowered)], extra)
    seed(db, tmp_path / "c", [(PLAIN[LOH_SUMBER], 2023, ALL_THREE)])


def test_quality_page_lists_what_differs_with_the_cause_and_status_changes(
    client, make_user, db, tmp_path
):
    seed_findings(db, tmp_path)
    make_user("staf", "viewer", [])
    login(client, "staf")
    page = client.get("/wilayah/64.02/idm/kualitas").text
    assert "Kualitas data" in page
    stats = re.findall(r'<span class="stat-value">([^<]+)</span>', page)
    assert stats == ["3", "2", "1"]  # checked, differing, status would change
    findings = page[page.index('id="temuan"'):]
    assert "Sepatin" in findings and "Sungai Meriam" in findings
    assert "Loh Sumber" not in findings
    assert "cacat 2024: IKS +4/175" in findings
    assert "IKS 30 Skor Internet Kantor Desa" in page  # the known cause is explained
    changed = client.get("/wilayah/64.02/idm/kualitas", params={"berubah": "1"}).text
    changed = changed[changed.index('id="temuan"'):]
    assert "Sungai Meriam" in changed and "Sepatin" not in changed
    assert "Berkembang</span> → <span" in changed
    only_2023 = client.get("/wilayah/64.02/idm/kualitas", params={"tahun": "2023"}).text
    assert "Semua angka terbitan di sini sesuai dengan skornya." in only_2023


def test_quality_page_lists_only_the_villages_an_operator_may_see(
    client, make_user, db, tmp_path
):
    seed_findings(db, tmp_path)
    make_user("op.sepatin", "operator_desa", [SEPATIN])
    login(client, "op.sepatin")
    page = client.get(f"/wilayah/{SEPATIN[:8]}/idm/kualitas").text
    findings = page[page.index('id="temuan"'):]
    assert "Sepatin" in findings and "Sungai Meriam" not in findings
    assert "1 desa lain ikut dihitung di atas tetapi tidak ditampilkan" in page


def test_region_idm_page_links_to_its_quality_page(client, make_user, db, tmp_path):
    seed_findings(db, tmp_path)
    make_user("staf", "viewer", [])
    login(client, "staf")
    page = client.get("/wilayah/64.02/idm").text
    assert 'href="/wilayah/64.02/idm/kualitas?tahun=2024"' in page


def test_the_quality_page_shows_indeks_desa_findings_beside_the_idm_ones(
    client, make_user, db, tmp_path
):
    from mitradesa.idm.indeks_desa import MIN_TOTAL
    from mitradesa.idm.indeks_desa import compute as compute_indeks_desa
    from mitradesa.indeks_desa_records.importing import import_indeks_desa_files
    from tests.indeks_desa_records.fixtures import scores_for, write_export

    seed_findings(db, tmp_path)
    scores = scores_for(13)
    figures = compute_indeks_desa(scores)
    published = "MANDIRI" if figures.status != "MANDIRI" else "MAJU"
    export = write_export(tmp_path / "id.csv", [(SEPATIN, 2025, scores)],
                          extra={"STATUS ID 25": [published]})
    import_indeks_desa_files(db, [export], store_dir=tmp_path / "store")
    db.commit()
    make_user("staf", "viewer", [])
    login(client, "staf")
    page = client.get("/wilayah/64.02/idm/kualitas").text
    section = page[page.index('id="indeks-desa"'):]
    assert "Sepatin" in section and f'/desa/{SEPATIN}/indeks-desa?tahun=2025' in section
    assert ">" + str(MIN_TOTAL[published] - figures.total) + "<" in section
    assert page.index('id="temuan"') < page.index('id="indeks-desa"')  # the IDM's first
