"""Commands that bring mail in and run the stages: poll, import, reprocess."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from intake.cli.base import app, kinds_text, out, print_summary, progress_bar, settings
from intake.cli.outgoing import after_intake
from intake.errors import UserError


@app.command()
def poll(once: Annotated[bool, typer.Option("--once", help="one fetch-and-process cycle, then exit")] = False,
         stages: Annotated[str, typer.Option(help="stages to run after keep: 'all' or a comma-separated list "
                                             "(e.g. 'parse' to only keep and parse)")] = "all") -> None:
    """Fetch new mail from the configured mailbox and process it."""
    from intake import jobs

    if not once:
        raise UserError("use 'uwagi poll --once' for one cycle, or 'uwagi run' for the daemon")
    ctx = jobs.open_context(settings())
    with progress_bar("poll") as bar:
        task = bar.add_task("poll", total=None)
        report, proc = jobs.poll_once(ctx, progress=lambda n: bar.advance(task, n), stages=stages)
    print_summary("fetched", report, proc)
    after_intake(ctx)


@app.command(name="import")
def import_(paths: Annotated[list[Path], typer.Argument(help=".eml files, directories, Maildirs or mbox files")],
            no_ack: Annotated[bool, typer.Option("--no-ack", help="send no acknowledgements")] = False) -> None:
    """Keep and process messages from files instead of the mailbox."""
    from intake import jobs

    ctx = jobs.open_context(settings(required=False), create=True)
    with progress_bar("import") as bar:
        task = bar.add_task("import", total=None)
        report, proc = jobs.import_files(ctx, paths, acknowledge=not no_ack,
                                         progress=lambda n: bar.advance(task, n))
    print_summary("imported", report, proc)
    after_intake(ctx)


@app.command()
def reprocess(held: Annotated[bool, typer.Option("--held", help="only messages on hold")] = False,
              classify: Annotated[bool, typer.Option("--classify", help="only re-score remarks no person "
                                                     "has confirmed")] = False) -> None:
    """Run parse/sort/split/classify again from the kept raw bytes (staff decisions are kept)."""
    from intake import jobs

    ctx = jobs.open_context(settings())
    if classify:
        from intake.jobs.learning import rescore_unconfirmed

        out.print(f"re-scored unconfirmed remarks: {rescore_unconfirmed(ctx)} changed")
        return
    with progress_bar("reprocess") as bar:
        task = bar.add_task("reprocess", total=None)
        proc = jobs.reprocess(ctx, only_held=held, progress=lambda n: bar.advance(task, n))
    r = proc.report
    out.print(f"reprocessed {r.processed} message(s), {r.held} on hold {kinds_text(r.by_kind)}")
