"""Indeks Desa rows for the analysis tests, computed by the core engine (`compute`) and stored
as `IndeksDesaResult`, the way an import stores them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from mitradesa.idm import indeks_desa as idx
from mitradesa.indeks_desa_records.models import IndeksDesaResult


def dotted(code: str) -> str:
    return f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}" if "." not in code else code


def scores_at(level: int, raised: int = 0) -> list[int]:
    """Every item at its highest allowed level not above `level`; the first `raised` items at
    their top."""
    return [item.top if item.position < raised
            else max(v for v in item.levels if v <= level) for item in idx.items()]


def scores_with_total(total: int) -> list[int]:
    """Scores whose sum is `total` (127 … 635): items raised one allowed level at a time."""
    scores = [min(item.levels) for item in idx.items()]
    need = total - sum(scores)
    while need > 0:
        before = need
        for item in idx.items():
            following = item.next_level(scores[item.position])
            if following is not None and following - scores[item.position] <= need:
                need -= following - scores[item.position]
                scores[item.position] = following
                if need == 0:
                    break
        if need == before:
            raise ValueError(f"no scores with total {total}")
    return scores


def result_row(code: str, year: int, scores: Sequence[int],
               source: str = "computed") -> IndeksDesaResult:
    figures = idx.compute(scores)
    dims = {part.key: part.score for part in figures.dimensions}
    return IndeksDesaResult(
        village_code=dotted(code), year=year, given_code=code.replace(".", ""),
        scores=idx.scores_to_string(scores), total=figures.total, nilai=figures.nilai,
        status=figures.status, target_status=figures.target_status,
        poin_dibutuhkan=figures.poin_dibutuhkan, figures_source=source, **dims)


def seed_indeks_desa(db: Session, rows: Iterable[tuple[str, int, Sequence[int]]],
                     source: str = "computed") -> None:
    db.add_all([result_row(code, year, scores, source) for code, year, scores in rows])
    db.commit()
