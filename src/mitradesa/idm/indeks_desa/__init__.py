"""The Indeks Desa engine (Permendesa PDTT 9/2024): pure functions over item scores.

127 items → total T, nilai = T / 635 × 100 (2 decimals), status on T, six dimension and
13 sub-dimension sums, the gap to the next status and the items that can close it.
Imports nothing of mitradesa outside `mitradesa.idm`, and neither SQLAlchemy nor FastAPI.
"""

from mitradesa.idm.indeks_desa.bulk import (
    IndeksDesaBulk,
    check_levels,
    compute_many,
    scores_from_strings,
    scores_to_string,
    scores_to_strings,
)
from mitradesa.idm.indeks_desa.catalogue import (
    ITEM_COUNT,
    Dimension,
    Implementers,
    IndeksDesaInputError,
    Item,
    SubDimension,
    dimensions,
    find_item,
    item_by_no,
    items,
    match_header,
    normalize_label,
    sub_dimensions,
)
from mitradesa.idm.indeks_desa.compute import (
    MAX_TOTAL,
    MIN_NILAI,
    MIN_TOTAL,
    STATUSES,
    IndeksDesaFigures,
    Part,
    compute,
    nilai_of_total,
    status_of_nilai,
    status_of_total,
)
from mitradesa.idm.indeks_desa.gaps import Raise, cheapest_path, raisable
from mitradesa.idm.indeks_desa.whatif import Change, WhatIf, parse_raise, what_if

DIMENSIONS = dimensions()

__all__ = [
    "DIMENSIONS", "ITEM_COUNT", "MAX_TOTAL", "MIN_NILAI", "MIN_TOTAL", "STATUSES", "Change",
    "Dimension", "Implementers", "IndeksDesaBulk", "IndeksDesaFigures", "IndeksDesaInputError",
    "Item", "Part", "Raise", "SubDimension", "WhatIf", "cheapest_path", "check_levels",
    "compute", "compute_many", "dimensions", "find_item", "item_by_no", "items",
    "match_header", "nilai_of_total", "normalize_label", "parse_raise", "raisable",
    "scores_from_strings", "scores_to_string", "scores_to_strings", "status_of_nilai",
    "status_of_total", "sub_dimensions", "what_if",
]
