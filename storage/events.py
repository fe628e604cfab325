"""The append-only event log with a hash chain, so any later edit or deletion shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, col, select

from storage.models import Event

GENESIS = "0" * 64
EVENTS = Event.metadata.tables["events"]


def _canonical(ev: Event | dict[str, Any]) -> bytes:
    get: Callable[[str], Any] = ev.__getitem__ if isinstance(ev, dict) else lambda k: getattr(ev, k)
    at = get("at")
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    body = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": get("actor"),
        "action": get("action"),
        "entity": get("entity"),
        "entity_id": get("entity_id"),
        "before": get("before"),
        "after": get("after"),
        "prev": get("prev_hash"),
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()


def event_hash(ev: Event | dict[str, Any]) -> str:
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
) -> dict[str, Any]:
    """Add one event to the chain inside the caller's transaction."""
    return append_events(session, [dict(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                         before=before, after=after)])[0]


def append_events(session: Session, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add several events in order, reading the chain's head once (a fetch batch logs many).

    A plain multi-row INSERT: the log grows with every message, so no ORM objects here.
    """
    if not specs:
        return []
    session.flush()
    _lock_chain(session)
    prev = session.exec(select(Event.hash).order_by(col(Event.id).desc()).limit(1)).first() or GENESIS
    now = datetime.now(UTC)
    rows = []
    for spec in specs:
        row = {"at": now, "actor": spec["actor"], "action": spec["action"], "entity": spec["entity"],
               "entity_id": str(spec["entity_id"]), "before": spec.get("before"), "after": spec.get("after"),
               "prev_hash": prev}
        row["hash"] = prev = event_hash(row)
        rows.append(row)
    session.execute(insert(EVENTS), rows)
    return rows


def first_broken_link(session: Session) -> Event | None:
    """Walk the chain in order; return the first event whose links or hash do not match."""
    prev = GENESIS
    for ev in session.exec(select(Event).order_by(col(Event.id))):
        if ev.prev_hash != prev or event_hash(ev) != ev.hash:
            return ev
        prev = ev.hash
    return None
