"""The transactional outbox: outgoing mail is a row first, written with the decision to send it.

A unique key per purpose (`ack:<sha256>`, `digest:<prefix>:<ISO week>`) makes "decide to send"
happen once whatever runs it; the finished message bytes (Message-ID included) are stored with
the row, so a retry after a crash sends the very same message. Delivery workers claim a row with
a conditional UPDATE (compare-and-set on status and attempts): two workers never both win it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, DateTime, Index, LargeBinary, Text, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col

from storage.models import utcnow

PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"


class OutboxMessage(SQLModel, table=True):
    """One outgoing e-mail (or a recorded decision not to send one, status `skipped`)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    purpose: str = Field(max_length=20)  # ack | digest
    message_pk: int | None = Field(default=None, foreign_key="messages.id", index=True)
    reference: str | None = Field(default=None, max_length=40)
    recipients: list[str] = Field(default_factory=list, sa_type=JSON)
    # lower-cased first recipient: the per-sender daily limit counts by it
    recipient: str | None = Field(default=None, max_length=320, index=True)
    subject: str = Field(default="", sa_type=Text)
    message_id: str | None = Field(default=None, max_length=300, unique=True)  # bare, as messages.message_id
    raw: bytes | None = Field(default=None, sa_type=LargeBinary)
    status: str = Field(default=PENDING, max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


OUTBOX = OutboxMessage.metadata.tables["outbox"]


def add_once(session: Session, row: OutboxMessage) -> bool:
    """Insert the row unless its key exists; False when another run decided first.

    A savepoint keeps the caller's transaction usable when a concurrent writer wins the race.
    """
    if session.exec(select(OUTBOX.c.id).where(OUTBOX.c.key == row.key)).first() is not None:  # type: ignore[call-overload]
        return False
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def exists(session: Session, key: str) -> bool:
    return session.exec(select(OUTBOX.c.id).where(OUTBOX.c.key == key)).first() is not None  # type: ignore[call-overload]


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    recipients: list[str]
    raw: bytes
    attempts: int


def claim_due(session: Session, worker: str, now: datetime, lease: timedelta, limit: int = 50) -> list[Claimed]:
    """Claim up to `limit` due rows for this worker: pending ones, and `sending` ones whose lease ran out
    (their worker died). Each claim is a compare-and-set UPDATE, so a row has one owner at a time."""
    due = or_(and_(OUTBOX.c.status == PENDING, OUTBOX.c.next_attempt_at <= now),
              and_(OUTBOX.c.status == SENDING, OUTBOX.c.claimed_until < now))
    query = (select(OUTBOX.c.id, OUTBOX.c.status, OUTBOX.c.attempts).where(due)
             .order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed: list[Claimed] = []
    for row_id, status, attempts in session.execute(query).all():
        result = session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id == row_id, OUTBOX.c.status == status, OUTBOX.c.attempts == attempts)
            .values(status=SENDING, attempts=attempts + 1, claimed_by=worker, claimed_until=now + lease)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            full = session.execute(select(OUTBOX.c.key, OUTBOX.c.recipients, OUTBOX.c.raw)
                                   .where(OUTBOX.c.id == row_id)).one()
            claimed.append(Claimed(row_id, full.key, list(full.recipients), bytes(full.raw or b""), attempts + 1))
    return claimed


def mark_sent(session: Session, row_id: int, worker: str, now: datetime, note: str | None = None) -> None:
    session.execute(update(OUTBOX).where(OUTBOX.c.id == row_id, OUTBOX.c.claimed_by == worker)
                    .values(status=SENT, sent_at=now, claimed_until=None, last_error=note))


def mark_retry(session: Session, row_id: int, worker: str, error: str, at: datetime) -> None:
    session.execute(update(OUTBOX).where(OUTBOX.c.id == row_id, OUTBOX.c.claimed_by == worker)
                    .values(status=PENDING, next_attempt_at=at, claimed_until=None, last_error=error))


def mark_failed(session: Session, row_id: int, worker: str, error: str) -> None:
    session.execute(update(OUTBOX).where(OUTBOX.c.id == row_id, OUTBOX.c.claimed_by == worker)
                    .values(status=FAILED, claimed_until=None, last_error=error))


def requeue_failed(session: Session, now: datetime) -> int:
    """An operator's retry after fixing the cause (e.g. a wrong address in the config)."""
    result = session.execute(update(OUTBOX).where(OUTBOX.c.status == FAILED)
                             .values(status=PENDING, attempts=0, next_attempt_at=now))
    return int(result.rowcount)  # type: ignore[attr-defined]


def requeue_one(session: Session, row_id: int, now: datetime) -> bool:
    """Retry one failed message (the review UI's button); False when it is no longer failed."""
    result = session.execute(update(OUTBOX).where(OUTBOX.c.id == row_id, OUTBOX.c.status == FAILED)
                             .values(status=PENDING, attempts=0, next_attempt_at=now))
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def sent_to_since(session: Session, recipient: str, since: datetime, purpose: str = "ack") -> int:
    """Messages queued to one address since a moment (skipped decisions do not count). The moment is compared in
    UTC: SQLite keeps the stored UTC wall time without its zone, so a Warsaw midnight compared as it stands would be
    an hour late (every acknowledgement of the first hour of a Warsaw day fell outside the day's limit)."""
    since = since.astimezone(UTC) if since.tzinfo else since.replace(tzinfo=UTC)
    query = select(func.count()).select_from(OUTBOX).where(
        OUTBOX.c.purpose == purpose, OUTBOX.c.recipient == recipient.lower(), OUTBOX.c.created_at >= since,
        OUTBOX.c.status != SKIPPED)
    return int(session.execute(query).scalar_one())


def reference_for_message_ids(session: Session, ids: list[str]) -> str | None:
    """The case reference of our own mail a reply points at (In-Reply-To / References)."""
    if not ids:
        return None
    found = session.execute(select(OUTBOX.c.reference).where(col(OutboxMessage.message_id).in_(ids),
                                                            OUTBOX.c.reference.is_not(None))).first()
    return str(found[0]) if found else None


def our_message_ids(session: Session) -> list[str]:
    return [str(m) for m in session.execute(select(OUTBOX.c.message_id).where(
        OUTBOX.c.message_id.is_not(None), OUTBOX.c.purpose == "ack")).scalars()]


def summary(session: Session) -> dict[str, int]:
    rows = session.execute(select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status)).all()
    return {str(status): int(n) for status, n in rows}


def listing(session: Session, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Rows for the CLI and the review UI: failures carry their reason."""
    query = select(OUTBOX.c.id, OUTBOX.c.key, OUTBOX.c.purpose, OUTBOX.c.status, OUTBOX.c.attempts,
                   OUTBOX.c.recipients, OUTBOX.c.recipient, OUTBOX.c.reference, OUTBOX.c.subject, OUTBOX.c.last_error,
                   OUTBOX.c.created_at, OUTBOX.c.sent_at, OUTBOX.c.next_attempt_at)
    if status:
        query = query.where(OUTBOX.c.status == status)
    return [dict(r._mapping) for r in session.execute(query.order_by(OUTBOX.c.id.desc()).limit(limit))]
