"""acknowledge: decide, once per processed remark-carrying message, whether to acknowledge it.

A scan, not a pipeline stage: it finds processed remarks that have no `ack:` outbox row yet, so it
does not care how processing is organised, and a crash or a second daemon only means the next
scan finds the rest. The decision (queued, or skipped with the reason) is the outbox row itself
(unique key `ack:<sha256>`), written in one transaction with its event: never twice, never lost.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from sqlalchemy import and_, exists, func, select
from sqlmodel import Session

from intake.jobs.context import Context
from intake.settings import Settings
from reports.acknowledgement import AckFacts, Office, acknowledgement
from storage import outbox
from storage.db import session_scope
from storage.events import append_events
from storage.models import Message, RawMessage

log = logging.getLogger("uwagi.jobs.acknowledge")
OUTBOX = outbox.OUTBOX
MESSAGES = Message.metadata.tables["messages"]
NO_REPLY = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?|"
                      r"noreply|nie[-_.]?odpowiadaj|automat|notifications?)\b", re.I)


@dataclass
class AckReport:
    queued: int = 0
    skipped: int = 0


def acknowledge_pending(ctx: Context, now: datetime | None = None, limit: int = 1000) -> AckReport:
    """Queue acknowledgements for processed remarks that have no decision yet."""
    report = AckReport()
    settings = ctx.settings
    if not settings.acknowledgement.enabled:
        return report
    now = now or datetime.now(UTC)
    since = now - timedelta(days=settings.acknowledgement.max_age_days)
    decided = exists().where(and_(OUTBOX.c.message_pk == MESSAGES.c.id, OUTBOX.c.purpose == "ack"))
    query = (select(MESSAGES.c.id).where(MESSAGES.c.state == "processed", MESSAGES.c.kind == "remark",
                                          MESSAGES.c.acknowledge.is_(True), MESSAGES.c.backlog.is_(False),
                                          MESSAGES.c.kept_at >= since, ~decided)
             .order_by(MESSAGES.c.id).limit(limit))
    with session_scope(ctx.engine) as session:
        pks = list(session.execute(query).scalars())
    for pk in pks:
        with session_scope(ctx.engine) as session:
            queued = _decide(session, settings, pk, now)
        if queued is True:
            report.queued += 1
        elif queued is False:
            report.skipped += 1
    if pks:
        log.warning("job=acknowledge queued=%d skipped=%d", report.queued, report.skipped)
    return report


def _decide(session: Session, settings: Settings, pk: int, now: datetime) -> bool | None:
    msg = session.get(Message, pk)
    raw = session.get(RawMessage, pk)
    if msg is None or raw is None:
        return None
    headers: EmailMessage = BytesHeaderParser(policy=default_policy).parsebytes(bytes(raw.raw))
    reason = _refusal(session, settings, msg, headers, now)
    key = f"ack:{msg.sha256}"
    if reason:
        row = outbox.OutboxMessage(key=key, purpose="ack", message_pk=pk, reference=msg.reference,
                                   recipient=(msg.sender_email or "").lower() or None, status=outbox.SKIPPED,
                                   last_error=reason)
    else:
        facts = _facts(session, settings, msg, headers)
        office = office_of(settings)
        mid, subject, data = acknowledgement(facts, office, now=now)
        row = outbox.OutboxMessage(key=key, purpose="ack", message_pk=pk, reference=msg.reference,
                                   recipients=[facts.resident_email], recipient=facts.resident_email.lower(),
                                   subject=subject, message_id=mid.strip("<>"), raw=data)
    if not outbox.add_once(session, row):
        return None  # another worker decided first
    after = {"outbox": key, "status": row.status, "reason": reason, "message_id": row.message_id}
    append_events(session, [dict(actor="acknowledge", action="message.acknowledgement", entity="message",
                                 entity_id=pk, before=None, after=after)])
    return reason is None


def _refusal(session: Session, settings: Settings, msg: Message, headers: EmailMessage, now: datetime) -> str | None:
    """Why this message must not be answered (RFC 3834 and our own limits), or None."""
    sender = (msg.sender_email or "").strip().lower()
    if "@" not in sender:
        return "no usable sender address"
    ours = {a.lower() for a in settings.consultation.office_addresses}
    if settings.smtp is not None:
        ours.add(settings.smtp.sender.lower())
    if sender in ours:
        return "sent from our own address"
    if NO_REPLY.match(sender.partition("@")[0]):
        return f"no-reply sender {sender}"
    automatic = _automatic_header(headers)
    if automatic:
        return automatic
    if not msg.reference:
        return "no case reference"
    zone = settings.consultation.zone
    day_start = datetime.combine(now.astimezone(zone).date(), time.min, zone)
    limit = settings.acknowledgement.max_per_sender_per_day
    if outbox.sent_to_since(session, sender, day_start) >= limit:
        return f"limit of {limit} acknowledgements per sender per day reached"
    return None


def _automatic_header(headers: EmailMessage) -> str | None:
    """Belt and braces over the sort stage: the RFC 3834 signs, read again from the kept headers."""
    auto = str(headers.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto[:40]}"
    precedence = str(headers.get("Precedence", "")).strip().lower()
    if precedence in ("bulk", "junk", "list"):
        return f"Precedence: {precedence}"
    for name in ("List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond"):
        if headers.get(name) is not None:
            return f"{name} header present"
    if str(headers.get("Return-Path", "")).strip() == "<>":
        return "empty Return-Path (a bounce)"
    return None


def _facts(session: Session, settings: Settings, msg: Message, headers: EmailMessage) -> AckFacts:
    c = settings.consultation_for(msg.consultation)  # the resident is told the name and dates of theirs
    received = msg.received_at if msg.received_at.tzinfo else msg.received_at.replace(tzinfo=UTC)
    earlier = session.execute(select(func.count()).select_from(MESSAGES).where(
        MESSAGES.c.reference == msg.reference, MESSAGES.c.id < msg.id)).scalar_one()
    refs = str(headers.get("References", "") or "").split()
    return AckFacts(
        reference=msg.reference or "", resident_email=msg.sender_email or "", resident_name=msg.sender_name or "",
        received_at=received.astimezone(c.zone), remark_count=msg.remark_count,
        attachments_read=[a["filename"] for a in msg.attachments if a.get("text_chars") and a.get("filename")],
        late=msg.late, closes=c.closes, consultation=c.name, resident_message_id=msg.message_id,
        resident_references=refs, resident_subject=msg.subject or "", follow_up=earlier > 0,
    )


def office_of(settings: Settings) -> Office:
    """Who signs outgoing mail: the SMTP sender, or the office's first address when mail goes to files."""
    a = settings.acknowledgement
    email = settings.smtp.sender if settings.smtp else (settings.consultation.office_addresses or ["ug@localhost"])[0]
    name = settings.smtp.sender_name if settings.smtp else "Urząd Gminy Klukowo"
    rodo = [a.controller, a.dpo, a.purpose, a.legal_basis, a.recipients, a.retention, a.rights, a.complaint]
    return Office(email=email, name=name, rodo=[p for p in rodo if p.strip()])
