"""The Indeks Desa Membangun engine: pure functions over scores and arrays.

Imports nothing of mitradesa outside this package, and neither SQLAlchemy nor FastAPI.
"""

from mitradesa.idm.bulk import BulkFigures, compute_many, scores_from_strings, scores_to_string
from mitradesa.idm.catalogue import Indicator, LevelText, indicators, level_text
from mitradesa.idm.compute import IdmFigures, compute, format_nilai
from mitradesa.idm.errors import IdmInputError
from mitradesa.idm.scheme import STATUS_TITLES, load_scheme

__all__ = [
    "STATUS_TITLES",
    "BulkFigures",
    "IdmFigures",
    "IdmInputError",
    "Indicator",
    "LevelText",
    "compute",
    "compute_many",
    "format_nilai",
    "indicators",
    "level_text",
    "load_scheme",
    "scores_from_strings",
    "scores_to_string",
]
