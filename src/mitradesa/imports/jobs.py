"""The confirmed import as a background job: a thread that runs it and reports progress, so
that the result page can show a progress bar while it works.

Jobs live in this process's memory while they run; their outcome is also written next to the
staged upload (`result.json`), so the result page still shows it after the job is gone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from mitradesa.imports.outcome import Outcome, Problem
from mitradesa.imports.staging import Staged

log = logging.getLogger("mitradesa.imports")
Progress = Callable[[int, int, str], None]
Work = Callable[[Progress], Outcome]


@dataclass
class Job:
    token: str
    state: str = "running"  # running | done | failed
    done: int = 0
    total: int = 0
    stage: str = ""
    outcome: Outcome | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def percent(self) -> int:
        if self.state != "running":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def report(self, done: int, total: int, stage: str) -> None:
        with self.lock:
            self.done, self.total, self.stage = done, total, stage


_JOBS: dict[str, Job] = {}
_GUARD = threading.Lock()


def get(token: str) -> Job | None:
    with _GUARD:
        return _JOBS.get(token)


def start(staged: Staged, work: Work, *, background: bool = True) -> Job:
    """Start the import of `staged` once: a second confirmation of the same upload returns
    the job already running (or done) instead of importing twice."""
    with _GUARD:
        existing = _JOBS.get(staged.token)
        if existing is not None:
            return existing
        finished = staged.load_json("result.json")
        if finished is not None:
            outcome = Outcome.from_json(finished)
            return Job(staged.token, state="done" if outcome.ok else "failed", outcome=outcome)
        job = Job(staged.token)
        _JOBS[staged.token] = job
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
