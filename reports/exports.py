"""The comment log for auditors: messages or remarks as JSONL, CSV or XLSX (same fields in each)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from storage.models import Event, Message, Remark

What = Literal["messages", "remarks"]
Format = Literal["jsonl", "csv", "xlsx"]

MESSAGE_FIELDS = ["message_id", "message_sha256", "received_at", "sender_email", "subject", "kind",
                  "remark_count", "reference", "kind_reason", "needs_glance", "state", "hold_reason", "backlog",
                  "late"]
REMARK_FIELDS = ["reference", "message_id", "message_sha256", "received_at", "sender_email", "sender_name",
                 "subject", "text", "origin", "projects", "project_scores", "remark_type", "remark_types", "status",
                 "stance", "justification", "late", "campaign", "language", "history"]


def _iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).isoformat()


def message_records(session: Session, zone: ZoneInfo) -> Iterator[dict[str, Any]]:
    for m in session.exec(select(Message).order_by(col(Message.id))):
        yield {
            "message_id": m.message_id, "message_sha256": m.sha256, "received_at": _iso(m.received_at, zone),
            "sender_email": m.sender_email, "subject": m.subject, "kind": m.kind,
            "remark_count": m.remark_count, "reference": m.reference, "kind_reason": m.kind_reason,
            "needs_glance": m.needs_glance, "state": m.state,
            "hold_reason": m.hold_reason, "backlog": m.backlog, "late": m.late,
        }


def _histories(session: Session, zone: ZoneInfo) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in session.exec(select(Event).where(Event.entity == "remark").order_by(col(Event.id))):
        out[ev.entity_id].append({"at": _iso(ev.at, zone), "actor": ev.actor, "action": ev.action,
                                  "before": ev.before, "after": ev.after})
    return out


def remark_records(session: Session, zone: ZoneInfo) -> Iterator[dict[str, Any]]:
    histories = _histories(session, zone)
    rows = session.exec(select(Remark, Message).where(Remark.message_pk == Message.id)
                        .order_by(col(Remark.message_pk), col(Remark.ordinal)))
    for r, m in rows:
        if r.restricted:
            continue  # RODO art. 18: a restricted remark leaves no export
        yield {
            "reference": r.reference,
            "message_id": m.message_id, "message_sha256": m.sha256, "received_at": _iso(m.received_at, zone),
            "sender_email": m.sender_email, "sender_name": m.sender_name, "subject": m.subject,
            "text": r.text, "origin": r.origin, "projects": r.projects, "project_scores": r.project_scores,
            "remark_type": r.remark_type, "remark_types": r.remark_types, "status": r.status, "stance": r.stance,
            "justification": r.justification, "late": m.late, "campaign": r.campaign,
            "language": r.language, "history": histories.get(str(r.id), []),
        }


def write_export(engine: Engine, what: What, fmt: Format, out: IO[bytes], zone: ZoneInfo) -> int:
    """Write every record; returns how many. Lists and maps become JSON text in CSV/XLSX cells."""
    fields = MESSAGE_FIELDS if what == "messages" else REMARK_FIELDS
    with Session(engine) as session:
        records = message_records(session, zone) if what == "messages" else remark_records(session, zone)
        if fmt == "jsonl":
            return _jsonl(records, out)
        if fmt == "csv":
            return _csv(records, fields, out)
        return _xlsx(records, fields, out, what)


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _jsonl(records: Iterator[dict[str, Any]], out: IO[bytes]) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False).encode() + b"\n")
        n += 1
    return n


def _csv(records: Iterator[dict[str, Any]], fields: list[str], out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=fields)
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow({k: _cell(v) for k, v in rec.items()})
        n += 1
    text.flush()
    text.detach()
    return n


def _xlsx(records: Iterator[dict[str, Any]], fields: list[str], out: IO[bytes], title: str) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append(fields)
    n = 0
    for rec in records:
        ws.append([_cell(rec[f]) for f in fields])
        n += 1
    wb.save(out)
    return n
