"""The outgoing-mail jobs of `uwagi run`: acknowledgements, outbox delivery, the weekly digest.

Kept apart from `intake.scheduler` so the daemon needs one line to add them. The digest's cron
job coalesces missed runs and has a long misfire grace; it also runs once at start, because
APScheduler's memory job store forgets a run missed while the daemon was down. Each run asks
the database what is due, so an extra run is harmless.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from intake.errors import UserError
from intake.jobs.context import Context

log = logging.getLogger("uwagi.scheduler")


def outgoing_job(ctx: Context) -> None:
    """Acknowledge newly processed remarks, then deliver whatever the outbox holds."""
    from intake.jobs.acknowledge import acknowledge_pending
    from intake.jobs.deliver import deliver_pending

    try:
        acknowledge_pending(ctx)
        deliver_pending(ctx)
    except UserError as exc:
        log.error("job=outgoing %s (will retry at the next run)", exc)


def digest_job(ctx: Context) -> None:
    from intake.jobs.deliver import deliver_pending
    from intake.jobs.digest import digest_job as run_digest

    try:
        if run_digest(ctx):
            deliver_pending(ctx)
    except UserError as exc:
        log.error("job=digest %s (will retry at the next run)", exc)


def digest_trigger(ctx: Context) -> CronTrigger:
    d = ctx.settings.digest
    return CronTrigger(day_of_week=d.weekday, hour=d.at.hour, minute=d.at.minute, timezone=d.timezone)


def add_mail_jobs(scheduler: BaseScheduler, ctx: Context) -> None:
    now = datetime.now(scheduler.timezone)
    scheduler.add_job(outgoing_job, "interval", args=[ctx], id="outgoing", seconds=ctx.settings.delivery.interval,
                      max_instances=1, coalesce=True, next_run_time=now)
    scheduler.add_job(digest_job, digest_trigger(ctx), args=[ctx], id="digest", max_instances=1, coalesce=True,
                      misfire_grace_time=ctx.settings.digest.misfire_grace_hours * 3600)
    scheduler.add_job(digest_job, "date", args=[ctx], id="digest-catch-up", run_date=now)
