"""Checks of each record of an Indeks Desa import, and where it belongs today.

A record's year must be plausible and its code a desa of the registry, today or through the
code history (kelurahan are refused: the Indeks Desa is for desa only); its scores must be
levels its items can take; one desa-year may come once. Each problem names file, row and
reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from mitradesa.idm.indeks_desa import check_levels, scores_from_strings
from mitradesa.indeks_desa_records.discrepancy import unknown_status
from mitradesa.io.errors import RowProblem
from mitradesa.io.indeks_desa_files import IndeksDesaRecord, ParsedFile, outside_levels
from mitradesa.regions.codes import RegionCodeError, normalize_code
from mitradesa.regions.names import normalize_name
from mitradesa.regions.queries import code_facts, resolve_codes

FIRST_YEAR = 2024  # the first measurement of the Indeks Desa
LAST_YEAR = 2100


@dataclass
class Row:
    record: IndeksDesaRecord
    file_index: int
    village_code: str
    given_code: str


def resolve(session: Session, parsed: list[ParsedFile], skipped: list[RowProblem],
            relocated: list[str]) -> list[Row]:
    """Check each record's year and code and find its desa today, through the code history.

    Most codes are current desa named as in the registry: one light query settles those;
    only the rest go through the code history.
    """
    pending: list[tuple[IndeksDesaRecord, int, str]] = []
    dotted: dict[str, str | None] = {}
    for file_index, result in enumerate(parsed):
        for record in result.records:
            if not FIRST_YEAR <= record.year <= LAST_YEAR:
                skipped.append(RowProblem(
                    record.file, record.row, f"tahun {record.year} tidak masuk akal (Indeks "
                                             f"Desa ada sejak {FIRST_YEAR})"))
                continue
            odd = unknown_status(record.published)
            if odd is not None:
                skipped.append(RowProblem(
                    record.file, record.row, f"status terbitan tidak dikenal: {odd[:30]!r}"))
                continue
            if record.code not in dotted:
                try:
                    code = normalize_code(record.code)
                except RegionCodeError:
                    code = None
                dotted[record.code] = code if code and code.count(".") == 3 else None
            code = dotted[record.code]
            if code is None:
                skipped.append(
                    RowProblem(record.file, record.row, f"kode desa tidak sah: {record.code!r}"))
                continue
            pending.append((record, file_index, code))
    facts = code_facts(session, [code for _, _, code in pending])
    names: dict[str, str] = {}
    settled: list[Row] = []
    unsettled: list[tuple[IndeksDesaRecord, int, str]] = []
    for record, file_index, code in pending:
        fact = facts.get(code)
        if record.name is not None and record.name not in names:
            names[record.name] = normalize_name(record.name)
        if (
            fact is not None and fact.active and fact.kind == "desa"
            and (record.name is None or names[record.name] == fact.name_norm)
        ):
            settled.append(Row(record, file_index, code, code))
        else:
            unsettled.append((record, file_index, code))
    resolved = resolve_codes(session, [(code, record.name) for record, _, code in unsettled])
    for record, file_index, code in unsettled:
        found = resolved[(code, record.name)]
        if found is None:
            skipped.append(RowProblem(
                record.file, record.row,
                f"kode desa {code} tidak dikenal di registri maupun riwayat kodenya"))
            continue
        if found.region.kind != "desa":
            kind = found.region.kind.replace("_", " ")
            skipped.append(RowProblem(
                record.file, record.row,
                f"{found.region.code} ({found.region.name}) adalah {kind}: Indeks Desa hanya "
                "untuk desa"))
            continue
        if found.via_history:
            relocated.append(f"{_where(record)}: {found.message}")
        settled.append(Row(record, file_index, found.region.code, code))
    return settled


def _where(record: IndeksDesaRecord) -> str:
    return f"{record.file}, baris {record.row}" if record.row is not None else record.file


def check_item_levels(rows: list[Row], skipped: list[RowProblem]) -> list[Row]:
    """Rows whose every score is one of its item's levels; the others are reported."""
    if not rows:
        return rows
    scores = scores_from_strings([row.record.scores for row in rows])
    bad: dict[int, tuple[int, int]] = {}
    for index, item_no, score in check_levels(scores):
        bad.setdefault(int(index), (int(item_no), int(score)))
    for index in sorted(bad):
        record = rows[index].record
        skipped.append(RowProblem(record.file, record.row, outside_levels(*bad[index])))
    return [row for index, row in enumerate(rows) if index not in bad]


def drop_duplicates(rows: list[Row], skipped: list[RowProblem]) -> list[Row]:
    """One row per desa-year; the same row twice is harmless, two different ones are not."""
    seen: dict[tuple[str, int], Row] = {}
    for row in rows:
        key = (row.village_code, row.record.year)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = row
        elif (earlier.record.scores, earlier.record.published) != (
            row.record.scores, row.record.published
        ):
            skipped.append(RowProblem(
                row.record.file, row.record.row,
                f"desa {row.village_code} tahun {row.record.year} sudah ada di "
                f"{_where(earlier.record)} dengan skor lain"))
    return list(seen.values())
