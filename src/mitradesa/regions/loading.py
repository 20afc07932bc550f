"""Load the shipped edition and its code history into the database, idempotently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from mitradesa import audit
from mitradesa.regions.models import Region, RegionAlias, RegionCodeChange
from mitradesa.regions.names import normalize_name
from mitradesa.regions.source import EDITION, PRESS_ALIASES, load_code_history, load_edition

Progress = Callable[[int, int, str], None]
BATCH = 5000


@dataclass
class LoadReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    history: int = 0
    aliases: int = 0

    @property
    def summary(self) -> dict[str, int]:
        return dict(self.__dict__)


def _no_progress(done: int, total: int, stage: str) -> None:
    return None


def load_registry(
    session: Session, *, prefix: str | None = None, progress: Progress = _no_progress
) -> LoadReport:
    """Insert or update every region of the edition (optionally only codes under `prefix`)."""
    report = LoadReport()
    regions = [
        r
        for r in load_edition().regions
        if prefix is None
        or r.code == prefix
        or r.code.startswith(prefix + ".")
        or prefix.startswith(r.code + ".")
    ]
    existing = {
        row.code: (row.name, row.kind, row.parent_code, row.postal_code, row.active)
        for row in session.execute(
            select(
                Region.code,
                Region.name,
                Region.kind,
                Region.parent_code,
                Region.postal_code,
                Region.active,
            )
        )
    }
    total = len(regions)
    new_rows: list[dict[str, object]] = []
    for done, r in enumerate(regions, start=1):
        wanted = (r.name, r.kind, r.parent_code, r.postal_code, True)
        current = existing.get(r.code)
        if current is None:
            new_rows.append(
                {
                    "code": r.code,
                    "kind": r.kind,
                    "name": r.name,
                    "name_norm": normalize_name(r.name),
                    "parent_code": r.parent_code,
                    "edition": EDITION,
                    "postal_code": r.postal_code,
                    "active": True,
                }
            )
        elif current != wanted:
            session.execute(
                update(Region)
                .where(Region.code == r.code)
                .values(
                    name=r.name,
                    kind=r.kind,
                    name_norm=normalize_name(r.name),
                    parent_code=r.parent_code,
                    postal_code=r.postal_code,
                    active=True,
                    edition=EDITION,
                )
            )
            report.updated += 1
        else:
            report.unchanged += 1
        if len(new_rows) >= BATCH:
            report.inserted += _flush(session, new_rows)
        if done % BATCH == 0 or done == total:
            progress(done, total, "wilayah")
    report.inserted += _flush(session, new_rows)
    if prefix is None:
        report.deactivated = _deactivate_missing(session, {r.code for r in regions}, existing)
    report.history = _load_history(session)
    report.aliases = _load_aliases(session)
    if report.inserted or report.updated or report.deactivated:
        audit.log(session, "regions.registry.loaded", "registry", EDITION, after=report.summary)
    return report


def _flush(session: Session, rows: list[dict[str, object]]) -> int:
    count = len(rows)
    if rows:
        session.execute(insert(Region), rows)
        rows.clear()
    return count


def _deactivate_missing(
    session: Session, codes: set[str], existing: dict[str, tuple[object, ...]]
) -> int:
    missing = [
        code
        for code, values in existing.items()
        if code not in codes and values[1] != "desa_persiapan" and values[4]
    ]
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        session.execute(update(Region).where(Region.code.in_(chunk)).values(active=False))
    return len(missing)


def _load_history(session: Session) -> int:
    known_codes = set(session.scalars(select(Region.code)))
    have = set(session.execute(select(RegionCodeChange.old_code, RegionCodeChange.new_code)))
    rows = [
        asdict(change)
        for change in load_code_history()
        if change.new_code in known_codes and (change.old_code, change.new_code) not in have
    ]
    if rows:
        session.execute(insert(RegionCodeChange), [{**row, "note": ""} for row in rows])
    return len(rows)


def _load_aliases(session: Session) -> int:
    known_codes = set(session.scalars(select(Region.code)))
    have = set(session.execute(select(RegionAlias.code, RegionAlias.alias_norm)))
    wanted: dict[tuple[str, str], dict[str, str]] = {}
    for code, aliases in PRESS_ALIASES.items():
        for alias in aliases:
            wanted[(code, normalize_name(alias))] = {"code": code, "alias": alias, "source": "pers"}
    for change in load_code_history():
        if change.old_name != change.new_name:
            wanted[(change.new_code, normalize_name(change.old_name))] = {
                "code": change.new_code,
                "alias": change.old_name,
                "source": f"nama lama (edisi {change.edition_from})",
            }
    rows = [
        {**row, "alias_norm": key[1]}
        for key, row in wanted.items()
        if key not in have and key[0] in known_codes
    ]
    if rows:
        session.execute(insert(RegionAlias), rows)
    return len(rows)
