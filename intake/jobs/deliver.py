"""deliver: send what the outbox holds, each row by exactly one worker, retrying with backoff.

The row was committed with the finished bytes before anyone tried to send, so a crash at any
point leaves it `pending` (or `sending` with a lease that runs out): the next run sends the same
message, with the same Message-ID. The only window for a duplicate is a crash after the SMTP
server accepted the message and before `sent` was committed; receivers can tell it by its
Message-ID.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import getaddresses

from intake import metrics
from intake.errors import UserError
from intake.jobs.context import Context
from intake.settings import Settings, secret
from reports import mailer
from storage import outbox
from storage.db import session_scope

log = logging.getLogger("uwagi.jobs.deliver")
BATCH = 10
Clock = Callable[[], datetime]


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def smtp_config(settings: Settings) -> mailer.SmtpConfig | None:
    s = settings.smtp
    if s is None:
        return None
    password = secret(s.password_env, "[smtp] password_env") if s.username else ""
    return mailer.SmtpConfig(host=s.host, port=s.port, security=s.security, username=s.username,
                             password=password, timeout=s.timeout,
                             ca_file=str(settings.path(s.ca_file)) if s.ca_file else "")


def backoff(settings: Settings, attempts: int) -> timedelta:
    """retry_after, doubled after each failed attempt, capped at max_retry_after."""
    d = settings.delivery
    return timedelta(seconds=min(d.retry_after * 2 ** max(attempts - 1, 0), d.max_retry_after))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def deliver_pending(ctx: Context, clock: Clock | None = None, max_rows: int = 100_000) -> DeliveryReport:
    """Claim due rows in small batches and send them until none is left (or max_rows were tried)."""
    now = clock or (lambda: datetime.now(UTC))
    cfg = smtp_config(ctx.settings)
    worker, report = worker_name(), DeliveryReport()
    timeout = cfg.timeout if cfg else 5.0
    lease = timedelta(seconds=BATCH * timeout * 3 + 60)
    conn: smtplib.SMTP | None = None
    tried = 0
    try:
        while tried < max_rows:
            with session_scope(ctx.engine) as session:
                claimed = outbox.claim_due(session, worker, now(), lease, limit=BATCH)
            if not claimed:
                break
            tried += len(claimed)
            for row in claimed:
                conn = _deliver_one(ctx, cfg, conn, row, worker, report, now)
    finally:
        if conn is not None:
            try:
                conn.quit()
            except Exception:  # the server may already be gone; the messages are recorded
                conn.close()
    if report.sent or report.retried or report.failed:
        log.warning("job=deliver sent=%d retried=%d failed=%d", report.sent, report.retried, report.failed)
    return report


def _deliver_one(ctx: Context, cfg: mailer.SmtpConfig | None, conn: smtplib.SMTP | None, row: outbox.Claimed,
                 worker: str, report: DeliveryReport, now: Clock) -> smtplib.SMTP | None:
    try:
        if cfg is None:
            mailer.write_eml(ctx.settings.path(ctx.settings.paths.outbox), row.key, row.raw)
            note = None
        else:
            if conn is None:
                conn = mailer.connect(cfg)
            note = mailer.send(conn, row.raw, _envelope_sender(ctx.settings, row.raw), row.recipients)
    except mailer.PermanentFailure as exc:
        _record(ctx, row, worker, report, str(exc), permanent=True, now=now)
        return conn
    except (mailer.TemporaryFailure, OSError) as exc:
        _record(ctx, row, worker, report, str(exc), permanent=False, now=now)
        if conn is not None:
            conn.close()
        return None  # reconnect for the next row
    with session_scope(ctx.engine) as session:
        outbox.mark_sent(session, row.id, worker, now(), note)
    report.sent += 1
    sent_counter = metrics.DIGESTS_SENT if row.key.startswith("digest:") else metrics.ACKNOWLEDGEMENTS_SENT
    sent_counter.inc()
    return conn


def _record(ctx: Context, row: outbox.Claimed, worker: str, report: DeliveryReport, error: str,
            permanent: bool, now: Clock) -> None:
    attempts_left = row.attempts < ctx.settings.delivery.max_attempts
    with session_scope(ctx.engine) as session:
        if permanent or not attempts_left:
            reason = error if permanent else f"gave up after {row.attempts} attempts: {error}"
            outbox.mark_failed(session, row.id, worker, reason)
            report.failed += 1
            log.error("job=deliver %s failed: %s", row.key, reason)
        else:
            outbox.mark_retry(session, row.id, worker, error, now() + backoff(ctx.settings, row.attempts))
            report.retried += 1
            log.warning("job=deliver %s attempt %d failed, will retry: %s", row.key, row.attempts, error)


def _envelope_sender(settings: Settings, raw: bytes) -> str:
    """MAIL FROM: the configured sender (bounces come back to the office's mailbox)."""
    if settings.smtp is not None:
        return settings.smtp.sender
    from_ = message_from_bytes(raw, policy=policy.default).get("From", "")
    found = getaddresses([str(from_)])
    return found[0][1] if found else ""


def check_smtp(settings: Settings) -> str:
    """For `uwagi doctor`: connect, log in, NOOP; raises UserError with what to fix."""
    cfg = smtp_config(settings)
    if cfg is None:
        return f"no [smtp]: outgoing mail goes to {settings.path(settings.paths.outbox)} as .eml files"
    try:
        conn = mailer.connect(cfg)
        conn.noop()
        conn.quit()
    except (mailer.TemporaryFailure, mailer.PermanentFailure) as exc:
        raise UserError(f"SMTP {cfg.host}:{cfg.port}: {exc}; check [smtp] host, port, security and login") from None
    return f"SMTP {cfg.host}:{cfg.port} reachable ({cfg.security})"
