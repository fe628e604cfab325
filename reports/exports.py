"""The comment log for auditors: messages or remarks as JSONL, CSV or XLSX (same fields in each).

Streamed in chunks by primary key (keyset pagination): memory stays flat however many remarks the
consultation collected. Each chunk's remark history is read with one query. A file export is
written to a temporary file and renamed only when complete, with a manifest beside it (rows,
SHA-256, chain head, who, when) that is also recorded in the event log.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, exists
from sqlmodel import Session, col, select

from reports.files import atomic_file
from reports.sheets import write_csv, write_jsonl, write_xlsx
from storage.consultations import Scope
from storage.db import session_scope
from storage.events import append_event, chain_head
from storage.models import Event, Message, Remark
from storage.remark_projects import RemarkProject

What = Literal["messages", "remarks"]
Format = Literal["jsonl", "csv", "xlsx"]
CHUNK = 1000

# SPEC "Export record", in its order.
REMARK_FIELDS = ["reference", "message_id", "message_sha256", "received_at", "sender_email", "sender_name",
                 "subject", "text", "origin", "projects", "project_scores", "remark_type", "status", "stance",
                 "justification", "late", "campaign", "language", "history"]
# SPEC fields first; then what operators need to follow a message through the pipeline.
MESSAGE_FIELDS = ["message_id", "message_sha256", "received_at", "sender_email", "subject", "kind",
                  "remark_count", "reference", "kept_at", "late", "state", "hold_reason", "kind_reason",
                  "needs_glance", "backlog"]
WIDTHS = {"text": 60, "subject": 40, "history": 40, "justification": 40, "project_scores": 30, "sender_name": 24,
          "sender_email": 28, "message_id": 30, "message_sha256": 20, "received_at": 26, "kept_at": 26,
          "reference": 18, "kind_reason": 40, "hold_reason": 30}


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    until: datetime | None = None
    project: str | None = None
    status: str | None = None
    # One consultation's messages and remarks only (None: every consultation's).
    consultation: Scope | None = None

    def describe(self) -> dict[str, str]:
        out = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(self).items()
               if v and k != "consultation"}
        if self.consultation is not None:
            out["consultation"] = self.consultation.key
        return out


def iso(value: datetime | None, zone: ZoneInfo) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).isoformat()


def _restricted_message() -> Any:
    return exists().where(Remark.message_pk == Message.id, col(Remark.restricted).is_(True))


def _received_between(query: Any, flt: Filters) -> Any:
    """--since/--until: on the date the message counts as received; --consultation: the message's."""
    if flt.consultation is not None:
        query = query.where(flt.consultation.where(Message.consultation))
    if flt.since:
        query = query.where(Message.received_at >= flt.since)
    if flt.until:
        query = query.where(Message.received_at < flt.until)
    return query


def _message_query(last: int, flt: Filters) -> Any:
    query = _received_between(select(Message).where(col(Message.id) > last, ~_restricted_message()), flt)
    if flt.status:
        query = query.where(Message.state == flt.status)
    if flt.project is not None:  # the indexed link table, not one query per message
        query = query.where(exists().where(Remark.message_pk == Message.id, RemarkProject.remark_id == Remark.id,
                                           RemarkProject.project_id == flt.project))
    return query.order_by(col(Message.id)).limit(CHUNK)


def iter_messages(session: Session, flt: Filters) -> Iterator[Message]:
    """Messages in id order, a chunk at a time (restricted remarks hide their message too)."""
    last = 0
    while True:
        chunk = list(session.exec(_message_query(last, flt)))
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id or last
        session.expunge_all()


def message_records(session: Session, zone: ZoneInfo, flt: Filters = Filters()) -> Iterator[dict[str, Any]]:
    for m in iter_messages(session, flt):
        yield {
            "message_id": m.message_id, "message_sha256": m.sha256, "received_at": iso(m.received_at, zone),
            "sender_email": m.sender_email, "subject": m.subject, "kind": m.kind, "remark_count": m.remark_count,
            "reference": m.reference, "kept_at": iso(m.kept_at, zone), "late": m.late, "state": m.state,
            "hold_reason": m.hold_reason, "kind_reason": m.kind_reason, "needs_glance": m.needs_glance,
            "backlog": m.backlog,
        }


def _remark_query(last: int, flt: Filters) -> Any:
    query = (select(Remark, Message).where(Remark.message_pk == Message.id, col(Remark.id) > last,
                                           col(Remark.restricted).is_(False)))
    query = _received_between(query, flt)
    if flt.status:
        query = query.where(Remark.status == flt.status)
    return query.order_by(col(Remark.id)).limit(CHUNK)


def iter_remarks(session: Session, flt: Filters = Filters()) -> Iterator[tuple[Remark, Message]]:
    """(remark, message) pairs in remark id order, restricted remarks left out (RODO art. 18)."""
    last = 0
    while True:
        chunk = list(session.exec(_remark_query(last, flt)))
        if not chunk:
            return
        for r, m in chunk:
            if flt.project is None or flt.project in (r.projects or []):
                yield r, m
        last = chunk[-1][0].id or last
        session.expunge_all()


