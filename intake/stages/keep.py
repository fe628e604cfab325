"""keep: store raw bytes and SHA-256 before anything else, in the caller's transaction.

The same message seen twice (re-delivery, a Cc copy, a UIDVALIDITY reset) is stored once. Message-ID
is a hint, not an identity (anyone can reuse one): a message is a re-delivery when its SHA-256 is
already kept, or its Message-ID, sender address and body are (transport headers such as Received or
Delivered-To differ between copies and are not compared). Anything else is a new message, kept. Every
sighting is recorded in `message_copies`, so the auditor can see where each copy came from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message as EmailHeaders
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses

from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from intake.sources.base import FetchReport, Incoming, OnKept
from storage.db import session_scope
from storage.events import append_events
from storage.models import Message, MessageCopy, RawMessage, utcnow

MESSAGES = Message.__table__  # type: ignore[attr-defined]  # sqlmodel's types do not declare it
# Column defaults the ORM would fill in; Core inserts must name them.
MESSAGE_DEFAULTS = {"state": "kept", "attachments": [], "defects": [], "needs_glance": False, "remark_count": 0,
                    "late": False}

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MSGID = re.compile(r"<([^<>\s]+)>")


_TRAILING_BLANKS = re.compile(rb"[ \t\r]+\n")

# who holds an item of a batch: a stored message's pk, or ("new", index into the batch's fresh rows)
Owner = int | tuple[str, int]


def _header_block(raw: bytes) -> tuple[EmailHeaders, bytes]:
    """(parsed headers, body bytes): the header block only is parsed (cheap)."""
    end = _HEADER_END.search(raw, 0, 256_000)
    head = raw[: end.start()] if end else raw[:256_000]
    body = raw[end.end():] if end else b""
    return BytesHeaderParser(policy=compat32).parsebytes(head + b"\n\n"), body


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID without angle brackets, read from the header block only (cheap)."""
    return _message_id(_header_block(raw)[0])


def identity_of(raw: bytes) -> tuple[str | None, str | None]:
    """(Message-ID, content fingerprint); the fingerprint is None without a Message-ID.

    The fingerprint hashes the Message-ID, the From address and the body with line ends and trailing
    blanks evened out, so copies that only differ in transport headers (Received, Delivered-To,
    Return-Path, Authentication-Results, DKIM/ARC, X-Spam-* ...) or CRLF/LF share it.
    """
    headers, body = _header_block(raw)
    mid = _message_id(headers)
    if mid is None:
        return None, None
    pairs = getaddresses([str(v) for v in headers.get_all("From", [])])
    sender = ",".join(address.strip().lower() for _, address in pairs if address)
    body = _TRAILING_BLANKS.sub(b"\n", body.replace(b"\r\n", b"\n") + b"\n").rstrip(b"\n")
    digest = hashlib.sha256()
    for piece in (mid.encode("utf-8", "surrogateescape"), sender.encode("utf-8", "surrogateescape"), body):
        digest.update(len(piece).to_bytes(8, "big") + piece)
    return mid, digest.hexdigest()


def _message_id(headers: EmailHeaders) -> str | None:
    value = headers.get("Message-ID")
    if not value:
        return None
    text = str(value).strip()
    found = _MSGID.search(text)
    mid = found.group(1) if found else text.strip("<> \t")
    return mid[:998] or None


@dataclass
class KeepResult:
    kept: list[tuple[int, bytes]] = field(default_factory=list)
    duplicates: int = 0


def commit_batch(
    engine: Engine,
    items: list[Incoming],
    report: FetchReport,
    on_kept: OnKept | None = None,
    also: Callable[[Session], None] | None = None,
) -> None:
    """Keep a batch in one transaction (with `also`, e.g. the watermark), then report it.

    Another process may keep the same message at the same moment (two imports of one file): the
    loser's transaction fails on the unique SHA-256 and is simply run again, now seeing the row.
    """
    for attempt in range(3):
        try:
            with session_scope(engine) as session:
                kept = keep_batch(session, items)
                if also is not None:
                    also(session)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    report.kept += len(kept.kept)
    report.duplicates += kept.duplicates
    report.kept_pks.extend(pk for pk, _ in kept.kept)
    if on_kept and kept.kept:
        on_kept(kept.kept)


