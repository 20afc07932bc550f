"""`mitradesa …`: the command-line interface. Each noun has its own module."""

from __future__ import annotations

import sys

from mitradesa.cli.app import app, register_commands

register_commands()


def main() -> None:
    from mitradesa.cli.app import run

    sys.exit(run(app))


__all__ = ["app", "main"]
