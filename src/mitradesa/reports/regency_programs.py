"""Partnerships and mentoring in a region, for the regency report: the state on the day the
report is made (agreements and programs are not tied to an IDM year)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from mitradesa.mentoring.beneficiaries import beneficiary_village
from mitradesa.mentoring.models import Program
from mitradesa.mentoring.queries import program_enrolments
from mitradesa.mentoring.vocab import FUNDERS, TARGET_TYPES
from mitradesa.partnerships.models import Agreement
from mitradesa.partnerships.queries import (
    realisation_by_village,
    village_names,
    visible_agreements,
)
from mitradesa.partnerships.vocab import STAGES
from mitradesa.regions.codes import is_within


@dataclass
class AgreementLine:
    agreement: Agreement
    villages: list[str]  # names of its villages in the region
    committed: int  # commitments for its villages in the region
    spent: int

    @property
    def stage(self) -> str:
        return STAGES.get(self.agreement.stage, self.agreement.stage)

    @property
    def partners(self) -> str:
        return ", ".join(p.name for p in self.agreement.partners)


@dataclass
class PartnershipSection:
    agreements: list[AgreementLine] = field(default_factory=list)
    villages: int = 0  # villages of the region covered by an agreement

    @property
    def by_stage(self) -> list[tuple[str, int]]:
        counts = Counter(line.agreement.stage for line in self.agreements)
        return [(label, counts[key]) for key, label in STAGES.items() if counts[key]]

    @property
    def committed(self) -> int:
        return sum(line.committed for line in self.agreements)

    @property
    def spent(self) -> int:
        return sum(line.spent for line in self.agreements)

    @property
    def value(self) -> int:
        return sum(line.agreement.value_rupiah or 0 for line in self.agreements)

    @property
    def demo(self) -> bool:
        return any(line.agreement.demo for line in self.agreements)


def partnership_section(session: Session, region_code: str) -> PartnershipSection:
    """Agreements with a village in the region; commitments and realisation counted for those
    villages only (a commitment for several villages is split evenly, as in the partner
    report)."""
    section = PartnershipSection()
    covered: set[str] = set()
    for agreement in reversed(visible_agreements(session, None)):  # oldest first
        inside = [c for c in agreement.village_codes if is_within(c, region_code)]
        if not inside:
            continue
        covered.update(inside)
        rows = [r for r in realisation_by_village(session, [agreement])
                if is_within(r.village_code, region_code)]
        names = village_names(session, inside)
        section.agreements.append(AgreementLine(
            agreement, [names.get(c, c) for c in inside],
            sum(r.committed_rupiah for r in rows), sum(r.spent_rupiah for r in rows)))
    section.villages = len(covered)
    return section


@dataclass
class ProgramLine:
    program: Program
    villages: int  # villages of the region where it has beneficiaries or is planned
    people: int  # beneficiaries in the region
    active: int
    graduated: int
    left: int

    @property
    def funder(self) -> str:
        return FUNDERS.get(self.program.funder, self.program.funder)

    @property
    def target(self) -> str:
        return TARGET_TYPES.get(self.program.target_type, self.program.target_type)


@dataclass
class MentoringSection:
    programs: list[ProgramLine] = field(default_factory=list)
    villages: int = 0  # villages of the region with a beneficiary

    @property
    def people(self) -> int:
        return sum(p.people for p in self.programs)

    @property
    def graduated(self) -> int:
        return sum(p.graduated for p in self.programs)

    @property
    def active(self) -> int:
        return sum(p.active for p in self.programs)

    @property
    def demo(self) -> bool:
        return any(p.program.demo for p in self.programs)


def mentoring_section(session: Session, region_code: str) -> MentoringSection:
    """Programs with a village or a beneficiary in the region; beneficiaries (enrolments)
    counted where they live."""
    section = MentoringSection()
    reached: set[str] = set()
    for program in session.scalars(select(Program).order_by(Program.id)):
        enrolments = [e for e in program_enrolments(session, program, None)
                      if is_within(beneficiary_village(e), region_code)]
        planned = {c for c in program.village_codes if is_within(c, region_code)}
        if not enrolments and not planned:
            continue
        homes = {beneficiary_village(e) for e in enrolments}
        reached.update(homes)
        status = Counter(e.status for e in enrolments)
        section.programs.append(ProgramLine(
            program, len(planned | homes), len(enrolments), status["aktif"], status["lulus"],
            status["keluar"]))
    section.villages = len(reached)
    return section
