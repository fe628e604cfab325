"""Retention: once the consultation has been closed for `[retention] days_after_close` days,
anonymise every message's personal data (as `forget` does for one person) and log what was done.

Idempotent: a message already redacted is skipped, so a rerun or a missed night does no harm.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from intake.jobs.context import Context
from storage.db import session_scope
from storage.erasure import anonymise, erase_all_event_personal
from storage.events import append_event
from storage.models import Message, Remark
from storage.redaction import name_tokens

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

log = logging.getLogger("uwagi.retention")
CHUNK = 200


@dataclass
class RetentionResult:
    due: bool
    due_at: datetime
    messages: int = 0
    remarks: int = 0
    personal_rows: int = 0


def due_at(ctx: Context) -> datetime:
    c = ctx.settings.consultation
    return c.deadline + timedelta(days=ctx.settings.retention.days_after_close)


def run_retention(ctx: Context, actor: str = "retention", now: datetime | None = None) -> RetentionResult:
    """Anonymise in chunks (one transaction each), then one event with the totals."""
    when = due_at(ctx)
    result = RetentionResult(due=(now or datetime.now(when.tzinfo)) >= when, due_at=when)
    if not result.due:
        return result
    while True:
        with session_scope(ctx.engine) as session:
            batch = list(session.exec(select(Message).where(col(Message.redacted_at).is_(None))
                                      .order_by(col(Message.id)).limit(CHUNK)))
            if not batch:
                break
            for msg in batch:
                remarks = list(session.exec(select(Remark).where(Remark.message_pk == msg.id)))
                names = name_tokens([msg.sender_name, *(r.author_name for r in remarks)])
                emails = {e for e in [msg.sender_email, *(r.author_email for r in remarks)] if e}
                report = anonymise(session, [msg], remarks, None, names + sorted(emails), scan_personal=False)
                result.messages += report.messages
                result.remarks += report.remarks
    if not result.messages:
        return result  # nothing left to do: no event every night after the date
    with session_scope(ctx.engine) as session:
        result.personal_rows = erase_all_event_personal(session)
        append_event(session, actor=actor, action="retention.anonymised", entity="consultation",
                     entity_id=ctx.settings.consultation.reference_prefix,
                     after={"messages": result.messages, "remarks": result.remarks,
                            "event_personal_erased": result.personal_rows, "due_at": when.isoformat(),
                            "days_after_close": ctx.settings.retention.days_after_close})
    log.warning("job=retention anonymised messages=%d remarks=%d", result.messages, result.remarks)
    return result


def retention_job(ctx: Context) -> None:
    """The scheduled form: nothing to log until the retention date has come."""
    if ctx.settings.retention.enabled:
        run_retention(ctx)


def add_audit_jobs(scheduler: BaseScheduler, ctx: Context) -> None:
    """The daemon's audit duties: retention nightly at 03:15 (consultation time zone)."""
    scheduler.add_job(retention_job, "cron", args=[ctx], id="retention", hour=3, minute=15, max_instances=1,
                      coalesce=True, misfire_grace_time=12 * 3600)
