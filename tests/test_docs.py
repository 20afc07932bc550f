"""The README documents every setting; the CLI reference matches the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mitradesa.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in Settings.model_fields if f"MITRADESA_{name.upper()}" not in readme]
    assert missing == []


def test_cli_reference_is_up_to_date():
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--stdout"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (ROOT / "docs" / "cli.md").read_text() == generated, (
        "run: .venv/bin/python scripts/gen_cli_docs.py"
    )


def test_production_refuses_the_development_secret(monkeypatch):
    import pytest

    monkeypatch.setenv("MITRADESA_ENVIRONMENT", "production")
    monkeypatch.delenv("MITRADESA_SECRET_KEY", raising=False)
    with pytest.raises(ValueError, match="MITRADESA_SECRET_KEY"):
        Settings()
