"""Triage decisions kept as labelled examples for the sorting (remark or not), beside the event log.

The text is not copied: an example points at its message, so erasing a resident's data (which
redacts the message) leaves no copy here. One row per message; a later decision replaces it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, func, select
from sqlmodel import Field, Session, SQLModel

from storage.models import Message, utcnow

LABELS = ("remark", "not_remark")


class SortExample(SQLModel, table=True):
    """A person said what this message is: `remark` (turned into remarks) or `not_remark` (dismissed)."""

    __tablename__ = "sort_examples"

    message_pk: int = Field(sa_column=Column(Integer, ForeignKey("messages.id", ondelete="CASCADE"),
                                             primary_key=True))
    label: str = Field(max_length=20)
    # what the sorting had said, so a training run can see where it was wrong
    machine_kind: str | None = Field(default=None, max_length=20)
    machine_needs_glance: bool = False
    decided_by: str = Field(max_length=100)
    decided_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


def record(session: Session, msg: Message, label: str, actor: str, machine_kind: str | None,
           machine_needs_glance: bool) -> None:
    """Keep (or replace) the example of this message."""
    assert label in LABELS
    row = session.get(SortExample, msg.id) or SortExample(message_pk=msg.id or 0, label=label, decided_by=actor)
    row.label, row.decided_by, row.decided_at = label, actor, utcnow()
    row.machine_kind, row.machine_needs_glance = machine_kind, machine_needs_glance
    session.add(row)


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(SortExample.label, func.count()).group_by(SortExample.label)).all()  # type: ignore[call-overload]
    return {str(label): int(n) for label, n in rows}


def examples(session: Session) -> list[tuple[str, str]]:
    """(text, label) pairs: the sender's new text (or the body) of each decided message."""
    query = select(Message.new_text, Message.body_text, Message.subject, SortExample.label).join(  # type: ignore[call-overload]
        SortExample, SortExample.message_pk == Message.id).order_by(SortExample.message_pk)
    return [(f"{subject or ''}\n{new or body or ''}".strip(), str(label))
            for new, body, subject, label in session.execute(query)]


def raw_examples(session: Session) -> list[tuple[int, bytes, str]]:
    """(message id, kept raw bytes, label) of each decided message: the sort model re-reads its evidence."""
    from storage.models import RawMessage

    query = select(SortExample.message_pk, RawMessage.raw, SortExample.label).join(  # type: ignore[call-overload]
        RawMessage, RawMessage.message_pk == SortExample.message_pk).order_by(SortExample.message_pk)
    return [(int(pk), bytes(raw), str(label)) for pk, raw, label in session.execute(query)]
