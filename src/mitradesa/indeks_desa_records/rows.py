"""Table rows of Indeks Desa results from item scores, for imports and the demo alike."""

from __future__ import annotations

from typing import Any

import numpy as np

from mitradesa.idm import indeks_desa
from mitradesa.indeks_desa_records.models import DIMENSION_COLUMNS


def result_rows(
    village_codes: list[str],
    scores: np.ndarray,
    year: int,
    *,
    figures_source: str,
    given_codes: list[str] | None = None,
    import_id: int | None = None,
) -> list[dict[str, Any]]:
    """Column values of `IndeksDesaResult` for each row of an (N, 127) score array, with
    the engine's figures (an import replaces status etc. with published ones itself)."""
    bulk = indeks_desa.compute_many(scores)
    statuses, targets = bulk.status_names(), bulk.target_names()
    totals, nilai = bulk.total.tolist(), bulk.nilai.tolist()
    needed, dims = bulk.poin_dibutuhkan.tolist(), bulk.dimensions.tolist()
    given = given_codes or village_codes
    texts = indeks_desa.scores_to_strings(scores)
    rows = []
    for i, code in enumerate(village_codes):
        rows.append({
            "village_code": code, "year": year, "given_code": given[i],
            "scores": texts[i], "total": totals[i],
            "nilai": nilai[i], "status": statuses[i], "target_status": targets[i],
            "poin_dibutuhkan": needed[i],
            **dict(zip(DIMENSION_COLUMNS, dims[i], strict=True)),
            "figures_source": figures_source, "published": None, "discrepancy": None,
            "import_id": import_id,
        })
    return rows
