"""Which indicators to raise: each one's gain (NILAI) and the cheapest path to the next status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mitradesa.idm.catalogue import indicators
from mitradesa.idm.compute import compute
from mitradesa.idm.scheme import load_scheme


@dataclass(frozen=True)
class Step:
    position: int
    label: str
    from_score: int
    to_score: int
    gain: float  # IDM gain of this one step


def ranked_gaps(scores: Sequence[int]) -> list[tuple[int, float]]:
    """(position, NILAI) of every indicator below 5, largest gain first."""
    figures = compute(scores)
    ranked = [(p, v) for p, v in enumerate(figures.nilai) if v > 0]
    return sorted(ranked, key=lambda item: (-item[1], item[0]))


def path_to_next_status(scores: Sequence[int], max_steps: int = 60) -> list[Step]:
    """The fewest one-point raises that lift the village to the next status.

    Every step is worth 1/(5·n_index·3) of IDM, so the fewest steps take the largest step
    gains first (IKL, then IKE, then IKS); ties go to the indicator with the lowest score.
    Returns [] when already MANDIRI.
    """
    scheme = load_scheme()
    current = list(scores)
    start = compute(current)
    if start.status == scheme.statuses[-1].name:
        return []
    items = indicators()
    sizes = {i.code: i.size for i in scheme.indices}
    steps: list[Step] = []
    while compute(current).status == start.status and len(steps) < max_steps:
        candidates = [
            (1 / (scheme.max_score * sizes[items[p].index] * len(scheme.indices)), -s, p)
            for p, s in enumerate(current)
            if s < scheme.max_score
        ]
        if not candidates:
            break
        gain, _, position = max(candidates)
        item = items[position]
        steps.append(
            Step(
                position,
                f"{item.index} {item.no} ({item.indikator})",
                current[position],
                current[position] + 1,
                gain,
            )
        )
        current[position] += 1
    return steps
