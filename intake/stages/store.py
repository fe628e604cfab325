"""store: write what the stages learned, one transaction per chunk, and only then mark progress."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from classifiers.record import ParsedMail
from intake.pipeline import Work
from intake.stages.remarks import store_remarks
from storage.db import session_scope
from storage.events import append_events
from storage.models import Message, utcnow


def parsed_columns(parsed: ParsedMail) -> dict[str, Any]:
    """The message columns that cache the parse result (rebuilt by `reprocess`)."""
    sent = parsed.date
    if sent is not None and sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    return {
        "sender_email": parsed.sender_email[:320] or None,
        "sender_name": parsed.sender_name[:300] or None,
        "subject": parsed.subject,
        "sent_at": sent,
        "body_text": parsed.body_text,
        "new_text": parsed.new_text,
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
             "note": a.note, "text_chars": len(a.text)}
            for a in parsed.attachments
        ],
        "defects": list(parsed.defects),
    }


def store_works(engine: Engine, works: list[Work], services: Any) -> None:
    if not works:
        return
    with session_scope(engine) as session:
        rows = {m.id: m for m in session.exec(select(Message).where(col(Message.id).in_([w.pk for w in works])))}
        events: list[dict[str, Any]] = []
        for work in works:
            msg = rows.get(work.pk)
            if msg is not None:
                events.extend(_apply(session, msg, work, services))
        append_events(session, events)


def _apply(session: Session, msg: Message, work: Work, services: Any) -> list[dict[str, Any]]:
    before = {"state": msg.state, "kind": msg.kind}
    if work.parsed is not None:
        for key, value in parsed_columns(work.parsed).items():
            setattr(msg, key, value)
        msg.parsed_at = utcnow()
    deadline = services.settings.consultation.deadline
    received = msg.received_at if msg.received_at.tzinfo else msg.received_at.replace(tzinfo=UTC)
    msg.late = received > deadline
    if work.held:
        msg.state, msg.hold_stage, msg.hold_reason = "held", work.held[0], work.held[1]
        action = "message.held"
    else:
        msg.state = "parsed" if work.extra.get("partial") else "processed"
        msg.hold_stage, msg.hold_reason = None, None
        msg.kind = work.kind
        msg.kind_reason = work.kind_reason or work.discarded
        msg.needs_glance = work.needs_glance
        msg.processed_at = utcnow()
        action = "message.processed"
        if work.extra.get("automatic_sender"):
            msg.acknowledge = False  # RFC 3834: never answer automatic mail
    remark_events = store_remarks(session, msg, work, services) if not work.held and work.kind else []
    session.add(msg)
    after = {"state": msg.state, "kind": msg.kind, "hold_stage": msg.hold_stage, "hold_reason": msg.hold_reason,
             "reference": msg.reference, "remark_count": msg.remark_count}
    event = dict(actor=services.actor, action=action, entity="message", entity_id=msg.id, before=before,
                 after=after)
    return [event, *remark_events]
