"""The password rule: long enough, and not common or guessable (zxcvbn with the user's own
words and the region's), with a message that says why and what to do."""

from __future__ import annotations

import pytest

from mitradesa.accounts import services
from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.password_rule import check_password, password_problem
from tests.conftest import PASSWORD


@pytest.mark.parametrize("password", [
    "kukar2025", "admin123", "password123456", "Tenggarong#2025", "kutaikartanegara",
    "qwertyuiop", "1234567890",
])
def test_common_and_guessable_passwords_are_refused(password):
    problem = password_problem(password, username="budi.santoso", full_name="Budi Santoso")
    assert problem is not None
    assert "mudah ditebak" in problem or "minimal 10 karakter" in problem


def test_a_password_holding_the_username_or_name_is_refused_saying_so():
    problem = password_problem("budi.santoso99", username="budi.santoso", full_name="Budi")
    assert problem is not None and "nama pengguna atau nama Anda" in problem
    problem = password_problem("sangatrahasiawidodo", username="staf1",
                               full_name="Joko Widodo")
    assert problem is not None and "nama pengguna atau nama Anda" in problem


def test_a_short_password_is_refused_naming_its_length():
    assert password_problem("kopi-teh", username="x") == (
        "Kata sandi minimal 10 karakter (sekarang 8).")


def test_the_refusal_tells_what_to_do_instead():
    with pytest.raises(AccountInputError) as refused:
        check_password("admin123456", username="admin")
    assert refused.value.reason == "password_too_weak"
    assert "tiga atau empat kata acak" in refused.value.message


@pytest.mark.parametrize("password", [PASSWORD, "kopi-jendela-sungai-merah",
                                      "kunci-pintu-balai-desa", "sandi-cadangan-panjang"])
def test_passwords_the_suite_and_the_readme_use_pass(password):
    assert password_problem(password, username="admin", full_name="") is None


def test_creating_a_user_with_a_guessable_password_is_refused(db):
    with pytest.raises(AccountInputError, match="mudah ditebak"):
        services.create_user(db, username="operator1", password="kukar2025!",
                             role="admin")
