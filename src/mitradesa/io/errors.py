"""Errors of file import: each names the file, the row and the reason."""

from __future__ import annotations

from dataclasses import dataclass

from mitradesa.errors import MitradesaError


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: int | None  # 1-based, header included; None for the whole file
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, baris {self.row}" if self.row is not None else self.file
        return f"{where}: {self.reason}"


class ImportRejectedError(MitradesaError):
    """Nothing was written: the problems say what to fix."""

    reason = "import_rejected"

    def __init__(self, problems: list[RowProblem]) -> None:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (dan {len(problems) - 5} masalah lain)" if len(problems) > 5 else ""
        super().__init__(f"Impor dibatalkan, tidak ada yang disimpan. {shown}{more}")
        self.problems = problems
