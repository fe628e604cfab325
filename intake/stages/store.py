"""store: write what the stages learned, one transaction per chunk, and only then mark progress."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, select, update

from classifiers.record import ParsedMail
from intake.parsing.message import parse_headline
from intake.pipeline import Work
from intake.stages.keep import as_utc
from intake.stages.remarks import store_remarks
from storage import claims
from storage.db import session_scope
from storage.events import append_events
from storage.models import Message, utcnow

MESSAGES = Message.metadata.tables["messages"]
log = logging.getLogger("uwagi.store")


def parsed_columns(parsed: ParsedMail) -> dict[str, Any]:
    """The message columns that cache the parse result (rebuilt by `reprocess`)."""
    sent = as_utc(parsed.date) if parsed.date is not None else None
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


def store_works(engine: Engine, works: list[Work], services: Any, owner: str | None = None) -> list[Work]:
    """Message columns by plain UPDATEs (this runs for every message); remarks through the ORM.

    With an `owner`, only the messages it still claims are stored (another process may have taken
    over an expired claim: its result wins, ours is dropped) and their claims are released.
    Returns the works stored.
    """
    if not works:
        return []
    with session_scope(engine) as session:
        if owner is not None:
            mine = claims.owned(session.connection(), owner, [w.pk for w in works])
            for work in works:
                if work.pk not in mine:
                    log.warning("message=%s stage=store dropped: claim lost to another process", work.pk)
            works = [w for w in works if w.pk in mine]
        if not works:
            return []
        query = select(MESSAGES.c.id, MESSAGES.c.received_at, MESSAGES.c.state, MESSAGES.c.kind,
                       MESSAGES.c.consultation, MESSAGES.c.reference)
        rows = {r.id: r for r in session.execute(query.where(MESSAGES.c.id.in_([w.pk for w in works])))}
        updates: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
        befores: dict[int, dict[str, Any]] = {}
        for work in works:
            row = rows.get(work.pk)
            if row is None:
                continue
            # a case already numbered stays in its consultation (its reference carries that prefix)
            case_of = row.consultation if row.reference is not None else None
            values = _message_values(work, row.received_at, services, case_of)
            updates[frozenset(values)].append({"b_id": work.pk, **values})
            befores[work.pk] = {"state": row.state, "kind": row.kind}
        for group in updates.values():
            columns: dict[str, Any] = {key: bindparam(key) for key in group[0] if key != "b_id"}
            session.execute(update(MESSAGES).where(MESSAGES.c.id == bindparam("b_id")).values(columns), group)
        events: list[dict[str, Any]] = []
        for work in works:
            if work.pk not in befores:
                continue
            remark_events: list[dict[str, Any]] = []
            after: dict[str, Any] = {"state": "held" if work.held else None, "kind": work.kind}
            if not work.held and work.kind:
                msg = session.get(Message, work.pk)
                assert msg is not None
                remark_events = store_remarks(session, msg, work, services)
                session.add(msg)
                after.update(reference=msg.reference, remark_count=msg.remark_count)
            after["state"] = _state(work)
            if work.held:
                after.update(hold_stage=work.held[0], hold_reason=work.held[1])
            action = "message.held" if work.held else "message.processed"
            events.append(dict(actor=services.actor, action=action, entity="message", entity_id=work.pk,
                               before=befores[work.pk], after=after))
            events.extend(remark_events)
        append_events(session, events)
    return [w for w in works if w.pk in befores]


def _state(work: Work) -> str:
    if work.held:
        return "held"
    return "parsed" if work.partial else "processed"


def _headline(raw: bytes) -> dict[str, Any]:
    """Subject and sender of a message held before it was parsed, so the export names it."""
    subject, name, address, sent = parse_headline(raw)
    return {"subject": subject or None, "sender_name": name[:300] or None, "sender_email": address[:320] or None,
            "sent_at": as_utc(sent) if sent is not None else None}


def _message_values(work: Work, received: datetime, services: Any, case_of: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if work.parsed is not None:
        values.update(parsed_columns(work.parsed), parsed_at=utcnow())
    elif work.held and work.raw:
        values.update(_headline(work.raw))
    received = received if received.tzinfo else received.replace(tzinfo=UTC)
    # the consultation is decided by the stages; a parse-only run or a held message gets the cheap answer
    key = case_of if case_of in services.settings.all_consultations else services.assign(work, text_fit=False).key
    values["consultation"] = key
    values["late"] = received > services.settings.consultation_for(key).deadline  # its own period and zone
    values["state"] = _state(work)
    values.update(claimed_by=None, claimed_until=None)
    if work.held:
        values.update(hold_stage=work.held[0], hold_reason=work.held[1])
        return values
    values.update(hold_stage=None, hold_reason=None, kind=work.kind,
                  kind_reason=work.kind_reason or work.discarded, needs_glance=work.needs_glance,
                  processed_at=utcnow())
    if work.automatic_sender:
        values["acknowledge"] = False  # RFC 3834: never answer automatic mail
    return values
