"""Build the small item-score profile the Indeks Desa demo draws from.

Input: scores-2025.csv of the shared real-data folder (10,969 real desa of 2025, 127 item
scores each). Output: src/mitradesa/demo/indeks_desa_profiles.json with, for a few bands of
the total score, how often each item takes each level (per mille), and per status the
quantiles of the total. Only these aggregates are committed: no village's own scores, so the
demo runs without the shared folder and no demo village copies a real one.

Usage:
    python scripts/build_indeks_desa_demo_profiles.py \
        ../shared/data/indeks-desa-2025/scores-2025.csv
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src/mitradesa/demo/indeks_desa_profiles.json"
IDENTITY_COLUMNS = 6
ITEMS = 127
# Bands of the total (inclusive): the status bands, Berkembang, Maju and Mandiri split so
# that a band's profile follows the total more closely.
BANDS = ((127, 364), (365, 405), (406, 440), (441, 472), (473, 505), (506, 535), (536, 635))
STATUS_BANDS = {"MANDIRI": (506, 635), "MAJU": (441, 505), "BERKEMBANG": (365, 440),
                "TERTINGGAL": (315, 364), "SANGAT TERTINGGAL": (127, 314)}
QUANTILES = np.linspace(0, 100, 21)


def main(scores_csv: Path) -> None:
    with scores_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    scores = np.array([[int(v) for v in row[IDENTITY_COLUMNS:]] for row in rows], dtype=np.int16)
    assert scores.shape[1] == ITEMS, scores.shape
    totals = scores.sum(axis=1)
    levels = [sorted(int(v) for v in np.unique(scores[:, i])) for i in range(ITEMS)]
    shares = []
    for low, high in BANDS:
        band = scores[(totals >= low) & (totals <= high)]
        counts = np.stack([(band == level).sum(axis=0) for level in range(1, 6)], axis=1)
        shares.append(np.rint(counts / len(band) * 1000).astype(int).tolist())
    quantiles = {}
    for status, (low, high) in STATUS_BANDS.items():
        within = totals[(totals >= low) & (totals <= high)]
        quantiles[status] = [int(np.rint(q)) for q in np.percentile(within, QUANTILES)]
    profile = {
        "source": "scores-2025.csv of ../shared/data/indeks-desa-2025 (10,969 real desa of "
                  "2025, a ministry export); aggregates only",
        "villages": len(scores),
        "bands": [list(band) for band in BANDS],
        "levels": levels,
        "shares_per_mille": shares,
        "total_quantiles": quantiles,
    }
    OUT.write_text(json.dumps(profile, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(scores)} desa summarised in {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
