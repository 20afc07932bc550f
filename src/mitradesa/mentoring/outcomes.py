"""Outcomes of an enrolment: the baseline at enrolment, later measurements, and the latest
known figures that graduation is judged on."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.audit import log
from mitradesa.mentoring.beneficiaries import beneficiary_of, beneficiary_village
from mitradesa.mentoring.checks import may_edit_village, not_negative
from mitradesa.mentoring.errors import MentoringError
from mitradesa.mentoring.models import Enrolment, Group, Household, Outcome, SupplyContract, Umkm
from mitradesa.mentoring.stages import BeneficiaryState, CriterionCheck, check_criteria
from mitradesa.mentoring.vocab import WELFARE_CLASSES


def baseline_of(beneficiary: Household | Umkm | Group, on: date) -> Outcome:
    """The beneficiary's figures at enrolment: the baseline outcomes are measured against."""
    if isinstance(beneficiary, Umkm):
        return Outcome(measured_on=on, monthly_turnover_rupiah=beneficiary.monthly_turnover_rupiah,
                       employees=beneficiary.employees, notes="baseline saat mendaftar")
    if isinstance(beneficiary, Household):
        return Outcome(measured_on=on, household_income_rupiah=beneficiary.monthly_income_rupiah,
                       welfare_class=beneficiary.welfare_class, notes="baseline saat mendaftar")
    return Outcome(measured_on=on, notes="baseline saat mendaftar")


def record_outcome(
    session: Session, actor: User | None, enrolment: Enrolment, *, measured_on: date,
    monthly_turnover_rupiah: int | None = None, employees: int | None = None,
    household_income_rupiah: int | None = None, welfare_class: str | None = None,
    notes: str = "",
) -> Outcome:
    """A measurement; it also updates the beneficiary's current figures."""
    may_edit_village(actor, beneficiary_village(enrolment))
    if welfare_class is not None and welfare_class not in WELFARE_CLASSES:
        raise MentoringError(f"Kelas kesejahteraan “{welfare_class}” tidak dikenal.")
    values = (monthly_turnover_rupiah, employees, household_income_rupiah, welfare_class)
    if all(v is None for v in values):
        raise MentoringError("Isi sedikitnya satu ukuran hasil (omzet, tenaga kerja, "
                             "pendapatan atau kelas kesejahteraan).")
    outcome = Outcome(
        enrolment_id=enrolment.id, measured_on=measured_on,
        monthly_turnover_rupiah=not_negative(monthly_turnover_rupiah, "Omzet"),
        employees=not_negative(employees, "Tenaga kerja"),
        household_income_rupiah=not_negative(household_income_rupiah, "Pendapatan"),
        welfare_class=welfare_class, notes=notes.strip(), created_by=getattr(actor, "id", None),
    )
    enrolment.outcomes.append(outcome)
    beneficiary = beneficiary_of(enrolment)
    if isinstance(beneficiary, Umkm):
        if monthly_turnover_rupiah is not None:
            beneficiary.monthly_turnover_rupiah = monthly_turnover_rupiah
        if employees is not None:
            beneficiary.employees = employees
    elif isinstance(beneficiary, Household):
        if household_income_rupiah is not None:
            beneficiary.monthly_income_rupiah = household_income_rupiah
        if welfare_class is not None:
            beneficiary.welfare_class = welfare_class
    session.flush()
    log(session, "mentoring.outcome.recorded", "enrolment", enrolment.id, actor=actor,
        after={"measured_on": measured_on.isoformat()})
    return outcome


def state_of(session: Session, enrolment: Enrolment) -> BeneficiaryState:
    """The latest known figures of the beneficiary, for the graduation criteria."""
    beneficiary = beneficiary_of(enrolment)
    latest: dict[str, Any] = {}
    for outcome in enrolment.outcomes:  # oldest first: later values win
        for key in ("monthly_turnover_rupiah", "employees", "household_income_rupiah",
                    "welfare_class"):
            if getattr(outcome, key) is not None:
                latest[key] = getattr(outcome, key)
    contracts = 0
    if isinstance(beneficiary, Umkm | Group):
        column = SupplyContract.umkm_id if isinstance(beneficiary, Umkm) else \
            SupplyContract.group_id
        today = date.today()
        contracts = sum(1 for c in session.scalars(select(SupplyContract).where(
            column == beneficiary.id)) if c.end_date is None or c.end_date >= today)
    return BeneficiaryState(
        monthly_turnover=latest.get("monthly_turnover_rupiah"),
        household_income=latest.get("household_income_rupiah"),
        welfare_class=latest.get("welfare_class"),
        employees=latest.get("employees"), buyer_contracts=contracts,
        legality=beneficiary.legality if isinstance(beneficiary, Umkm) else frozenset(),
    )


def graduation_checks(session: Session, enrolment: Enrolment) -> list[CriterionCheck]:
    return check_criteria(enrolment.program.graduation_criteria, state_of(session, enrolment))
