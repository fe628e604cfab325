"""The append-only event log with a hash chain, so any later edit or deletion shows."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from storage.models import Event

GENESIS = "0" * 64


def _canonical(ev: Event) -> bytes:
    at = ev.at if ev.at.tzinfo else ev.at.replace(tzinfo=UTC)
    body = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": ev.actor,
        "action": ev.action,
        "entity": ev.entity,
        "entity_id": ev.entity_id,
        "before": ev.before,
        "after": ev.after,
        "prev": ev.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()


def event_hash(ev: Event) -> str:
    return hashlib.sha256(_canonical(ev)).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise writers of the chain on PostgreSQL (SQLite already has one writer at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(714201)"))


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """Add one event to the chain inside the caller's transaction."""
    return append_events(session, [dict(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                         before=before, after=after)])[0]


def append_events(session: Session, specs: list[dict[str, Any]]) -> list[Event]:
    """Add several events in order, reading the chain's head once (a fetch batch logs many)."""
    if not specs:
        return []
    _lock_chain(session)
    prev = session.exec(select(Event.hash).order_by(col(Event.id).desc()).limit(1)).first() or GENESIS
    now = datetime.now(UTC)
    out = []
    for spec in specs:
        ev = Event(at=now, actor=spec["actor"], action=spec["action"], entity=spec["entity"],
                   entity_id=str(spec["entity_id"]), before=spec.get("before"), after=spec.get("after"),
                   prev_hash=prev, hash="")
        ev.hash = prev = event_hash(ev)
        session.add(ev)
        out.append(ev)
    session.flush()
    return out


def first_broken_link(session: Session) -> Event | None:
    """Walk the chain in order; return the first event whose links or hash do not match."""
    prev = GENESIS
    for ev in session.exec(select(Event).order_by(col(Event.id))):
        if ev.prev_hash != prev or event_hash(ev) != ev.hash:
            return ev
        prev = ev.hash
    return None
