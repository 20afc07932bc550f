"""Download IDM results (`rumusan`) from the ministry's open API: politely and resumably.

`GET {base}/rumusan/{kode_desa}/{tahun}` for every village of a region and every year asked.
Each usable answer is kept verbatim as `{kode10}_{tahun}.json` in one folder per region, and
`state.json` beside the files records every answer that was not a file: codes the API does
not know (HTTP 400 "ID Desa tidak ditemukan"), years it does not serve (another 4xx, an error
envelope, or data of another year: the API answers some requests with the data of a different
year, which must not be imported under the year asked for), and failures after retries
(timeouts, 5xx, truncated JSON, broken connections). A second run asks only what is neither
stored nor definitively answered. Requests go one at a time, at most `rate` per second;
transient failures are retried with exponential back-off.

Nothing here writes to the database; importing the saved files is the caller's next step.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.orm import Session

from mitradesa import __version__
from mitradesa.errors import MitradesaError
from mitradesa.idm.rumusan import RumusanError, parse_rumusan
from mitradesa.idm_records.importing import FIRST_YEAR, LAST_YEAR
from mitradesa.regions.codes import plain_code
from mitradesa.regions.models import Region
from mitradesa.regions.queries import descendants, get_region

Progress = Callable[[int, int, str], None]
STATE_FILE = "state.json"
# The IDM covers desa only: every village-year the ministry published for 2021-2024
# (../shared/data/idm-official, 8,912 of them) has a desa code (type digit 2), none a
# kelurahan; asking about kelurahan would only add "unknown code" answers.
FETCH_KINDS = ("desa",)
UNKNOWN_CODE = "unknown_code"
NOT_SERVED = "year_not_served"
FAILED = "failed"
DEFINITIVE = (UNKNOWN_CODE, NOT_SERVED)
MAX_BACKOFF = 60.0
_TEN_DIGITS = re.compile(r"^\d{10}$")
_YEAR_PART = re.compile(r"^(\d{4})(?:\s*-\s*(\d{4}))?$")


class IdmFetchError(MitradesaError):
    reason = "idm_fetch_invalid"


def parse_years(text: str) -> list[int]:
    """`2021-2024`, `2023`, `2021,2023` or a mix (`2021-2022,2024`) → sorted distinct years."""
    years: set[int] = set()
    parts = [part.strip() for part in str(text).split(",")]
    for part in parts:
        match = _YEAR_PART.match(part)
        if not match:
            raise IdmFetchError(
                f"Tahun tidak sah: {text!r}. Contoh: 2021-2024, 2023, atau 2021,2023."
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first > last:
            raise IdmFetchError(f"Rentang tahun terbalik: {part!r} (tulis {last}-{first}).")
        if first < FIRST_YEAR or last > LAST_YEAR:
            raise IdmFetchError(
                f"Tahun {part} di luar rentang IDM ({FIRST_YEAR}–{LAST_YEAR})."
            )
        years.update(range(first, last + 1))
    return sorted(years)


def villages_to_fetch(session: Session, raw_code: str) -> tuple[Region, list[str]]:
    """The region and the 10-digit codes of its desa (the region itself when it is one)."""
    region = get_region(session, raw_code)
    if region.kind in FETCH_KINDS:
        villages = [region]
    elif region.kind in ("kelurahan", "desa_persiapan"):
        raise IdmFetchError(
            f"{region.name} ({region.code}) adalah {region.kind.replace('_', ' ')}; "
            "IDM hanya diterbitkan untuk desa dengan kode definitif."
        )
    else:
        villages = descendants(session, region.code, kinds=FETCH_KINDS)
    codes = [plain_code(v.code) for v in villages if _TEN_DIGITS.match(plain_code(v.code))]
    if not codes:
        raise IdmFetchError(f"Tidak ada desa di bawah {region.name} ({region.code}).")
    return region, codes


@dataclass(frozen=True)
class FetchOptions:
    base_url: str
    rate: float = 2.0  # requests per second, at most
    retries: int = 3  # extra tries after a transient failure
    backoff: float = 1.0  # seconds before the first retry; doubled for each further one
    timeout: float = 30.0  # seconds to wait for each answer

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^/\s]+", self.base_url or ""):
            raise IdmFetchError(
                f"URL dasar API tidak sah: {self.base_url!r} (mis. "
                "https://idm.kemendesa.go.id/open/api/desa)."
            )
        if not self.rate > 0:
            raise IdmFetchError("--rate harus lebih dari 0 permintaan per detik.")
        if self.retries < 0:
            raise IdmFetchError("--retries tidak boleh negatif.")
        if self.backoff < 0:
            raise IdmFetchError("--backoff tidak boleh negatif.")
        if not self.timeout > 0:
            raise IdmFetchError("--timeout harus lebih dari 0 detik.")


@dataclass(frozen=True)
class Answer:
    """A village-year that gave no file: why, and whether an earlier run already knew."""

    code: str
    year: int
    reason: str
    earlier: bool = False

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.reason}"


@dataclass(frozen=True)
class Failure(Answer):
    kind: str = "server"  # timeout | server | invalid_json | connection | protocol


@dataclass
class FetchReport:
    folder: Path
    asked: int = 0  # village-years in scope
    requests: int = 0  # HTTP requests sent, retries included
    answered: int = 0  # requests the server answered (any status)
    downloaded: list[Path] = field(default_factory=list)
    already_had: list[Path] = field(default_factory=list)
    unknown_codes: list[Answer] = field(default_factory=list)
    years_not_served: list[Answer] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    not_tried: int = 0  # left when the server could no longer be reached
    unreachable: str | None = None

    @property
    def saved_files(self) -> list[Path]:
        return sorted(self.downloaded + self.already_had)

    @property
    def timeouts(self) -> list[Failure]:
        return [f for f in self.failed if f.kind == "timeout"]

    @property
    def earlier_answers(self) -> int:
        return sum(a.earlier for a in self.unknown_codes + self.years_not_served)

    @property
    def reached_nothing(self) -> bool:
        return self.requests > 0 and self.answered == 0

    def unknown_by_code(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for answer in self.unknown_codes:
            found.setdefault(answer.code, []).append(answer.year)
        return {code: sorted(years) for code, years in sorted(found.items())}


def _noop(done: int, total: int, stage: str) -> None:
    return None


class _State:
    """`state.json`: the answers that were not files, rewritten atomically on each change."""

    def __init__(self, folder: Path, base_url: str) -> None:
        self.path = folder / STATE_FILE
        self.base_url = base_url
        self.outcomes: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.outcomes = dict(data.get("outcomes") or {})
            except (ValueError, AttributeError):
                self.outcomes = {}  # unreadable: ask again rather than guess

    def get(self, code: str, year: int) -> dict[str, Any] | None:
        return self.outcomes.get(_key(code, year))

    def record(self, code: str, year: int, outcome: str | None, **details: Any) -> None:
        key = _key(code, year)
        if outcome is None:
            if self.outcomes.pop(key, None) is not None:
                self._save()
            return
        self.outcomes[key] = {
            "outcome": outcome, **details,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        self._save()

    def _save(self) -> None:
        data = {"base_url": self.base_url, "outcomes": dict(sorted(self.outcomes.items()))}
        _write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode())


def _key(code: str, year: int) -> str:
    return f"{code}_{year}"


def _write_atomically(path: Path, content: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    os.replace(partial, path)


class _Pace:
    """At most `rate` requests per second: each request starts 1/rate after the one before."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next_at = 0.0

    def wait(self, at_least: float = 0.0) -> None:
        now = time.monotonic()
        start = max(self.next_at, now + at_least)
        if start > now:
            time.sleep(start - now)
        self.next_at = max(start, time.monotonic()) + self.interval


