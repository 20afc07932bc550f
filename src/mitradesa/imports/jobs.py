"""The confirmed import as a background job: a thread that runs it and reports progress, so
that the result page can show a progress bar while it works.

The job's progress and outcome are written next to the staged upload (`progress.json`, then
`result.json`), so that any server process (several workers) can show them, and the result
stays after the job is gone. A job that stops reporting for `STALE` seconds without a result
(the server was stopped mid-import: its transaction was never committed) counts as failed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mitradesa.imports.outcome import Outcome, Problem
from mitradesa.imports.staging import Staged

log = logging.getLogger("mitradesa.imports")
Progress = Callable[[int, int, str], None]
Work = Callable[[Progress], Outcome]
STALE = 15 * 60
INTERRUPTED = "impor terhenti sebelum selesai (server dihentikan); tidak ada yang disimpan"


@dataclass
class Job:
    token: str
    state: str = "running"  # running | done | failed
    done: int = 0
    total: int = 0
    stage: str = ""
    outcome: Outcome | None = None
    staged: Staged | None = field(default=None, repr=False)
    written_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def percent(self) -> int:
        if self.state != "running":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def report(self, done: int, total: int, stage: str) -> None:
        with self.lock:
            self.done, self.total, self.stage = done, total, stage
            if self.staged is not None and time.time() - self.written_at >= 0.5:
                self.write_progress()

    def write_progress(self) -> None:
        assert self.staged is not None
        self.staged.save_json("progress.json", {"done": self.done, "total": self.total,
                                                "stage": self.stage, "at": time.time()})
        self.written_at = time.time()


_JOBS: dict[str, Job] = {}
_GUARD = threading.Lock()


def status(staged: Staged) -> Job | None:
    """The job of this upload as any process sees it: finished (from `result.json`),
    running (in this process, or reported by another in `progress.json`), or None when it
    was never confirmed."""
    finished = staged.load_json("result.json")
    if finished is not None:
        outcome = Outcome.from_json(finished)
        return Job(staged.token, state="done" if outcome.ok else "failed", outcome=outcome)
    with _GUARD:
        mine = _JOBS.get(staged.token)
    if mine is not None:
        return mine
    progress = staged.load_json("progress.json")
    if progress is None:
        return None
    if time.time() - progress.get("at", 0) > STALE:
        outcome = Outcome(problems=[Problem(staged.filename, None, INTERRUPTED)])
        return Job(staged.token, state="failed", outcome=outcome)
    return Job(staged.token, done=progress["done"], total=progress["total"],
               stage=progress["stage"])


def start(staged: Staged, work: Work, *, background: bool = True) -> Job:
    """Start the import of `staged` once: a second confirmation of the same upload (in this
    process or another) gets the job already running or done instead of importing twice."""
    try:
        (staged.folder / "confirmed").open("x").close()  # the one claim, across processes
    except FileExistsError:
        for _ in range(20):  # the claiming process writes its progress at once
            found = status(staged)
            if found is not None:
                return found
            time.sleep(0.05)
        return Job(staged.token)
    job = Job(staged.token, staged=staged)
    with _GUARD:
        _JOBS[staged.token] = job
    job.write_progress()
    if background:
        threading.Thread(target=_run, args=(job, staged, work), daemon=True,
                         name=f"import-{staged.token[:8]}").start()
    else:
        _run(job, staged, work)
    return job


def _run(job: Job, staged: Staged, work: Work) -> None:
    try:
        outcome = work(job.report)
    except Exception as exc:  # the reason shows on the result page; nothing was committed
        log.exception("import %s failed", staged.token[:8])
        reason = f"impor gagal, tidak ada yang disimpan ({str(exc)[:200]})"
        outcome = Outcome(problems=[Problem(staged.filename, None, reason)])
    staged.save_json("result.json", outcome.as_json())
    with job.lock:
        job.outcome = outcome
        job.state = "done" if outcome.ok else "failed"
    with _GUARD:
        _JOBS.pop(staged.token, None)  # the outcome is on disk from now on
