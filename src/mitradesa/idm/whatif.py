"""What-if: raise indicators ("IKE 7=5") and see the new IDM and status."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mitradesa.idm.catalogue import find_indicator
from mitradesa.idm.compute import IdmFigures, compute
from mitradesa.idm.errors import IdmInputError

_RAISE = re.compile(r"^\s*(IKS|IKE|IKL)\s*(\d{1,2})\s*=\s*(\d)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Change:
    position: int
    label: str
    old: int
    new: int


@dataclass(frozen=True)
class WhatIf:
    before: IdmFigures
    after: IdmFigures
    changes: tuple[Change, ...]

    @property
    def status_changes(self) -> bool:
        return self.before.status != self.after.status


def parse_raise(text: str) -> tuple[int, int]:
    """ "IKE 7=5" → (position in the score vector, new score)."""
    match = _RAISE.match(text)
    if not match:
        raise IdmInputError(f"tidak terbaca {text!r}: tulis seperti 'IKE 7=5'")
    index, no, value = match.group(1).upper(), int(match.group(2)), int(match.group(3))
    indicator = find_indicator(index, no)
    if indicator is None:
        raise IdmInputError(f"{index} tidak punya indikator {no}")
    if value > 5:
        raise IdmInputError(f"{text!r}: skor harus 0–5")
    return indicator.position, value


def what_if(scores: Sequence[int], raises: Sequence[str]) -> WhatIf:
    from mitradesa.idm.catalogue import indicator_label

    new = list(scores)
    changes = []
    for text in raises:
        position, value = parse_raise(text)
        changes.append(Change(position, indicator_label(position), new[position], value))
        new[position] = value
    return WhatIf(compute(scores), compute(new), tuple(changes))