def fetch_rumusan(
    codes: Iterable[str],
    years: Iterable[int],
    folder: Path,
    options: FetchOptions,
    *,
    progress: Progress = _noop,
) -> FetchReport:
    """Download what is neither in `folder` nor definitively answered there before."""
    codes, years = list(codes), list(years)
    folder.mkdir(parents=True, exist_ok=True)
    state = _State(folder, options.base_url)
    report = FetchReport(folder, asked=len(codes) * len(years))
    pending: list[tuple[str, int]] = []
    for code in codes:
        for year in years:
            path = folder / f"{_key(code, year)}.json"
            earlier = state.get(code, year)
            if path.is_file():
                report.already_had.append(path)
            elif earlier is not None and earlier.get("outcome") in DEFINITIVE:
                answer = Answer(code, year, str(earlier.get("reason", "")), earlier=True)
                _listed(report, earlier["outcome"]).append(answer)
            else:
                pending.append((code, year))
    done = report.asked - len(pending)
    progress(done, report.asked, "mengunduh")
    pace = _Pace(options.rate)
    headers = {"User-Agent": f"mitradesa/{__version__} (DPMD; IDM fetch)",
               "Accept": "application/json"}
    with httpx.Client(base_url=options.base_url.rstrip("/"), headers=headers,
                      timeout=options.timeout, follow_redirects=True) as client:
        for position, (code, year) in enumerate(pending):
            outcome = _fetch_one(client, pace, options, code, year, folder, report)
            if isinstance(outcome, Path):
                report.downloaded.append(outcome)
                state.record(code, year, None)
            elif isinstance(outcome, Failure):
                report.failed.append(outcome)
                state.record(code, year, FAILED, kind=outcome.kind, reason=outcome.reason)
                if outcome.kind == "connection":
                    report.unreachable = outcome.reason
                    report.not_tried = len(pending) - position - 1
                    break
            else:
                kind, answer = outcome
                _listed(report, kind).append(answer)
                state.record(code, year, kind, reason=answer.reason)
            done += 1
            progress(done, report.asked, "mengunduh")
    return report


