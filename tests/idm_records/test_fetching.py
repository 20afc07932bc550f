"""Downloading the ministry's `rumusan` answers: against a real HTTP server on loopback that
replays the shared samples and misbehaves on request (no network, no mocks)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from mitradesa.idm_records.fetching import (
    STATE_FILE,
    FetchOptions,
    IdmFetchError,
    fetch_rumusan,
    parse_years,
    villages_to_fetch,
)
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import Region
from tests.idm_records.replay import SAMPLES, TROUBLE, ReplayServer, sample_files

KLUET_UTARA = [f"11010220{n:02d}" for n in range(1, 22)]  # 11.01.02: 21 desa
YEARS = [2021, 2022, 2023, 2024]


def quick(server: ReplayServer, **changes: float) -> FetchOptions:
    values = {"rate": 1000.0, "retries": 2, "backoff": 0.01, "timeout": 0.3, **changes}
    return FetchOptions(base_url=server.base_url, **values)  # type: ignore[arg-type]


@pytest.fixture
def server():
    if not SAMPLES.is_dir():
        pytest.skip("../shared/data/idm-official is not beside this checkout")
    with ReplayServer() as replay:
        replay.slow_seconds = 0.6
        yield replay


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_years_are_read_as_ranges_single_years_and_lists():
    assert parse_years("2021-2024") == [2021, 2022, 2023, 2024]
    assert parse_years("2023") == [2023]
    assert parse_years("2021,2023") == [2021, 2023]
    assert parse_years(" 2021 - 2022 , 2024,2022") == [2021, 2022, 2024]


@pytest.mark.parametrize("text", ["", "21-24", "2024-2021", "dua ribu", "2021;2022", "1999"])
def test_bad_years_are_a_clear_error(text):
    with pytest.raises(IdmFetchError, match=r"[Tt]ahun"):
        parse_years(text)


@pytest.mark.parametrize("changes", [{"rate": 0}, {"retries": -1}, {"timeout": 0},
                                     {"base_url": "idm.kemendesa.go.id"}])
def test_impossible_options_are_refused(changes):
    values = {"base_url": "http://127.0.0.1:1", **changes}
    with pytest.raises(IdmFetchError):
        FetchOptions(**values)


def test_the_desa_of_a_kecamatan_or_one_desa_are_fetched(db):
    region, codes = villages_to_fetch(db, "11.01.02")
    assert (region.name, codes) == ("Kluet Utara", KLUET_UTARA)
    assert villages_to_fetch(db, "1101022005")[1] == ["1101022005"]
    with pytest.raises(RegionNotFoundError, match=r"99\.99"):
        villages_to_fetch(db, "99.99")
    kelurahan = db.scalars(select(Region).where(Region.kind == "kelurahan").limit(1)).one()
    with pytest.raises(IdmFetchError, match="kelurahan"):
        villages_to_fetch(db, kelurahan.code)


def test_a_kecamatan_is_downloaded_and_every_answer_reported(server, tmp_path):
    server.misbehave.update(TROUBLE)
    folder = tmp_path / "11.01.02"
    seen: list[tuple[int, int]] = []
    report = fetch_rumusan(KLUET_UTARA, YEARS, folder, quick(server),
                           progress=lambda done, total, stage: seen.append((done, total)))

    assert report.asked == 84
    downloaded = sorted(p.name for p in report.downloaded)
    assert downloaded == ["1101022001_2021.json", "1101022005_2023.json",
                          "1101022005_2024.json", "1101022006_2022.json",
                          "1101022007_2021.json"]
    samples = sample_files()
    for path in report.downloaded:  # kept verbatim
        code, year = path.stem.split("_")
        assert path.read_bytes() == samples[(code, int(year))].read_bytes()
    unknown = report.unknown_by_code()
    assert len(unknown) == 17 and all(years == YEARS for years in unknown.values())
    assert "1101022002" in unknown and "1101022001" not in unknown
    assert {a.reason for a in report.unknown_codes} == {"ID Desa tidak ditemukan"}
    not_served = {(a.code, a.year): a.reason for a in report.years_not_served}
    assert not_served == {
        ("1101022005", 2021): "API mengirim data tahun 2023",
        ("1101022005", 2022): "API mengirim data tahun 2023",
        ("1101022006", 2021): "HTTP 404: Data tahun ini belum tersedia",
        ("1101022006", 2023): "HTTP 404: Data tahun ini belum tersedia",
        ("1101022006", 2024): "HTTP 404: Data tahun ini belum tersedia",
        ("1101022007", 2022): "API mengirim data tahun 2021",
        ("1101022007", 2023): "API mengirim data tahun 2021",
        ("1101022007", 2024): "API mengirim data tahun 2021",
    }
    failed = {(f.code, f.year): f.kind for f in report.failed}
    assert failed == {("1101022001", 2022): "server", ("1101022001", 2023): "timeout",
                      ("1101022001", 2024): "invalid_json"}
    assert [f.year for f in report.timeouts] == [2023]
    # each transient failure was tried 1 + 2 times; the 500-once case twice
    assert server.seen["/rumusan/1101022001/2021"] == 2
    assert server.seen["/rumusan/1101022001/2024"] == 3
    assert report.requests == len(server.log) == 84 + 1 + 2 * 3
    assert (report.unreachable, report.not_tried, report.reached_nothing) == (None, 0, False)
    # data of another year was not kept under the year asked
    assert not (folder / "1101022007_2022.json").exists()
    assert seen[-1] == (84, 84)

    state = json.loads((folder / STATE_FILE).read_text())["outcomes"]
    assert state["1101022002_2021"]["outcome"] == "unknown_code"
    assert state["1101022005_2021"]["outcome"] == "year_not_served"
    assert state["1101022001_2023"]["outcome"] == "failed"
    assert "1101022001_2021" not in state


def test_a_second_run_retries_only_failures_and_a_third_asks_nothing(server, tmp_path):
    server.misbehave.update(TROUBLE)
    folder = tmp_path / "11.01.02"
    fetch_rumusan(KLUET_UTARA, YEARS, folder, quick(server))

    server.misbehave.clear()
    server.log.clear()
    second = fetch_rumusan(KLUET_UTARA, YEARS, folder, quick(server))
    assert sorted(server.requested()) == [("1101022001", 2022), ("1101022001", 2023),
                                          ("1101022001", 2024)]
    assert (len(second.downloaded), len(second.already_had)) == (3, 5)
    assert second.failed == [] and second.earlier_answers == 17 * 4 + 8
    assert len(second.unknown_by_code()) == 17 and len(second.years_not_served) == 8
    assert len(second.saved_files) == 8

    before = snapshot(folder)
    server.log.clear()
    third = fetch_rumusan(KLUET_UTARA, YEARS, folder, quick(server))
    assert server.log == [] and third.requests == 0
    assert (len(third.downloaded), len(third.already_had)) == (0, 8)
    assert snapshot(folder) == before


def test_an_unreachable_server_midway_stops_the_run_and_the_next_run_resumes(server, tmp_path):
    folder = tmp_path / "11.01.02"
    server.stop_after = 10
    first = fetch_rumusan(KLUET_UTARA, YEARS, folder, quick(server, rate=50.0))
    assert first.unreachable and "tidak dapat terhubung" in first.unreachable
    assert first.not_tried > 0 and first.reached_nothing is False
    done_first = {(c, int(y)) for c, y in (p.stem.split("_") for p in folder.glob("1*.json"))}
    state = json.loads((folder / STATE_FILE).read_text())["outcomes"]
    done_first |= {(k.split("_")[0], int(k.split("_")[1])) for k, v in state.items()
                   if v["outcome"] != "failed"}
    assert len(done_first) >= 9

    with ReplayServer() as again:
        second = fetch_rumusan(KLUET_UTARA, YEARS, folder, quick(again))
        asked_again = set(again.requested())
    assert asked_again.isdisjoint(done_first)
    assert asked_again | done_first == {(c, y) for c in KLUET_UTARA for y in YEARS}
    assert second.unreachable is None
    assert len(second.saved_files) == 8  # every sample of 11.01.02 for the years asked


def test_nothing_reachable_is_reported_as_such(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = FetchOptions(base_url=f"http://127.0.0.1:{port}", retries=1, backoff=0.01,
                           rate=1000.0, timeout=0.5)
    report = fetch_rumusan(KLUET_UTARA, YEARS, tmp_path / "x", options)
    assert report.reached_nothing and report.requests == 2 and report.answered == 0
    assert report.not_tried == 83 and report.downloaded == []


def test_requests_are_paced_to_the_rate_asked(server, tmp_path):
    started = time.monotonic()
    report = fetch_rumusan(["1101022001"], YEARS, tmp_path / "f", quick(server, rate=10.0))
    elapsed = time.monotonic() - started
    assert len(report.downloaded) == 4
    assert elapsed >= 0.29  # 4 requests, 0.1 s apart


def test_retries_back_off_exponentially(server, tmp_path):
    server.misbehave["1101022001"] = "error"
    started = time.monotonic()
    report = fetch_rumusan(["1101022001"], [2021], tmp_path / "f",
                           quick(server, retries=3, backoff=0.1))
    elapsed = time.monotonic() - started
    assert server.seen["/rumusan/1101022001/2021"] == 4
    assert [f.reason for f in report.failed] == ["HTTP 500 dari server"]
    assert elapsed >= 0.1 + 0.2 + 0.4 - 0.02
