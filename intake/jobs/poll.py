"""Fetch, import, process and reprocess: the jobs that bring mail in and run the stages over it.

Fetching only keeps (raw bytes + watermark, one transaction per batch); processing claims kept
messages from the database afterwards, in this process or any other. Idempotency lives in the
database (watermarks, unique keys, states, claims), never in memory, so a job killed half-way is
simply run again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from intake.errors import UserError
from intake.fetchlock import fetch_lock
from intake.jobs.context import Context, mailbox_source
from intake.processing import Processor, Progress
from intake.sources.base import FetchReport
from intake.sources.local import import_paths
from intake.stages import registry

ALL_STATES = ("kept", "parsed", "processed", "held")


def plan(stages: str = "all") -> registry.Plan:
    try:
        return registry.plan(stages)
    except ValueError as exc:
        raise UserError(f"--stages: {exc}") from None


def processor(ctx: Context, progress: Progress | None = None, stages: str = "all") -> Processor:
    return Processor(ctx.engine, ctx.services, plan(stages), workers=ctx.settings.limits.parse_workers,
                     progress=progress)


def leftovers(chosen: registry.Plan) -> tuple[str, ...]:
    """What a poll claims: kept messages, and those an earlier partial run only parsed."""
    return ("kept",) if chosen.partial else ("kept", "parsed")


def fetch(ctx: Context) -> FetchReport:
    """Keep new mail from the mailbox, if no other instance is fetching from it right now."""
    source = mailbox_source(ctx.settings)
    with fetch_lock(ctx.engine, source.key, ctx.settings.limits.fetch_lease_seconds) as mine:
        if not mine:
            report = FetchReport(source=source.key, unchanged=True)
            report.notes.append(f"{source.key}: another uwagi instance is fetching from it; not fetched")
            return report
        return source.fetch(ctx.engine)


def process(ctx: Context, progress: Progress | None = None, stages: str = "all",
            states: Sequence[str] | None = None) -> Processor:
    """Claim and process until nothing claimable is left (a setup error stops it: UserError)."""
    proc = processor(ctx, progress, stages)
    with proc:
        proc.run(states or leftovers(proc.plan))
    return proc


def poll_once(ctx: Context, progress: Progress | None = None, stages: str = "all") -> tuple[FetchReport, Processor]:
    """fetch + keep all new mail, then process claimed work until none is left."""
    plan(stages)  # a wrong --stages is refused before anything is fetched
    report = fetch(ctx)
    return report, process(ctx, progress, stages)


def import_files(ctx: Context, paths: list[Path], acknowledge: bool,
                 progress: Progress | None = None) -> tuple[FetchReport, Processor]:
    report = import_paths(ctx.engine, paths, acknowledge)
    return report, process(ctx, progress)


def reprocess(ctx: Context, only_held: bool = False, progress: Progress | None = None) -> Processor:
    """Run the stages again from the kept raw bytes (staff decisions are kept by the store stage)."""
    return process(ctx, progress, states=("held",) if only_held else ALL_STATES)
