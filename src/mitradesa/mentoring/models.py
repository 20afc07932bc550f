"""Beneficiaries (UMKM, households, groups), programs with their stage model, enrolments
with their stage history, assessments, sessions, outcomes, buyers, contracts and deliveries.

Nothing is deleted: a beneficiary leaves a program with a reason and a date and stays on
record.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mitradesa.db.base import Base, Tracked, Versioned, utcnow


class Household(Tracked, Base):
    __tablename__ = "mentoring_households"

    id: Mapped[int] = mapped_column(primary_key=True)
    kk_number: Mapped[str] = mapped_column(String(16), index=True)
    head_name: Mapped[str] = mapped_column(String(200))
    head_nik: Mapped[str] = mapped_column(String(16), default="", index=True)
    members: Mapped[int] = mapped_column(Integer, default=1)
    welfare_class: Mapped[str] = mapped_column(String(20))  # vocab.WELFARE_CLASSES
    p3ke_decile: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1 = poorest
    village_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"), index=True)
    monthly_income_rupiah: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Umkm(Versioned, Tracked, Base):
    __tablename__ = "mentoring_umkm"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str] = mapped_column(String(200))
    owner_nik: Mapped[str] = mapped_column(String(16), default="", index=True)
    village_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"), index=True)
    sector: Mapped[str] = mapped_column(String(100), default="")
    products: Mapped[str] = mapped_column(Text, default="")
    nib: Mapped[str] = mapped_column(String(50), default="")
    pirt: Mapped[str] = mapped_column(String(50), default="")
    halal: Mapped[str] = mapped_column(String(50), default="")
    bpom: Mapped[str] = mapped_column(String(50), default="")
    employees: Mapped[int] = mapped_column(Integer, default=0)
    capital_rupiah: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    monthly_turnover_rupiah: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_households.id", ondelete="SET NULL"), nullable=True
    )
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def legality(self) -> frozenset[str]:
        return frozenset(k for k in ("nib", "pirt", "halal", "bpom") if getattr(self, k).strip())


class UmkmPhoto(Base):
    __tablename__ = "mentoring_umkm_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    umkm_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_umkm.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(500))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Group(Tracked, Base):
    """A kelompok usaha, its members drawn from households and UMKM."""

    __tablename__ = "mentoring_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    village_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"), index=True)
    sector: Mapped[str] = mapped_column(String(100), default="")
    products: Mapped[str] = mapped_column(Text, default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    members: Mapped[list[GroupMember]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GroupMember.id"
    )


class GroupMember(Base):
    __tablename__ = "mentoring_group_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_groups.id", ondelete="CASCADE"), index=True
    )
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_households.id", ondelete="CASCADE"), nullable=True
    )
    umkm_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_umkm.id", ondelete="CASCADE"), nullable=True
    )
    role: Mapped[str] = mapped_column(String(50), default="anggota")


class Program(Tracked, Base):
    __tablename__ = "mentoring_programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    funder: Mapped[str] = mapped_column(String(30))  # vocab.FUNDERS
    funder_note: Mapped[str] = mapped_column(String(300), default="")
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership_commitments.id", ondelete="SET NULL"), nullable=True
    )
    target_type: Mapped[str] = mapped_column(String(20))  # umkm | household | group
    start_date: Mapped[date | None] = mapped_column(nullable=True)
    end_date: Mapped[date | None] = mapped_column(nullable=True)
    budget_rupiah: Mapped[int] = mapped_column(BigInteger, default=0)
    stages: Mapped[list[str]] = mapped_column(JSON)  # names; the last one is graduation
    graduation_criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    villages: Mapped[list[ProgramVillage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProgramVillage.village_code"
    )

    @property
    def village_codes(self) -> list[str]:
        return [v.village_code for v in self.villages]


class ProgramVillage(Base):
    __tablename__ = "mentoring_program_villages"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), primary_key=True
    )
    village_code: Mapped[str] = mapped_column(
        String(20), ForeignKey("regions.code"), primary_key=True, index=True
    )


class Enrolment(Tracked, Base):
    """One beneficiary in one program: its stage, and how and when it left."""

    __tablename__ = "mentoring_enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), index=True
    )
    umkm_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_umkm.id", ondelete="CASCADE"), nullable=True, index=True
    )
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_households.id", ondelete="CASCADE"), nullable=True, index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_groups.id", ondelete="CASCADE"), nullable=True, index=True
    )
    stage: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="aktif")  # aktif | keluar | lulus
    enrolled_on: Mapped[date]
    left_on: Mapped[date | None] = mapped_column(nullable=True)
    leave_reason: Mapped[str | None] = mapped_column(String(30), nullable=True)
    leave_note: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[Program] = relationship(lazy="selectin")
    umkm: Mapped[Umkm | None] = relationship(lazy="selectin")
    household: Mapped[Household | None] = relationship(lazy="selectin")
    group: Mapped[Group | None] = relationship(lazy="selectin")
    outcomes: Mapped[list[Outcome]] = relationship(
        cascade="all, delete-orphan", lazy="selectin",
        order_by="(Outcome.measured_on, Outcome.id)"
    )
    stage_changes: Mapped[list[StageChange]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StageChange.id"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Assessment.id"
    )


class Assessment(Tracked, Base):
    __tablename__ = "mentoring_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_enrolments.id", ondelete="CASCADE"), index=True
    )
    assessed_on: Mapped[date]
    answers: Mapped[dict[str, bool]] = mapped_column(JSON)
    placed_stage: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")


class StageChange(Base):
    __tablename__ = "mentoring_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_enrolments.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_stage: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(default=date.today)  # when it happened (user)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # when it was recorded
    actor_name: Mapped[str] = mapped_column(String(80), default="system")
    note: Mapped[str] = mapped_column(Text, default="")


class MentoringSession(Tracked, Base):
    """A training or a visit, with its attendance."""

    __tablename__ = "mentoring_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))  # vocab.SESSION_KINDS
    mentor: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(300))
    village_code: Mapped[str | None] = mapped_column(
        String(20), ForeignKey("regions.code"), nullable=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    attendance: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class Attendance(Base):
    __tablename__ = "mentoring_attendance"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_enrolments.id", ondelete="CASCADE"), primary_key=True
    )
    present: Mapped[bool] = mapped_column(Boolean, default=True)


class Outcome(Tracked, Base):
    """A measurement over time; the first one of an enrolment is its baseline."""

    __tablename__ = "mentoring_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_enrolments.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date]
    monthly_turnover_rupiah: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    employees: Mapped[int | None] = mapped_column(Integer, nullable=True)
    household_income_rupiah: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    welfare_class: Mapped[str | None] = mapped_column(String(20), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class Buyer(Tracked, Base):
    __tablename__ = "mentoring_buyers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))  # vocab.BUYER_KINDS
    address: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class SupplyContract(Tracked, Base):
    __tablename__ = "mentoring_supply_contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("mentoring_buyers.id"), index=True)
    umkm_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_umkm.id", ondelete="CASCADE"), nullable=True, index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_groups.id", ondelete="CASCADE"), nullable=True, index=True
    )
    product: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(30), default="kg")
    price_rupiah: Mapped[int] = mapped_column(BigInteger, default=0)  # per unit
    volume_per_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None] = mapped_column(nullable=True)

    buyer: Mapped[Buyer] = relationship(lazy="selectin")
    deliveries: Mapped[list[Delivery]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Delivery.delivered_on"
    )


class Delivery(Tracked, Base):
    __tablename__ = "mentoring_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_supply_contracts.id", ondelete="CASCADE"), index=True
    )
    delivered_on: Mapped[date]
    volume: Mapped[int] = mapped_column(Integer)
    value_rupiah: Mapped[int] = mapped_column(BigInteger)
