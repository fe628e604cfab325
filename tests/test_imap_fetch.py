"""fetch from a real Dovecot through the real CLI: once, losslessly, without touching the mailbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from storage.models import Message, MessageCopy
from tests.conftest import DATA, Installation, config_text, imap_mailbox
from tests.mailmaker import BROKEN_MIME, make_mail

pytestmark = pytest.mark.imap

CORPUS = sorted((DATA / "corpus").glob("*.eml"))
IN_CONSULTATION = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
BEFORE_CONSULTATION = datetime(2026, 10, 2, 9, 30, tzinfo=UTC)
PASSWORD_ENV = "UWAGI_TEST_IMAP_PASSWORD"


def use_imap(install: Installation, server, batch_size: int = 7, since: str = "2026-11-13") -> dict[str, str]:
    box = imap_mailbox(server, PASSWORD_ENV, since=date.fromisoformat(since), batch_size=batch_size)
    install.write_config(config_text(install.database_url, mailbox=box, extra="[limits]\nparse_workers = 1\n"))
    env = {PASSWORD_ENV: server.password}
    install.run("init", env=env, check=True)
    return env


def stored(install: Installation) -> list[dict]:
    proc = install.run("export", "--what", "messages", check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def count_messages(install: Installation) -> int:
    engine = install.engine()
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(Message)).one()
    finally:
        engine.dispose()


def test_every_message_is_stored_exactly_once_and_a_second_poll_stores_nothing(dovecot, install) -> None:
    for path in CORPUS:
        dovecot.append(path.read_bytes(), msg_time=IN_CONSULTATION)
    env = use_imap(install, dovecot)
    first = install.run("poll", "--once", env=env, check=True)
    assert f"fetched {len(CORPUS)} new message(s)" in first.stdout
    second = install.run("poll", "--once", env=env, check=True)
    assert "no new mail" in second.stdout and "fetched 0 new" in second.stdout
    rows = stored(install)
    assert len(rows) == len(CORPUS) == len({r["message_sha256"] for r in rows})
    assert all(r["state"] == "processed" for r in rows), [r for r in rows if r["state"] != "processed"]


def test_new_mail_after_a_poll_is_fetched_from_the_watermark(dovecot, install) -> None:
    dovecot.append(make_mail(subject="pierwsza"), msg_time=IN_CONSULTATION)
    env = use_imap(install, dovecot)
    install.run("poll", "--once", env=env, check=True)
    dovecot.append(make_mail(subject="druga"), msg_time=IN_CONSULTATION)
    proc = install.run("poll", "--once", env=env, check=True)
    assert "fetched 1 new message(s)" in proc.stdout
    assert sorted(r["subject"] for r in stored(install)) == ["druga", "pierwsza"]


def test_no_message_on_the_server_gains_seen_or_moves(dovecot, install) -> None:
    dovecot.create_folder("Faktury")
    for n, path in enumerate(CORPUS):
        dovecot.append(path.read_bytes(), flags=(b"\\Flagged",) if n % 3 == 0 else (), msg_time=IN_CONSULTATION)
    dovecot.append(make_mail(subject="faktura"), folder="Faktury", msg_time=IN_CONSULTATION)
    before = dovecot.flags_of_all(), dovecot.flags_of_all("Faktury")
    env = use_imap(install, dovecot)
    install.run("poll", "--once", env=env, check=True)
    install.run("poll", "--once", env=env, check=True)
    after = dovecot.flags_of_all(), dovecot.flags_of_all("Faktury")
    assert after == before
    assert not any(b"\\Seen" in flags for flags in after[0].values())


def test_first_connection_takes_mail_since_the_opening_and_marks_it_backlog(dovecot, install) -> None:
    dovecot.append(make_mail(subject="stara sprawa"), msg_time=BEFORE_CONSULTATION)
    dovecot.append(make_mail(subject="już w konsultacjach"), msg_time=IN_CONSULTATION)
    env = use_imap(install, dovecot)
    install.run("poll", "--once", env=env, check=True)
    dovecot.append(make_mail(subject="nowa"), msg_time=datetime.now(UTC))
    install.run("poll", "--once", env=env, check=True)
    rows = {r["subject"]: r for r in stored(install)}
    assert set(rows) == {"już w konsultacjach", "nowa"}
    assert rows["już w konsultacjach"]["backlog"] is True
    assert rows["nowa"]["backlog"] is False


def test_a_uidvalidity_change_causes_no_duplicates(dovecot, install) -> None:
    for path in CORPUS[:6]:
        dovecot.append(path.read_bytes(), msg_time=IN_CONSULTATION)
    env = use_imap(install, dovecot)
    install.run("poll", "--once", env=env, check=True)
    old, new = dovecot.reset_uidvalidity()
    assert old != new
    dovecot.append(make_mail(subject="po resecie"), msg_time=IN_CONSULTATION)
    proc = install.run("poll", "--once", env=env, check=True)
    assert "fetched 1 new message(s), 6 duplicate(s)" in proc.stdout
    assert len(stored(install)) == 7
    engine = install.engine()
    with Session(engine) as session:
        copies = session.exec(select(MessageCopy.uidvalidity)).all()
    engine.dispose()
    assert sorted(set(copies)) == sorted({old, new})


def test_a_poll_killed_midway_loses_nothing_and_duplicates_nothing(dovecot, install) -> None:
    total = 600
    client = dovecot.client()
    for n in range(total):
        client.append("INBOX", make_mail(subject=f"uwaga {n}", body="Proponuję. " * 40), msg_time=IN_CONSULTATION)
    client.logout()
    env = use_imap(install, dovecot, batch_size=3)
    child = subprocess.Popen([sys.executable, "-m", "intake", "poll", "--once"], cwd=install.root,
                             env={**os.environ, "UWAGI_CONFIG": str(install.config), **env},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None and count_messages_safely(install) < 30:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    partial = count_messages_safely(install)
    assert 0 < partial < total, "the kill should land in the middle of the poll"
    install.run("poll", "--once", env=env, check=True)
    rows = stored(install)
    assert len(rows) == total
    assert sorted(r["subject"] for r in rows) == sorted(f"uwaga {n}" for n in range(total))
    assert all(r["state"] == "processed" for r in rows)


def count_messages_safely(install: Installation) -> int:
    try:
        return count_messages(install)
    except Exception:
        return 0


def test_a_broken_message_is_kept_and_does_not_block_the_ones_after_it(dovecot, install) -> None:
    dovecot.append(make_mail(subject="przed"), msg_time=IN_CONSULTATION)
    dovecot.append(BROKEN_MIME, msg_time=IN_CONSULTATION)
    dovecot.append(b"\x00\xff garbage that is no e-mail at all \r\n\r\n\xfe", msg_time=IN_CONSULTATION)
    dovecot.append(make_mail(subject="po"), msg_time=IN_CONSULTATION)
    env = use_imap(install, dovecot)
    install.run("poll", "--once", env=env, check=True)
    rows = stored(install)
    assert len(rows) == 4
    assert {"przed", "po", "uwagi"} <= {r["subject"] for r in rows}


def test_polish_letters_survive_every_charset_on_the_way_through(dovecot, install) -> None:
    for path in CORPUS:
        dovecot.append(path.read_bytes(), msg_time=IN_CONSULTATION)
    env = use_imap(install, dovecot)
    install.run("poll", "--once", env=env, check=True)
    subjects = " ".join(r["subject"] or "" for r in stored(install))
    assert "żywność" in subjects  # windows-1250 encoded word (m031)
    for mojibake in ("Ä", "Ĺ", "Ă", "\ufffd"):
        assert mojibake not in subjects


def test_a_wrong_password_is_one_plain_line_with_exit_code_3(dovecot, install) -> None:
    env = use_imap(install, dovecot)
    proc = install.run("poll", "--once", env={**env, PASSWORD_ENV: "wrong"})
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "refused the login" in proc.stderr


def test_an_unreachable_server_is_one_plain_line_with_exit_code_3(install: Installation) -> None:
    class Nowhere:
        host, port, user, password = "127.0.0.1", 9, "ug", "x"

    env = use_imap(install, Nowhere())
    proc = install.run("poll", "--once", env=env)
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "cannot connect" in proc.stderr


def test_an_idle_poll_reads_only_status(dovecot, install) -> None:
    dovecot.append(make_mail(), msg_time=IN_CONSULTATION)
    env = use_imap(install, dovecot)
    install.run("poll", "--once", env=env, check=True)
    engine = install.engine()
    with engine.begin() as conn:
        before = conn.execute(text("SELECT count(*) FROM events")).scalar()
    proc = install.run("poll", "--once", env=env, check=True)
    with engine.begin() as conn:
        after = conn.execute(text("SELECT count(*) FROM events")).scalar()
    engine.dispose()
    assert "no new mail" in proc.stdout and before == after


@pytest.fixture(scope="module")
def tls_dovecot(dovecot_server):
    """A second private Dovecot that speaks implicit TLS and STARTTLS with a self-signed certificate."""
    import shutil
    import tempfile
    from pathlib import Path

    from tests.imapserver import PrivateDovecot

    state = Path(tempfile.mkdtemp(prefix="uwagi-dovecot-tls-"))
    server = PrivateDovecot(state, tls=True).start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(state, ignore_errors=True)


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_fetching_over_tls_and_starttls_verifies_the_certificate(tls_dovecot, install, security) -> None:
    tls_dovecot.clear()
    tls_dovecot.append(make_mail(subject="przez TLS"), msg_time=IN_CONSULTATION)
    port = tls_dovecot.tls_port if security == "tls" else tls_dovecot.port
    box = imap_mailbox(tls_dovecot, PASSWORD_ENV, port=port, security=security,
                       ca_file=tls_dovecot.state_dir / "cert.pem", since=date(2026, 11, 13))
    install.write_config(config_text(install.database_url, mailbox=box, extra="[classification]\nembeddings = false\n"))
    env = {PASSWORD_ENV: tls_dovecot.password}
    install.run("init", env=env, check=True)
    install.run("poll", "--once", env=env, check=True)
    assert [r["subject"] for r in stored(install)] == ["przez TLS"]


def test_an_untrusted_certificate_is_refused_in_one_line(tls_dovecot, install) -> None:
    box = imap_mailbox(tls_dovecot, PASSWORD_ENV, port=tls_dovecot.tls_port, security="tls")
    install.write_config(config_text(install.database_url, mailbox=box))
    env = {PASSWORD_ENV: tls_dovecot.password}
    install.run("init", env=env, check=True)
    proc = install.run("poll", "--once", env=env)
    assert proc.returncode == 3 and proc.stderr.count("\n") == 1
    assert "certificate" in proc.stderr and "ca_file" in proc.stderr


def test_mail_received_after_the_deadline_is_kept_and_marked_late(dovecot, install) -> None:
    from zoneinfo import ZoneInfo

    warsaw = ZoneInfo("Europe/Warsaw")  # Dovecot refuses future INTERNALDATEs: use a consultation now past
    dovecot.append(make_mail(subject="w terminie"), msg_time=datetime(2026, 11, 20, 23, 30, tzinfo=warsaw))
    dovecot.append(make_mail(subject="po terminie"), msg_time=datetime(2026, 11, 21, 0, 30, tzinfo=warsaw))
    box = imap_mailbox(dovecot, PASSWORD_ENV, since=date(2026, 10, 1))
    consultation = "[consultation]\nopens = 2026-10-01\ncloses = 2026-11-20\n"
    install.write_config(config_text(install.database_url, mailbox=box, extra=consultation))
    env = {PASSWORD_ENV: dovecot.password}
    install.run("init", env=env, check=True)
    install.run("poll", "--once", env=env, check=True)
    late = {r["subject"]: r["late"] for r in stored(install)}
    assert late == {"w terminie": False, "po terminie": True}
