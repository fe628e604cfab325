"""keep: raw bytes first, each message once, every sighting recorded, events chained."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, func, select

from intake.sources.base import Incoming
from intake.stages.keep import keep_batch, message_id_of
from storage.db import make_engine, migrate
from storage.events import first_broken_link
from storage.models import Event, Message, MessageCopy, RawMessage
from tests.mailmaker import make_mail
from tests.tamper import drop_append_only_guard

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    migrate(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def incoming(raw: bytes, uid: int = 1, uidvalidity: int = 7) -> Incoming:
    return Incoming(raw=raw, received_at=NOW, source="imap://t", uidvalidity=uidvalidity, uid=uid)


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_raw_bytes_are_kept_exactly_with_their_sha256(session: Session) -> None:
    raw = make_mail()
    result = keep_batch(session, [incoming(raw)])
    session.commit()
    (pk, _), = result.kept
    msg = session.get(Message, pk)
    assert msg.sha256 == hashlib.sha256(raw).hexdigest()
    assert session.get(RawMessage, pk).raw == raw


def test_the_same_bytes_seen_twice_are_stored_once_with_two_sightings(session: Session) -> None:
    raw = make_mail()
    keep_batch(session, [incoming(raw, uid=1)])
    second = keep_batch(session, [incoming(raw, uid=1, uidvalidity=8)])
    session.commit()
    assert second.duplicates == 1 and not second.kept
    assert count(session, Message) == 1 and count(session, MessageCopy) == 2


def test_a_cc_copy_with_other_headers_but_the_same_message_id_is_stored_once(session: Session) -> None:
    raw = make_mail(msgid="<same-id@example.org>")
    copy = b"Delivered-To: sekretariat@klukowo.pl\r\n" + raw
    result = keep_batch(session, [incoming(raw, uid=1), incoming(copy, uid=2)])
    session.commit()
    assert len(result.kept) == 1 and result.duplicates == 1
    assert count(session, Message) == 1


def test_messages_without_message_id_are_deduplicated_by_content(session: Session) -> None:
    raw = b"From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n"
    result = keep_batch(session, [incoming(raw, uid=1), incoming(raw, uid=2), incoming(raw + b"!", uid=3)])
    assert len(result.kept) == 2 and result.duplicates == 1


def test_message_id_is_read_without_angle_brackets() -> None:
    assert message_id_of(make_mail(msgid="<abc@x.pl>")) == "abc@x.pl"
    assert message_id_of(b"Subject: none\r\n\r\nbody") is None


def test_every_kept_message_is_logged_in_an_unbroken_hash_chain(session: Session) -> None:
    keep_batch(session, [incoming(make_mail(), uid=n) for n in range(1, 4)])
    session.commit()
    assert count(session, Event) == 3
    assert first_broken_link(session) is None


def test_an_edited_event_breaks_the_chain_at_that_event(session: Session) -> None:
    keep_batch(session, [incoming(make_mail(), uid=n) for n in range(1, 4)])
    session.commit()
    drop_append_only_guard(session)
    second = session.exec(select(Event).order_by(Event.id).offset(1)).first()
    second.actor = "someone else"
    session.add(second)
    session.commit()
    assert first_broken_link(session).id == second.id


def test_a_server_time_with_an_offset_is_stored_as_the_same_instant(session: Session) -> None:
    from datetime import timedelta, timezone

    moment = datetime(2026, 11, 20, 23, 30, tzinfo=timezone(timedelta(hours=1)))  # a Polish server's +0100
    item = Incoming(raw=make_mail(), received_at=moment, source="imap://t", uid=1)
    ((pk, _),) = keep_batch(session, [item]).kept
    session.commit()
    session.expire_all()
    got = session.get(Message, pk).received_at
    assert (got if got.tzinfo else got.replace(tzinfo=UTC)) == moment


def _transport(raw: bytes, hop: str) -> bytes:
    """The same message after another delivery path: new transport headers in front, CRLF turned to LF."""
    return (f"Return-Path: <anna@example.org>\r\nDelivered-To: {hop}@klukowo.pl\r\n"
            f"Received: from mx.{hop}.pl by mail.klukowo.pl; Fri, 20 Nov 2026 10:00:0{len(hop) % 10} +0100\r\n"
            f"Authentication-Results: mail.klukowo.pl; dkim=pass\r\nX-Spam-Score: 0.{len(hop)}\r\n").encode() \
        + raw.replace(b"\r\n", b"\n")


def test_a_different_message_reusing_a_message_id_is_kept_as_a_new_message(session: Session) -> None:
    first = make_mail(msgid="<reused@example.org>", sender="Anna Nowak <anna@example.org>",
                      body="Proponuję ścieżkę rowerową do Klukowa.")
    other = make_mail(msgid="<reused@example.org>", sender="Piotr Zieliński <piotr@example.com>",
                      body="Sprzeciwiam się budowie spalarni w Klukowie.")
    keep_batch(session, [incoming(first, uid=1)])
    result = keep_batch(session, [incoming(other, uid=2)])
    session.commit()
    assert len(result.kept) == 1 and result.duplicates == 0
    kept = session.exec(select(Message).order_by(Message.id)).all()
    assert [m.message_id for m in kept] == ["reused@example.org", "reused@example.org"]
    assert session.get(RawMessage, kept[1].id).raw == other


def test_same_message_id_same_sender_other_body_is_a_new_message(session: Session) -> None:
    first = make_mail(msgid="<reused2@example.org>", body="Pierwsza uwaga.")
    second = make_mail(msgid="<reused2@example.org>", body="Zupełnie inna, druga uwaga.")
    result = keep_batch(session, [incoming(first, uid=1), incoming(second, uid=2)])
    assert len(result.kept) == 2 and result.duplicates == 0


def test_a_redelivery_with_other_transport_headers_is_one_message_with_two_sightings(session: Session) -> None:
    raw = make_mail(msgid="<redelivered@example.org>")
    keep_batch(session, [incoming(_transport(raw, "sekretariat"), uid=1)])
    again = keep_batch(session, [incoming(_transport(raw, "wojt"), uid=2),
                                 incoming(_transport(raw, "wojt"), uid=3)])  # and a copy within one batch
    session.commit()
    assert not again.kept and again.duplicates == 2
    assert count(session, Message) == 1 and count(session, MessageCopy) == 3


def test_a_message_kept_before_fingerprints_still_catches_its_redelivery(session: Session) -> None:
    raw = make_mail(msgid="<legacy@example.org>")
    ((pk, _),) = keep_batch(session, [incoming(raw, uid=1)]).kept
    legacy = session.get(Message, pk)
    legacy.content_sha256 = None  # as migrated from an older version
    session.add(legacy)
    session.commit()
    again = keep_batch(session, [incoming(_transport(raw, "wojt"), uid=2)])
    assert not again.kept and again.duplicates == 1
