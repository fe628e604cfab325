"""Retention: once a consultation has been closed for `[retention] days_after_close` days,
anonymise its messages' personal data (as `forget` does for one person) and log what was done.
Each consultation is judged on its own closing date: the budget's mail is not anonymised because
the strategy closed years earlier, nor kept longer because the budget runs on.

Idempotent: a message already redacted is skipped, so a rerun or a missed night does no harm.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from intake.jobs.context import Context
from storage.consultations import Scope
from storage.db import session_scope
from storage.erasure import anonymise, erase_all_event_personal, erase_event_personal_for
from storage.events import append_event
from storage.models import Message, Remark
from storage.redaction import name_tokens
from storage.review import compact_search_index

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
    # key -> (due, due_at, messages, remarks) for each consultation
    consultations: dict[str, tuple[bool, datetime, int, int]] = field(default_factory=dict)


def due_at(ctx: Context, key: str | None = None) -> datetime:
    """When a consultation's personal data are due: its own closing day + `days_after_close`."""
    c = ctx.settings.consultation_for(key)
    return c.deadline + timedelta(days=ctx.settings.retention.days_after_close)


def run_retention(ctx: Context, actor: str = "retention", now: datetime | None = None) -> RetentionResult:
    """Each consultation on its own date: anonymise its messages in chunks (one transaction each),
    then one event with its totals. `due`/`due_at` describe the default consultation."""
    default = ctx.settings.default_key
    total = RetentionResult(due=False, due_at=due_at(ctx))
    every = ctx.settings.all_consultations
    moment = now or datetime.now(UTC)
    due_keys = [k for k in every if moment >= due_at(ctx, k)]
    for key in every:
        one = _run_one(ctx, key, key in due_keys, actor, everything_due=len(due_keys) == len(every))
        total.consultations[key] = (one.due, one.due_at, one.messages, one.remarks)
        total.messages += one.messages
        total.remarks += one.remarks
        total.personal_rows += one.personal_rows
        if key == default:
            total.due = one.due
    return total


def _run_one(ctx: Context, key: str, due: bool, actor: str, everything_due: bool) -> RetentionResult:
    when = due_at(ctx, key)
    result = RetentionResult(due=due, due_at=when)
    if not result.due:
        return result
    scope = Scope(key, default=key == ctx.settings.default_key)
    message_ids: list[int] = []
    remark_ids: list[int] = []
    while True:
        with session_scope(ctx.engine) as session:
            batch = list(session.exec(select(Message).where(col(Message.redacted_at).is_(None),
                                                            scope.where(Message.consultation))
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
                message_ids.append(msg.id or 0)
                remark_ids.extend(r.id or 0 for r in remarks)
    if not result.messages:
        return result  # nothing left to do: no event every night after the date
    with session_scope(ctx.engine) as session:
        compact_search_index(session)
        if everything_due:  # every consultation is past its date: the whole log's personal parts go
            result.personal_rows = erase_all_event_personal(session)
        else:  # another consultation still runs: only these messages' and remarks' events
            result.personal_rows = (erase_event_personal_for(session, "message", message_ids)
                                    + erase_event_personal_for(session, "remark", remark_ids))
        c = ctx.settings.consultation_for(key)
        append_event(session, actor=actor, action="retention.anonymised", entity="consultation",
                     entity_id=c.reference_prefix,
                     after={"consultation": key, "messages": result.messages, "remarks": result.remarks,
                            "event_personal_erased": result.personal_rows, "due_at": when.isoformat(),
                            "days_after_close": ctx.settings.retention.days_after_close})
    log.warning("job=retention consultation=%s anonymised messages=%d remarks=%d", key, result.messages,
                result.remarks)
    return result


def retention_job(ctx: Context) -> None:
    """The scheduled form: nothing to log until the retention date has come. Login tries older than
    the rate-limit window go every night, retention date or not."""
    from review.accounts import prune_attempts

    prune_attempts(ctx.engine)
    if ctx.settings.retention.enabled:
        run_retention(ctx)


def add_audit_jobs(scheduler: BaseScheduler, ctx: Context) -> None:
    """The daemon's audit duties: retention nightly at 03:15 (consultation time zone)."""
    scheduler.add_job(retention_job, "cron", args=[ctx], id="retention", hour=3, minute=15, max_instances=1,
                      coalesce=True, misfire_grace_time=12 * 3600)
