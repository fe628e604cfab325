"""`uwagi run`: the scheduled daemon picks up new mail (IDLE wakes it early) and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import Message
from tests.conftest import Installation, config_text, imap_mailbox
from tests.mailmaker import make_mail
from tests.test_imap_fetch import PASSWORD_ENV

NO_EMBEDDINGS = "[classification]\nembeddings = false\n"


def start_daemon(install: Installation, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "intake", "run"], cwd=install.root,
                            env={**os.environ, "UWAGI_CONFIG": str(install.config), **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_messages(install: Installation, n: int, seconds: float) -> int:
    engine = install.engine()
    deadline, found = time.monotonic() + seconds, 0
    try:
        while time.monotonic() < deadline:
            try:
                with Session(engine) as session:
                    found = session.exec(select(func.count()).select_from(Message)
                                         .where(Message.state == "processed")).one()
            except Exception:  # tables may not exist yet
                found = 0
            if found >= n:
                break
            time.sleep(0.2)
    finally:
        engine.dispose()
    return found


def stop(daemon: subprocess.Popen) -> int:
    daemon.send_signal(signal.SIGTERM)
    try:
        return daemon.wait(timeout=30)
    except subprocess.TimeoutExpired:
        daemon.kill()
        raise


def test_the_daemon_fetches_new_maildir_mail_on_schedule_and_stops_on_sigterm(install: Installation) -> None:
    box = '[mailbox]\nsource = "maildir"\npath = "inbox"\npoll_interval = 5\n'
    install.write_config(config_text(install.database_url, mailbox=box, extra=NO_EMBEDDINGS))
    install.run("init", check=True)
    seeded = len(list((install.root / "inbox" / "new").iterdir()))  # init's example e-mails
    daemon = start_daemon(install)
    try:
        assert wait_for_messages(install, seeded, 40) == seeded
        (install.root / "inbox" / "new" / "1764000000.M1P1.host").write_bytes(make_mail(subject="w trakcie"))
        assert wait_for_messages(install, seeded + 1, 40) == seeded + 1
    finally:
        assert stop(daemon) == 0


@pytest.mark.imap
def test_imap_idle_wakes_the_daemon_long_before_the_next_poll(dovecot, install: Installation) -> None:
    box = imap_mailbox(dovecot, PASSWORD_ENV, since=date(2026, 11, 1), poll_interval=600, idle=True)
    install.write_config(config_text(install.database_url, mailbox=box, extra=NO_EMBEDDINGS))
    env = {PASSWORD_ENV: dovecot.password}
    install.run("init", env=env, check=True)
    daemon = start_daemon(install, env)
    try:
        time.sleep(6)  # first poll done, IDLE waiting
        dovecot.append(make_mail(subject="przez IDLE"), msg_time=datetime.now(UTC))
        assert wait_for_messages(install, 1, 45) == 1, "IDLE did not wake the fetch job"
    finally:
        assert stop(daemon) == 0


@pytest.mark.imap
def test_doctor_reports_a_reachable_imap_server(dovecot, install: Installation) -> None:
    box = imap_mailbox(dovecot, PASSWORD_ENV)
    install.write_config(config_text(install.database_url, mailbox=box))
    env = {PASSWORD_ENV: dovecot.password}
    install.run("init", env=env, check=True)
    proc = install.run("doctor", env=env, check=True)
    assert "IDLE offered" in proc.stdout
