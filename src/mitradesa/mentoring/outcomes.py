"""Outcomes of an enrolment: the baseline at enrolment, later measurements, and the latest
known figures that graduation is judged on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.mentoring.beneficiaries import beneficiary_of, beneficiary_village
from mitradesa.mentoring.checks import (
    Problems,
    may_edit_village,
    not_before,
    not_future,
    not_negative,
)
from mitradesa.mentoring.locks import lock_enrolment
from mitradesa.mentoring.models import Enrolment, Group, Household, Outcome, SupplyContract, Umkm
from mitradesa.mentoring.stages import BeneficiaryState, CriterionCheck, check_criteria
from mitradesa.mentoring.vocab import WELFARE_CLASSES
from mitradesa.reports.formatting import long_date


def baseline_of(beneficiary: Household | Umkm | Group, on: date) -> Outcome:
    """The beneficiary's figures at enrolment: the baseline outcomes are measured against."""
    if isinstance(beneficiary, Umkm):
        return Outcome(measured_on=on, monthly_turnover_rupiah=beneficiary.monthly_turnover_rupiah,
                       employees=beneficiary.employees, notes="baseline saat mendaftar")
    if isinstance(beneficiary, Household):
        return Outcome(measured_on=on, household_income_rupiah=beneficiary.monthly_income_rupiah,
                       welfare_class=beneficiary.welfare_class, notes="baseline saat mendaftar")
    return Outcome(measured_on=on, notes="baseline saat mendaftar")


MEASURES = ("monthly_turnover_rupiah", "employees", "household_income_rupiah", "welfare_class")


@dataclass(frozen=True)
class Figures:
    """A beneficiary's figures per measure as of `measured_on`, read from its measurements."""

    measured_on: date | None = None
    monthly_turnover_rupiah: int | None = None
    employees: int | None = None
    household_income_rupiah: int | None = None
    welfare_class: str | None = None


def in_order(outcomes: Iterable[Outcome], since: date | None = None) -> list[Outcome]:
    """Measurements on or after `since` (the enrolment), oldest first; on one date the one
    recorded last comes last."""
    return sorted((o for o in outcomes if since is None or o.measured_on >= since),
                  key=lambda o: (o.measured_on, o.id or 0))


def _figures(measurements: list[Outcome]) -> Figures | None:
    """Per measure, the value of the last of `measurements` that holds it."""
    if not measurements:
        return None
    values: dict[str, Any] = {}
    for outcome in measurements:
        for key in MEASURES:
            if getattr(outcome, key) is not None:
                values[key] = getattr(outcome, key)
    return Figures(measured_on=measurements[-1].measured_on, **values)


def baseline(outcomes: Iterable[Outcome], since: date | None = None) -> Figures | None:
    """Per measure, the first measurement on or after `since` that holds it."""
    return _figures(in_order(outcomes, since)[::-1])


def latest(outcomes: Iterable[Outcome], since: date | None = None) -> Figures | None:
    """Per measure, the measurement with the latest date that holds it (ties: the one recorded
    last). The one definition of "latest" for the graduation check, the UMKM page, the success
    story, the program dashboard and the exports."""
    return _figures(in_order(outcomes, since))


def enrolment_baseline(enrolment: Enrolment) -> Figures | None:
    return baseline(enrolment.outcomes, enrolment.enrolled_on)


def enrolment_latest(enrolment: Enrolment) -> Figures | None:
    return latest(enrolment.outcomes, enrolment.enrolled_on)