def as_utc(moment: datetime) -> datetime:
    """Times are stored in UTC: SQLite keeps the wall time only, so an IMAP server's +0100 would shift."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def keep_batch(session: Session, items: list[Incoming], actor: str = "fetch") -> KeepResult:
    """Insert the new messages of a batch; the caller commits (with its watermark).

    One multi-row INSERT per table rather than ORM objects: this runs for every message of a mailbox.
    """
    result = KeepResult()
    prepared = [(item, hashlib.sha256(item.raw).hexdigest(), *identity_of(item.raw)) for item in items]
    by_sha, by_fp = _existing(session, prepared)
    fresh: list[tuple[Incoming, str, str | None, str | None]] = []
    owners: list[Owner] = []
    for item, sha, mid, fp in prepared:
        owner = by_sha.get(sha) or (by_fp.get(fp) if fp else None)
        if owner is None:
            owner = ("new", len(fresh))
            fresh.append((item, sha, mid, fp))
            by_sha[sha] = owner
            if fp:
                by_fp[fp] = owner
        else:
            result.duplicates += 1  # already stored, or an earlier item of this very batch
        owners.append(owner)
    now = utcnow()
    ids: list[int] = []
    if fresh:
        rows = [dict(sha256=sha, message_id=mid, content_sha256=fp, size=len(item.raw), source=item.source,
                     uidvalidity=item.uidvalidity or None, uid=item.uid or None, received_at=as_utc(item.received_at),
                     kept_at=now, backlog=item.backlog, acknowledge=item.acknowledge and not item.backlog,
                     **MESSAGE_DEFAULTS) for item, sha, mid, fp in fresh]
        ids = list(session.execute(insert(MESSAGES).returning(MESSAGES.c.id, sort_by_parameter_order=True),
                                   rows).scalars())
        session.execute(insert(RawMessage.__table__),  # type: ignore[attr-defined]
                        [{"message_pk": pk, "raw": item.raw} for pk, (item, *_) in zip(ids, fresh, strict=True)])
        result.kept = [(pk, item.raw) for pk, (item, *_) in zip(ids, fresh, strict=True)]
    known = _known_copies(session, items)
    copies = []
    for item, owner in zip(items, owners, strict=True):
        pk = ids[owner[1]] if isinstance(owner, tuple) else owner
        key = (item.source, item.uidvalidity, item.uid, item.path)
        if key not in known:
            known.add(key)
            copies.append(dict(message_pk=pk, source=item.source, uidvalidity=item.uidvalidity, uid=item.uid,
                               path=item.path, seen_at=now))
    if copies:
        session.execute(insert(MessageCopy.__table__), copies)  # type: ignore[attr-defined]
    append_events(session, [
        dict(actor=actor, action="message.kept", entity="message", entity_id=pk,
             after={"sha256": sha, "source": item.source, "uid": item.uid, "uidvalidity": item.uidvalidity,
                    "backlog": item.backlog},
             personal={"message_id": mid, "path": item.path})  # a file name or Message-ID may name the sender
        for pk, (item, sha, mid, _) in zip(ids, fresh, strict=True)])
    return result


def _existing(session: Session, prepared: list[tuple[Incoming, str, str | None, str | None]]
              ) -> tuple[dict[str, Owner], dict[str, Owner]]:
    """Stored messages by SHA-256 and by content fingerprint (computed from the raw bytes for older rows)."""
    shas = [sha for _, sha, _, _ in prepared]
    fps = [fp for *_, fp in prepared if fp]
    mids = list({mid for _, _, mid, _ in prepared if mid})
    by_sha: dict[str, Owner] = {}
    by_fp: dict[str, Owner] = {}
    if shas:
        rows = session.exec(select(Message.sha256, Message.id).where(col(Message.sha256).in_(shas)))
        by_sha.update({sha: pk for sha, pk in rows if pk is not None})
    if fps:
        fp_rows = session.exec(select(Message.content_sha256, Message.id).where(col(Message.content_sha256).in_(fps)))
        by_fp.update({fp: pk for fp, pk in fp_rows if fp and pk is not None})
    if mids:  # kept before fingerprints existed: fingerprint them now from their raw bytes
        raw_rows = session.exec(select(Message.id, RawMessage.raw).where(
            RawMessage.message_pk == Message.id, col(Message.message_id).in_(mids),
            col(Message.content_sha256).is_(None)))
        for pk, raw in raw_rows:
            fp = identity_of(bytes(raw))[1]
            if fp and pk is not None:
                by_fp.setdefault(fp, pk)
    return by_sha, by_fp


def _known_copies(session: Session, items: list[Incoming]) -> set[tuple[str, int, int, str]]:
    """Sightings already recorded for the sources of this batch (a re-fetch adds none twice)."""
    found: set[tuple[str, int, int, str]] = set()
    for source in {i.source for i in items}:
        batch = [i for i in items if i.source == source]
        cond = (col(MessageCopy.uid).in_([i.uid for i in batch]) if all(i.uid for i in batch)
                else col(MessageCopy.path).in_([i.path for i in batch]))
        rows = session.exec(select(MessageCopy.source, MessageCopy.uidvalidity, MessageCopy.uid, MessageCopy.path)
                            .where(MessageCopy.source == source, cond))
        found.update((a, b, c, d) for a, b, c, d in rows)
    return found
