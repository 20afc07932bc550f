"""The one error type of the IDM engine."""


class IdmInputError(ValueError):
    """Scores or a what-if request that the index cannot take; the message says why."""
