"""Login checks a password hash whether or not the account exists, so the time of the answer
does not tell who has an account; both throttle counters are kept per key."""

from __future__ import annotations

import pytest

from mitradesa.accounts import passwords, services
from mitradesa.accounts.management import deactivate_user
from mitradesa.errors import AuthenticationError, RateLimitedError
from tests.conftest import PASSWORD


@pytest.fixture
def verifications(monkeypatch):
    """The hashes checked, by wrapping the real Argon2 check."""
    seen: list[str] = []
    real = passwords.verify_password

    def counting(password: str, password_hash: str) -> bool:
        seen.append(password_hash)
        return real(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return seen


def test_an_unknown_name_is_checked_against_a_hash_like_a_known_one(db, make_user,
                                                                    verifications):
    make_user("admin", "admin")
    with pytest.raises(AuthenticationError) as known:
        services.authenticate(db, "admin", "salah-sekali-ini", "10.0.0.1")
    with pytest.raises(AuthenticationError) as unknown:
        services.authenticate(db, "tidak-ada", "salah-sekali-ini", "10.0.0.2")
    assert len(verifications) == 2
    assert all(h.startswith("$argon2id$") for h in verifications)
    assert known.value.message == unknown.value.message


def test_a_deactivated_account_is_checked_like_any_other_and_refused(db, make_user,
                                                                     verifications):
    user = make_user("staf", "viewer")
    deactivate_user(db, user, actor=None)
    db.commit()
    with pytest.raises(AuthenticationError):
        services.authenticate(db, "staf", PASSWORD, "10.0.0.3")
    assert len(verifications) == 1


def test_a_refused_try_checks_no_hash(db, make_user, verifications):
    make_user("admin", "admin")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            services.authenticate(db, "admin", "salah-sekali-ini", "10.0.0.4")
    with pytest.raises(RateLimitedError):
        services.authenticate(db, "admin", PASSWORD, "10.0.0.4")
    assert len(verifications) == 5


def test_failures_from_one_address_do_not_lock_the_account_for_others(db, make_user):
    make_user("korban", "viewer")
    for _ in range(12):
        with pytest.raises((AuthenticationError, RateLimitedError)):
            services.authenticate(db, "korban", "tebakan-orang-lain", "10.9.9.9")
    assert services.authenticate(db, "korban", PASSWORD, "10.0.0.5").username == "korban"


def test_failures_spread_over_many_addresses_pause_the_account(db, make_user):
    make_user("sasaran", "viewer")
    for n in range(20):
        with pytest.raises(AuthenticationError):
            services.authenticate(db, "sasaran", "tebakan-orang-lain", f"10.8.0.{n}")
    with pytest.raises(RateLimitedError):
        services.authenticate(db, "sasaran", PASSWORD, "10.8.1.1")


def test_a_successful_login_gives_its_place_back(db, make_user):
    make_user("staf", "viewer")
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            services.authenticate(db, "staf", "salah-sekali-ini", "10.0.0.6")
    for _ in range(3):
        services.authenticate(db, "staf", PASSWORD, "10.0.0.6")
    with pytest.raises(AuthenticationError):  # the fifth failure is still checked
        services.authenticate(db, "staf", "salah-sekali-ini", "10.0.0.6")


def test_counters_of_keys_unseen_for_a_day_are_forgotten(db, make_user):
    from datetime import timedelta

    from sqlalchemy import select

    from mitradesa.accounts.clock import now
    from mitradesa.accounts.models import LoginThrottle

    make_user("staf", "viewer")
    db.add(LoginThrottle(key="client:192.0.2.1", window_start=now() - timedelta(days=2),
                         failures=3))
    db.commit()
    services.authenticate(db, "staf", PASSWORD, "10.0.0.7")
    keys = set(db.scalars(select(LoginThrottle.key)))
    assert "client:192.0.2.1" not in keys and "client:10.0.0.7" in keys
