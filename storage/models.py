"""SQLModel tables. Raw bytes live apart from the message row so lists never load them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Message(SQLModel, table=True):
    """One distinct e-mail (deduplicated by SHA-256, or Message-ID + sender + body) and what the pipeline made of it."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_state", "state"),
        Index("ix_messages_message_id", "message_id"),
        Index("ix_messages_claimed_by", "claimed_by"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    message_id: str | None = Field(default=None, max_length=998)
    # SHA-256 of Message-ID, sender address and body: equal for a re-delivery whose transport headers differ.
    content_sha256: str | None = Field(default=None, max_length=64, index=True)
    size: int
    source: str = Field(max_length=300)
    uidvalidity: int | None = Field(default=None, sa_type=BigInteger)
    uid: int | None = Field(default=None, sa_type=BigInteger)
    received_at: datetime = Field(sa_type=DateTime(timezone=True))
    kept_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    # Backlog: mail that was already in the mailbox before the service watched it.
    backlog: bool = False
    # False for backlog and for `import --no-ack`: never acknowledge this message.
    acknowledge: bool = True
    # kept -> parsed -> processed; held when a stage could not finish (see hold_reason).
    state: str = Field(default="kept", max_length=20)
    hold_stage: str | None = Field(default=None, max_length=40)
    hold_reason: str | None = Field(default=None, sa_type=Text)
    # parse results (a cache: `reprocess` rebuilds them from the raw bytes)
    sender_email: str | None = Field(default=None, max_length=320)
    sender_name: str | None = Field(default=None, max_length=300)
    subject: str | None = Field(default=None, sa_type=Text)
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    body_text: str | None = Field(default=None, sa_type=Text)
    new_text: str | None = Field(default=None, sa_type=Text)
    attachments: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    defects: list[str] = Field(default_factory=list, sa_type=JSON)
    parsed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # sort results
    kind: str | None = Field(default=None, max_length=20)
    kind_reason: str | None = Field(default=None, sa_type=Text)
    needs_glance: bool = False
    # Who sorted this message by hand in triage (turned into remarks, or dismissed): reprocess keeps it.
    triaged_by: str | None = Field(default=None, max_length=100)
    remark_count: int = 0
    late: bool = False
    # The case reference (STR/2026/0042); a follow-up e-mail shares its case's reference.
    reference: str | None = Field(default=None, max_length=40, index=True)
    # The key of the consultation the message belongs to (assigned when processed; None until then,
    # which counts as the default consultation).
    consultation: str | None = Field(default=None, max_length=40, index=True)
    processed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # RODO: set when personal data were erased (forget, retention); raw bytes are then a redacted copy.
    redacted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # Which process is running the stages over this message, and until when (see storage/claims.py).
    claimed_by: str | None = Field(default=None, max_length=200)
    claimed_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class RawMessage(SQLModel, table=True):
    """The exact bytes as received; written in the same transaction as the message row."""

    __tablename__ = "raw_messages"

    message_pk: int = Field(sa_column=Column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True))
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class MessageCopy(SQLModel, table=True):
    """Every place a message was seen (mailbox + UIDVALIDITY + UID, or a file), duplicates included."""

    __tablename__ = "message_copies"
    __table_args__ = (UniqueConstraint("source", "uidvalidity", "uid", "path", name="uq_message_copy"),)

    id: int | None = Field(default=None, primary_key=True)
    message_pk: int = Field(foreign_key="messages.id", index=True)
    source: str = Field(max_length=300)
    uidvalidity: int = Field(default=0, sa_type=BigInteger)
    uid: int = Field(default=0, sa_type=BigInteger)
    path: str = Field(default="", max_length=1000)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class MailboxState(SQLModel, table=True):
    """The fetch watermark of one mailbox: progress lives here, never in server flags."""

    __tablename__ = "mailbox_state"

    source: str = Field(primary_key=True, max_length=300)
    uidvalidity: int = Field(sa_type=BigInteger)
    last_uid: int = Field(default=0, sa_type=BigInteger)
    uidnext: int = Field(default=0, sa_type=BigInteger)
    initial_scan_done: bool = False
    watched_since: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    last_poll_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Remark(SQLModel, table=True):
    """One remark split out of a message, with its classification and the staff's decision."""

    __tablename__ = "remarks"
    __table_args__ = (UniqueConstraint("message_pk", "ordinal", name="uq_remark_ordinal"),)

    id: int | None = Field(default=None, primary_key=True)
    message_pk: int = Field(foreign_key="messages.id", index=True)
    ordinal: int = 1
    # Reference of this remark: the case reference, with "/n" when the case holds several remarks.
    reference: str | None = Field(default=None, max_length=50, index=True)
    # The consultation the remark belongs to: its message's, set when the remark is written.
    consultation: str | None = Field(default=None, max_length=40, index=True)
    # Who wrote it: the sender, or the inner sender of a forwarded remark.
    author_name: str | None = Field(default=None, max_length=300)
    author_email: str | None = Field(default=None, max_length=320, index=True)
    text: str = Field(sa_type=Text)
    origin: str = Field(default="body", max_length=300)
    fields: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    projects: list[str] = Field(default_factory=list, sa_type=JSON)
    project_scores: dict[str, float] = Field(default_factory=dict, sa_type=JSON)
    remark_type: str | None = Field(default=None, max_length=20)
    # Every type the remark shows (a proposal that also asks a question); remark_type is the main one.
    remark_types: list[str] = Field(default_factory=list, sa_type=JSON)
    # new -> needs_review | classified -> confirmed (by a person)
    status: str = Field(default="new", max_length=20, index=True)
    review_reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    model_version: str | None = Field(default=None, max_length=80)
    stance: str | None = Field(default=None, max_length=30)
    # ISO 639-1 code of the language the remark is written in (detected), e.g. "pl", "uk", "be", "en".
    language: str | None = Field(default=None, max_length=8)
    justification: str | None = Field(default=None, sa_type=Text)
    campaign: str | None = Field(default=None, max_length=40, index=True)
    signature: bytes | None = Field(default=None, sa_type=LargeBinary)
    restricted: bool = False
    confirmed_by: str | None = Field(default=None, max_length=100)
    # The last person who did anything to this remark (any review action): reprocess never replaces it.
    touched_by: str | None = Field(default=None, max_length=100)
    confirmed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class Event(SQLModel, table=True):
    """Append-only log; each row's hash covers the previous row's hash (tamper-evident chain)."""

    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True), index=True)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=30)
    entity_id: str = Field(max_length=60, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    # Salted digest of the personal data kept beside the chain (storage.eventdata), if any.
    personal_hash: str | None = Field(default=None, max_length=64)


class ReferenceCounter(SQLModel, table=True):
    """The last case number given out per prefix and year (STR/2026 -> 42)."""

    __tablename__ = "reference_counters"

    stem: str = Field(primary_key=True, max_length=40)
    last: int = 0


from storage import claims as _claims  # noqa: E402,F401
from storage import embedding_cache as _embedding_cache  # noqa: E402,F401
from storage import eventdata as _eventdata  # noqa: E402,F401
from storage import outbox as _outbox  # noqa: E402,F401
from storage import remark_projects as _remark_projects  # noqa: E402,F401
from storage import review as _review  # noqa: E402,F401
from storage import sort_examples as _sort_examples  # noqa: E402,F401
