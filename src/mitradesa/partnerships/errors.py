"""The one error type of partnerships."""

from __future__ import annotations

from mitradesa.errors import MitradesaError


class PartnershipError(MitradesaError):
    reason = "partnership_invalid"


class TransitionRefusedError(PartnershipError):
    """A lifecycle step refused; `missing` names what it needs."""

    status = 409
    reason = "transition_refused"

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message, missing=missing)
        self.missing = missing


class VersionRequiredError(PartnershipError):
    """A change sent without the version of the record it was based on."""

    status = 422
    reason = "version_required"
