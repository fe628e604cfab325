"""APScheduler wiring only: each job is a plain function from `intake.jobs`.

The fetch job runs every poll interval; where the server offers IMAP IDLE, a watcher thread
wakes it as soon as mail arrives. A failing job (network down, server restarting) is logged
and tried again at the next run: the daemon itself never stops for it.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler

from intake import jobs
from intake.errors import UserError
from intake.mail_schedule import add_mail_jobs
from intake.sources.imap import ImapSource

log = logging.getLogger("uwagi.scheduler")


def fetch_job(ctx: jobs.Context) -> None:
    try:
        report, proc = jobs.poll_once(ctx)
    except UserError as exc:
        log.error("job=fetch %s (will retry at the next run)", exc)
        return
    r = proc.report
    if report.kept or r.processed or r.held:
        log.warning("job=fetch kept=%d duplicates=%d processed=%d held=%d", report.kept, report.duplicates,
                    r.processed, r.held)


def retrain_job(ctx: jobs.Context) -> None:
    """Nightly: learn from the day's confirmations; re-score unconfirmed remarks after a switch."""
    from intake.jobs.learning import rescore_unconfirmed, train

    try:
        report = train(ctx, actor="nightly")
    except UserError as exc:
        log.warning("job=retrain skipped: %s", exc)
        return
    if report.switched:
        changed = rescore_unconfirmed(ctx, actor="nightly")
        log.warning("job=retrain switched to %s; re-scored %d remark(s)", report.candidate, changed)
    else:
        log.warning("job=retrain kept %s (candidate %s was not better)", report.current, report.candidate)


def _idle_watcher(ctx: jobs.Context, scheduler: BlockingScheduler, stop: threading.Event) -> None:
    source = jobs.mailbox_source(ctx.settings)
    if not isinstance(source, ImapSource) or not ctx.settings.mailbox.idle:
        return
    while not stop.is_set():
        try:
            if source.wait_for_news(min(ctx.settings.mailbox.poll_interval, 29 * 60)):
                scheduler.modify_job("fetch", next_run_time=datetime.now(scheduler.timezone))
        except UserError as exc:
            log.error("job=idle %s", exc)
            stop.wait(ctx.settings.mailbox.poll_interval)
        except Exception:
            log.exception("job=idle failed; polling continues")
            stop.wait(ctx.settings.mailbox.poll_interval)


def build_scheduler(ctx: jobs.Context) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=ctx.settings.consultation.timezone)
    scheduler.add_job(fetch_job, "interval", args=[ctx], id="fetch", seconds=ctx.settings.mailbox.poll_interval,
                      max_instances=1, coalesce=True, next_run_time=datetime.now(scheduler.timezone))
    scheduler.add_job(retrain_job, "cron", args=[ctx], id="retrain", hour=2, minute=30, max_instances=1,
                      coalesce=True, misfire_grace_time=6 * 3600)
    add_mail_jobs(scheduler, ctx)
    from intake.jobs.retention import add_audit_jobs

    add_audit_jobs(scheduler, ctx)
    return scheduler


def run_daemon(ctx: jobs.Context) -> None:
    scheduler = build_scheduler(ctx)
    stop = threading.Event()
    watcher = threading.Thread(target=_idle_watcher, args=(ctx, scheduler, stop), name="idle", daemon=True)

    def _shutdown(*_args: object) -> None:
        stop.set()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _shutdown)
    signal.signal(signal.SIGINT, _shutdown)
    watcher.start()
    log.warning("uwagi daemon started: fetch every %ss from %s", ctx.settings.mailbox.poll_interval,
                ctx.settings.mailbox.source)
    scheduler.start()
