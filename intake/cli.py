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
def poll(once: Annotated[bool, typer.Option("--once", help="one fetch-and-process cycle, then exit")] = False,
         stages: Annotated[str, typer.Option(help="stages to run after keep: 'all' or a comma-separated list "
                                             "(e.g. 'parse' to only keep and parse)")] = "all") -> None:
    """Fetch new mail from the configured mailbox and process it."""
    from intake import jobs

    if not once:
        raise UserError("use 'uwagi poll --once' for one cycle, or 'uwagi run' for the daemon")
    ctx = jobs.open_context(settings())
    with _progress("poll") as bar:
        task = bar.add_task("poll", total=None)
        report, proc = jobs.poll_once(ctx, progress=lambda n: bar.advance(task, n), stages=stages)
    _summary("fetched", report, proc)


@app.command(name="import")
def import_(paths: Annotated[list[Path], typer.Argument(help=".eml files, directories, Maildirs or mbox files")],
            no_ack: Annotated[bool, typer.Option("--no-ack", help="send no acknowledgements")] = False) -> None:
    """Keep and process messages from files instead of the mailbox."""
    from intake import jobs

    ctx = jobs.open_context(settings(required=False), create=True)
    with _progress("import") as bar:
        task = bar.add_task("import", total=None)
        report, proc = jobs.import_files(ctx, paths, acknowledge=not no_ack,
                                         progress=lambda n: bar.advance(task, n))
    _summary("imported", report, proc)


@app.command()
def reprocess(held: Annotated[bool, typer.Option("--held", help="only messages on hold")] = False,
              classify: Annotated[bool, typer.Option("--classify", help="only re-score remarks no person "
                                                     "has confirmed")] = False) -> None:
    """Run parse/sort/split/classify again from the kept raw bytes (staff decisions are kept)."""
    from intake import jobs

    ctx = jobs.open_context(settings())
    if classify:
        from intake.learning import rescore_unconfirmed

        out.print(f"re-scored unconfirmed remarks: {rescore_unconfirmed(ctx)} changed")
        return
    with _progress("reprocess") as bar:
        task = bar.add_task("reprocess", total=None)
        proc = jobs.reprocess(ctx, only_held=held, progress=lambda n: bar.advance(task, n))
    r = proc.report
    out.print(f"reprocessed {r.processed} message(s), {r.held} on hold {_kinds(r.by_kind)}")


@app.command()
def run() -> None:
    """The daemon: scheduled fetch (IMAP IDLE where offered) and the other jobs."""
    from intake import jobs
    from intake.scheduler import run_daemon

    run_daemon(jobs.open_context(settings(required=False), create=True))


@app.command()
def export(what: Annotated[str, typer.Option(help="remarks or messages")] = "remarks",
           format: Annotated[str, typer.Option("--format", help="jsonl, csv or xlsx")] = "jsonl",
           output: Annotated[str, typer.Option("--output", "-o", help="file, or - for stdout")] = "-") -> None:
    """Export the comment log."""
    from intake import jobs
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


@app.command(name="eval")
def eval_(labels: Annotated[Path, typer.Argument(help="labels.jsonl (SPEC format)")],
          mail: Annotated[Path | None, typer.Option("--mail", help="folder of the e-mails (default: mail/ "
                                                    "beside the labels)")] = None,
          as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Classification quality on a labelled corpus (temporary database, nothing sent)."""
    import json

    from classifiers.evaluate import format_table
    from intake.evaluation import run_eval

    with _progress("eval") as bar:
        task = bar.add_task("eval", total=None)
        result, _ = run_eval(settings(required=False), labels, mail, progress=lambda n: bar.advance(task, n))
    print(json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_table(result))


@app.command()
def train() -> None:
    """Retrain on staff-confirmed remarks; switch models only when the new one is better."""
    from intake import jobs
    from intake.learning import train as train_job

    r = train_job(jobs.open_context(settings()))
    out.print(f"trained {r.candidate} on {r.examples} confirmed remark(s), tested on {r.held_out}: "
              f"{_scores(r.candidate_scores)}")
    if r.current:
        out.print(f"current {r.current}: {_scores(r.current_scores or {})}")
    out.print("switched to the new model" if r.switched else "kept the current model (the new one is not better)")


@app.command()
def confirm(reference: Annotated[str, typer.Argument(help="remark reference, e.g. STR/2026/0042/2")],
            projects: Annotated[str, typer.Option(help="comma-separated ids (P1.1,P4.1, OGOLNA, POZA)")] = "",
            type_: Annotated[str | None, typer.Option("--type", help="pytanie, propozycja, poparcie, sprzeciw "
                                                      "or uwaga")] = None,
            by: Annotated[str, typer.Option("--by", help="who decides (logged)")] = "admin") -> None:
    """Confirm or correct a remark's projects and type (training data for the next model)."""
    from intake import jobs
    from intake.learning import confirm_remark

    ids = [p.strip() for p in projects.split(",") if p.strip()]
    remark = confirm_remark(jobs.open_context(settings()), reference, ids, type_, by)
    out.print(f"{reference}: confirmed as {', '.join(remark.projects)} / {remark.remark_type}")


catalogue_app = typer.Typer(help="The goals and projects of the strategy.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


@catalogue_app.command("load")
def catalogue_load(path: Annotated[Path, typer.Argument(help="projects.toml from the office")],
                   no_rescore: Annotated[bool, typer.Option("--no-rescore", help="do not re-score "
                                                            "unconfirmed remarks")] = False) -> None:
    """Replace the catalogue; remark links follow renamed ids through aliases."""
    from intake import jobs
    from intake.catalogue_job import load_catalogue_file

    r = load_catalogue_file(jobs.open_context(settings()), path, rescore=not no_rescore)
    out.print(f"catalogue loaded: added {', '.join(r.added) or 'none'}; removed {', '.join(r.removed) or 'none'}; "
              f"relinked {r.relinked} remark(s); re-scored {r.rescored}" + (f"; backup {r.backup}" if r.backup else ""))


def _scores(scores: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in scores.items())


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
