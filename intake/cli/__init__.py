"""`uwagi` command line: thin commands that parse arguments, call a job and print the outcome.

One module per command group; this one wires them and turns user errors into one line and an exit
code. Tracebacks are for bugs only.
"""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import OperationalError

from intake.cli import (  # noqa: F401  (each module registers its commands)
    admin,
    audit,
    consultations,
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
    except _CLICK_ERRORS as exc:  # usage errors arrive here with standalone_mode=False
        print(f"uwagi: {_one_line(exc)}", file=sys.stderr)
        sys.exit(2 if isinstance(exc, _USAGE_ERRORS) else getattr(exc, "exit_code", 1))
    except OperationalError as exc:  # the database went away or turned read-only in the middle of a run
        print(f"uwagi: {_database_problem(exc)}", file=sys.stderr)
        sys.exit(1)
    except OSError as exc:  # a file named on the command line or in the config that cannot be opened
        print(f"uwagi: {exc.filename or ''}: {exc.strerror or exc}".removeprefix(": "), file=sys.stderr)
        sys.exit(1)
    if isinstance(result, int) and result:
        sys.exit(result)


def _database_problem(exc: OperationalError) -> str:
    """One line for a database that stopped accepting work; nothing was half-written (transactions)."""
    first = (str(exc.orig).strip().splitlines() or [""])[0] if exc.orig is not None else type(exc).__name__
    if "readonly" in first.replace("-", "").replace(" ", "").lower():
        return (f"the database is read-only ({first}); nothing more was written: make the database file and "
                "its directory writable for this user, then run the command again")
    return f"the database stopped answering ({first}); nothing more was written: check it, then run the command again"


def _click_classes() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """The ClickException and UsageError classes of the click that typer really uses.

    The pinned typer carries its own copy (typer._click); the separate click package's classes are
    different ones, so both are caught.
    """
    errors: list[type[Exception]] = []
    usage: list[type[Exception]] = []
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            module = __import__(name, fromlist=["ClickException", "UsageError"])
        except ImportError:
            continue
        errors.append(module.ClickException)
        usage.append(module.UsageError)
    return tuple(errors), tuple(usage)


_CLICK_ERRORS, _USAGE_ERRORS = _click_classes()


def _one_line(exc: Exception) -> str:
    """"No such option: --bogus; see 'uwagi export --help'" rather than click's usage box."""
    message = " ".join(exc.format_message().split()) if hasattr(exc, "format_message") else str(exc)
    message = message.rstrip(".")
    ctx = getattr(exc, "ctx", None)
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    if isinstance(exc, _USAGE_ERRORS):
        return f"{message}; see 'uwagi {' '.join([*names, '--help'])}'"
    return message
