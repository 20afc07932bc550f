"""What-if: raise items ("12=5", "Ketersediaan Fasilitas Posyandu di Desa=5") and see the
new total, nilai and status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mitradesa.idm.indeks_desa.catalogue import IndeksDesaInputError, Item, find_item
from mitradesa.idm.indeks_desa.compute import IndeksDesaFigures, check_scores, compute


@dataclass(frozen=True)
class Change:
    item: Item
    old: int
    new: int


@dataclass(frozen=True)
class WhatIf:
    before: IndeksDesaFigures
    after: IndeksDesaFigures
    changes: tuple[Change, ...]

    @property
    def status_changes(self) -> bool:
        return self.before.status != self.after.status


def parse_raise(text: str) -> tuple[Item, int]:
    """ "ITEM=LEVEL" with the item by number or either official wording."""
    name, sep, level = text.rpartition("=")
    if not sep or not name.strip() or not level.strip().isdigit():
        raise IndeksDesaInputError(
            f"tidak terbaca {text!r}: tulis seperti '12=5' atau 'Nama butir=5'")
    item = find_item(name.strip())
    value = int(level)
    if value not in item.levels:
        allowed = ", ".join(str(v) for v in item.levels)
        raise IndeksDesaInputError(f"butir {item.no} ({item.label}) hanya bisa bernilai {allowed}")
    return item, value


def what_if(scores: Sequence[int], raises: Sequence[str]) -> WhatIf:
    values = check_scores(scores)
    new = list(values)
    changes = []
    for text in raises:
        item, value = parse_raise(text)
        changes.append(Change(item, new[item.position], value))
        new[item.position] = value
    return WhatIf(compute(values), compute(new), tuple(changes))
