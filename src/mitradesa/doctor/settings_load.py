"""Read the settings as `mitradesa serve` would, without stopping at an unsafe secret key
(the doctor reports it with the other findings instead)."""

from __future__ import annotations

from pydantic import ValidationError

from mitradesa.doctor.findings import Finding, Level
from mitradesa.settings import Settings


class UncheckedSettings(Settings):
    """The settings without the production refusal of an unsafe secret key."""

    def _refuse_unsafe_secret(self) -> Settings:
        return self


def load_settings() -> tuple[Settings | None, Finding | None]:
    """The settings from the environment, or a finding naming each bad value."""
    try:
        return UncheckedSettings(), None
    except ValidationError as exc:
        bad = "; ".join(
            f"MITRADESA_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        return None, Finding(
            "settings", "Pengaturan", Level.problem, f"Nilai pengaturan tidak sah: {bad}.",
            "Perbaiki variabel lingkungan tersebut (daftar dan artinya: README, bagian "
            "Settings).",
        )
