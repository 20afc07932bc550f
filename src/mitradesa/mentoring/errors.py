"""The one error type of economic mentoring."""

from __future__ import annotations

from mitradesa.errors import MitradesaError


class MentoringError(MitradesaError):
    reason = "mentoring_invalid"


class GraduationRefusedError(MentoringError):
    """Graduation refused; `unmet` names the criteria that do not hold yet."""

    status = 409
    reason = "graduation_refused"

    def __init__(self, message: str, unmet: list[str]) -> None:
        super().__init__(message, unmet=unmet)
        self.unmet = unmet
