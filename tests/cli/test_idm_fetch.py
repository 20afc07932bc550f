"""`mitradesa idm fetch` as a user runs it: a real process, a real database per backend, and a
real HTTP server on loopback replaying the ministry's answers (and misbehaving)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.conftest import BIN, run
from tests.idm_records.replay import SAMPLES, TROUBLE, ReplayServer, sample_files

QUICK = ("--rate", "1000", "--retries", "2", "--backoff", "0.01", "--timeout", "0.3")


@pytest.fixture(scope="module")
def server():
    if not SAMPLES.is_dir():
        pytest.skip("../shared/data/idm-official is not beside this checkout")
    with ReplayServer() as replay:
        replay.slow_seconds = 0.6
        yield replay


def fetch(env, server: ReplayServer, *args: str) -> subprocess.CompletedProcess[str]:
    return run(env, "idm", "fetch", "--base-url", server.base_url, *QUICK, *args)


def folder_of(env, region: str) -> Path:
    return Path(env["MITRADESA_DATA_DIR"]) / "fetch" / region


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def first_run(cli_env, server):
    server.misbehave.clear()
    server.misbehave.update(TROUBLE)
    server.log.clear()
    done = fetch(cli_env, server, "--region", "11.01.02", "--years", "2021-2024")
    server.misbehave.clear()
    return done


def test_a_kecamatan_is_fetched_imported_and_reported(cli_env, first_run):
    assert first_run.returncode == 0, first_run.stderr
    out = first_run.stdout
    assert "Kluet Utara (11.01.02): 21 desa × 4 tahun (2021–2024)" in out
    assert "5 desa-tahun diunduh, 0 sudah ada dari unduhan sebelumnya" in out
    assert '17 kode desa tidak dikenal API ("ID Desa tidak ditemukan")' in out
    assert "  1101022002 (2021, 2022, 2023, 2024)" in out
    assert "8 desa-tahun tidak dilayani API untuk tahun itu" in out
    assert "  1101022007 2022: API mengirim data tahun 2021" in out
    assert "3 desa-tahun gagal setelah semua percobaan ulang" in out
    assert "  1101022001 2022: HTTP 500 dari server" in out
    assert "  1101022001 2023: waktu habis" in out
    assert "  1101022001 2024: JSON tidak utuh" in out
    assert "5 desa-tahun baru, 0 diperbarui, 0 tetap." in out


def test_fetched_answers_are_kept_verbatim_and_shown(cli_env, first_run):
    folder = folder_of(cli_env, "11.01.02")
    samples = sample_files()
    kept = sorted(folder.glob("*_*.json"))
    assert [p.name for p in kept] == ["1101022001_2021.json", "1101022005_2023.json",
                                      "1101022005_2024.json", "1101022006_2022.json",
                                      "1101022007_2021.json"]
    for path in kept:
        code, year = path.stem.split("_")
        assert path.read_bytes() == samples[(code, int(year))].read_bytes()
    shown = run(cli_env, "idm", "show", "1101022005", "--year", "2024", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert (data["kode_desa"], data["tahun"], data["nama_desa"]) == ("1101022005", 2024,
                                                                     "Pulo Ie I")
    published = json.loads(samples[("1101022005", 2024)].read_text())["mapData"]["SUMMARIES"]
    assert data["status"] == published["STATUS"]
    # the 2021 data sent for 2022 was not imported under 2022
    wrong = run(cli_env, "idm", "show", "1101022007", "--year", "2022")
    assert wrong.returncode == 2


def test_a_second_run_retries_only_failures_and_a_third_changes_nothing(
    cli_env, server, first_run
):
    server.log.clear()
    second = fetch(cli_env, server, "--region", "11.01.02", "--years", "2021-2024")
    assert second.returncode == 0, second.stderr
    assert sorted(server.requested()) == [("1101022001", 2022), ("1101022001", 2023),
                                          ("1101022001", 2024)]
    assert "3 desa-tahun diunduh, 5 sudah ada dari unduhan sebelumnya" in second.stdout
    assert "76 desa-tahun sudah dijawab API pada unduhan sebelumnya" in second.stdout
    assert "gagal" not in second.stdout
    assert "3 desa-tahun baru, 0 diperbarui, 0 tetap." in second.stdout

    folder = folder_of(cli_env, "11.01.02")
    before = snapshot(folder)
    shown_before = run(cli_env, "idm", "show", "1101022001", "--year", "2023", "--format",
                       "json").stdout
    server.log.clear()
    third = fetch(cli_env, server, "--region", "110102", "--years", "2021-2024")
    assert third.returncode == 0, third.stderr
    assert server.log == []
    assert "0 desa-tahun diunduh, 8 sudah ada dari unduhan sebelumnya, 0 permintaan" in (
        third.stdout)
    assert third.stdout.count("sudah pernah diimpor, tidak ada yang berubah.") == 8
    assert "desa-tahun baru" not in third.stdout
    assert snapshot(folder) == before
    assert run(cli_env, "idm", "show", "1101022001", "--year", "2023", "--format",
               "json").stdout == shown_before


def test_an_interrupted_run_resumes_where_it_stopped(cli_env, server):
    server.log.clear()
    args = ["idm", "fetch", "--region", "11.01.03", "--years", "2021-2022",
            "--base-url", server.base_url, "--rate", "15", "--timeout", "5"]
    process = subprocess.Popen([BIN, *args], env=cli_env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(server.log) < 8 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    first = set(server.requested())
    assert 8 <= len(first) < 34

    folder = folder_of(cli_env, "11.01.03")
    state = json.loads((folder / "state.json").read_text())["outcomes"]
    settled = {(p.stem[:10], int(p.stem[11:])) for p in folder.glob("*_*.json")}
    settled |= {(key[:10], int(key[11:])) for key in state}
    assert len(settled) >= 7

    server.log.clear()
    done = fetch(cli_env, server, "--region", "11.01.03", "--years", "2021-2022")
    assert done.returncode == 0, done.stderr
    again = set(server.requested())
    assert again.isdisjoint(settled)
    everything = {(f"11010320{n:02d}", y) for n in range(1, 18) for y in (2021, 2022)}
    assert again | settled == everything
    assert sorted(p.name for p in folder.glob("*_*.json")) == ["1101032008_2021.json",
                                                               "1101032008_2022.json"]
    shown = run(cli_env, "idm", "show", "11.01.03.2008", "--year", "2022")
    assert shown.returncode == 0, shown.stderr


def test_no_import_only_downloads(cli_env, server):
    done = fetch(cli_env, server, "--region", "1102042001", "--years", "2022", "--no-import")
    assert done.returncode == 0, done.stderr
    assert "1 desa-tahun diunduh" in done.stdout and "dibaca" not in done.stdout
    assert (folder_of(cli_env, "11.02.04.2001") / "1102042001_2022.json").is_file()
    assert run(cli_env, "idm", "show", "1102042001", "--year", "2022").returncode == 2
    done = fetch(cli_env, server, "--region", "1102042001", "--years", "2022")
    assert "1 desa-tahun baru" in done.stdout
    assert run(cli_env, "idm", "show", "1102042001", "--year", "2022").returncode == 0


def test_a_server_nobody_answers_is_a_clear_error(cli_env):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run(cli_env, "idm", "fetch", "--region", "11.01.04", "--years", "2024",
               "--base-url", f"http://127.0.0.1:{port}", "--retries", "1", "--backoff", "0")
    assert done.returncode == 2
    assert "Server API IDM tidak dapat dihubungi" in done.stderr
    assert "tidak ada yang diimpor" in done.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--region", "99.99", "--years", "2024"], "99.99"),
    (["--region", "11.01.02", "--years", "2024-2021"], "Rentang tahun terbalik"),
    (["--region", "11.01.02", "--years", "kemarin"], "Tahun tidak sah"),
    (["--region", "11.01.02", "--years", "2024", "--rate", "0"], "--rate"),
])
def test_bad_input_is_a_clear_error(cli_env, args, message):
    done = run(cli_env, "idm", "fetch", "--base-url", "http://127.0.0.1:9", *args)
    assert done.returncode == 2
    assert message in done.stderr
