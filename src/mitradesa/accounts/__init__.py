"""Accounts, roles, location scope, sessions and API tokens."""
