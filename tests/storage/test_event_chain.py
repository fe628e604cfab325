"""The event log is a hash chain: any edit, deletion or reordering is found and the row named;
the database itself refuses UPDATE and DELETE on it; personal data sit beside the chain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from storage.db import make_engine, migrate
from storage.eventdata import EventPersonal
from storage.events import GENESIS, append_events, chain_head, first_broken
from storage.models import Event
from tests.tamper import drop_append_only_guard


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    migrate(engine)
    with Session(engine) as s:
        append_events(s, [dict(actor="fetch", action="message.kept", entity="message", entity_id=n,
                               after={"sha256": f"{n:064x}", "n": n}, personal={"path": f"/home/jan/{n}.eml"})
                          for n in range(1, 6)])
        s.commit()
        yield s
    engine.dispose()


def rows(session: Session) -> list[Event]:
    return list(session.exec(select(Event).order_by(col(Event.id))))


def test_an_untouched_chain_verifies_and_its_head_is_the_last_hash(session: Session) -> None:
    assert first_broken(session) is None
    assert chain_head(session) == rows(session)[-1].hash != GENESIS


def test_personal_data_are_not_in_the_hashed_row_but_beside_it(session: Session) -> None:
    first = rows(session)[0]
    assert "/home/jan" not in str(first.after) and first.personal_hash
    side = session.get(EventPersonal, first.id)
    assert side is not None and side.data == {"path": "/home/jan/1.eml"}


@pytest.mark.parametrize("statement", ["UPDATE events SET actor = 'x' WHERE id = 2", "DELETE FROM events WHERE id = 2"])
def test_the_database_refuses_to_change_or_delete_an_event(session: Session, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(statement))
    session.rollback()


@pytest.mark.parametrize(("column", "value"), [
    ("actor", "'someone else'"), ("action", "'message.deleted'"), ("entity", "'remark'"), ("entity_id", "'99'"),
    ("before", "'{\"x\": 1}'"), ("after", "'{\"sha256\": \"0\", \"n\": 2}'"), ("prev_hash", "'" + "1" * 64 + "'"),
    ("hash", "'" + "2" * 64 + "'"), ("personal_hash", "'" + "3" * 64 + "'"),
])
def test_changing_any_stored_field_breaks_the_chain_at_that_row(session: Session, column: str, value: str) -> None:
    drop_append_only_guard(session)
    session.execute(text(f"UPDATE events SET {column} = {value} WHERE id = 3"))
    session.commit()
    broken = first_broken(session)
    assert broken is not None and broken.event_id == 3


def test_changing_the_time_of_an_event_breaks_the_chain(session: Session) -> None:
    drop_append_only_guard(session)
    third = rows(session)[2]
    third.at = third.at + timedelta(seconds=1)
    session.add(third)
    session.commit()
    assert first_broken(session).event_id == third.id


def test_deleting_a_row_breaks_the_chain_at_the_row_after_it(session: Session) -> None:
    drop_append_only_guard(session)
    session.execute(text("DELETE FROM event_personal WHERE event_id = 3"))
    session.execute(text("DELETE FROM events WHERE id = 3"))
    session.commit()
    broken = first_broken(session)
    assert broken is not None and broken.event_id == 4 and "deleted" in broken.reason


def test_swapping_two_rows_breaks_the_chain_at_the_first_of_them(session: Session) -> None:
    drop_append_only_guard(session)
    a, b = rows(session)[1:3]
    fields = ("at", "actor", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash", "personal_hash")
    va, vb = ({f: getattr(a, f) for f in fields}, {f: getattr(b, f) for f in fields})
    for ev, values in ((a, vb), (b, va)):
        for f in fields:
            setattr(ev, f, values[f] if f != "hash" else values[f][::-1])  # hashes are unique: park first
        session.add(ev)
    session.commit()
    for ev, values in ((a, vb), (b, va)):
        ev.hash = values["hash"]
        session.add(ev)
    session.commit()
    assert first_broken(session).event_id == a.id


def test_editing_personal_data_beside_the_chain_is_found(session: Session) -> None:
    side = session.get(EventPersonal, 2)
    side.data = {"path": "/home/someone/else.eml"}
    session.add(side)
    session.commit()
    broken = first_broken(session)
    assert broken is not None and broken.event_id == 2 and "personal" in broken.reason


def test_erasing_personal_data_keeps_the_chain_verifiable(session: Session) -> None:
    session.execute(text("DELETE FROM event_personal"))
    session.commit()
    assert first_broken(session) is None
