"""`mitradesa analysis …` on the demo data, as a user runs it (both backends)."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import run


@pytest.fixture(scope="module")
def demo(cli_env):
    done = run(cli_env, "demo", "load")
    assert done.returncode == 0, done.stderr
    return cli_env


def test_inequality_json_has_the_documented_keys(demo):
    done = run(demo, "analysis", "inequality", "--year", "2024", "--region", "64.02",
               "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"gini", "theil", "theil_within", "theil_between"} <= set(result)
    assert set(result["by_index"]) == {"iks", "ike", "ikl"}
    assert result["theil_within"] + result["theil_between"] == pytest.approx(result["theil"])
    assert result["villages"] == 193 and result["demo"] is True
    assert result["convergence"]["beta"]["villages"] == 193


def test_targeting_and_robustness_run_and_unknown_year_is_a_clear_error(demo):
    targets = json.loads(run(demo, "analysis", "targeting", "--format", "json").stdout)
    first = targets["desa"][0]
    assert first["langkah_ke_status_berikut"] >= 1 and len(first["indikator_terlemah"]) == 3
    fragile = run(demo, "analysis", "robustness", "--draws", "50", "--format", "json")
    assert json.loads(fragile.stdout)["desa"] == 193
    wrong = run(demo, "analysis", "inequality", "--year", "1999")
    assert wrong.returncode == 2 and "tersedia: 2019" in wrong.stderr


def test_contribution_json_has_the_documented_keys_and_a_wrong_kind_is_refused(demo):
    done = run(demo, "analysis", "contribution", "--region", "64.02", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"perkiraan", "per_kohort", "desa_intervensi", "mulai_sesudah_data", "catatan",
            "rerata_per_tahun", "demo"} <= set(result)
    overall = result["perkiraan"]
    assert overall["ci95"][0] < overall["efek"] < overall["ci95"][1]
    assert (overall["desa_intervensi"], overall["desa_pembanding"]) == (12, 12)
    assert [c["tahun_mulai"] for c in result["per_kohort"]] == [2021, 2022]
    wrong = run(demo, "analysis", "contribution", "--region", "64.02", "--kind", "hibah")
    assert wrong.returncode == 2 and "tidak dikenal" in wrong.stderr
