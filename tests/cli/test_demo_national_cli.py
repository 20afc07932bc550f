"""`mitradesa demo national` as a user runs it, on both backends."""

from __future__ import annotations

from tests.cli.conftest import run


def test_adds_the_set_once_and_says_so(cli_env):
    done = run(cli_env, "demo", "national", "--villages", "20", "--years", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("DATA DEMO (sintetis): 40 desa-tahun IDM ditambahkan")
    assert "(20 desa di 1 kabupaten/kota, 1 provinsi, 2023–2024)" in done.stdout
    assert "20 desa Indeks Desa 2025 ditambahkan" in done.stdout
    again = run(cli_env, "demo", "national", "--villages", "20", "--years", "2")
    assert again.returncode == 0, again.stderr
    assert "sudah ada" in again.stdout and "tidak ada yang ditambahkan" in again.stdout


def test_refuses_no_villages_with_a_message(cli_env):
    done = run(cli_env, "demo", "national", "--villages", "0")
    assert done.returncode == 2
    assert "Jumlah desa harus paling sedikit 1 (diberikan 0)" in done.stderr
    done = run(cli_env, "demo", "national", "--villages", "5", "--years", "12")
    assert done.returncode == 2 and "Jumlah tahun harus 1–10" in done.stderr
