"""RODO erasure (art. 17) and retention: anonymise a person's data everywhere, keep the chain whole.

What happens to a message of the person:
- sender fields and the person's names and addresses in subject, text, attachments' names, form
  fields, evidence and file paths are replaced by placeholders;
- the raw bytes are replaced by a redacted copy (a small RFC 5322 message carrying the redacted
  text, no attachments);
- `messages.sha256` keeps the ORIGINAL digest and `redacted_at` is set. Why: that digest is the
  message's identity in the event chain (message.kept) and in every earlier export manifest, so the
  auditor can still match them; a SHA-256 of a whole e-mail reveals nothing of it; and a re-delivery
  of the original bytes is still recognised as already kept (it is not stored again). The digest of
  the redacted copy is recorded in the `person.forgotten` event.
- event_personal rows of the person's events are deleted (salt included), the chain rows stay.
The remark itself stays (the consultation needs it), its text redacted.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from storage.eventdata import EventPersonal
from storage.events import append_event
from storage.models import Event, Message, MessageCopy, RawMessage, Remark
from storage.redaction import name_tokens, names_pattern, redact
from storage.review import compact_search_index

GONE = "[usunięto]"


@dataclass
class ErasureReport:
    messages: int = 0
    remarks: int = 0
    raw_replaced: int = 0
    personal_rows: int = 0
    copies: int = 0
    redacted_sha256: dict[str, str] = field(default_factory=dict)

    def as_event(self) -> dict[str, Any]:
        return {"messages": self.messages, "remarks": self.remarks, "raw_replaced": self.raw_replaced,
                "event_personal_erased": self.personal_rows, "copies": self.copies,
                "redacted_sha256": self.redacted_sha256}


def find_person(session: Session, email: str) -> tuple[list[Message], list[Remark]]:
    """Messages sent by the address, or holding a remark by it (a forward), or quoting the address."""
    email = email.strip().lower()
    by_remark = select(Remark.message_pk).where(func.lower(Remark.author_email) == email)
    like = f"%{email}%"
    messages = list(session.exec(select(Message).where(or_(
        func.lower(Message.sender_email) == email, col(Message.id).in_(by_remark),
        func.lower(Message.body_text).like(like), func.lower(Message.subject).like(like)))
        .order_by(col(Message.id))))
    ids = [m.id for m in messages]
    remarks = list(session.exec(select(Remark).where(or_(col(Remark.message_pk).in_(ids),
                                                          func.lower(Remark.author_email) == email))))
    return messages, remarks


def forget(session: Session, email: str, actor: str) -> ErasureReport:
    """Erase one person (by e-mail address) in the caller's transaction; logged without the address."""
    email = email.strip().lower()
    messages, remarks = find_person(session, email)
    own = [m for m in messages if (m.sender_email or "").lower() == email]
    names = name_tokens([m.sender_name for m in own] + [r.author_name for r in remarks
                                                        if (r.author_email or "").lower() == email])
    report = anonymise(session, messages, remarks, email, names)
    if remarks:
        compact_search_index(session)
    append_event(session, actor=actor, action="person.forgotten", entity="person",
                 entity_id=secrets.token_hex(8), after=report.as_event())
    return report


def anonymise(session: Session, messages: list[Message], remarks: list[Remark], email: str | None,
              names: list[str], scan_personal: bool = True) -> ErasureReport:
    """The shared core of `forget` and the retention job (which erases all side rows at once instead)."""
    pattern = _pattern(email, names)
    report = ErasureReport()
    now = datetime.now(UTC)
    for remark in remarks:
        _anonymise_remark(remark, pattern, email)
        session.add(remark)
        report.remarks += 1
    for msg in messages:
        assert msg.id is not None
        owned = email is None or (msg.sender_email or "").lower() == email or any(
            r.message_pk == msg.id and (r.author_email or "").lower() == email for r in remarks)
        _anonymise_message(msg, pattern, owned)
        msg.redacted_at = now
        session.add(msg)
        report.messages += 1
        raw = session.get(RawMessage, msg.id)
        if raw is not None:
            raw.raw = redacted_copy(msg, [r for r in remarks if r.message_pk == msg.id])
            report.redacted_sha256[str(msg.id)] = hashlib.sha256(raw.raw).hexdigest()
            session.add(raw)
            report.raw_replaced += 1
        for copy in session.exec(select(MessageCopy).where(MessageCopy.message_pk == msg.id)):
            copy.path = _sub(copy.path, pattern) or ""
            session.add(copy)
            report.copies += 1
    _forget_side_rows(session, [r for r in remarks], [m.id for m in messages if m.id is not None], email)
    session.flush()
    if scan_personal:
        report.personal_rows = _erase_event_personal(session, messages, remarks, pattern)
    return report


def _forget_side_rows(session: Session, remarks: list[Remark], message_pks: list[int], email: str | None) -> None:
    """The outbox (acknowledgements to the person) and the review UI's search copy hold personal data too."""
    from storage.outbox import OutboxMessage
    from storage.review import refresh_search

    for remark in remarks:
        refresh_search(session, remark)
    query = select(OutboxMessage).where(col(OutboxMessage.message_pk).in_(message_pks))
    if email is not None:
        query = select(OutboxMessage).where(or_(col(OutboxMessage.message_pk).in_(message_pks),
                                                col(OutboxMessage.recipient) == email))
    for row in session.exec(query):
        if row.purpose == "digest":
            continue  # the council's digest holds pseudonymised excerpts only
        if row.status not in ("sent", "failed", "skipped"):
            row.status, row.last_error = "skipped", "recipient's data erased (RODO) before sending"
        row.recipients, row.recipient, row.raw = [], None, None
        session.add(row)


