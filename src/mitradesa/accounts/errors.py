"""Errors of accounts and access."""

from mitradesa.errors import ConflictError, MitradesaError


class AccountInputError(MitradesaError):
    reason = "account_input_invalid"


class DuplicateUserError(ConflictError):
    reason = "user_exists"
