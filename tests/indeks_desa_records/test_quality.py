"""The data-quality service: Indeks Desa findings in a section of their own beside the IDM's."""

from __future__ import annotations

from mitradesa.idm.indeks_desa import MIN_TOTAL, compute
from mitradesa.idm_records.quality import quality_report
from mitradesa.indeks_desa_records.importing import import_indeks_desa_files
from mitradesa.indeks_desa_records.quality import indeks_desa_quality_report
from tests.indeks_desa_records.fixtures import SEPATIN, SUNGAI_MERIAM, scores_for, write_export


def test_a_published_status_that_differs_is_a_finding_in_both_reports(db, tmp_path):
    scores = scores_for(13)
    figures = compute(scores)
    published = "MANDIRI" if figures.status != "MANDIRI" else "MAJU"
    path = write_export(tmp_path / "q.csv", [(SEPATIN, 2025, scores),
                                             (SUNGAI_MERIAM, 2025, scores)],
                        extra={"STATUS ID 25": [published, ""]})
    import_indeks_desa_files(db, [path], store_dir=tmp_path / "store")
    db.commit()
    report = indeks_desa_quality_report(db, "64.02")
    assert (report.checked, report.differing, report.status_changes) == (2, 1, 1)
    [finding] = report.findings
    assert (finding.kode_desa, finding.status_terbitan, finding.status_hitung_ulang) == (
        "64.02.04.2001", published, figures.status)
    assert finding.selisih_poin == MIN_TOTAL[published] - figures.total
    both = quality_report(db, "64.02")
    assert both.findings == [] and both.indeks_desa is not None
    assert both.indeks_desa.findings == [finding]
    assert both.as_json()["indeks_desa"]["temuan"][0]["kode_desa"] == SEPATIN
    assert indeks_desa_quality_report(db, "64.01").findings == []
    assert indeks_desa_quality_report(db, year=2024).checked == 0
