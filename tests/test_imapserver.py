"""The private Dovecot fixture behaves like the real server the intake relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

# Harmless once tests/conftest.py loads this plugin too (a plugin registers only once).
pytest_plugins = ["tests.fixtures_imap"]

pytestmark = pytest.mark.imap

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
RAW = (
    b"From: a@example.org\r\nTo: ug@klukowo.pl\r\nSubject: test\r\n"
    b"Message-ID: <t1@example.org>\r\n\r\nTre\xc5\x9b\xc4\x87 uwagi.\r\n"
)


def test_append_and_peek_leaves_unseen(dovecot):
    uid1 = dovecot.append(RAW)
    uid2 = dovecot.append(RAW.replace(b"t1@", b"t2@"), flags=[b"\\Flagged"])
    assert uid2 > uid1
    assert dovecot.uids() == [uid1, uid2]
    with dovecot.client() as c:
        c.select_folder("INBOX")
        got = c.fetch([uid1, uid2], ["BODY.PEEK[]"])
    assert got[uid1][b"BODY[]"] == RAW
    flags = dovecot.flags_of_all()
    assert all(b"\\Seen" not in f for f in flags.values())
    assert b"\\Flagged" in flags[uid2]


def test_fetch_body_sets_seen(dovecot):
    """Control for the test above: a non-PEEK fetch does set \\Seen on this server."""
    uid = dovecot.append(RAW)
    with dovecot.client() as c:
        c.select_folder("INBOX")
        c.fetch([uid], ["BODY[]"])
    assert b"\\Seen" in dovecot.flags_of_all()[uid]


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_starts_with_clean_mailbox(dovecot, run):
    with dovecot.client() as c:
        assert [f[2] for f in c.list_folders()] == ["INBOX"]
    assert dovecot.uids() == []
    dovecot.append(RAW)
    dovecot.create_folder("Archiwum")
    dovecot.create_folder("Archiwum.2026")  # nested: clear() must delete children first
    assert dovecot.append(RAW, folder="Archiwum.2026") >= 1


def test_reset_uidvalidity_keeps_messages(dovecot):
    for i in range(3):
        dovecot.append(RAW.replace(b"t1@", f"r{i}@".encode()), flags=[b"\\Seen"] if i == 0 else [])
    old_uids = dovecot.uids()
    old, new = dovecot.reset_uidvalidity()
    assert new != old and dovecot.uidvalidity() == new
    assert len(dovecot.uids()) == len(old_uids)
    flags = dovecot.flags_of_all()
    assert sum(b"\\Seen" in f for f in flags.values()) == 1  # flags live in Maildir names
    with dovecot.client() as c:
        c.select_folder("INBOX", readonly=True)
        ids = {d[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip()
               for d in c.fetch(c.search(), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]).values()}
    assert ids == {f"Message-ID: <r{i}@example.org>".encode() for i in range(3)}


def test_stop_start_keeps_port_and_mail(dovecot):
    port = dovecot.port
    uid = dovecot.append(RAW)
    validity = dovecot.uidvalidity()
    dovecot.stop()
    assert not dovecot.running()
    dovecot.start()
    assert dovecot.port == port
    assert dovecot.uids() == [uid]
    assert dovecot.uidvalidity() == validity


@pytest.mark.skipif(not CORPUS.is_dir(), reason="sample corpus not present")
def test_corpus_message_roundtrip(dovecot):
    raw = (CORPUS / "m001.eml").read_bytes()
    uid = dovecot.append(raw)
    with dovecot.client() as c:
        c.select_folder("INBOX", readonly=True)
        assert c.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"] == raw


def test_tls_and_starttls(dovecot_server, tmp_path):
    """Optional TLS mode: self-signed cert, implicit TLS on tls_port, STARTTLS on port."""
    from tests.imapserver import PrivateDovecot

    with PrivateDovecot(tmp_path / "tls", tls=True) as srv:
        uid = srv.append(RAW)
        for kw in ({"tls": True}, {"starttls": True}):
            with srv.client(**kw) as c:
                c.select_folder("INBOX", readonly=True)
                assert c.search() == [uid]
