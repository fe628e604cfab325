"""Commands that bring mail in and run the stages: poll, import, reprocess."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from intake import shutdown
from intake.cli.base import app, kinds_text, out, print_fetch, print_summary, progress_bar, settings
from intake.cli.outgoing import after_intake
from intake.errors import UserError

if TYPE_CHECKING:
    from intake.jobs import Context
    from intake.processing import Processor
    from intake.sources.base import FetchReport


@app.command()
def poll(once: Annotated[bool, typer.Option("--once", help="one fetch-and-process cycle, then exit")] = False,
         stages: Annotated[str, typer.Option(help="stages to run after keep: 'all' or a comma-separated list "
                                             "(e.g. 'parse' to only keep and parse)")] = "all") -> None:
    """Fetch new mail from the configured mailbox and process it."""
    from intake import jobs

    if not once:
        raise UserError("use 'uwagi poll --once' for one cycle, or 'uwagi run' for the daemon")
    shutdown.install()
    ctx = jobs.open_context(settings())
    jobs.plan(stages)  # a wrong --stages is refused before anything is fetched
    report = jobs.fetch(ctx)
    proc = _process(ctx, report, "fetched", stages=stages)
    print_summary("fetched", report, proc)
    after_intake(ctx)


def _process(ctx: Context, report: FetchReport, verb: str, **options: Any) -> Processor:
    """The processing half; after a setup error the fetch half is still reported (its mail is kept)."""
    from intake import jobs

    try:
        with progress_bar("process") as bar:
            task = bar.add_task("process", total=None)
            return jobs.process(ctx, progress=lambda n: bar.advance(task, n), **options)
    except UserError:
        print_fetch(verb, report)
        raise


@app.command(name="import")
def import_(paths: Annotated[list[Path], typer.Argument(help=".eml files, directories, Maildirs or mbox files")],
            no_ack: Annotated[bool, typer.Option("--no-ack", help="send no acknowledgements")] = False) -> None:
    """Keep and process messages from files instead of the mailbox."""
    from intake import jobs
    from intake.sources.local import import_paths

    shutdown.install()
    ctx = jobs.open_context(settings(required=False), create=True)
    report = import_paths(ctx.engine, paths, acknowledge=not no_ack)
    proc = _process(ctx, report, "imported")
    print_summary("imported", report, proc)
    after_intake(ctx)


@app.command()
def reprocess(held: Annotated[bool, typer.Option("--held", help="only messages on hold")] = False,
              classify: Annotated[bool, typer.Option("--classify", help="only re-score remarks no person "
                                                     "has confirmed")] = False) -> None:
    """Run parse/sort/split/classify again from the kept raw bytes (staff decisions are kept)."""
    from intake import jobs

    shutdown.install()
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
