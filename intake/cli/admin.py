"""Setting up and checking an installation: init, doctor, catalogue."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from intake.cli.base import STATE, app, out, settings


@app.command()
def init() -> None:
    """Write a commented config.toml if none, create the database, seed the example inbox."""
    from intake.setup import initialise

    for line in initialise(STATE.config):
        out.print(line)


@app.command()
def doctor() -> None:
    """Check config, database, mailbox and SMTP; say what to fix."""
    from intake.doctor import run_checks

    code = 0
    for passed, line, fail_code in run_checks(STATE.config):
        print(("ok    " if passed else "FAIL  ") + line, file=sys.stdout if passed else sys.stderr)
        if not passed and not code:
            code = fail_code  # the first failure's code: the one `poll` would exit with
    if code:
        raise typer.Exit(code)


catalogue_app = typer.Typer(help="The goals and projects of the strategy.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


@catalogue_app.command("load")
def catalogue_load(path: Annotated[Path, typer.Argument(help="projects.toml from the office")],
                   no_rescore: Annotated[bool, typer.Option("--no-rescore", help="do not re-score "
                                                            "unconfirmed remarks")] = False,
                   consultation: Annotated[str | None, typer.Option(help="whose catalogue (default: the "
                                                                    "[consultation] one)")] = None) -> None:
    """Replace the catalogue; remark links follow renamed ids through aliases."""
    from intake import jobs
    from intake.jobs.catalogue import load_catalogue_file

    r = load_catalogue_file(jobs.open_context(settings()), path, rescore=not no_rescore, consultation=consultation)
    out.print(f"catalogue loaded: added {', '.join(r.added) or 'none'}; removed {', '.join(r.removed) or 'none'}; "
              f"relinked {r.relinked} remark(s); re-scored {r.rescored}" + (f"; backup {r.backup}" if r.backup else ""))
