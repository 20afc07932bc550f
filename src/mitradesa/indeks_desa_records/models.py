"""Indeks Desa results per village and year, and the imports they came from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mitradesa.db.base import Base, utcnow

DIMENSION_COLUMNS = ("layanan_dasar", "sosial", "ekonomi", "lingkungan", "aksesibilitas",
                     "tata_kelola")


class IndeksDesaImport(Base):
    """One imported ministry export, kept unchanged on disk under data_dir/imports/<sha256>."""

    __tablename__ = "indeks_desa_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    file_format: Mapped[str] = mapped_column(String(20))
    stored_path: Mapped[str] = mapped_column(String(500))
    rows: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class IndeksDesaResult(Base):
    """A desa-year of the Indeks Desa: the 127 item scores and the official figures.

    `scores` holds the 127 item scores (1–5) as a 127-digit string in catalogue order.
    `status` is the official one: the published status when the file carries one (it is what
    was decreed), else the engine's; `published` keeps the file's own figures and
    `discrepancy` what differs from the recomputation.
    """

    __tablename__ = "indeks_desa_results"
    __table_args__ = (
        Index("ix_indeks_desa_results_village_year", "village_code", "year", unique=True),
        Index("ix_indeks_desa_results_year_status", "year", "status"),
        Index("ix_indeks_desa_results_year_village", "year", "village_code"),
        Index("ix_indeks_desa_results_year_village_pattern", "year", "village_code",
              postgresql_ops={"village_code": "varchar_pattern_ops"}).ddl_if(
            dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"))
    year: Mapped[int] = mapped_column(Integer)
    given_code: Mapped[str] = mapped_column(String(20))  # the code as written in the file
    scores: Mapped[str] = mapped_column(String(127))
    total: Mapped[int] = mapped_column(Integer)
    nilai: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    target_status: Mapped[str] = mapped_column(String(20))
    poin_dibutuhkan: Mapped[int] = mapped_column(Integer)
    layanan_dasar: Mapped[int] = mapped_column(Integer)
    sosial: Mapped[int] = mapped_column(Integer)
    ekonomi: Mapped[int] = mapped_column(Integer)
    lingkungan: Mapped[int] = mapped_column(Integer)
    aksesibilitas: Mapped[int] = mapped_column(Integer)
    tata_kelola: Mapped[int] = mapped_column(Integer)
    figures_source: Mapped[str] = mapped_column(String(20))  # computed | published | demo
    published: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    discrepancy: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("indeks_desa_imports.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def dimension_scores(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in DIMENSION_COLUMNS}
