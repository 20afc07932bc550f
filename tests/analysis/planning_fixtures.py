"""Stored IDM 2023 and a running agreement for planning tests (both backends)."""

from __future__ import annotations

from datetime import date

from mitradesa.idm_records.importing import import_idm_files
from mitradesa.partnerships import services
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM
from tests.idm_records.fixtures import write_scores_csv
from tests.partnerships.fixtures import CONTENT, agreement, partner, walk_to

JT = 1_000_000
# IDM 0.6000 (Berkembang): three IKL raised to 5 (Rp360 juta) lift it to Maju.
BERKEMBANG = [3] * 50
LOW = [2] * 50  # IDM 0.4000: Sangat Tertinggal


def seed_plan_data(db, tmp_path):
    """IDM 2023 of Loh Sumber, Sepatin and Sungai Meriam; a running agreement (150 juta
    committed for Sepatin and Loh Sumber, 50 juta reported spent) and an ended one."""
    path = write_scores_csv(tmp_path / "skor.csv", [
        (SEPATIN.replace(".", ""), 2023, BERKEMBANG),
        (SUNGAI_MERIAM.replace(".", ""), 2023, BERKEMBANG),
        (LOH_SUMBER.replace(".", ""), 2023, LOW),
    ])
    import_idm_files(db, [path], store_dir=tmp_path / "disimpan")
    mine = partner(db)
    running = agreement(db, [mine], **CONTENT)
    walk_to(db, running, "pelaksanaan", tmp_path)
    services.add_report(db, None, running, reported_on=date(2025, 11, 1),
                        summary="Pelatihan angkatan pertama", spent_rupiah=50 * JT)
    ended = agreement(db, [partner(db, "Yayasan Selesai")], villages=(SUNGAI_MERIAM,),
                      **CONTENT)
    walk_to(db, ended, "pelaksanaan", tmp_path)
    services.advance(db, None, ended, "diakhiri", note="Mitra mundur")
    db.commit()
    return mine, running
