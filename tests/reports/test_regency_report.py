"""The regency report: the PDF states the figures the analysis library computes, says DEMO on
every page for demo data, refuses wrong input plainly and is only for staff of the region."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from mitradesa.analysis.data import year_data
from mitradesa.analysis.interventions import contribution_for_region
from mitradesa.analysis.robustness import monte_carlo
from mitradesa.analysis.summaries import convergence, inequality_summary
from mitradesa.demo.idm import load_demo_idm
from mitradesa.idm_records.importing import import_idm_files
from mitradesa.mentoring import programs
from mitradesa.reports.formatting import index4
from mitradesa.reports.regency_data import regency_report
from mitradesa.reports.regency_report import pdf_bytes
from tests.conftest import login
from tests.idm_records.fixtures import write_scores_csv

BIN = Path(sys.executable).parent / "mitradesa"
# Five desa of Loa Kulu and five of Muara Badak; the first three get a program in 2023.
VILLAGES = [f"64.02.02.200{i}" for i in range(1, 6)] + [f"64.02.05.200{i}" for i in range(1, 6)]
YEARS = (2022, 2023, 2024)
CRITERIA = [{"kind": "omzet_minimal", "value": 10_000_000}]


def scores(village: int, year: int) -> list[int]:
    """Three levels (villages v, v+3, v+6 alike, so each treated one finds a match), a yearly
    rise, a lift for the treated villages from 2023, and a fall for village 8 in 2024."""
    rng = np.random.default_rng(1000 * village + year)
    values = np.full(50, 2 + village % 3)
    values[rng.integers(0, 50, 6)] += 1
    values[rng.integers(0, 50, 4)] -= 1
    values[47:50] += year - 2022
    if village < 3 and year >= 2023:
        values[35:41] += 2
    if village == 8 and year == 2024:
        values[:40] -= 1
    return np.clip(values, 0, 5).tolist()


def pdf_text(content: bytes, folder: Path) -> str:
    path = folder / "laporan.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def small(db, tmp_path):
    rows = [(code.replace(".", ""), year, scores(i, year))
            for i, code in enumerate(VILLAGES) for year in YEARS]
    import_idm_files(db, [write_scores_csv(tmp_path / "skor.csv", rows)],
                     store_dir=tmp_path / "disimpan")
    programs.create_program(db, None, name="Pendampingan UMKM uji", funder="apbd",
                             target_type="umkm", village_codes=VILLAGES[:3],
                             graduation_criteria=CRITERIA, start_date=date(2023, 3, 1))
    db.commit()


def test_pdf_states_the_library_figures_and_is_only_for_staff_of_the_region(
    db, small, client, make_user, tmp_path
):
    make_user("kukar", "admin", ["64.02"])
    make_user("loakulu", "pendamping", ["64.02.02"])  # a part of the region only
    make_user("paser", "admin", ["64.01"])
    make_user("operator", "operator_desa", [VILLAGES[0]])
    for name in ("paser", "loakulu", "operator"):
        client.cookies.clear()
        login(client, name)
        assert client.get("/wilayah/64.02/laporan/2024.pdf").status_code == 403, name
    assert "/laporan/2024.pdf" not in client.get("/wilayah/64.02/idm").text
    client.cookies.clear()
    login(client, "kukar")
    assert "/wilayah/64.02/laporan/2024.pdf" in client.get("/wilayah/64.02/idm").text
    assert client.get("/wilayah/64.02/laporan/2019.pdf").status_code == 404
    response = client.get("/wilayah/64.02/laporan/2024.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "laporan-wilayah-64.02-2024.pdf" in response.headers["content-disposition"]
    text = " ".join(pdf_text(response.content, tmp_path).split())

    history = [year_data(db, y, "64.02") for y in YEARS]
    data = history[-1]
    figures = inequality_summary(data.indices, data.kecamatan)
    beta = convergence(list(YEARS), [h.codes for h in history],
                       [h.indices[:, 3] for h in history])["beta"]
    fragile = int(monte_carlo(data.indices[:, :3], draws=500).fragile.sum())
    estimate = contribution_for_region(db, "64.02", "idm", "all")[0].overall
    assert estimate is not None and estimate.treated == 3
    expected = [
        index4(float(data.indices[:, 3].mean())), index4(float(data.indices[:, 0].mean())),
        *(index4(figures[k]) for k in ("gini", "theil", "theil_within", "theil_between", "cv",
                                       "bottom20_gap")),
        index4(figures["by_index"]["ikl"]["gini"]),
        f"b = {index4(beta['slope'])}", f"{beta['villages']} desa",
        f"{fragile} dari 10 desa",
        index4(estimate.effect), f"{index4(estimate.ci_low)} s.d. {index4(estimate.ci_high)}",
        "bukan bukti sebab-akibat", "Pendampingan UMKM uji", "Loa Kulu", "Muara Badak",
    ]
    assert [e for e in expected if e not in text] == []
    assert "Turun status sejak 2023 (1 desa)" in text
    assert "DATA DEMO" not in text


def test_demo_data_is_labelled_on_every_page(db, tmp_path):
    load_demo_idm(db)
    report = regency_report(db, "64.02.02", 2024, date(2026, 11, 23))
    pages = pdf_text(pdf_bytes(report), tmp_path).split("\f")[:-1]
    assert len(pages) >= 2
    assert all("DATA DEMO (sintetis)" in page for page in pages)
    assert "Per desa (15)" in " ".join(pages)  # a kecamatan's report lists its villages


def test_cli_writes_the_pdf_and_refuses_wrong_input_plainly(tmp_path, registry_copy):
    registry_copy("sqlite", "regency_cli", tmp_path / "mitradesa.sqlite3")
    env = {**os.environ, "MITRADESA_DATA_DIR": str(tmp_path)}
    env.pop("MITRADESA_DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([BIN, *args], env=env, capture_output=True, text=True,
                              check=False)

    assert run("demo", "load").returncode == 0
    target = tmp_path / "kukar.pdf"
    done = run("reports", "regency", "64.02", "--year", "2024", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF") and "DATA DEMO (sintetis)" in done.stdout
    assert "Laporan wilayah" in done.stderr  # the progress bar
    for region, year, words in (("99.99", "2024", "tidak ditemukan"),
                                ("64.02.02.2005", "2024", "adalah desa"),
                                ("64.02", "1999", "tersedia: 2019")):
        wrong = run("reports", "regency", region, "--year", year)
        assert wrong.returncode == 2 and words in " ".join(wrong.stderr.split()), wrong.stderr
        assert "Traceback" not in wrong.stderr
