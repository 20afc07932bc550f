"""`mitradesa demo load`: the whole demo set, in one transaction, safe to run again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from mitradesa.demo.history import load_demo_history
from mitradesa.demo.idm import load_demo_idm
from mitradesa.demo.indeks_desa import load_demo_indeks_desa
from mitradesa.demo.mentoring import load_demo_mentoring
from mitradesa.demo.partnerships import load_demo_partnerships


@dataclass
class DemoReport:
    idm_village_years: int
    partnerships_created: bool
    mentoring_created: bool
    history_created: bool = False  # the earlier interventions (demo.history)
    indeks_desa_villages: int = 0  # 2025 Indeks Desa rows added (demo.indeks_desa)


def load_demo(
    session: Session, store: Path, today: date,
    progress: Callable[[int, int, str], None] | None = None,
) -> DemoReport:
    added = load_demo_idm(session, progress) if progress else load_demo_idm(session)
    # After the IDM: the 2025 Indeks Desa continues each village's 2024 IDM status.
    indeks_desa = (load_demo_indeks_desa(session, progress) if progress
                   else load_demo_indeks_desa(session))
    created = load_demo_partnerships(session, store, today)
    mentoring = load_demo_mentoring(session)
    return DemoReport(added, created, mentoring, load_demo_history(session, store),
                      indeks_desa)
