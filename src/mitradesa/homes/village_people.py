"""A village's mentoring on its page: the programs that reach it, its UMKM, households and
groups, with NIK and KK numbers as the reader's role may see them (`mitradesa.masking`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mitradesa.accounts.models import User
from mitradesa.masking import number_for
from mitradesa.mentoring.models import Group, Household, Program, Umkm
from mitradesa.mentoring.queries import visible_programs

SHOWN = 10  # rows of each kind on the village page; the mentoring lists hold the rest


@dataclass(frozen=True)
class HouseholdRow:
    household: Household
    kk: str  # as the reader may see it
    nik: str


@dataclass
class VillagePeople:
    programs: list[Program] = field(default_factory=list)
    umkm: list[Umkm] = field(default_factory=list)
    households: list[HouseholdRow] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # umkm | household | group


def village_people(session: Session, user: User, code: str) -> VillagePeople | None:
    """None for a role that reads no mentoring records (mitra)."""
    if user.role == "mitra":
        return None
    people = VillagePeople(
        programs=[p for p in visible_programs(session, user) if code in p.village_codes])
    for key, model in (("umkm", Umkm), ("household", Household), ("group", Group)):
        people.counts[key] = session.scalar(
            select(func.count()).select_from(model).where(model.village_code == code)) or 0
    people.umkm = _first(session, Umkm, code, Umkm.name)
    people.groups = _first(session, Group, code, Group.name)
    people.households = [HouseholdRow(h, number_for(h.kk_number, user),
                                      number_for(h.head_nik, user))
                         for h in _first(session, Household, code, Household.head_name)]
    return people


def _first(session: Session, model: type, code: str, order: object) -> list:
    query = select(model).where(model.village_code == code).order_by(order).limit(SHOWN)
    return list(session.scalars(query))
