"""Regions (provinsi → kabupaten/kota → kecamatan → desa/kelurahan), their history and aliases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mitradesa.db.base import Base, Tracked, utcnow

KINDS = ("provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan", "desa_persiapan")
VILLAGE_KINDS = ("desa", "kelurahan", "desa_persiapan")  # the kinds at the bottom level


class Region(Tracked, Base):
    __tablename__ = "regions"
    # The kinds under a region: kind = ? and the code in the region's range, one index range;
    # on PostgreSQL under a collation other than C, LIKE 'code.%' needs pattern indexes.
    __table_args__ = (
        Index("ix_regions_kind_code", "kind", "code"),
        Index("ix_regions_code_pattern", "code",
              postgresql_ops={"code": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
        Index("ix_regions_kind_code_pattern", "kind", "code",
              postgresql_ops={"code": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
    )

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str] = mapped_column(String(200), index=True)
    parent_code: Mapped[str | None] = mapped_column(
        String(20), ForeignKey("regions.code"), index=True, nullable=True
    )
    edition: Mapped[str] = mapped_column(String(40))
    postal_code: Mapped[str | None] = mapped_column(String(5), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    location_source: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RegionCodeChange(Base):
    """One step in a code's history: data recorded under `old_code` belongs to `new_code`."""

    __tablename__ = "region_code_changes"
    __table_args__ = (Index("ix_region_code_changes_old_new", "old_code", "new_code", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_code: Mapped[str] = mapped_column(String(20), index=True)
    old_name: Mapped[str] = mapped_column(String(200))
    new_code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code"), index=True)
    new_name: Mapped[str] = mapped_column(String(200))
    change: Mapped[str] = mapped_column(String(40))  # renamed, moved, moved_renamed, promoted
    edition_from: Mapped[str] = mapped_column(String(40))
    edition_to: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")


class RegionAlias(Base):
    """Other spellings that must find a region: press spellings and former names."""

    __tablename__ = "region_aliases"
    __table_args__ = (Index("ix_region_aliases_code_alias", "code", "alias_norm", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), ForeignKey("regions.code", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))
    alias_norm: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(100))


class RegionBoundary(Base):
    """A boundary polygon imported from a user's GeoJSON, so maps draw offline."""

    __tablename__ = "region_boundaries"

    code: Mapped[str] = mapped_column(
        String(20), ForeignKey("regions.code", ondelete="CASCADE"), primary_key=True
    )
    geometry: Mapped[str] = mapped_column(Text)  # GeoJSON geometry object
    source: Mapped[str] = mapped_column(String(300))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
