"""Item scores from raw questionnaire answers — only where the grid is known.

PROVISIONAL (spec indeks-desa.md, "Scoring from raw answers" [S, partial]): the full grids are
in the Buku Panduan Kuesioner Indeks Desa 2025 and are only partly known. Known here:
- shares in quintiles, read off the ministry's own recommendation texts ("APM 0-20%" … 1,
  "> 80-100%" … 5; uninhabitable houses reversed);
- presence items scored {1, 5}, whose level-1 text states the absence ("Tidak ada …",
  "Belum …"): present → 5, absent → 1.
Every other item is "not derivable": no grid is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from mitradesa.idm.indeks_desa.catalogue import IndeksDesaInputError, Item, find_item, items

PROVISIONAL = True
_QUINTILE = re.compile(r"(?:^|\s)(?:>\s*)?(\d+)\s*-\s*(\d+)\s*%")
_ABSENCE = re.compile(r"^(desa\s+)?(tidak|belum)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Grid:
    item: Item
    kind: str  # "share" (0–100 %) or "presence" (ya/tidak)
    bands: tuple[tuple[float, int], ...] = ()  # (inclusive upper bound of the share, score)

    def describe(self) -> str:
        if self.kind == "presence":
            return "ada → 5, tidak ada → 1"
        lower, parts = 0.0, []
        for upper, score in self.bands:
            parts.append(f"{lower:g}–{upper:g}% → {score}")
            lower = upper
        return "; ".join(parts)


@dataclass(frozen=True)
class Derived:
    item: Item
    answer: float | bool
    score: int
    grid: str
    provisional: bool = PROVISIONAL


def _share_bands(item: Item) -> tuple[tuple[float, int], ...] | None:
    """The quintile bands stated in the item's recommendations, if they state them all."""
    found: dict[float, int] = {}
    for score in range(1, 5):
        match = _QUINTILE.search(item.recommendation(score) or "")
        if match is None:
            return None
        found[float(match.group(2))] = score
    quintiles = {20.0, 40.0, 60.0, 80.0, 100.0}
    if len(found) != 4 or not set(found) <= quintiles:
        return None
    (missing_upper,) = quintiles - set(found)
    (missing_score,) = {1, 2, 3, 4, 5} - set(found.values())
    found[missing_upper] = missing_score
    return tuple(sorted(found.items()))


@cache
def grids() -> dict[int, Grid]:
    """Item number → its known grid."""
    known: dict[int, Grid] = {}
    for item in items():
        if item.levels == (1, 2, 3, 4, 5) and (bands := _share_bands(item)):
            known[item.no] = Grid(item, "share", bands)
        elif item.levels == (1, 5) and _ABSENCE.match(item.recommendation(1) or ""):
            known[item.no] = Grid(item, "presence")
    return known


def derive(item_ref: str | int, answer: float | bool | str) -> Derived:
    """The score of one item from its raw answer: a share in % or ya/tidak."""
    item = find_item(item_ref)
    grid = grids().get(item.no)
    if grid is None:
        raise IndeksDesaInputError(
            f"butir {item.no} ({item.label}) belum dapat dihitung dari jawaban mentah: "
            "kisi penilaiannya belum diketahui; isi skornya (1–5) langsung")
    if grid.kind == "presence":
        present = _as_bool(answer)
        return Derived(item, present, 5 if present else 1, grid.describe())
    share = _as_share(answer)
    score = next(score for upper, score in grid.bands if share <= upper)
    return Derived(item, share, score, grid.describe())


def _as_bool(answer: float | bool | str) -> bool:
    if isinstance(answer, bool):
        return answer
    text = str(answer).strip().casefold()
    if text in {"ya", "ada", "y", "1", "true"}:
        return True
    if text in {"tidak", "tidak ada", "belum", "t", "0", "false"}:
        return False
    raise IndeksDesaInputError(f"jawaban {answer!r} tidak terbaca: tulis 'ya' atau 'tidak'")


def _as_share(answer: float | bool | str) -> float:
    try:
        share = float(str(answer).replace(",", ".").rstrip("% "))
    except ValueError:
        raise IndeksDesaInputError(f"jawaban {answer!r} bukan persentase (0–100)") from None
    if not 0 <= share <= 100:
        raise IndeksDesaInputError(f"persentase {share:g} di luar 0–100")
    return share
