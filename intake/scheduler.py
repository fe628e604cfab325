"""APScheduler wiring only: each job is a plain function from `intake.jobs`.

The fetch job runs every poll interval and only keeps; where the server offers IMAP IDLE, a
watcher thread wakes it as soon as mail arrives. A processing thread claims kept mail (kept by
this or any other instance) and runs the stages in the worker pool. A failing job (network down,
server restarting) is logged and tried again at the next run: the daemon itself never stops for it.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.exc import DBAPIError

from intake import jobs, shutdown
from intake.errors import UserError
from intake.jobs.poll import leftovers, processor
from intake.mail_schedule import add_mail_jobs
from intake.sources.imap import ImapSource

log = logging.getLogger("uwagi.scheduler")
PROCESS_IDLE_SECONDS = 5.0  # look for mail kept by other instances this often
TRAINING_REQUEST_SECONDS = 10.0  # look for retraining asked for in the UI this often


def fetch_job(ctx: jobs.Context, wake: threading.Event | None = None) -> None:
    """Keep new mail only; the processing loop picks it up (fetching never waits on processing)."""
    try:
        report = jobs.fetch(ctx)
    except UserError as exc:
        log.error("job=fetch %s (will retry at the next run)", exc)
        return
    except DBAPIError as exc:
        log.error("job=fetch database unavailable: %s (will retry at the next run)", _first_line(exc))
        return
    for note in report.notes:
        log.info("job=fetch %s", note)
    if report.kept:
        log.warning("job=fetch kept=%d duplicates=%d", report.kept, report.duplicates)
        if wake is not None:
            wake.set()


def process_loop(ctx: jobs.Context, wake: threading.Event) -> None:
    """Claim and process kept mail until stopped; a setup error or a database outage waits and retries."""
    delay = 1.0
    with processor(ctx) as proc:
        while not shutdown.stopping():
            before = (proc.report.processed, proc.report.held)
            try:
                proc.run(leftovers(proc.plan))
                delay = 1.0
            except UserError as exc:
                log.error("job=process %s (processing waits; fetching goes on)", exc)
                proc.close()
                shutdown.STOP.wait(60)
                continue
            except DBAPIError as exc:
                log.error("job=process database unavailable: %s (retry in %.0f s)", _first_line(exc), delay)
                shutdown.STOP.wait(delay)
                delay = min(delay * 2, 60)
                continue
            r = proc.report
            if (r.processed, r.held) != before:
                log.warning("job=process processed=%d held=%d (since start)", r.processed, r.held)
            wake.wait(PROCESS_IDLE_SECONDS)  # mail kept by this or another instance
            wake.clear()


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [exc.__class__.__name__])[0]


def training_request_job(ctx: jobs.Context, owner: str) -> None:
    """Run the retraining an admin asked for in the UI (the web process only records the request)."""
    from intake.jobs.learning import run_training_request

    try:
        run_training_request(ctx, owner)
    except DBAPIError as exc:
        log.error("job=train-request database unavailable: %s (will retry)", _first_line(exc))


def retrain_job(ctx: jobs.Context, owner: str = "nightly") -> None:
    """Nightly: learn from the day's confirmations; re-score unconfirmed remarks after a switch.
    One instance trains (the `train` lease); the others skip."""
    from intake.jobs.learning import TRAINING_LEASE, rescore_unconfirmed, train, train_sort
    from storage import claims

    if not claims.take_lease(ctx.engine, TRAINING_LEASE, owner, 6 * 3600):
        log.warning("job=retrain skipped: another instance is training")
        return
    try:
        sorting = train_sort(ctx, actor="nightly")
        if sorting is not None:
            log.warning("job=retrain refitted the sort model %s with %d triage decision(s)", sorting.version,
                        sorting.weighed)
        report = train(ctx, actor="nightly")
        if report.switched:
            changed = rescore_unconfirmed(ctx, actor="nightly")
            log.warning("job=retrain switched to %s; re-scored %d remark(s)", report.candidate, changed)
        elif report.unchanged:
            log.info("job=retrain: no new confirmation since %s", report.current)
        else:
            log.warning("job=retrain kept %s (candidate %s was not as good)", report.current, report.candidate)
    except UserError as exc:
        log.warning("job=retrain skipped: %s", exc)
    finally:
        claims.drop_lease(ctx.engine, TRAINING_LEASE, owner)


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


def build_scheduler(ctx: jobs.Context, wake: threading.Event | None = None) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=ctx.settings.consultation.timezone)
    scheduler.add_job(fetch_job, "interval", args=[ctx, wake], id="fetch", seconds=ctx.settings.mailbox.poll_interval,
                      max_instances=1, coalesce=True, next_run_time=datetime.now(scheduler.timezone))
    from intake.processing import owner_id

    owner = owner_id()
    scheduler.add_job(retrain_job, "cron", args=[ctx, owner], id="retrain", hour=2, minute=30, max_instances=1,
                      coalesce=True, misfire_grace_time=6 * 3600)
    scheduler.add_job(training_request_job, "interval", args=[ctx, owner], id="train-request",
                      seconds=TRAINING_REQUEST_SECONDS, max_instances=1, coalesce=True)
    add_mail_jobs(scheduler, ctx)
    from intake.jobs.retention import add_audit_jobs

    add_audit_jobs(scheduler, ctx)
    return scheduler


def run_daemon(ctx: jobs.Context) -> None:
    wake = threading.Event()
    scheduler = build_scheduler(ctx, wake)
    stop = shutdown.STOP
    watcher = threading.Thread(target=_idle_watcher, args=(ctx, scheduler, stop), name="idle", daemon=True)
    processing = threading.Thread(target=process_loop, args=(ctx, wake), name="process")

    def _shutdown(*_args: object) -> None:
        stop.set()
        wake.set()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _shutdown)
    signal.signal(signal.SIGINT, _shutdown)
    watcher.start()
    processing.start()
    log.warning("uwagi daemon started: fetch every %ss from %s", ctx.settings.mailbox.poll_interval,
                ctx.settings.mailbox.source)
    scheduler.start()
    processing.join()  # the current messages are finished and stored before the daemon exits
