"""`uwagi` command line: thin commands that parse arguments, call a job and print the outcome.

One module per command group; this one wires them and turns user errors into one line and an exit
code. Tracebacks are for bugs only.
"""

from __future__ import annotations

import sys

import typer

from intake.cli import (  # noqa: F401  (each module registers its commands)
    admin,
    audit,
    daemon,
    mail,
    model,
    outgoing,
    output,
    people,
    review,
)
from intake.cli.base import app, err
from intake.errors import UserError

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: user errors become one line and an exit code, never a traceback."""
    try:
        result = app(standalone_mode=False)
    except UserError as exc:
        print(f"uwagi: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("uwagi: aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here with standalone_mode=False
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
    if isinstance(result, int) and result:
        sys.exit(result)