def histories(session: Session, remark_ids: list[int], zone: ZoneInfo) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    keys = [str(i) for i in remark_ids]
    query = select(Event).where(Event.entity == "remark", col(Event.entity_id).in_(keys)).order_by(col(Event.id))
    for ev in session.exec(query):
        out[ev.entity_id].append({"at": iso(ev.at, zone), "actor": ev.actor, "action": ev.action,
                                  "before": ev.before, "after": ev.after})
    return out


def remark_records(session: Session, zone: ZoneInfo, flt: Filters = Filters()) -> Iterator[dict[str, Any]]:
    pending: list[tuple[Remark, Message]] = []
    for pair in iter_remarks(session, flt):
        pending.append(pair)
        if len(pending) >= CHUNK:
            yield from _remark_chunk(session, pending, zone)
            pending = []
    yield from _remark_chunk(session, pending, zone)


def _remark_chunk(session: Session, pairs: list[tuple[Remark, Message]], zone: ZoneInfo) -> Iterator[dict[str, Any]]:
    if not pairs:
        return
    history = histories(session, [r.id for r, _ in pairs if r.id is not None], zone)
    for r, m in pairs:
        yield {
            "reference": r.reference, "message_id": m.message_id, "message_sha256": m.sha256,
            "received_at": iso(m.received_at, zone), "sender_email": m.sender_email, "sender_name": m.sender_name,
            "subject": m.subject, "text": r.text, "origin": r.origin, "projects": r.projects,
            "project_scores": r.project_scores, "remark_type": r.remark_type, "status": r.status,
            "stance": r.stance, "justification": r.justification, "late": m.late, "campaign": r.campaign,
            "language": getattr(r, "language", None), "history": history.get(str(r.id), []),
        }


def write_export(engine: Engine, what: What, fmt: Format, out: IO[bytes], zone: ZoneInfo,
                 flt: Filters = Filters()) -> int:
    """Write every record; returns how many. Lists and maps become JSON text in CSV/XLSX cells."""
    fields = MESSAGE_FIELDS if what == "messages" else REMARK_FIELDS
    with Session(engine) as session:
        records = message_records(session, zone, flt) if what == "messages" else remark_records(session, zone, flt)
        if fmt == "jsonl":
            return write_jsonl(records, out)
        if fmt == "csv":
            return write_csv(records, fields, out)
        return write_xlsx(records, fields, out, what, WIDTHS)


@dataclass
class Manifest:
    """What an auditor needs to know the file is the one the office produced, and from which log."""

    file: str
    what: str
    format: str
    rows: int
    sha256: str
    chain_head: str
    by: str
    at: str
    filters: dict[str, str] = field(default_factory=dict)


class _Hashing:
    """A write-through wrapper that hashes what passes (stdout cannot be re-read)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner, self.digest, self.size = inner, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.inner.write(data)

    def flush(self) -> None:
        self.inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def actor_name(actor: str | None = None) -> str:
    if actor:
        return actor
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def export_stream(engine: Engine, what: What, fmt: Format, out: IO[bytes], zone: ZoneInfo, flt: Filters,
                  actor: str | None = None) -> Manifest:
    """Export to a stream (stdout): no manifest file, but the event records the same facts."""
    with Session(engine) as session:
        head = chain_head(session)
    hashing = _Hashing(out)
    rows = write_export(engine, what, fmt, hashing, zone, flt)  # type: ignore[arg-type]
    manifest = Manifest(file="-", what=what, format=fmt, rows=rows, sha256=hashing.digest.hexdigest(),
                        chain_head=head, by=actor_name(actor), at=datetime.now(zone).isoformat(),
                        filters=flt.describe())
    _record(engine, manifest)
    return manifest


def export_file(engine: Engine, what: What, fmt: Format, path: Path, zone: ZoneInfo, flt: Filters,
                actor: str | None = None) -> Manifest:
    """Temp file, then rename: a failed export never leaves a half or empty file behind."""
    with Session(engine) as session:
        head = chain_head(session)
    path = path.resolve()
    with atomic_file(path, private=True) as fh:  # the comment log holds personal data
        rows = write_export(engine, what, fmt, fh, zone, flt)
    manifest = Manifest(file=path.name, what=what, format=fmt, rows=rows, sha256=file_sha256(path),
                        chain_head=head, by=actor_name(actor), at=datetime.now(zone).isoformat(),
                        filters=flt.describe())
    manifest_path(path).write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")
    _record(engine, manifest)
    return manifest


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _record(engine: Engine, manifest: Manifest) -> None:
    with session_scope(engine) as session:
        append_event(session, actor=manifest.by, action="export.written", entity="export",
                     entity_id=manifest.sha256[:16], after=asdict(manifest))
