"""Partners, regency MoUs and the village cooperation agreements under them (Permendagri
96/2017), with their commitments, progress reports, evaluation, documents and stage history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mitradesa.db.base import Base, Tracked, Versioned, utcnow


class Partner(Versioned, Tracked, Base):
    """A third party: a company's CSR, BAZNAS, a foundation, a university, a bank, …"""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # see vocab.PARTNER_KINDS
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)  # see vocab.SECTORS
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    areas: Mapped[list[PartnerArea]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PartnerArea.region_code"
    )

    @property
    def area_codes(self) -> list[str]:
        return [a.region_code for a in self.areas]


class PartnerArea(Base):
    """Where a partner works: villages or kecamatan (e.g. a mine's ring-1 villages)."""

    __tablename__ = "partner_areas"

    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(
        String(20), ForeignKey("regions.code"), primary_key=True
    )
    label: Mapped[str] = mapped_column(String(100), default="")


class PartnerMember(Base):
    """A user with the `mitra` role acts for exactly one partner."""

    __tablename__ = "partner_members"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), index=True
    )


class Mou(Tracked, Base):
    """A regency-level nota kesepahaman signed by the Bupati with one or more partners."""

    __tablename__ = "partnership_mous"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"))
    signatory: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[date | None] = mapped_column(nullable=True)
    start_date: Mapped[date | None] = mapped_column(nullable=True)
    end_date: Mapped[date | None] = mapped_column(nullable=True)
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    partners: Mapped[list[Partner]] = relationship(
        secondary="partnership_mou_partners", lazy="selectin", order_by="Partner.name"
    )


class MouPartner(Base):
    __tablename__ = "partnership_mou_partners"

    mou_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_mous.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True
    )


class Agreement(Versioned, Tracked, Base):
    """A village-level perjanjian kerja sama between villages and partners, with its stage."""

    __tablename__ = "partnership_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    mou_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership_mous.id", ondelete="SET NULL"), nullable=True, index=True
    )
    number: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(300))
    stage: Mapped[str] = mapped_column(String(30), default="persiapan", index=True)
    stage_before_change: Mapped[str | None] = mapped_column(String(30), nullable=True)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)  # see vocab.SECTORS
    # The minimum content of an agreement (Permendagri 96/2017).
    ruang_lingkup: Mapped[str] = mapped_column(Text, default="")
    bidang: Mapped[str] = mapped_column(String(300), default="")
    tata_cara_pelaksanaan: Mapped[str] = mapped_column(Text, default="")
    hak_kewajiban: Mapped[str] = mapped_column(Text, default="")
    pendanaan: Mapped[str] = mapped_column(Text, default="")  # who pays, from which budget
    tata_cara_perubahan: Mapped[str] = mapped_column(Text, default="")
    penyelesaian_perselisihan: Mapped[str] = mapped_column(Text, default="")
    value_rupiah: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    start_date: Mapped[date | None] = mapped_column(nullable=True)
    end_date: Mapped[date | None] = mapped_column(nullable=True)
    signed_on: Mapped[date | None] = mapped_column(nullable=True)
    report_every_days: Mapped[int] = mapped_column(Integer, default=90)
    termination_reason: Mapped[str] = mapped_column(Text, default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    mou: Mapped[Mou | None] = relationship(lazy="selectin")
    partners: Mapped[list[Partner]] = relationship(
        secondary="partnership_agreement_partners", lazy="selectin", order_by="Partner.name"
    )
    villages: Mapped[list[AgreementVillage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgreementVillage.village_code"
    )
    commitments: Mapped[list[Commitment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Commitment.id"
    )
    reports: Mapped[list[ProgressReport]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProgressReport.reported_on"
    )
    documents: Mapped[list[AgreementDocument]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgreementDocument.id"
    )
    events: Mapped[list[StageEvent]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StageEvent.id"
    )
    evaluation: Mapped[Evaluation | None] = relationship(
        cascade="all, delete-orphan", lazy="selectin", uselist=False
    )

    @property
    def village_codes(self) -> list[str]:
        return [v.village_code for v in self.villages]

    @property
    def partner_ids(self) -> list[int]:
        return [p.id for p in self.partners]


class AgreementPartner(Base):
    __tablename__ = "partnership_agreement_partners"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AgreementVillage(Base):
    __tablename__ = "partnership_agreement_villages"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), primary_key=True
    )
    village_code: Mapped[str] = mapped_column(
        String(20), ForeignKey("regions.code"), primary_key=True, index=True
    )


class StageEvent(Base):
    """One step of the lifecycle: the timeline of an agreement."""

    __tablename__ = "partnership_stage_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_stage: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    actor_name: Mapped[str] = mapped_column(String(80), default="system")
    note: Mapped[str] = mapped_column(Text, default="")


class Commitment(Tracked, Base):
    """An activity a partner commits to, with its budget, target villages and the IDM
    indicators it is meant to raise (e.g. ["IKE 1", "IKE 8"])."""

    __tablename__ = "partnership_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), nullable=True
    )
    activity: Mapped[str] = mapped_column(String(300))
    budget_rupiah: Mapped[int] = mapped_column(BigInteger, default=0)
    village_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_date: Mapped[date | None] = mapped_column(nullable=True)


class ProgressReport(Tracked, Base):
    """What was done and spent in a period, for a commitment and village, with evidence."""

    __tablename__ = "partnership_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), index=True
    )
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership_commitments.id", ondelete="SET NULL"), nullable=True
    )
    village_code: Mapped[str | None] = mapped_column(
        String(20), ForeignKey("regions.code"), nullable=True
    )
    reported_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)
    spent_rupiah: Mapped[int] = mapped_column(BigInteger, default=0)
    progress_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # diajukan (submitted by the partner) until DPMD verifies it (diverifikasi) or returns it
    # with a note (dikembalikan); only verified figures are counted. See vocab.REPORT_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="diajukan",
                                        server_default="diajukan")
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    reviewed_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @property
    def verified(self) -> bool:
        return self.status == "diverifikasi"


class Evaluation(Tracked, Base):
    __tablename__ = "partnership_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), unique=True
    )
    evaluated_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)
    rating: Mapped[int] = mapped_column(Integer)  # 1 (poor) … 5 (excellent)
    recommendation: Mapped[str] = mapped_column(Text, default="")


class AgreementDocument(Base):
    """An uploaded file, kept under data_dir/documents/<sha256> and served only in scope."""

    __tablename__ = "partnership_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_agreements.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership_reports.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(40))  # see vocab.DOCUMENT_KINDS
    title: Mapped[str] = mapped_column(String(300), default="")
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # The villages whose requirement the document meets, for kinds required per village (a
    # Musdes decision for each desa); empty for a document of the agreement as a whole.
    village_codes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    stored_path: Mapped[str] = mapped_column(String(500))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title,
                "filename": self.filename, "content_type": self.content_type,
                "size": self.size, "sha256": self.sha256,
                "village_codes": list(self.village_codes or [])}
