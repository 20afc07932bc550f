"""The `mitradesa` command as a user runs it: a real process on a real database per backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "mitradesa"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cli_env(request, tmp_path_factory):
    env = {**os.environ, "MITRADESA_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres")
        name = "cli_" + request.module.__name__.rsplit(".", 1)[-1]
        env["MITRADESA_DATABASE_URL"] = server.create_database(name)
    else:
        env.pop("MITRADESA_DATABASE_URL", None)
    for args in (["db", "upgrade"], ["regions", "load"]):
        done = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    return env


def run(env, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN, *args], env=env, capture_output=True, text=True, input=input, check=False
    )


