"""The `mitradesa` command as a user runs it: a real process on a real database per backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "mitradesa"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cli_env(request, tmp_path_factory, registry_copy):
    """A data folder and a database with the registry loaded, as after `mitradesa db upgrade`
    and `mitradesa regions load` (which tests/cli/test_cli.py runs for real)."""
    data_dir = tmp_path_factory.mktemp("data")
    env = {**os.environ, "MITRADESA_DATA_DIR": str(data_dir)}
    if request.param == "postgresql":
        name = "cli_" + request.module.__name__.rsplit(".", 1)[-1]
        env["MITRADESA_DATABASE_URL"] = registry_copy("postgresql", name)
    else:
        env.pop("MITRADESA_DATABASE_URL", None)
        registry_copy("sqlite", "cli", data_dir / "mitradesa.sqlite3")
    return env


def run(env, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN, *args], env=env, capture_output=True, text=True, input=input, check=False
    )


