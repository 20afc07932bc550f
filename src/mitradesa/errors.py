"""One error type per domain, each with a reason key and a message a DPMD officer understands."""

from __future__ import annotations

from typing import Any


class MitradesaError(Exception):
    """Base of every expected error. `reason` is a stable key; `status` the HTTP status."""

    status: int = 400
    reason: str = "invalid"

    def __init__(self, message: str, *, reason: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if reason:
            self.reason = reason
        self.details = details


class NotFoundError(MitradesaError):
    status = 404
    reason = "not_found"


class ConflictError(MitradesaError):
    status = 409
    reason = "conflict"


class PermissionDeniedError(MitradesaError):
    status = 403
    reason = "forbidden"


class AuthenticationError(MitradesaError):
    status = 401
    reason = "unauthenticated"


class RateLimitedError(MitradesaError):
    status = 429
    reason = "rate_limited"
