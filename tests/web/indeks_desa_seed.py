"""Indeks Desa rows for web tests: scores made up to reach a chosen total (test data only),
stored with the core's figures as an import would store them."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from mitradesa.idm import indeks_desa
from mitradesa.indeks_desa_records.models import IndeksDesaResult
from mitradesa.indeks_desa_records.rows import result_rows

# Totals of each status band (spec): 314 ST, 340 T, 400 B, 470 Maju, 560 Mandiri.
BERKEMBANG_TOTAL = 400


# A fixed order that spreads the raises over every dimension (37 and 127 are coprime).
ORDER = [indeks_desa.item_by_no(1 + (k * 37) % 127) for k in range(127)]


def scores_for_total(total: int) -> list[int]:
    """Every item at its lowest level, then items raised one level at a time, in ORDER,
    until `total` is reached (each raise chosen so as not to pass it)."""
    scores = [item.levels[0] for item in indeks_desa.items()]
    while sum(scores) < total:
        for item in ORDER:
            following = item.next_level(scores[item.position])
            if following is not None and sum(scores) + following - scores[item.position] <= total:
                scores[item.position] = following
                break
        else:
            raise ValueError(f"no exact set of levels for {total}")
    return scores


def seed(session: Session, rows: list[tuple[str, int, int]], *,
         published: dict[str, dict[str, Any]] | None = None,
         source: str = "computed") -> None:
    """rows: (village code with dots, year, total)."""
    for year in sorted({year for _code, year, _total in rows}):
        chosen = [(code, total) for code, y, total in rows if y == year]
        scores = np.array([scores_for_total(total) for _code, total in chosen], dtype=np.int8)
        for values in result_rows([code for code, _t in chosen], scores, year,
                                  figures_source=source):
            given = (published or {}).get(values["village_code"])
            if given:
                values.update(status=given["status"], figures_source="published",
                              published=given,
                              discrepancy={"status": [given["status"], values["status"]]})
            session.add(IndeksDesaResult(**values))
    session.flush()
