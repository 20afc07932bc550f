"""Reading the registry: one region, its ancestors, everything under it, code resolution."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mitradesa.regions.codes import normalize_code
from mitradesa.regions.errors import RegionNotFoundError
from mitradesa.regions.models import Region, RegionCodeChange
from mitradesa.regions.names import normalize_name


def get_region(session: Session, raw_code: str, *, active_only: bool = True) -> Region:
    code = normalize_code(raw_code)
    region = session.get(Region, code)
    if region is None or (active_only and not region.active):
        hint = ""
        change = _history_for(session, code)
        if change is not None:
            hint = f" Kode ini sekarang menjadi {change.new_code} ({change.new_name})."
        raise RegionNotFoundError(f"Wilayah dengan kode {code} tidak ditemukan.{hint}", code=code)
    return region


def ancestors(session: Session, region: Region) -> list[Region]:
    chain: list[Region] = []
    parent_code = region.parent_code
    while parent_code:
        parent = session.get(Region, parent_code)
        if parent is None:
            break
        chain.append(parent)
        parent_code = parent.parent_code
    return list(reversed(chain))


def descendants(session: Session, code: str, *, kinds: tuple[str, ...] = ()) -> list[Region]:
    query = select(Region).where(Region.code.like(f"{code}.%"), Region.active.is_(True))
    if kinds:
        query = query.where(Region.kind.in_(kinds))
    return list(session.scalars(query.order_by(Region.code)))


def children(session: Session, code: str) -> list[Region]:
    query = select(Region).where(Region.parent_code == code, Region.active.is_(True))
    return list(session.scalars(query.order_by(Region.code)))


def count_by_kind(session: Session, code: str) -> dict[str, int]:
    rows = session.execute(
        select(Region.kind, func.count())
        .where(Region.code.like(f"{code}.%"), Region.active.is_(True))
        .group_by(Region.kind)
    )
    return {kind: count for kind, count in rows}


def _history_for(
    session: Session, code: str, name_norm: str | None = None
) -> RegionCodeChange | None:
    query = select(RegionCodeChange).where(RegionCodeChange.old_code == code)
    changes = list(session.scalars(query))
    if name_norm is not None:
        changes = [c for c in changes if normalize_name(c.old_name) == name_norm] or changes
    moved = [c for c in changes if c.new_code != code]
    return (moved or changes or [None])[0]


@dataclass(frozen=True)
class Resolution:
    """Where data recorded under `given_code` belongs today, and how we know."""

    given_code: str
    region: Region
    change: RegionCodeChange | None

    @property
    def via_history(self) -> bool:
        return self.change is not None and self.change.new_code != self.given_code

    @property
    def message(self) -> str:
        if not self.via_history or self.change is None:
            return ""
        return (
            f"Kode {self.given_code} ({self.change.old_name}, edisi {self.change.edition_from}) "
            f"sekarang {self.region.code} ({self.region.name})."
        )


def resolve_code(session: Session, raw_code: str, name: str | None = None) -> Resolution:
    """Resolve a code recorded in any edition to today's region, via the code history."""
    code = normalize_code(raw_code)
    name_norm = normalize_name(name) if name else None
    region = session.get(Region, code)
    if (
        region is not None
        and region.active
        and (name_norm is None or region.name_norm == name_norm)
    ):
        return Resolution(code, region, None)
    change = _history_for(session, code, name_norm)
    if change is not None:
        target = session.get(Region, change.new_code)
        if target is not None and target.active:
            return Resolution(code, target, change)
    if region is not None and region.active:
        return Resolution(code, region, None)
    raise RegionNotFoundError(
        f"Kode desa {code} tidak dikenal di registri maupun riwayat kodenya.", code=code
    )


def find_codes_like(session: Session, text: str) -> list[str]:
    """Codes that start with the digits typed (for code-shaped search queries)."""
    digits = text.replace(".", "")
    dotted = normalize_code(digits) if digits.isdigit() and len(digits) in (2, 4, 6, 10) else text
    query = select(Region.code).where(
        or_(Region.code == dotted, Region.code.like(f"{dotted}.%")), Region.active.is_(True)
    )
    return list(session.scalars(query.order_by(Region.code).limit(50)))