def _listed(report: FetchReport, outcome: str) -> list[Answer]:
    return report.unknown_codes if outcome == UNKNOWN_CODE else report.years_not_served


def _fetch_one(
    client: httpx.Client, pace: _Pace, options: FetchOptions, code: str, year: int,
    folder: Path, report: FetchReport,
) -> Path | Failure | tuple[str, Answer]:
    """One village-year, retried while the failure is transient; the last failure if none."""
    failure: Failure | None = None
    asked_wait = 0.0
    for attempt in range(options.retries + 1):
        wait = 0.0
        if attempt:
            wait = max(asked_wait, min(options.backoff * 2 ** (attempt - 1), MAX_BACKOFF))
        pace.wait(wait)
        asked_wait = 0.0
        report.requests += 1
        try:
            response = client.get(f"/rumusan/{code}/{year}")
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            failure = Failure(code, year, f"tidak dapat terhubung ke server ({exc})",
                              kind="connection")
        except httpx.TimeoutException:
            failure = Failure(code, year, f"waktu habis: tidak ada jawaban dalam "
                                          f"{options.timeout:g} detik", kind="timeout")
        except httpx.TransportError as exc:
            failure = Failure(code, year, f"sambungan terputus di tengah jawaban ({exc})",
                              kind="protocol")
        else:
            report.answered += 1
            verdict = _judge(response, code, year, folder)
            if not isinstance(verdict, Failure):
                return verdict
            failure = verdict
            asked_wait = _retry_after(response)
    assert failure is not None
    return failure


def _judge(
    response: httpx.Response, code: str, year: int, folder: Path
) -> Path | Failure | tuple[str, Answer]:
    status = response.status_code
    if status == 200:
        try:
            data = json.loads(response.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return Failure(code, year, f"JSON tidak utuh atau rusak ({len(response.content)} "
                                       "bait diterima)", kind="invalid_json")
        if isinstance(data, dict) and data.get("error"):
            return NOT_SERVED, Answer(code, year, _message(data) or "API menjawab dengan galat")
        try:
            record = parse_rumusan(data)
        except RumusanError as exc:
            return NOT_SERVED, Answer(code, year, f"jawaban tanpa data IDM: {exc}")
        if record.tahun != year:
            return NOT_SERVED, Answer(code, year, f"API mengirim data tahun {record.tahun}")
        path = folder / f"{_key(code, year)}.json"
        _write_atomically(path, response.content)
        return path
    if status in (408, 425, 429) or status >= 500:
        return Failure(code, year, f"HTTP {status} dari server", kind="server")
    message = _message(_json_or_none(response))
    if status == 400 and "tidak ditemukan" in message.lower():
        return UNKNOWN_CODE, Answer(code, year, message)
    if 400 <= status < 500:
        return NOT_SERVED, Answer(code, year, f"HTTP {status}" + (f": {message}" if message
                                                                   else ""))
    return Failure(code, year, f"jawaban tak terduga HTTP {status}", kind="server")


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None


def _message(data: Any) -> str:
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"]).strip()[:200]
    return ""


def _retry_after(response: httpx.Response) -> float:
    """Seconds the server asked us to wait (429/503 `Retry-After`), capped."""
    value = response.headers.get("Retry-After", "")
    return min(float(value), MAX_BACKOFF) if value.isdigit() else 0.0
