"""Two writes to one enrolment at once, on real connections to a committed database (each
backend its own copy): graduation, leaving and outcomes are serialised, so the one that waits
decides on what the other committed. Before, on PostgreSQL a graduation racing a leave ended
`keluar` at the last stage, and one racing an outcome of 0 ended `lulus` below its own
turnover criterion; on SQLite the loser failed with "database is locked"."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from itertools import count
from typing import Any

import pytest
from sqlalchemy.orm import Session

from mitradesa.db.session import make_engine, session_factory
from mitradesa.errors import MitradesaError
from mitradesa.mentoring import beneficiaries, enrolments, outcomes, programs
from mitradesa.mentoring.models import Enrolment
from tests.conftest import SEPATIN

CRITERION = 10_000_000
ENROLLED = date.today() - timedelta(days=30)
Action = Callable[[Session, Enrolment], Any]
_numbers = count(1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, registry_copy):
    engine = make_engine(registry_copy(request.param, "mitradesa_races"))
    yield engine
    engine.dispose()


@pytest.fixture
def enrolment_id(engine) -> int:
    """An UMKM enrolled with a turnover above the program's criterion: ready to graduate."""
    with session_factory(engine)() as session:
        program = programs.create_program(
            session, None, name="Program Balapan", funder="apbd", target_type="umkm",
            village_codes=[SEPATIN], graduation_criteria=[
                {"kind": "omzet_minimal", "value": CRITERION}])
        shop = beneficiaries.register_umkm(
            session, None, name=f"Usaha {next(_numbers)}", owner_name="Rahmah",
            village_code=SEPATIN, monthly_turnover_rupiah=12_000_000)
        enrolment = enrolments.enrol(session, None, program, on=ENROLLED, umkm_id=shop.id)
        session.commit()
        return enrolment.id


def race(engine, key: int, first: Action, second: Action) -> tuple[Any, Any]:
    """`first` writes and holds its transaction open; `second` starts meanwhile on another
    connection; then `first` commits. Each result is "ok" or the exception raised."""
    holding, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def run(name: str, action: Action, hold: bool) -> None:
        with session_factory(engine)() as session:
            try:
                action(session, enrolments.get_enrolment(session, key))
                if hold:
                    holding.set()
                    release.wait(10)
                session.commit()
                results[name] = "ok"
            except Exception as error:  # the test inspects whatever happened
                session.rollback()
                results[name] = error
            finally:
                holding.set()

    one = threading.Thread(target=run, args=("first", first, True))
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=run, args=("second", second, False))
    two.start()
    two.join(0.8)  # time to finish (no serialisation) or to wait for the lock
    release.set()
    one.join(15)
    two.join(15)
    return results["first"], results["second"]


def graduate(session: Session, enrolment: Enrolment) -> None:
    enrolments.graduate(session, None, enrolment, on=date.today())


def leave(session: Session, enrolment: Enrolment) -> None:
    enrolments.leave(session, None, enrolment, reason="pindah", on=date.today())


def turnover_zero(session: Session, enrolment: Enrolment) -> None:
    outcomes.record_outcome(session, None, enrolment, measured_on=date.today(),
                            monthly_turnover_rupiah=0)


def final(engine, key: int) -> Enrolment:
    with session_factory(engine)() as session:
        return enrolments.get_enrolment(session, key)


def refused(result: Any) -> bool:
    """A refusal the user can act on (never a database error)."""
    return isinstance(result, MitradesaError) and result.status in (400, 409)


@pytest.mark.parametrize("order", ["leave first", "graduation first"])
def test_a_graduation_racing_a_leave_ends_one_way_or_the_other(engine, enrolment_id, order):
    first, second = (leave, graduate) if order == "leave first" else (graduate, leave)
    results = race(engine, enrolment_id, first, second)
    assert results[0] == "ok" and refused(results[1]), results
    after = final(engine, enrolment_id)
    last_stage = len(after.program.stages)
    if order == "leave first":
        assert (after.status, after.leave_reason) == ("keluar", "pindah")
        assert after.stage < last_stage
    else:
        assert (after.status, after.leave_reason, after.stage) == ("lulus", "lulus", last_stage)


@pytest.mark.parametrize("order", ["outcome first", "graduation first"])
def test_a_graduation_racing_an_outcome_of_zero_never_ends_below_its_criterion(
        engine, enrolment_id, order):
    first, second = ((turnover_zero, graduate) if order == "outcome first"
                     else (graduate, turnover_zero))
    results = race(engine, enrolment_id, first, second)
    assert results[0] == "ok" and refused(results[1]), results
    after = final(engine, enrolment_id)
    latest = outcomes.enrolment_latest(after).monthly_turnover_rupiah
    assert after.status == ("aktif" if order == "outcome first" else "lulus")
    assert latest == (0 if order == "outcome first" else 12_000_000)
    if after.status == "lulus":
        assert latest >= CRITERION