def erase_all_event_personal(session: Session) -> int:
    """Retention: every personal part of the log goes; the chain rows and their digests stay."""
    count = session.exec(select(func.count()).select_from(EventPersonal)).one()
    session.execute(delete(EventPersonal))
    return count


def erase_event_personal_for(session: Session, entity: str, ids: list[int]) -> int:
    """Retention of one consultation: the personal parts of these messages' or remarks' events go.

    The log is shared by every consultation; one that is still running keeps its own.
    """
    keys = [str(i) for i in ids]
    count = 0
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        events = select(Event.id).where(Event.entity == entity, col(Event.entity_id).in_(chunk))
        count += session.exec(select(func.count()).select_from(EventPersonal)
                              .where(col(EventPersonal.event_id).in_(events))).one()
        session.execute(delete(EventPersonal).where(col(EventPersonal.event_id).in_(events)))
    return count


def _pattern(email: str | None, names: list[str]) -> re.Pattern[str] | None:
    tokens = list(names)
    if email:
        tokens.append(email)
        local = email.split("@", 1)[0]
        if len(local) >= 4:
            tokens.append(local)  # jan.kowalski in a path or a Message-ID
    return names_pattern(tokens)


def _sub(text: str | None, pattern: re.Pattern[str] | None) -> str | None:
    return redact(text, pattern)


def _json_sub(value: Any, pattern: re.Pattern[str] | None) -> Any:
    if isinstance(value, str):
        return _sub(value, pattern)
    if isinstance(value, list):
        return [_json_sub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _json_sub(v, pattern) for k, v in value.items()}
    return value


def _anonymise_remark(remark: Remark, pattern: re.Pattern[str] | None, email: str | None) -> None:
    if email is None or (remark.author_email or "").lower() == email or pattern_hits(pattern, remark.author_name):
        remark.author_name = None
        remark.author_email = None
    remark.text = _sub(remark.text, pattern) or ""
    remark.origin = _sub(remark.origin, pattern) or "body"  # an attachment's file name may carry the name
    remark.fields = _json_sub(dict(remark.fields), pattern)
    remark.evidence = _json_sub(dict(remark.evidence), pattern)
    remark.justification = _sub(remark.justification, pattern)
    remark.updated_at = datetime.now(UTC)


def pattern_hits(pattern: re.Pattern[str] | None, text: str | None) -> bool:
    return bool(pattern is not None and text and pattern.search(text))


def _anonymise_message(msg: Message, pattern: re.Pattern[str] | None, owned: bool) -> None:
    """The person's own message loses its sender; another's message that quotes them keeps it."""
    if owned:
        msg.sender_email = None
        msg.sender_name = None
    for name in ("subject", "body_text", "new_text", "kind_reason", "hold_reason"):
        setattr(msg, name, _sub(getattr(msg, name), pattern))
    if msg.message_id and pattern is not None and pattern.search(msg.message_id):
        msg.message_id = f"{GONE}-{msg.id}"
    msg.attachments = [{**a, "filename": GONE} for a in msg.attachments]


def redacted_copy(msg: Message, remarks: list[Remark]) -> bytes:
    """What stays of the e-mail: its date, redacted subject and text, and a note of what was removed."""
    copy = EmailMessage()
    copy["From"] = msg.sender_email or "anonimizowany@invalid"  # kept only when another person's message
    copy["Subject"] = (msg.subject or "").replace("\r", " ").replace("\n", " ")
    copy["Date"] = format_datetime(_aware(msg.received_at))
    copy["X-Uwagi-Redacted"] = f"{datetime.now(UTC).isoformat(timespec='seconds')}; original sha256 {msg.sha256}"
    parts = [msg.new_text or msg.body_text or ""]
    parts += [f"[{r.reference}] {r.text}" for r in remarks if r.origin != "body"]
    if msg.attachments:
        parts.append("Załączniki usunięte: " + json.dumps([{k: a.get(k) for k in ("content_type", "size", "sha256")}
                                                          for a in msg.attachments], ensure_ascii=False))
    copy.set_content("\n\n".join(p for p in parts if p))
    return copy.as_bytes()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _erase_event_personal(session: Session, messages: list[Message], remarks: list[Remark],
                          pattern: re.Pattern[str] | None) -> int:
    """Side rows of the person's events, and any other side row that names them."""
    msg_ids = [str(m.id) for m in messages]
    remark_ids = [str(r.id) for r in remarks]
    doomed: set[int] = set()
    query = select(EventPersonal.event_id, Event.entity, Event.entity_id, EventPersonal.data).where(
        EventPersonal.event_id == Event.id)
    for event_id, entity, entity_id, data in session.exec(query):
        mine = (entity == "message" and entity_id in msg_ids) or (entity == "remark" and entity_id in remark_ids)
        if mine or (pattern is not None and pattern.search(json.dumps(data, ensure_ascii=False))):
            doomed.add(event_id)
    if doomed:
        session.execute(delete(EventPersonal).where(col(EventPersonal.event_id).in_(sorted(doomed))))
    return len(doomed)
