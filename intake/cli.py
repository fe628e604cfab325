"""`uwagi` command line: thin commands that parse arguments, call a job and print the outcome.

Every user error (bad config, unreachable server, unreadable file) is one line on stderr and a
non-zero exit code; tracebacks are for bugs only.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from intake import jobs
from intake.errors import UserError
from intake.settings import Settings, config_path, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="uwagi: e-mail consultation intake of Urząd Gminy Klukowo.")
out = Console()
err = Console(stderr=True)


class _State:
    config: Path = Path("config.toml")


STATE = _State()


@app.callback()
def _root(config: Annotated[Path | None, typer.Option("--config", "-c", help="config.toml to use "
                                                      "(default: $UWAGI_CONFIG or ./config.toml)")] = None,
          verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log each stage")] = False) -> None:
    STATE.config = config_path(config)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")


def settings(required: bool = True) -> Settings:
    return load_settings(STATE.config, required=required)


def _progress(label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                    transient=True, disable=not err.is_terminal)


@app.command()
def init() -> None:
    """Write a commented config.toml if none, create the database, seed the example inbox."""
    from intake.setup import initialise

    for line in initialise(STATE.config):
        out.print(line)


@app.command()
def poll(once: Annotated[bool, typer.Option("--once", help="one fetch-and-process cycle, then exit")] = False
         ) -> None:
    """Fetch new mail from the configured mailbox and process it."""
    if not once:
        raise UserError("use 'uwagi poll --once' for one cycle, or 'uwagi run' for the daemon")
    ctx = jobs.open_context(settings())
    with _progress("poll") as bar:
        task = bar.add_task("poll", total=None)
        report, proc = jobs.poll_once(ctx, progress=lambda n: bar.advance(task, n))
    _summary("fetched", report, proc)


@app.command(name="import")
def import_(paths: Annotated[list[Path], typer.Argument(help=".eml files, directories, Maildirs or mbox files")],
            no_ack: Annotated[bool, typer.Option("--no-ack", help="send no acknowledgements")] = False) -> None:
    """Keep and process messages from files instead of the mailbox."""
    ctx = jobs.open_context(settings(required=False), create=True)
    with _progress("import") as bar:
        task = bar.add_task("import", total=None)
        report, proc = jobs.import_files(ctx, paths, acknowledge=not no_ack,
                                         progress=lambda n: bar.advance(task, n))
    _summary("imported", report, proc)


@app.command()
def reprocess(held: Annotated[bool, typer.Option("--held", help="only messages on hold")] = False) -> None:
    """Run parse/sort/split/classify again from the kept raw bytes (staff decisions are kept)."""
    ctx = jobs.open_context(settings())
    with _progress("reprocess") as bar:
        task = bar.add_task("reprocess", total=None)
        proc = jobs.reprocess(ctx, only_held=held, progress=lambda n: bar.advance(task, n))
    r = proc.report
    out.print(f"reprocessed {r.processed} message(s), {r.held} on hold {_kinds(r.by_kind)}")


@app.command()
def run() -> None:
    """The daemon: scheduled fetch (IMAP IDLE where offered) and the other jobs."""
    from intake.scheduler import run_daemon

    run_daemon(jobs.open_context(settings(required=False), create=True))


@app.command()
def export(what: Annotated[str, typer.Option(help="remarks or messages")] = "remarks",
           format: Annotated[str, typer.Option("--format", help="jsonl, csv or xlsx")] = "jsonl",
           output: Annotated[str, typer.Option("--output", "-o", help="file, or - for stdout")] = "-") -> None:
    """Export the comment log."""
    from reports.exports import write_export

    if what not in ("remarks", "messages"):
        raise UserError(f"--what {what!r}: use 'remarks' or 'messages'")
    if format not in ("jsonl", "csv", "xlsx"):
        raise UserError(f"--format {format!r}: use 'jsonl', 'csv' or 'xlsx'")
    ctx = jobs.open_context(settings())
    zone = ctx.settings.consultation.zone
    if output == "-":
        if format == "xlsx":
            raise UserError("--format xlsx needs --output FILE (it is not text)")
        n = write_export(ctx.engine, what, format, sys.stdout.buffer, zone)  # type: ignore[arg-type]
        sys.stdout.flush()
    else:
        try:
            with open(output, "wb") as fh:
                n = write_export(ctx.engine, what, format, fh, zone)  # type: ignore[arg-type]
        except OSError as exc:
            raise UserError(f"{output}: cannot write ({exc.strerror})") from None
        err.print(f"wrote {n} {what} to {output}")


@app.command()
def doctor() -> None:
    """Check config, database, mailbox and SMTP; say what to fix."""
    from intake.doctor import run_checks

    ok, code = True, 1
    for passed, line in run_checks(STATE.config):
        code = 2 if not passed and ok and line.startswith(str(STATE.config)) else code
        print(("ok    " if passed else "FAIL  ") + line, file=sys.stdout if passed else sys.stderr)
        ok &= passed
    if not ok:
        raise typer.Exit(code)


def _kinds(by_kind: dict[str, int]) -> str:
    return "(" + ", ".join(f"{k}: {v}" for k, v in sorted(by_kind.items())) + ")" if by_kind else ""


def _summary(verb: str, report, proc) -> None:
    r = proc.report
    if report.unchanged:
        out.print(f"{report.source}: no new mail")
    out.print(f"{verb} {report.kept} new message(s), {report.duplicates} duplicate(s); "
              f"processed {r.processed}, on hold {r.held} {_kinds(r.by_kind)}")


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
