"""Reading the registry: one region, its ancestors, everything under it, code resolution."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mitradesa.db.codes import under
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
    """Province first. Parents are normally the code's dotted prefixes, read in one query;
    a parent elsewhere is still followed."""
    parts = region.code.split(".")
    prefixes = [".".join(parts[:n]) for n in range(1, len(parts))]
    known = {r.code: r for r in session.scalars(select(Region).where(Region.code.in_(prefixes)))}
    chain: list[Region] = []
    parent_code = region.parent_code
    while parent_code:
        parent = known.get(parent_code) or session.get(Region, parent_code)
        if parent is None:
            break
        chain.append(parent)
        parent_code = parent.parent_code
    return list(reversed(chain))


def descendants(session: Session, code: str, *, kinds: tuple[str, ...] = ()) -> list[Region]:
    query = select(Region).where(under(Region.code, code), Region.active.is_(True))
    if kinds:
        query = query.where(Region.kind.in_(kinds))
    return list(session.scalars(query.order_by(Region.code)))


def children(session: Session, code: str) -> list[Region]:
    query = select(Region).where(Region.parent_code == code, Region.active.is_(True))
    return list(session.scalars(query.order_by(Region.code)))


def count_by_kind(session: Session, code: str) -> dict[str, int]:
    rows = session.execute(
        select(Region.kind, func.count())
        .where(under(Region.code, code), Region.active.is_(True))
        .group_by(Region.kind)
    )
    return {kind: count for kind, count in rows}


def _history_for(session: Session, code: str) -> RegionCodeChange | None:
    changes = list(
        session.scalars(select(RegionCodeChange).where(RegionCodeChange.old_code == code))
    )
    return _pick_change(changes, code, None)


def _pick_change(
    changes: list[RegionCodeChange], code: str, name_norm: str | None
) -> RegionCodeChange | None:
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


def _decide(
    code: str,
    name_norm: str | None,
    region: Region | None,
    changes: list[RegionCodeChange],
    regions: dict[str, Region],
) -> Resolution | None:
    """The one rule for old codes: a live code whose name agrees wins; else its history."""
    live = region is not None and region.active
    if live and region is not None and (name_norm is None or region.name_norm == name_norm):
        return Resolution(code, region, None)
    change = _pick_change(changes, code, name_norm)
    if change is not None:
        target = regions.get(change.new_code)
        if target is not None and target.active:
            return Resolution(code, target, change)
    if live and region is not None:
        return Resolution(code, region, None)
    return None


def _not_found(code: str) -> RegionNotFoundError:
    return RegionNotFoundError(
        f"Kode desa {code} tidak dikenal di registri maupun riwayat kodenya.", code=code
    )


def resolve_code(session: Session, raw_code: str, name: str | None = None) -> Resolution:
    """Resolve a code recorded in any edition to today's region, via the code history."""
    code = normalize_code(raw_code)
    name_norm = normalize_name(name) if name else None
    region = session.get(Region, code)
    changes = list(
        session.scalars(select(RegionCodeChange).where(RegionCodeChange.old_code == code))
    )
    targets = {c.new_code: session.get(Region, c.new_code) for c in changes}
    found = _decide(code, name_norm, region, changes, {k: v for k, v in targets.items() if v})
    if found is None:
        raise _not_found(code)
    return found


@dataclass(frozen=True)
class CodeFacts:
    kind: str
    name_norm: str
    active: bool


def code_facts(session: Session, codes: list[str], chunk: int = 900) -> dict[str, CodeFacts]:
    """Kind, normalised name and activity of many codes: light rows, no ORM objects."""
    unique = sorted(set(codes))
    found: dict[str, CodeFacts] = {}
    for start in range(0, len(unique), chunk):
        query = select(Region.code, Region.kind, Region.name_norm, Region.active).where(
            Region.code.in_(unique[start : start + chunk])
        )
        for code, kind, name_norm, active in session.execute(query):
            found[code] = CodeFacts(kind, name_norm, active)
    return found


def resolve_codes(
    session: Session, wanted: list[tuple[str, str | None]], chunk: int = 900
) -> dict[tuple[str, str | None], Resolution | None]:
    """`resolve_code` for many (code, name) pairs at once: a few queries, not one per pair.

    Codes must already be normalised (dotted). A pair that resolves nowhere maps to None.
    """
    codes = sorted({code for code, _ in wanted})
    regions: dict[str, Region] = {}
    history: dict[str, list[RegionCodeChange]] = {}
    for start in range(0, len(codes), chunk):
        part = codes[start : start + chunk]
        regions.update(
            (r.code, r) for r in session.scalars(select(Region).where(Region.code.in_(part)))
        )
        for change in session.scalars(
            select(RegionCodeChange).where(RegionCodeChange.old_code.in_(part))
        ):
            history.setdefault(change.old_code, []).append(change)
    missing = sorted({c.new_code for cs in history.values() for c in cs} - regions.keys())
    for start in range(0, len(missing), chunk):
        part = missing[start : start + chunk]
        regions.update(
            (r.code, r) for r in session.scalars(select(Region).where(Region.code.in_(part)))
        )
    return {
        (code, name): _decide(
            code,
            normalize_name(name) if name else None,
            regions.get(code),
            history.get(code, []),
            regions,
        )
        for code, name in set(wanted)
    }


def find_codes_like(session: Session, text: str) -> list[str]:
    """Codes that start with the digits typed (for code-shaped search queries)."""
    digits = text.replace(".", "")
    dotted = normalize_code(digits) if digits.isdigit() and len(digits) in (2, 4, 6, 10) else text
    query = select(Region.code).where(
        or_(Region.code == dotted, Region.code.like(f"{dotted}.%")), Region.active.is_(True)
    )
    return list(session.scalars(query.order_by(Region.code).limit(50)))
