"""What a password must be: long enough and not guessable (zxcvbn), stated in one place."""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from mitradesa.accounts.errors import AccountInputError
from mitradesa.accounts.passwords import MIN_PASSWORD_LENGTH

MIN_SCORE = 3  # zxcvbn's 0–4; 3 = "safely unguessable": about 10^8 guesses or more
# Words of this system and this region that a guesser tries first, as for the user's names.
LOCAL_WORDS = (
    "mitradesa", "mitra", "desa", "dpmd", "kukar", "kutai", "kartanegara", "tenggarong",
    "kaltim", "kalimantan", "indonesia", "admin", "administrator", "operator", "pendamping",
    "sandi", "katasandi", "rahasia", "masuk", "bismillah", "merdeka",
)
# Only as long as zxcvbn needs: its cost grows with the length.
EVALUATED_LENGTH = 100

RULE_TEXT = (
    f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter dan tidak mudah ditebak: bukan kata "
    "sandi umum, bukan nama pengguna atau nama Anda, bukan nama daerah atau instansi ditambah "
    "angka/tahun (mis. kukar2025, admin123). Paling mudah: tiga atau empat kata acak yang "
    "tidak berhubungan, mis. kopi-jendela-sungai-merah."
)
RULE_TEXT_EN = (
    f"At least {MIN_PASSWORD_LENGTH} characters and not guessable (zxcvbn score at least "
    f"{MIN_SCORE} of 4): no common password, not the username or the person's name, no "
    "region or agency name plus digits or a year (e.g. kukar2025, admin123)."
)


def _user_words(username: str, full_name: str) -> list[str]:
    words = [username, *re.split(r"[\s._-]+", username), *full_name.split()]
    return [w.lower() for w in words if len(w) >= 3]


def password_problem(password: str, *, username: str = "", full_name: str = "") -> str | None:
    """Why `password` is refused, in Indonesian, or None when it passes the rule."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter (sekarang {len(password)})."
    names = _user_words(username, full_name)
    lowered = password.lower()
    if any(len(name) >= 4 and name in lowered for name in names):
        return ("Kata sandi tidak boleh memuat nama pengguna atau nama Anda. "
                "Pakai tiga atau empat kata acak yang tidak berhubungan, "
                "mis. kopi-jendela-sungai-merah.")
    result = zxcvbn(password[:EVALUATED_LENGTH], user_inputs=[*names, *LOCAL_WORDS])
    if result["score"] < MIN_SCORE:
        return (f"Kata sandi terlalu mudah ditebak (kekuatan {result['score']} dari 4, minimal "
                f"{MIN_SCORE}): kata sandi umum, kata yang dikenal atau pola seperti nama "
                "daerah ditambah tahun mudah dicoba orang lain. Pakai tiga atau empat kata acak "
                "yang tidak berhubungan, mis. kopi-jendela-sungai-merah.")
    return None


def check_password(password: str, *, username: str = "", full_name: str = "") -> None:
    """Refuse a password that breaks the rule, with the reason and what to do instead."""
    problem = password_problem(password, username=username, full_name=full_name)
    if problem is not None:
        raise AccountInputError(problem, reason="password_too_weak")
