"""The outbox worker: exactly once across crashes and concurrent workers; refusals and timeouts are
retried with backoff and end in a recorded failure, never in a lost message."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from intake.jobs import open_context
from intake.jobs.deliver import deliver_pending
from reports.mailer import OutgoingMail, address, build, clean_header, new_message_id
from storage import outbox
from storage.db import session_scope
from storage.outbox import OutboxMessage
from tests.conftest import Installation, config_text
from tests.smtpserver import SmtpServer, free_port, make_certificate

QUEUE_THEN_DIE = """
import os, signal, sys
from intake.jobs import open_context
from intake.settings import load_settings
from pathlib import Path
from tests.outgoing.test_delivery import queue
ctx = open_context(load_settings(Path(sys.argv[1])))
queue(ctx, "crash:1")
os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before any delivery
"""


def queue(ctx, key: str, to: str = "rada@partnerstwo.example") -> None:
    mid = new_message_id("ug@klukowo.pl")
    raw = build(OutgoingMail(sender=address("ug@klukowo.pl", "Urząd Gminy Klukowo"), to=[address(to)],
                             subject="Zażółć gęślą jaźń", text="Treść: źdźbło", message_id=mid))
    with session_scope(ctx.engine) as session:
        outbox.add_once(session, OutboxMessage(key=key, purpose="test", recipients=[to], subject="t",
                                               message_id=mid.strip("<>"), raw=raw))


def rows(ctx) -> list[OutboxMessage]:
    with Session(ctx.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_process_killed_after_writing_the_row_still_delivers_exactly_one(mail_install: Installation,
                                                                           smtp: SmtpServer) -> None:
    mail_install.run("init", check=True)
    repo = str(Path(__file__).resolve().parents[2])  # the child imports `tests` from this checkout
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")]))}
    child = subprocess.run([sys.executable, "-c", QUEUE_THEN_DIE, str(mail_install.config)], cwd=mail_install.root,
                           capture_output=True, text=True, timeout=60, env=env)
    assert child.returncode == -9, child.stderr
    assert smtp.received == []
    mail_install.run("deliver", check=True)
    mail_install.run("deliver", check=True)
    assert len(smtp.received) == 1
    assert smtp.received[0].message["Subject"] == "Zażółć gęślą jaźń"


def test_a_worker_that_died_while_sending_leaves_a_lease_that_another_worker_takes_over(
        mail_install: Installation, smtp: SmtpServer) -> None:
    mail_install.run("init", check=True)
    ctx = open_context(mail_install.settings())
    queue(ctx, "lease:1")
    now = datetime.now(UTC)
    with session_scope(ctx.engine) as session:
        assert len(outbox.claim_due(session, "dead-worker", now, timedelta(minutes=5))) == 1
    assert deliver_pending(ctx).sent == 0  # still leased
    assert deliver_pending(ctx, clock=lambda: now + timedelta(minutes=6)).sent == 1
    assert len(smtp.received) == 1


def test_two_delivery_workers_at_once_send_each_message_once(mail_install: Installation, smtp: SmtpServer) -> None:
    mail_install.run("init", check=True)
    ctx = open_context(mail_install.settings())
    for i in range(30):
        queue(ctx, f"many:{i}", to=f"r{i}@example.org")
    procs = [subprocess.Popen([sys.executable, "-m", "intake", "deliver"], cwd=mail_install.root,
                              env={**os.environ, "UWAGI_CONFIG": str(mail_install.config)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read() if p.stderr else ""
    got = sorted(r.recipients[0] for r in smtp.received)
    assert got == sorted(f"r{i}@example.org" for i in range(30))
    assert {r.status for r in rows(ctx)} == {"sent"}


def test_a_temporary_refusal_is_retried_with_backoff_and_then_sent(mail_install: Installation,
                                                                   smtp: SmtpServer) -> None:
    mail_install.run("init", check=True)
    ctx = open_context(mail_install.settings())
    queue(ctx, "retry:1")
    smtp.handler.behaviour = "451 4.3.0 spróbuj później"
    now = datetime.now(UTC)
    report = deliver_pending(ctx, clock=lambda: now)
    assert report.retried == 1 and smtp.received == []
    row = rows(ctx)[0]
    assert row.status == "pending" and row.attempts == 1 and "451" in (row.last_error or "")
    smtp.handler.behaviour = "accept"
    assert deliver_pending(ctx, clock=lambda: now).sent == 0  # not due yet: retry_after = 1 s
    assert deliver_pending(ctx, clock=lambda: now + timedelta(seconds=1)).sent == 1
    assert len(smtp.received) == 1 and rows(ctx)[0].status == "sent"


def test_a_permanent_refusal_is_recorded_as_failed_and_shown(mail_install: Installation, smtp: SmtpServer) -> None:
    mail_install.run("init", check=True)
    ctx = open_context(mail_install.settings())
    queue(ctx, "refused:1")
    smtp.handler.behaviour = "550 5.1.1 nie ma takiego adresata"
    assert deliver_pending(ctx).failed == 1
    row = rows(ctx)[0]
    assert row.status == "failed" and "550" in (row.last_error or "")
    shown = mail_install.run("outbox", "--status", "failed", check=True).stdout
    assert "refused:1" in shown and "550" in shown


def test_a_server_that_times_out_is_retried_until_attempts_run_out(mail_install: Installation,
                                                                   smtp: SmtpServer) -> None:
    mail_install.run("init", check=True)
    ctx = open_context(mail_install.settings())
    queue(ctx, "slow:1")
    smtp.handler.behaviour = "slow"  # answers after 3 s; the client gives up after 2 s
    now = datetime.now(UTC)
    for attempt in range(3):  # max_attempts = 3, retry_after = 1 s doubling
        deliver_pending(ctx, clock=lambda a=attempt: now + timedelta(seconds=10 * a))
    row = rows(ctx)[0]
    assert row.status == "failed" and row.attempts == 3
    assert "gave up after 3 attempts" in (row.last_error or "")


def test_without_smtp_messages_are_written_as_eml_files(install: Installation) -> None:
    install.run("init", check=True)
    ctx = open_context(install.settings())
    queue(ctx, "file:1")
    assert deliver_pending(ctx).sent == 1
    files = list((install.root / "outbox").glob("*.eml"))
    assert [f.name for f in files] == ["file_1.eml"]
    assert b"Subject: =?utf-8?" in files[0].read_bytes()


def test_header_values_from_mail_cannot_inject_headers() -> None:
    evil = "Uwaga\r\nBcc: all@example.org\x00"
    assert clean_header(evil) == "Uwaga Bcc: all@example.org"
    raw = build(OutgoingMail(sender=address("ug@klukowo.pl"), to=[address("a@example.org", "Jan\r\nBcc: x@y.pl")],
                             subject=evil, text="x", in_reply_to="<ok@x>\r\nBcc: z@y.pl"))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head and b"In-Reply-To" not in head


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the implicit-TLS test server
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_delivery_over_starttls_and_tls_with_login_verifies_the_certificate(install: Installation, tmp_path,
                                                                          security: str) -> None:
    cert = make_certificate(tmp_path)
    with SmtpServer(security, cert=cert, user="ug", password="sekret") as server:
        extra = server.config(username="ug", password_env="UWAGI_TEST_SMTP_PASSWORD")
        install.write_config(config_text(install.database_url, extra=extra))
        install.run("init", check=True)
        env = {"UWAGI_TEST_SMTP_PASSWORD": "sekret"}
        assert f"SMTP 127.0.0.1:{server.port} reachable ({security})" in install.run("doctor", env=env).stdout
        ctx = open_context(install.settings())
        queue(ctx, "tls:1")
        os.environ["UWAGI_TEST_SMTP_PASSWORD"] = "sekret"
        try:
            assert deliver_pending(ctx).sent == 1
            queue(ctx, "tls:2")
            os.environ["UWAGI_TEST_SMTP_PASSWORD"] = "zle"
            assert deliver_pending(ctx).failed == 1  # a refused login is permanent: recorded, not retried
        finally:
            del os.environ["UWAGI_TEST_SMTP_PASSWORD"]
        assert len(server.received) == 1
        assert "login refused" in (rows(ctx)[1].last_error or "")


def test_doctor_says_when_the_smtp_server_is_unreachable(install: Installation) -> None:
    install.write_config(config_text(install.database_url, extra=f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\n'
                                     'security = "plain"\ntimeout = 2.0\n'))
    install.run("init", check=True)
    proc = install.run("doctor")
    assert proc.returncode != 0 and "check [smtp] host" in proc.stdout + proc.stderr


def test_the_day_of_a_limit_starts_at_warsaw_midnight_on_every_database(mail_install: Installation) -> None:
    """A row queued at 23:30 UTC belongs to the next Warsaw day; SQLite keeps UTC wall times without their zone,
    so the day's start is compared in UTC (it was compared as Warsaw wall time, an hour late)."""
    from zoneinfo import ZoneInfo

    mail_install.run("init", check=True)
    ctx = open_context(mail_install.settings())
    to = "jan@example.org"
    queue(ctx, "day:1", to=to)
    with session_scope(ctx.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.key == "day:1")).one()
        row.purpose, row.recipient, row.created_at = "ack", to, datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
        session.add(row)
    midnight = datetime(2026, 12, 7, tzinfo=ZoneInfo("Europe/Warsaw"))  # 23:00 UTC on the 6th
    with session_scope(ctx.engine) as session:
        assert outbox.sent_to_since(session, to, midnight) == 1
        assert outbox.sent_to_since(session, to, midnight + timedelta(hours=1)) == 0
