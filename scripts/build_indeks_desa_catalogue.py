"""Build the Indeks Desa catalogue shipped in the package from the shared ministry material.

    python scripts/build_indeks_desa_catalogue.py [../shared/data/indeks-desa-2025]

Writes src/mitradesa/idm/catalogue/indeks_desa_2024/items.json: the 127 items in order with
both official wordings (the structure's and the export's, mapped by order), the score levels
each item takes in the 2025 data, the ministry's recommendation per score and the
implementers. The package never reads ../shared at run time.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/mitradesa/idm/catalogue/indeks_desa_2024/items.json"
IDENTITY_COLUMNS = 6

# "Lainnya" names third parties in many spellings; each is put in one of a few kinds.
_KINDS = (
    (re.compile(r"swasta", re.I), "Swasta"),
    (re.compile(r"bum\s*des", re.I), "BUMDesa"),
    (re.compile(r"lsm", re.I), "LSM"),
    (re.compile(r"akademi|kampus|mahasiswa|pusat (studi|penelitian|kajian)|pakar|badan penelitian",
                re.I), "Akademisi"),
    (re.compile(r"koperasi", re.I), "Koperasi"),
    (re.compile(r"klub", re.I), "Klub Olahraga"),
)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip('"').rstrip(";:").strip()).casefold()


def lainnya_kinds(text: str) -> list[str]:
    kinds = [kind for pattern, kind in _KINDS if pattern.search(text)]
    return sorted(set(kinds), key=[k for _, k in _KINDS].index)


def main(source: Path) -> None:
    structure = list(csv.DictReader((source / "item-structure.csv").open(encoding="utf-8-sig"),
                                    delimiter=";"))
    headers = (source / "export-headers.txt").read_text(encoding="utf-8").splitlines()
    recommendations = {_key(k): v for k, v in
                       json.loads((source / "recommendations.json").read_text("utf-8")).items()}
    with (source / "scores-2025.csv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        if next(reader) != headers:
            raise SystemExit("scores-2025.csv headers differ from export-headers.txt")
        scores = np.array([row[IDENTITY_COLUMNS:] for row in reader], dtype=np.int8)
    item_headers = headers[IDENTITY_COLUMNS:]
    if not (len(structure) == len(item_headers) == scores.shape[1] == 127):
        raise SystemExit("expected 127 items everywhere")
    items = []
    for number, (row, header) in enumerate(zip(structure, item_headers, strict=True), start=1):
        texts = recommendations[_key(header)]
        lainnya = row["PELAKSANA KEGIATAN Lainnya"].strip()
        items.append({
            "no": number,
            "dimension_no": int(row["NO"]),
            "dimension_source": row["DIMENSI"].strip(),
            "sub_dimension_source": row["SUB DIMENSI"].strip(),
            "indicator": row["INDIKATOR"].strip(),
            "label": row["ITEM"].strip(),
            "export_label": header.strip(),
            "levels": sorted({int(v) for v in np.unique(scores[:, number - 1])}),
            "recommendations": {str(level): texts.get(str(level)) for level in range(1, 6)},
            "implementers": {
                "pusat": row["PELAKSANA KEGIATAN PUSAT"].strip(),
                "provinsi": row["PELAKSANA KEGIATAN PROVINSI"].strip(),
                "kabupaten": row["PELAKSANA KEGIATAN KABUPATEN"].strip(),
                "desa": row["PELAKSANA KEGIATAN DESA"].strip(),
                "lainnya": lainnya,
                "lainnya_kinds": lainnya_kinds(lainnya),
            },
        })
    OUT.write_text(json.dumps({"source": "item-structure.csv, export-headers.txt, "
                               "recommendations.json and scores-2025.csv of "
                               "shared/data/indeks-desa-2025 (DatinPDP/"
                               "integrasi_data_skor_rekomendasi_desa)", "items": items},
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(items)} items → {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/indeks-desa-2025")
