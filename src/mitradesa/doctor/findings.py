"""One finding of `mitradesa doctor`: a check's name, its level, what was seen, the fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ok = "ok"
    warn = "peringatan"
    problem = "masalah"


@dataclass(frozen=True)
class Finding:
    name: str
    title: str
    level: Level
    what: str
    how_to_fix: str = ""

    def as_json(self) -> dict[str, str]:
        return {"nama": self.name, "pemeriksaan": self.title, "hasil": self.level.value,
                "keadaan": self.what, "perbaikan": self.how_to_fix}


def has_problem(findings: list[Finding]) -> bool:
    return any(finding.level is Level.problem for finding in findings)
