"""Build the IDM 2016 catalogue data from the ministry's observed row texts.

Input: texts.csv of the shared real-data folder (every distinct (year, indicator, score) row
text the open API published, with counts). Output: levels.csv beside the indicator list in
src/mitradesa/idm/catalogue/idm2016/: per year and score level the most frequent KETERANGAN,
KEGIATAN and actor texts, marked `observed` with their count.

Usage: python scripts/build_idm_catalogue.py ../shared/data/idm-official/texts.csv
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/mitradesa/idm/catalogue/idm2016/levels.csv"
TEXT_FIELDS = ("keterangan", "kegiatan", "pusat", "prov", "kab", "desa", "csr", "lainnya")


def main(texts_csv: Path) -> None:
    variants: dict[tuple[str, str, int, int], Counter[tuple[str, ...]]] = defaultdict(Counter)
    with texts_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["tahun"], row["index"], int(row["no"]), int(row["skor"]))
            texts = tuple(" ".join(row[f].split()) for f in TEXT_FIELDS)
            variants[key][texts] += int(row["count"])
    order = {"IKS": 0, "IKE": 1, "IKL": 2}
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tahun", "index", "no", "skor", *TEXT_FIELDS, "basis", "count"])
        for key in sorted(variants, key=lambda k: (k[0], order[k[1]], k[2], k[3])):
            texts, _count = variants[key].most_common(1)[0]
            writer.writerow([*key, *texts, "observed", sum(variants[key].values())])
    print(f"{len(variants)} observed levels written to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
