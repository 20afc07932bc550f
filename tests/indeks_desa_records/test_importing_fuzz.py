"""The Indeks Desa importer fed malformed exports (truncated, bytes flipped, other encodings,
huge cells, formula text, NUL): either it imports, or it refuses with a plain message and
leaves every table as it was."""

from __future__ import annotations

import pytest
from hypothesis import given

from mitradesa.indeks_desa_records.importing import import_indeks_desa_files
from tests.indeks_desa_records.fixtures import SEPATIN, SUNGAI_MERIAM, headers, scores_for
from tests.test_importer_fuzz import FUZZ, _mutate_table, _refused_cleanly_or_imported, mutation

pytestmark = pytest.mark.slow  # exhaustive: many generated files per backend, as the others
EXPORT = [[*headers(), "STATUS ID 25"],
          *(["PROV", "KAB", "KEC", code, "DESA UJI", "2025", *map(str, scores_for(seed)),
              "Maju"] for seed, code in ((1, SEPATIN), (2, SUNGAI_MERIAM)))]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@given(change=mutation)
@FUZZ
def test_indeks_desa_export_imports(db, tmp_path, suffix, change):
    path = _mutate_table([list(row) for row in EXPORT], change, suffix,
                         tmp_path / f"indeks-desa{suffix}")
    _refused_cleanly_or_imported(
        db, lambda: import_indeks_desa_files(db, [path], store_dir=tmp_path / "store"))
