"""The `mitradesa` command as a user runs it: real process, real database (both backends)."""

from __future__ import annotations

import json
from collections import Counter

from tests.cli.conftest import run


def test_a_new_database_is_created_loaded_and_a_second_load_changes_nothing(
    cli_env, tmp_path, request
):
    env = {**cli_env, "MITRADESA_DATA_DIR": str(tmp_path)}
    if "MITRADESA_DATABASE_URL" in env:
        env["MITRADESA_DATABASE_URL"] = request.getfixturevalue("postgres").create_database(
            "cli_fresh")
    assert run(env, "db", "upgrade").returncode == 0
    first = run(env, "regions", "load")
    assert first.returncode == 0, first.stderr
    assert "91599 ditambahkan" in first.stdout
    again = run(env, "regions", "load")
    assert again.returncode == 0
    assert "0 ditambahkan" in again.stdout and "91599 tetap" in again.stdout


def test_regions_show_json_lists_kukar_and_everything_under_it(cli_env):
    done = run(cli_env, "regions", "show", "64.02", "--format", "json")
    items = json.loads(done.stdout)
    assert items[0] == {
        "kode": "64.02",
        "nama": "Kabupaten Kutai Kartanegara",
        "jenis": "kabupaten",
        "induk": "64",
    }
    assert Counter(i["jenis"] for i in items) == {
        "kabupaten": 1,
        "kecamatan": 20,
        "desa": 193,
        "kelurahan": 44,
    }
    assert set(items[1]) == {"kode", "nama", "jenis", "induk"}


def test_regions_search_json_finds_sepatin(cli_env):
    items = json.loads(run(cli_env, "regions", "search", "sepatin", "--format", "json").stdout)
    assert items[0] == {
        "kode": "64.02.04.2001",
        "nama": "Sepatin",
        "jenis": "desa",
        "induk": "64.02.04",
    }


def test_regions_search_finds_loh_sumber_as_loa_sumber(cli_env):
    items = json.loads(run(cli_env, "regions", "search", "loa sumber", "-f", "json").stdout)
    assert items[0]["kode"] == "64.02.02.2005"


def test_unknown_and_malformed_codes_exit_2_with_a_message(cli_env):
    unknown = run(cli_env, "regions", "show", "64.02.99")
    assert unknown.returncode == 2 and "tidak ditemukan" in unknown.stderr
    malformed = run(cli_env, "regions", "show", "6x")
    assert malformed.returncode == 2 and "tidak valid" in malformed.stderr
    assert "Traceback" not in malformed.stderr + unknown.stderr


def test_first_admin_is_created_and_a_duplicate_is_refused(cli_env):
    env = {**cli_env, "MITRADESA_NEW_PASSWORD": "kunci-pintu-balai-desa"}
    assert run(env, "users", "create", "admin", "--role", "admin").returncode == 0
    again = run(env, "users", "create", "admin", "--role", "admin")
    assert again.returncode == 2 and "sudah ada" in again.stderr


def test_desa_persiapan_is_added_and_shown_under_its_parent(cli_env):
    done = run(cli_env, "regions", "add-persiapan", "64.02.03.2007", "Loa Duri Seberang")
    assert done.returncode == 0 and "64.02.03.2007.P01" in done.stdout
    items = json.loads(run(cli_env, "regions", "show", "64.02.03", "-f", "json").stdout)
    assert {
        "kode": "64.02.03.2007.P01",
        "nama": "Loa Duri Seberang",
        "jenis": "desa_persiapan",
        "induk": "64.02.03.2007",
    } in items


def test_old_code_resolution_is_explained(cli_env):
    done = run(cli_env, "regions", "resolve", "6402082001")
    assert "64.02.19.2001" in done.stdout and "Kedang Ipil" in done.stdout


def test_usage_error_is_reported_without_traceback(cli_env):
    done = run(cli_env, "regions", "show")
    assert done.returncode == 2 and "Traceback" not in done.stderr
