"""Outgoing mail: digest, acknowledge, deliver, outbox (each job runnable once, like the scheduler runs it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from intake.cli.base import app, err, out, settings
from intake.errors import UserError

if TYPE_CHECKING:
    from intake.jobs.context import Context


def after_intake(ctx: Context) -> None:
    """After poll/import: acknowledge what was just processed and deliver; a mail problem is reported,
    not fatal (the messages are kept and the rows wait in the outbox)."""
    from intake.jobs.acknowledge import acknowledge_pending
    from intake.jobs.deliver import deliver_pending

    try:
        acks = acknowledge_pending(ctx)
        sent = deliver_pending(ctx)
    except UserError as exc:
        err.print(f"uwagi: outgoing mail not sent: {exc}")
        return
    if acks.queued or acks.skipped or sent.sent or sent.failed:
        out.print(f"acknowledgements queued {acks.queued}, not sent {acks.skipped}; "
                  f"delivered {sent.sent}, retrying {sent.retried}, failed {sent.failed}")


@app.command()
def digest(preview: Annotated[Path | None, typer.Option("--preview", help="write the HTML to FILE and the "
                                                        "text beside it (.txt), the chart as .png")] = None,
           send: Annotated[bool, typer.Option("--send", help="record this week's digest (once) and send it")] = False,
           week: Annotated[str | None, typer.Option("--week", help="another ISO week, e.g. 2026-W48")] = None,
           consultation: Annotated[str | None, typer.Option(help="consultation key (default: the [consultation] "
                                                             "one)")] = None) -> None:
    """The council's weekly digest: preview it, or record and send it (once per week)."""
    from datetime import UTC, datetime, timedelta

    from intake import jobs
    from intake.jobs import digest as job
    from intake.jobs.deliver import deliver_pending
    from reports.digest import week_of

    if not preview and not send:
        raise UserError("give --preview FILE to look at the digest or --send to send it")
    from intake.consultations import scope_of

    key = scope_of(settings(), consultation).key
    ctx = jobs.open_context(settings())
    now = datetime.now(UTC)
    chosen = job.parse_week(week) if week else week_of(job.last_send_time(now, ctx.settings).date() - timedelta(days=7))
    if preview:
        for path in job.preview(ctx, chosen, preview, key):
            out.print(f"wrote {path}")
    if send:
        recorded = job.queue_digest(ctx, chosen, now, key)
        report = deliver_pending(ctx)
        out.print(f"digest {chosen}: {'recorded' if recorded else 'already recorded earlier'}; "
                  f"delivered {report.sent}, retrying {report.retried}, failed {report.failed}")


@app.command()
def acknowledge() -> None:
    """Queue acknowledgements for processed remarks that have none yet, and deliver them."""
    from intake import jobs

    after_intake(jobs.open_context(settings()))


@app.command()
def deliver(retry_failed: Annotated[bool, typer.Option("--retry-failed", help="queue failed messages again "
                                                       "(after fixing the cause)")] = False) -> None:
    """Send what the outbox holds (by SMTP, or as .eml files when no SMTP server is configured)."""
    from datetime import UTC, datetime

    from intake import jobs
    from intake.jobs.deliver import deliver_pending
    from storage import outbox
    from storage.db import session_scope

    ctx = jobs.open_context(settings())
    if retry_failed:
        with session_scope(ctx.engine) as session:
            out.print(f"queued again: {outbox.requeue_failed(session, datetime.now(UTC))}")
    r = deliver_pending(ctx)
    out.print(f"delivered {r.sent}, retrying {r.retried}, failed {r.failed}")


@app.command(name="outbox")
def outbox_(status: Annotated[str | None, typer.Option(help="only rows with this status: pending, sending, "
                                                       "sent, failed, skipped")] = None,
            limit: Annotated[int, typer.Option(help="rows to show")] = 20) -> None:
    """What left or waits to leave: counts by status, then the newest rows with failure reasons."""
    from sqlmodel import Session

    from intake import jobs
    from storage import outbox

    ctx = jobs.open_context(settings())
    with Session(ctx.engine) as session:
        counts = outbox.summary(session)
        rows = outbox.listing(session, status, limit)
    out.print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "the outbox is empty")
    for r in rows:
        reason = f"  ({r['last_error']})" if r["last_error"] else ""
        out.print(f"{r['id']:>6} {r['status']:<8} {r['attempts']}x {r['key'][:60]} -> "
                  f"{', '.join(r['recipients'])[:60]}{reason}", markup=False)
