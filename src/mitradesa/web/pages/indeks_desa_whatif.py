"""The Indeks Desa what-if form: read what the user chose, check it, compute the outcome.

Each problem is a (message, params) pair, translated where it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from mitradesa.idm import indeks_desa as core
from mitradesa.web.templating import N_

FORM_ROWS = 4  # rows shown in the form
MAX_ROWS = 127  # rows read from a submitted form
PREFILLED_ROWS = 2


@dataclass
class Simulation:
    """The form as the user filled it, and its outcome or what is wrong with it."""

    rows: list[tuple[str, str]]
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    outcome: core.WhatIf | None = None

    @property
    def form_rows(self) -> list[tuple[str, str]]:
        return self.rows + [("", "")] * max(FORM_ROWS - len(self.rows), 0)


def grouped_path(scores: list[int]) -> list[dict[str, Any]]:
    """The fewest one-level raises to the next status, one entry per item (an item may
    be raised by several levels): item, from, to, points."""
    grouped: dict[int, dict[str, Any]] = {}
    for step in core.cheapest_path(scores):
        entry = grouped.setdefault(step.item.no, {"item": step.item, "from": step.from_level,
                                                  "to": step.to_level, "points": 0, "steps": 0})
        entry["to"] = step.to_level
        entry["points"] += step.points
        entry["steps"] += 1
    return list(grouped.values())


def default_rows(raises: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The first items of the fewest-raises path, at the level the path takes them to."""
    return [(str(r["item"].no), str(r["to"])) for r in raises[:PREFILLED_ROWS]]


def _levels(item: core.Item) -> str:
    return ", ".join(str(level) for level in item.levels)


def _check(number: int, key: str, value: str, seen: set[str],
           errors: list[tuple[str, dict[str, Any]]]) -> str | None:
    """One row: the raise as `no=level`, or None with the problem added to `errors`."""
    item = core.item_by_no(int(key)) if key.isdigit() and 1 <= int(key) <= 127 else None
    if item is None:
        errors.append((N_("Row %(row)s: choose the item to change.") if not key
                       else N_("Row %(row)s: unknown item."), {"row": number}))
        return None
    label = f"{item.no} ({item.label})"
    if not value.isdigit() or int(value) not in item.levels:
        errors.append((
            N_("Row %(row)s, item %(item)s: the new score must be one of this item's levels "
               "(%(levels)s); you entered “%(value)s”."),
            {"row": number, "item": label, "levels": _levels(item), "value": value},
        ))
        return None
    if key in seen:
        errors.append((N_("Row %(row)s: item %(item)s is chosen more than once."),
                       {"row": number, "item": label}))
        return None
    seen.add(key)
    return f"{item.no}={int(value)}"


def simulate(scores: list[int], chosen: list[str], values: list[str]) -> Simulation:
    pairs = list(zip_longest(chosen, values, fillvalue=""))[:MAX_ROWS]
    simulation = Simulation(rows=[(k.strip()[:5], v.strip()[:5]) for k, v in pairs])
    raises: list[str] = []
    seen: set[str] = set()
    for number, (key, value) in enumerate(simulation.rows, 1):
        if key or value:
            found = _check(number, key, value, seen, simulation.errors)
            if found:
                raises.append(found)
    if not raises and not simulation.errors:
        simulation.errors.append((N_("Choose at least one item and its new score."), {}))
    if not simulation.errors:
        try:
            simulation.outcome = core.what_if(scores, raises)
        except core.IndeksDesaInputError as exc:  # ruled out above; shown plainly if not
            simulation.errors.append(
                (N_("The simulation could not be computed: %(reason)s"), {"reason": str(exc)}))
    return simulation


def options(scores: list[int]) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """The choices per dimension: (dimension, [(item no, label, score)])."""
    groups: dict[str, list[tuple[str, str, int]]] = {}
    for item in core.items():
        groups.setdefault(item.dimension, []).append(
            (str(item.no), item.label, scores[item.position]))
    return list(groups.items())


def path(scores: list[int]) -> dict[str, Any]:
    """The fewest raises to the next status, per item, and the figures they lead to."""
    raises = grouped_path(scores)
    after = None
    if raises:
        after = core.what_if(scores, [f"{r['item'].no}={r['to']}" for r in raises]).after
    return {"raises": raises, "after": after, "steps": sum(r["steps"] for r in raises),
            "points": sum(r["points"] for r in raises)}
