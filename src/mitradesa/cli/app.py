"""The Typer root, the one error path for the CLI, and shared output helpers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import OperationalError

from mitradesa.errors import MitradesaError

app = typer.Typer(
    help="mitradesa: village registry, IDM, partnerships and economic mentoring for a DPMD.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
# soft_wrap: a long path in an error stays whole, for copying; the terminal wraps it.
err_console = Console(stderr=True, soft_wrap=True)
log = logging.getLogger("mitradesa")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def table_console() -> Console:
    """The console for tables; wide when the output is not a terminal, so piped tables stay
    readable."""
    return console if console.is_terminal else Console(width=220)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def progress_bar(description: str) -> Iterator[Any]:
    """Yield a `progress(done, total, stage)` callback drawn as a bar on stderr."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int, stage: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{description} ({stage})")

        yield update


def run(application: typer.Typer) -> int:
    try:
        # Without standalone mode, click returns a `typer.Exit(code)`'s code instead of
        # raising it (commands themselves return None).
        code = application(standalone_mode=False)
    except MitradesaError as exc:
        err_console.print(f"[bold red]Galat:[/] {exc.message}")
        return 2
    except OperationalError as exc:
        err_console.print(
            "[bold red]Galat basis data:[/] tidak dapat memakai basis data "
            f"({exc.orig}). Sudahkah `mitradesa db upgrade` dijalankan?"
        )
        return 2
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("Dibatalkan.")
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:
        usage = _usage_error(exc)
        if usage is not None:
            return usage
        log.exception("unexpected error")
        err_console.print(f"[bold red]Galat tak terduga:[/] {exc.__class__.__name__}: {exc}")
        return 1
    return code if isinstance(code, int) else 0


def _usage_error(exc: Exception) -> int | None:
    """Typer's (vendored click) usage errors: show their message and exit code."""
    show = getattr(exc, "show", None)
    code = getattr(exc, "exit_code", None)
    if callable(show) and isinstance(code, int):
        show()
        return code
    return None


def register_commands() -> None:
    from mitradesa.cli import (
        analysis,
        backup,
        db,
        demo,
        digest,
        doctor,
        idm,
        idm_quality,
        indeks_desa,
        mentoring,
        partnerships,
        plan,
        regions,
        reports,
        users,
        web,
    )

    app.add_typer(db.app, name="db")
    app.add_typer(regions.app, name="regions")
    idm.app.command("quality")(idm_quality.quality)
    app.add_typer(idm.app, name="idm")
    indeks_desa.app.command("quality")(idm_quality.indeks_desa_quality)
    app.add_typer(indeks_desa.app, name="indeks-desa")
    app.add_typer(users.app, name="users")
    app.add_typer(demo.app, name="demo")
    app.add_typer(reports.app, name="reports")
    app.add_typer(analysis.app, name="analysis")
    app.command("plan")(plan.plan)
    app.add_typer(partnerships.app, name="partnerships")
    app.add_typer(mentoring.app, name="mentoring")
    app.command("serve")(web.serve)
    app.command("backup")(backup.backup)
    app.command("restore")(backup.restore)
    app.add_typer(digest.app, name="digest")
    app.command("doctor")(doctor.doctor)
