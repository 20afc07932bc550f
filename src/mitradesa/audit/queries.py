"""Reading the audit log: entries filtered by person, kind of record, village and dates,
newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from mitradesa.audit.models import AuditEntry
from mitradesa.errors import MitradesaError
from mitradesa.regions.codes import normalize_code
from mitradesa.regions.models import VILLAGE_KINDS, Region

PAGE_SIZE = 50
SYSTEM = "system"  # the actor name of changes made from the command line


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # a username, or "system"
    object_type: str = ""
    village: str = ""  # a region code (dotted or digits) or a village's name
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int
    villages: list[Region]  # the villages the village filter was read as


def village_regions(session: Session, text: str) -> list[Region]:
    """A region by its code, or the villages of exactly that name (any case)."""
    text = " ".join(text.split())
    if not text:
        return []
    try:
        region = session.get(Region, normalize_code(text))
    except MitradesaError:
        region = None
    if region is not None:
        return [region]
    query = (select(Region).where(func.lower(Region.name) == text.lower(),
                                  Region.kind.in_(VILLAGE_KINDS))
             .order_by(Region.code).limit(50))
    return list(session.scalars(query))


def _concerns(regions: list[Region]) -> ColumnElement[bool]:
    """An entry concerns a region when it is the record, or its values name the region's code
    (a kecamatan's code is the start of its villages' codes, so it finds them too)."""
    values = func.coalesce(cast(AuditEntry.before, String), "") + " " + func.coalesce(
        cast(AuditEntry.after, String), "")
    conditions: list[ColumnElement[bool]] = []
    for region in regions:
        conditions.append(AuditEntry.object_id == region.code)
        conditions.append(values.contains(f'"{region.code}'))
    return or_(*conditions)


def _filtered(session: Session, wanted: AuditFilter) -> tuple[list[ColumnElement[bool]],
                                                               list[Region]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.actor:
        conditions.append(AuditEntry.actor_name == wanted.actor)
    if wanted.object_type:
        conditions.append(AuditEntry.object_type == wanted.object_type)
    if wanted.date_from:
        conditions.append(AuditEntry.at >= datetime.combine(wanted.date_from, time(), UTC))
    if wanted.date_to:
        end = datetime.combine(wanted.date_to + timedelta(days=1), time(), UTC)
        conditions.append(AuditEntry.at < end)
    regions: list[Region] = []
    if wanted.village.strip():
        regions = village_regions(session, wanted.village)
        conditions.append(_concerns(regions) if regions else AuditEntry.id.is_(None))
    return conditions, regions


def audit_page(session: Session, wanted: AuditFilter, page: int = 1) -> AuditPage:
    conditions, regions = _filtered(session, wanted)
    total = session.scalar(select(func.count(AuditEntry.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    entries = session.scalars(
        select(AuditEntry).where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return AuditPage(list(entries), total, page, pages, regions)


def actor_names(session: Session) -> list[str]:
    """Everyone who has changed something, for the person filter."""
    return list(session.scalars(select(AuditEntry.actor_name).distinct()
                                .order_by(AuditEntry.actor_name)))


def object_types(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.object_type).distinct()
                                .order_by(AuditEntry.object_type)))
