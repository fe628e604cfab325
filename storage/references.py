"""Case references like STR/2026/0042: sequential per prefix and year, never reused."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from storage.models import ReferenceCounter


def next_reference(session: Session, prefix: str, year: int) -> str:
    """The next number, inside the caller's transaction (serialised on PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(714202)"))
    stem = f"{prefix}/{year}"
    counter = session.get(ReferenceCounter, stem) or ReferenceCounter(stem=stem)
    counter.last += 1
    session.add(counter)
    session.flush()
    return f"{stem}/{counter.last:04d}"
