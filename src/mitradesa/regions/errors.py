"""Errors of the village registry."""

from mitradesa.errors import ConflictError, MitradesaError, NotFoundError


class RegionNotFoundError(NotFoundError):
    reason = "region_not_found"


class RegionConflictError(ConflictError):
    reason = "region_conflict"


class RegionInputError(MitradesaError):
    reason = "region_input_invalid"
