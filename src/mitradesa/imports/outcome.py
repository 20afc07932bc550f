"""What an import would do (the preview) or did (the result), kept as JSON between requests."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from mitradesa.io.errors import RowProblem

SHOWN_CHANGES = 50


@dataclass
class Change:
    state: str  # created | updated
    label: str  # what it is, in words ("Sepatin, 2024", "PT Contoh")
    code: str = ""  # the village code or record id
    link: str = ""


@dataclass
class Problem:
    file: str
    row: int | None
    reason: str

    @classmethod
    def of(cls, problem: RowProblem) -> Problem:
        return cls(problem.file, problem.row, problem.reason)


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # the first SHOWN_CHANGES
    # [English msgid, its parameters]: sentences shown in the reader's language
    notes: list[list[Any]] = field(default_factory=list)
    already_imported: bool = False  # the very same file was imported before
    link: str = ""  # where to see what was imported
    link_label: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> int:
        return self.created + self.updated

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            **{k: v for k, v in data.items() if k not in ("problems", "changes")},
            problems=[Problem(**p) for p in data.get("problems", [])],
            changes=[Change(**c) for c in data.get("changes", [])],
        )
