"""Tests that play the attacker first remove the database's append-only guard, as a DBA could."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session


def drop_append_only_guard(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER IF EXISTS events_no_update"))
        session.execute(text("DROP TRIGGER IF EXISTS events_no_delete"))
    session.commit()
