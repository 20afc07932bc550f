"""IDM results per village and year, and the imports they came from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mitradesa.db.base import Base, utcnow


class IdmImport(Base):
    """One imported file, kept unchanged on disk under data_dir/imports/<sha256>."""

    __tablename__ = "idm_imports"

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


class IdmResult(Base):
    """A village-year: the 50 scores and the official figures.

    The figures are the ministry's published ones when the file carries them (they are what
    was decreed), else the engine's. Where a recomputation from the scores differs from the
    published figures, `discrepancy` records both and the likely cause.

    `scores` holds the 50 integer scores (0–5) as a 50-character digit string in catalogue
    order (IKS 1–35, IKE 1–12, IKL 1–3): compact, and decoded to arrays without a loop.
    """

    __tablename__ = "idm_results"
    __table_args__ = (
        Index("ix_idm_results_village_year", "village_code", "year", "scheme", unique=True),
        Index("ix_idm_results_year_status", "year", "status"),
        Index("ix_idm_results_year_village", "year", "village_code"),  # a region's year
        # PostgreSQL under a collation other than C: LIKE 'code.%' needs pattern indexes.
        Index("ix_idm_results_village_pattern", "village_code",
              postgresql_ops={"village_code": "varchar_pattern_ops"}).ddl_if(
            dialect="postgresql"),
        Index("ix_idm_results_year_village_pattern", "year", "village_code",
              postgresql_ops={"village_code": "varchar_pattern_ops"}).ddl_if(
            dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"))
    year: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(20), default="idm2016")
    given_code: Mapped[str] = mapped_column(String(20))  # the code as written in the file
    scores: Mapped[str] = mapped_column(String(50))
    iks: Mapped[float] = mapped_column(Float)
    ike: Mapped[float] = mapped_column(Float)
    ikl: Mapped[float] = mapped_column(Float)
    idm: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    target_status: Mapped[str] = mapped_column(String(20))
    skor_minimal: Mapped[str] = mapped_column(String(10))
    penambahan: Mapped[float] = mapped_column(Float)
    figures_source: Mapped[str] = mapped_column(String(20))  # published | computed
    discrepancy: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("idm_imports.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
