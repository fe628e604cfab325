"""Fetch, import and reprocess: the jobs that bring mail in and run the stages over it.

Idempotency lives in the database (watermarks, unique keys, states), never in memory, so a
job killed half-way is simply run again.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from intake.errors import UserError
from intake.jobs.context import Context, mailbox_source
from intake.processing import Processor, Progress
from intake.sources.base import FetchReport
from intake.sources.local import import_paths
from intake.stages import registry
from storage.db import session_scope
from storage.models import Message


def _processor(ctx: Context, progress: Progress | None = None, stages: str = "all") -> Processor:
    try:
        chosen = registry.stages(stages)
    except ValueError as exc:
        raise UserError(f"--stages: {exc}") from None
    return Processor(ctx.engine, ctx.services, chosen, workers=ctx.settings.limits.parse_workers, progress=progress)


def poll_once(ctx: Context, progress: Progress | None = None, stages: str = "all") -> tuple[FetchReport, Processor]:
    """fetch + keep new mail, process it while fetching, then anything left from before."""
    source = mailbox_source(ctx.settings)
    with _processor(ctx, progress, stages) as proc:
        report = source.fetch(ctx.engine, on_kept=proc.feed)
        proc.drain()
        proc.process_pending(*_leftovers(proc))
    return report, proc


def _leftovers(proc: Processor) -> tuple[str, ...]:
    """Messages a crash left behind, and those an earlier partial run only parsed."""
    return ("kept",) if proc.partial else ("kept", "parsed")


def import_files(ctx: Context, paths: list[Path], acknowledge: bool,
                 progress: Progress | None = None) -> tuple[FetchReport, Processor]:
    with _processor(ctx, progress) as proc:
        report = import_paths(ctx.engine, paths, acknowledge, on_kept=proc.feed)
        proc.drain()
        proc.process_pending(*_leftovers(proc))
    return report, proc


def reprocess(ctx: Context, only_held: bool = False, progress: Progress | None = None) -> Processor:
    """Run the stages again from the kept raw bytes (staff decisions are kept by the store stage)."""
    with _processor(ctx, progress) as proc:
        if only_held:
            proc.process_pending("held")
        else:
            with session_scope(ctx.engine) as session:
                pks = [pk for pk in session.exec(select(Message.id)) if pk is not None]
            proc.process_pending(pks=pks)
    return proc
