"""`mitradesa idm quality` on both backends, on the real published data where it is present."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import run
from tests.conftest import SHARED_DATA

SCORES = SHARED_DATA / "idm-official" / "scores.csv"


@pytest.fixture(scope="module")
def imported(cli_env):
    if not SCORES.exists():
        pytest.skip("../shared/data/idm-official is not beside this checkout")
    done = run(cli_env, "idm", "import", str(SCORES))
    assert done.returncode == 0, done.stderr
    return cli_env


def test_quality_counts_every_2024_defect_and_the_status_changes(imported):
    done = run(imported, "idm", "quality", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["diperiksa"] == 8912
    assert report["berbeda"] == 559
    per_year = {y["tahun"]: y for y in report["per_tahun"]}
    assert [per_year[y]["berbeda"] for y in (2021, 2022, 2023)] == [0, 0, 0]
    assert per_year[2024]["berbeda"] == 559
    assert report["status_berubah"] == per_year[2024]["status_berubah"] > 0
    changed = [f for f in report["temuan"] if f["status_berubah"]]
    assert len(changed) == report["status_berubah"]
    assert all(f["terbitan"]["status"] != f["hitung_ulang"]["status"] for f in changed)
    assert all("IKS 30 Skor Internet Kantor Desa" in f["sebab"] for f in report["temuan"])


def test_quality_table_for_one_region_and_year(imported):
    wide = {**imported, "COLUMNS": "160"}  # one table row per line
    done = run(wide, "idm", "quality", "--region", "11.03", "--year", "2024", "--status-changes")
    assert done.returncode == 0, done.stderr
    assert "Kabupaten Aceh Timur (11.03), tahun 2024" in done.stdout
    assert "17 dari 43 desa-tahun berbeda dari hitungan ulang; 4 di antaranya" in done.stdout
    assert "11.03.01.2001" in done.stdout and "Berkembang → Maju" in done.stdout


def test_quality_of_an_unknown_region_is_a_clear_error(imported):
    done = run(imported, "idm", "quality", "--region", "99.99")
    assert done.returncode == 2
    assert "99.99" in done.stderr
