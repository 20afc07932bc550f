"""`mitradesa plan` as a user runs it (both backends): files in, JSON or tables and Excel out,
and wrong input named in one plain sentence with exit status 2."""

from __future__ import annotations

import json

import pytest
from python_calamine import CalamineWorkbook

from tests.analysis.planning_fixtures import BERKEMBANG, JT, LOW
from tests.cli.conftest import run
from tests.conftest import LOH_SUMBER, SEPATIN, SUNGAI_MERIAM
from tests.idm_records.fixtures import write_scores_csv


@pytest.fixture(scope="module")
def stored(cli_env, tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    scores = write_scores_csv(folder / "skor.csv", [
        (code.replace(".", ""), 2023, rows)
        for code, rows in ((SEPATIN, BERKEMBANG), (SUNGAI_MERIAM, BERKEMBANG),
                           (LOH_SUMBER, LOW))])
    done = run(cli_env, "idm", "import", str(scores))
    assert done.returncode == 0, done.stderr
    return cli_env, folder


def test_plan_reads_cost_and_dana_desa_files_and_writes_json_and_excel(stored):
    env, folder = stored
    costs = folder / "biaya.csv"
    costs.write_text("indikator,pendana,biaya_per_langkah\nIKL,,50.000.000\n")
    dana_desa = folder / "dd.csv"
    dana_desa.write_text(f"kode_desa,dana_desa\n{SEPATIN},100000000\n")
    xlsx = folder / "rencana.xlsx"
    done = run(env, "plan", "--region", "64.02", "--year", "2023", "--apbd", str(250 * JT),
               "--dana-desa-file", str(dana_desa), "--costs", str(costs), "--partner",
               f"Bank Desa:80.000.000:umkm:{LOH_SUMBER}", "--xlsx", str(xlsx),
               "--format", "json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert [(f["id"], f["anggaran"]) for f in plan["pendana"]] == [
        ("APBD", 250 * JT), (f"DD {SEPATIN}", 100 * JT), ("Bank Desa", 80 * JT)]
    moved = plan["optimal"]["perubahan_status"]
    assert len(moved) >= 1 and moved[0]["status_akhir"] in ("Maju", "Tertinggal")
    assert {a["biaya"] for a in plan["optimal"]["kegiatan"] if a["indikator"] == "IKL 1"} \
        <= {50 * JT, 100 * JT, 150 * JT}
    assert plan["optimal"]["celah_optimalitas"] is not None and plan["greedy"]["metode"] == "greedy"
    sheets = CalamineWorkbook.from_path(str(xlsx)).sheet_names
    assert sheets == ["Ringkasan per Pendana", "Kegiatan", "Desa Naik Status"]
    table = run(env, "plan", "--apbd", str(400 * JT), "--objective", "total_gain")
    assert table.returncode == 0, table.stderr
    for words in ("Anggaran dan belanja per pendana", "Rp400.000.000", "Celah optimalitas",
                  "Greedy", "Kegiatan terpilih"):
        assert words in table.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--apbd", "-5"), "tidak boleh negatif"),
    (("--region", "99.99", "--apbd", "1"), "tidak ditemukan"),
    (("--apbd", "1", "--costs", "BAD"), "baris 3: indikator tidak dikenal"),
])
def test_wrong_input_is_one_plain_sentence_and_exit_status_2(stored, args, message):
    env, folder = stored
    if "BAD" in args:
        (folder / "salah.csv").write_text("indikator,biaya_per_langkah\nIKS,1\nIKX 1,1\n")
        args = tuple(str(folder / "salah.csv") if a == "BAD" else a for a in args)
    done = run(env, "plan", "--region", "64.02", *args) if "--region" not in args \
        else run(env, "plan", *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in " ".join(done.stderr.split()) and "Traceback" not in done.stderr
