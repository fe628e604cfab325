"""RODO art. 15: everything held about one person, as a ZIP (person.json + the original e-mails)."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from reports.exports import iso
from reports.files import atomic_file
from reports.rawfiles import safe_name
from storage.db import session_scope
from storage.erasure import find_person
from storage.eventdata import EventPersonal
from storage.events import append_event
from storage.models import Event, MessageCopy, RawMessage

MESSAGE_COLUMNS = ("message_id", "sha256", "subject", "sender_email", "sender_name", "received_at", "kept_at",
                   "sent_at", "body_text", "attachments", "kind", "reference", "late", "redacted_at")
REMARK_COLUMNS = ("reference", "author_name", "author_email", "text", "origin", "fields", "projects",
                  "remark_type", "status", "stance", "justification", "campaign", "restricted", "created_at")


def _plain(value: Any, zone: ZoneInfo) -> Any:
    return iso(value, zone) if isinstance(value, datetime) else value


def subject_access(engine: Engine, email: str, output: Path, zone: ZoneInfo, actor: str) -> dict[str, int]:
    """Write the ZIP atomically; the request itself is logged with the address beside the chain."""
    with Session(engine) as session:
        messages, remarks = find_person(session, email)
        ids = [m.id for m in messages]
        record: dict[str, Any] = {"email": email.strip().lower(), "generated_at": datetime.now(zone).isoformat(),
                                  "messages": [], "remarks": [], "events": []}
        for m in messages:
            row = {c: _plain(getattr(m, c), zone) for c in MESSAGE_COLUMNS}
            row["seen_in"] = [c.source + (f" {c.path}" if c.path else "") for c in
                              session.exec(select(MessageCopy).where(MessageCopy.message_pk == m.id))]
            row["file"] = f"messages/{m.id}-{safe_name(m.reference, m.id or 0)}"
            record["messages"].append(row)
        record["remarks"] = [{c: _plain(getattr(r, c), zone) for c in REMARK_COLUMNS} for r in remarks]
        keys = [("message", str(i)) for i in ids] + [("remark", str(r.id)) for r in remarks]
        record["events"] = _events(session, keys, zone)
        raws = {m.id: session.get(RawMessage, m.id) for m in messages}
        with atomic_file(output, private=True) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("person.json", json.dumps(record, ensure_ascii=False, indent=2, default=str))
            for row, m in zip(record["messages"], messages, strict=True):
                raw = raws.get(m.id)
                if raw is not None:
                    zf.writestr(row["file"], raw.raw)
    with session_scope(engine) as session:
        append_event(session, actor=actor, action="person.access_given", entity="person", entity_id="-",
                     after={"messages": len(messages), "remarks": len(remarks)}, personal={"email": record["email"]})
    return {"messages": len(messages), "remarks": len(remarks)}


def _events(session: Session, keys: list[tuple[str, str]], zone: ZoneInfo) -> list[dict[str, Any]]:
    out = []
    for entity in ("message", "remark"):
        wanted = [k for e, k in keys if e == entity]
        if not wanted:
            continue
        query = (select(Event, EventPersonal.data).outerjoin(EventPersonal, EventPersonal.event_id == Event.id)
                 .where(Event.entity == entity, col(Event.entity_id).in_(wanted)).order_by(col(Event.id)))
        for ev, personal in session.exec(query):
            out.append({"at": iso(ev.at, zone), "actor": ev.actor, "action": ev.action, "entity": ev.entity,
                        "entity_id": ev.entity_id, "before": ev.before, "after": ev.after, "personal": personal})
    return out
