"""The systemd units and the logrotate file in deploy/ are valid for the tools that read them
(`systemd-analyze verify`, `logrotate -d`), and name commands mitradesa has."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import BIN

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())


def installed_copies(tmp_path: Path) -> list[Path]:
    """The units as installed: the venv's mitradesa and the scripts at their install paths
    point at this checkout's instead (verify checks that each command is executable)."""
    copies = []
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8")
        text = text.replace("/opt/mitradesa/.venv/bin/mitradesa", str(BIN))
        text = text.replace("/usr/local/bin/mitradesa-backup", str(DEPLOY / "backup.sh"))
        text = text.replace("/usr/local/bin/mitradesa-restore-drill",
                            str(DEPLOY / "restore-drill.sh"))
        name = unit.name.replace("@.service", "@8001.service")
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
        if name != unit.name:
            (tmp_path / name).write_text(text, encoding="utf-8")
        copies.append(tmp_path / name)
    return copies


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (Debian: systemd)")
def test_systemd_accepts_every_unit(tmp_path):
    copies = installed_copies(tmp_path)
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, copies)],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_every_mitradesa_command_in_the_units_exists():
    commands = {match.group(1).strip() for unit in UNITS for match in re.finditer(
        r"^ExecStart=/opt/mitradesa/.venv/bin/mitradesa ([a-z ]+?)(?: --|$)",
        unit.read_text(encoding="utf-8"), flags=re.M)}
    assert commands == {"serve", "db upgrade"}
    helps = {command: subprocess.run([BIN, *command.split(), "--help"], capture_output=True,
                                     text=True, check=False) for command in commands}
    assert all(done.returncode == 0 for done in helps.values()), helps
    assert all(option in helps["serve"].stdout for option in ("--host", "--port", "--workers"))

@pytest.mark.skipif(shutil.which("logrotate") is None,
                    reason="logrotate is not installed (Debian: logrotate)")
def test_logrotate_rotates_the_site_logs(tmp_path):
    logs = tmp_path / "log"
    logs.mkdir()
    (logs / "access.log").write_text("127.0.0.1 - - GET /masuk\n")
    text = (DEPLOY / "logrotate" / "mitradesa").read_text(encoding="utf-8")
    assert "/var/log/nginx/mitradesa/*.log" in text
    text = text.replace("/var/log/nginx/mitradesa/", f"{logs}/").replace(
        "create 0640 www-data adm", "create 0640")
    text = text.replace("invoke-rc.d nginx rotate", "true")
    (tmp_path / "conf").write_text(text)
    done = subprocess.run(["logrotate", "--force", "--state", str(tmp_path / "state"),
                           str(tmp_path / "conf")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    rotated = sorted(path.name for path in logs.iterdir())
    assert rotated[0] == "access.log" and rotated[1].startswith("access.log-")


@pytest.mark.parametrize("name", ["backup.sh", "restore-drill.sh", "mitradesa-run.sh"])
def test_the_scripts_parse(name):
    shell = "sh" if name == "mitradesa-run.sh" else "bash"
    done = subprocess.run([shell, "-n", str(DEPLOY / name)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    if shutil.which("shellcheck"):
        checked = subprocess.run(["shellcheck", str(DEPLOY / name)], capture_output=True,
                                 text=True, check=False)
        assert checked.returncode == 0, checked.stdout
