"""`mitradesa users …` after creation: tokens with an expiry, listing and revoking them,
switching an account off and on, setting a password, listing and ending sessions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mitradesa.accounts.models import User
from mitradesa.audit.models import AuditEntry
from mitradesa.db.session import make_engine, session_factory
from tests.cli.conftest import run
from tests.conftest import PASSWORD


@pytest.fixture(scope="module")
def env(cli_env):
    env = {**cli_env, "MITRADESA_NEW_PASSWORD": PASSWORD}
    assert run(env, "users", "create", "staf", "--role", "viewer").returncode == 0
    return env


def _database(env) -> str:
    return env.get("MITRADESA_DATABASE_URL") or (
        f"sqlite:///{env['MITRADESA_DATA_DIR']}/mitradesa.sqlite3")


def _audit_actions(env) -> list[str]:
    engine = make_engine(_database(env))
    try:
        with session_factory(engine)() as session:
            return list(session.scalars(select(AuditEntry.action)))
    finally:
        engine.dispose()


def _must_change(env, username: str) -> bool:
    engine = make_engine(_database(env))
    try:
        with session_factory(engine)() as session:
            return session.scalar(select(User.must_change_password)
                                  .where(User.username == username))
    finally:
        engine.dispose()


def test_a_guessable_password_is_refused_with_the_reason(env):
    weak = run({**env, "MITRADESA_NEW_PASSWORD": "kukar2025"}, "users", "create", "lemah",
               "--role", "viewer")
    assert weak.returncode == 2 and "minimal 10 karakter" in weak.stderr
    weak = run({**env, "MITRADESA_NEW_PASSWORD": "admin12345"}, "users", "create", "lemah",
               "--role", "viewer")
    assert weak.returncode == 2 and "mudah ditebak" in weak.stderr


def test_the_help_states_the_password_rule(env):
    for command in ("create", "set-password"):
        shown = run(env, "users", command, "--help").stdout
        assert "zxcvbn" in shown and "kukar2025" in shown


def test_tokens_are_made_with_an_expiry_listed_and_revoked(env):
    made = run(env, "users", "token", "staf", "--name", "laporan", "--expires-days", "30")
    assert made.returncode == 0 and made.stdout.strip().startswith("mdt_")
    listed = run(env, "users", "tokens", "staf")
    assert listed.returncode == 0 and "laporan" in listed.stdout
    token_id = re.search(r"(\d+)\s+│\s+laporan", listed.stdout).group(1)
    revoked = run(env, "users", "revoke-token", "staf", token_id)
    assert revoked.returncode == 0 and "dicabut" in revoked.stdout
    assert "dicabut" in run(env, "users", "tokens", "staf").stdout
    assert "accounts.api_token.revoked" in _audit_actions(env)


def test_an_account_is_deactivated_and_activated(env):
    off = run(env, "users", "deactivate", "staf")
    assert off.returncode == 0 and "dinonaktifkan" in off.stdout
    assert "tidak" in run(env, "users", "list").stdout
    on = run(env, "users", "activate", "staf")
    assert on.returncode == 0
    actions = _audit_actions(env)
    assert "accounts.user.deactivated" in actions and "accounts.user.activated" in actions


def test_set_password_generates_one_shown_once_that_must_be_changed(env):
    generated = {k: v for k, v in env.items() if k != "MITRADESA_NEW_PASSWORD"}
    done = run(generated, "users", "set-password", "staf")
    assert done.returncode == 0, done.stderr
    assert "hanya ditampilkan sekali" in done.stdout
    assert _must_change(env, "staf")
    chosen = run({**env, "MITRADESA_NEW_PASSWORD": "lampu-jalan-kebun-pisang"},
                 "users", "set-password", "staf", "--no-must-change")
    assert chosen.returncode == 0 and "hanya ditampilkan" not in chosen.stdout
    assert not _must_change(env, "staf")
    assert "accounts.user.password_reset" in _audit_actions(env)


def test_sessions_are_listed_and_ended(env):
    listed = run(env, "users", "sessions", "staf")
    assert listed.returncode == 0
    ended = run(env, "users", "sessions", "staf", "--end")
    assert ended.returncode == 0 and "sesi staf diakhiri" in ended.stdout
    unknown = run(env, "users", "deactivate", "tidak-ada")
    assert unknown.returncode != 0 and "tidak ditemukan" in unknown.stderr
