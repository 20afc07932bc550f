"""The indicator catalogue is the ministry's own texts, observed, and its document is current."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "src" / "mitradesa" / "idm" / "catalogue" / "idm2016"
OFFICIAL = SHARED_DATA / "idm-official"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def official():
    if not (OFFICIAL / "texts.csv").exists():
        pytest.skip("../shared/data/idm-official is not beside this checkout")
    return read(OFFICIAL / "texts.csv"), read(OFFICIAL / "scores.csv")


def test_every_observed_text_is_in_the_catalogue_with_its_count(official):
    texts, _scores = official
    seen: Counter[tuple[str, str, str, str]] = Counter()
    for row in texts:
        seen[(row["tahun"], row["index"], row["no"], row["skor"])] += int(row["count"])
    levels = {
        (r["tahun"], r["index"], r["no"], r["skor"]): r for r in read(CATALOGUE / "levels.csv")
    }
    assert set(levels) == set(seen)
    for key, count in seen.items():
        assert levels[key]["basis"] == "observed"
        assert int(levels[key]["count"]) == count, key


def test_every_score_the_ministry_gave_has_its_text(official):
    """The levels with a text are exactly the scores that occur in the published data."""
    _texts, scores = official
    indicators = read(CATALOGUE / "indicators.csv")
    used: dict[str, set[str]] = defaultdict(set)
    for row in scores:
        for indicator in indicators:
            column = f"{indicator['index'].lower()}_{indicator['no']}"
            used[f"{indicator['index']} {indicator['no']}"].add(row[column])
    described: dict[str, set[str]] = defaultdict(set)
    for level in read(CATALOGUE / "levels.csv"):
        described[f"{level['index']} {level['no']}"].add(level["skor"])
    assert described == used
    assert described["IKS 3"] == {"1", "5"}  # no midwife scores 1, not 0


def test_scoring_document_is_current():
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_idm_scoring_doc.py"), "--stdout"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert (ROOT / "docs" / "idm-scoring.md").read_text(encoding="utf-8") == generated, (
        "run: .venv/bin/python scripts/build_idm_scoring_doc.py"
    )
    assert "≤ 30 → 5, > 30 – ≤ 60 → 4, > 60 – ≤ 90 → 3, > 90 – ≤ 120 → 2, > 120 → 1" in generated