def record_outcome(
    session: Session, actor: User | None, enrolment: Enrolment, *, measured_on: date,
    monthly_turnover_rupiah: int | None = None, employees: int | None = None,
    household_income_rupiah: int | None = None, welfare_class: str | None = None,
    notes: str = "",
) -> Outcome:
    """A measurement; the beneficiary's current figures follow its latest measurement."""
    may_edit_village(actor, beneficiary_village(enrolment))
    lock_enrolment(session, enrolment)
    problems = Problems()
    with problems.checking():
        not_future(measured_on, "Tanggal pengukuran")
        not_before(measured_on, enrolment.enrolled_on, "Tanggal pengukuran",
                   "tanggal terdaftar")
    if enrolment.status != "aktif" and enrolment.left_on and measured_on <= enrolment.left_on:
        problems.add(
            f"Peserta ini sudah {enrolment.status} pada {long_date(enrolment.left_on)}; hasil "
            f"bertanggal {long_date(measured_on)} tidak dapat ditambahkan sesudahnya, karena "
            "keputusan itu diambil tanpa hasil ini.")
    if welfare_class is not None and welfare_class not in WELFARE_CLASSES:
        problems.add(f"Kelas kesejahteraan “{welfare_class}” tidak dikenal.")
    values = (monthly_turnover_rupiah, employees, household_income_rupiah, welfare_class)
    if all(v is None for v in values):
        problems.add("Isi sedikitnya satu ukuran hasil (omzet, tenaga kerja, pendapatan atau "
                     "kelas kesejahteraan).")
    for value, what in ((monthly_turnover_rupiah, "Omzet"), (employees, "Tenaga kerja"),
                        (household_income_rupiah, "Pendapatan")):
        with problems.checking():
            not_negative(value, what)
    problems.raise_any()
    outcome = Outcome(
        enrolment_id=enrolment.id, measured_on=measured_on,
        monthly_turnover_rupiah=not_negative(monthly_turnover_rupiah, "Omzet"),
        employees=not_negative(employees, "Tenaga kerja"),
        household_income_rupiah=not_negative(household_income_rupiah, "Pendapatan"),
        welfare_class=welfare_class, notes=notes.strip(), created_by=getattr(actor, "id", None),
    )
    enrolment.outcomes.append(outcome)
    session.flush()
    _follow_latest(beneficiary_of(enrolment), enrolment_latest(enrolment))
    session.flush()
    log(session, "mentoring.outcome.recorded", "enrolment", enrolment.id, actor=actor,
        after={"measured_on": measured_on.isoformat()})
    return outcome


def _follow_latest(beneficiary: Household | Umkm | Group, now: Figures | None) -> None:
    """Keep the beneficiary's current figures equal to its latest measurement."""
    if now is None:
        return
    if isinstance(beneficiary, Umkm):
        if now.monthly_turnover_rupiah is not None:
            beneficiary.monthly_turnover_rupiah = now.monthly_turnover_rupiah
        if now.employees is not None:
            beneficiary.employees = now.employees
    elif isinstance(beneficiary, Household):
        if now.household_income_rupiah is not None:
            beneficiary.monthly_income_rupiah = now.household_income_rupiah
        if now.welfare_class is not None:
            beneficiary.welfare_class = now.welfare_class


def state_of(session: Session, enrolment: Enrolment) -> BeneficiaryState:
    """The latest known figures of the beneficiary, for the graduation criteria."""
    beneficiary = beneficiary_of(enrolment)
    now = enrolment_latest(enrolment) or Figures()
    contracts = 0
    if isinstance(beneficiary, Umkm | Group):
        column = SupplyContract.umkm_id if isinstance(beneficiary, Umkm) else \
            SupplyContract.group_id
        today = date.today()
        contracts = sum(1 for c in session.scalars(select(SupplyContract).where(
            column == beneficiary.id)) if c.end_date is None or c.end_date >= today)
    return BeneficiaryState(
        monthly_turnover=now.monthly_turnover_rupiah,
        household_income=now.household_income_rupiah,
        welfare_class=now.welfare_class,
        employees=now.employees, buyer_contracts=contracts,
        legality=beneficiary.legality if isinstance(beneficiary, Umkm) else frozenset(),
    )


def graduation_checks(session: Session, enrolment: Enrolment) -> list[CriterionCheck]:
    return check_criteria(enrolment.program.graduation_criteria, state_of(session, enrolment))
