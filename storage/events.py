"""The append-only event log with a hash chain, so any later edit, deletion or reordering shows.

Each row's hash covers its canonical content and the previous row's hash. Personal data never sit
in the hashed row: they go to `event_personal` beside it, and the row holds only a salted digest
of them. Erasing a person deletes that side row (salt included), so the digest can no longer be
tied to the person and the chain still verifies; the event rows themselves are never updated.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, col, select

from storage.eventdata import EventPersonal
from storage.models import Event

GENESIS = "0" * 64
EVENTS = Event.metadata.tables["events"]
PERSONAL = Event.metadata.tables["event_personal"]


def _canonical(ev: Event | dict[str, Any]) -> bytes:
    get: Callable[[str], Any] = ev.get if isinstance(ev, dict) else lambda k: getattr(ev, k, None)
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
    if get("personal_hash") is not None:  # rows written before personal data moved out have none
        body["personal"] = get("personal_hash")
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()


def event_hash(ev: Event | dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(ev)).hexdigest()


def personal_digest(salt: str, data: dict[str, Any]) -> str:
    """Salted, so a guessed e-mail address cannot be confirmed once the salt is erased."""
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{salt}:{payload}".encode()).hexdigest()


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
    personal: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add one event to the chain inside the caller's transaction.

    `personal` holds whatever identifies a natural person (addresses, names, remark text): it is
    kept beside the chain so that `forget` can erase it without touching the chain.
    """
    return append_events(session, [dict(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                         before=before, after=after, personal=personal)])[0]


def chain_head(session: Session) -> str:
    return session.exec(select(Event.hash).order_by(col(Event.id).desc()).limit(1)).first() or GENESIS


def append_events(session: Session, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add several events in order, reading the chain's head once (a fetch batch logs many).

    A plain multi-row INSERT: the log grows with every message, so no ORM objects here.
    """
    if not specs:
        return []
    session.flush()
    _lock_chain(session)
    prev = chain_head(session)
    now = datetime.now(UTC)
    rows, sides = [], []
    for spec in specs:
        personal = spec.get("personal")
        salt = secrets.token_hex(16) if personal else None
        row = {"at": now, "actor": spec["actor"], "action": spec["action"], "entity": spec["entity"],
               "entity_id": str(spec["entity_id"]), "before": spec.get("before"), "after": spec.get("after"),
               "prev_hash": prev, "personal_hash": personal_digest(salt, personal) if salt and personal else None}
        row["hash"] = prev = event_hash(row)
        rows.append(row)
        sides.append((salt, personal))
    ids = list(session.execute(insert(EVENTS).returning(EVENTS.c.id, sort_by_parameter_order=True), rows).scalars())
    personal_rows = [{"event_id": pk, "salt": salt, "data": data}
                     for pk, (salt, data) in zip(ids, sides, strict=True) if salt]
    if personal_rows:
        session.execute(insert(PERSONAL), personal_rows)
    for pk, row in zip(ids, rows, strict=True):
        row["id"] = pk
    return rows


@dataclass(frozen=True)
class BrokenLink:
    """The first row where the chain does not hold, and what differs."""

    event_id: int
    reason: str


def _walk(session: Session, batch: int = 5000) -> Iterator[Event]:
    last = 0
    while True:
        chunk = list(session.exec(select(Event).where(col(Event.id) > last).order_by(col(Event.id)).limit(batch)))
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id or last
        session.expunge_all()


def first_broken(session: Session) -> BrokenLink | None:
    """Walk the chain in id order; name the first row whose link, hash or personal digest is wrong."""
    prev = GENESIS
    for ev in _walk(session):
        assert ev.id is not None
        if ev.prev_hash != prev:
            what = "a row before it was deleted, changed or moved" if prev != GENESIS else "the chain's start"
            return BrokenLink(ev.id, f"prev_hash {ev.prev_hash[:12]}… does not match the hash of the row before "
                                     f"({prev[:12]}…): {what}")
        if event_hash(ev) != ev.hash:
            return BrokenLink(ev.id, f"stored content does not match its hash {ev.hash[:12]}…: a field of this row "
                                     "(at, actor, action, entity, before, after or a hash) was changed")
        prev = ev.hash
    return _first_bad_personal(session)


def _first_bad_personal(session: Session) -> BrokenLink | None:
    rows = session.exec(select(EventPersonal, Event.personal_hash).where(EventPersonal.event_id == Event.id)
                        .order_by(col(EventPersonal.event_id)))
    for side, digest in rows:
        if personal_digest(side.salt, side.data) != digest:
            return BrokenLink(side.event_id, "its personal data (event_personal) do not match the digest in the chain")
    return None


def first_broken_link(session: Session) -> Event | None:
    """Backward-compatible form: the first broken event row, or None."""
    broken = first_broken(session)
    return session.get(Event, broken.event_id) if broken else None
