"""Faults against the real servers: SIGKILL at random moments, Dovecot gone mid-fetch, PostgreSQL
refusing connections. After each: every message and every remark exactly once, no orphan process."""

from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import Installation, config_text, imap_mailbox
from tests.mailmaker import make_mail
from tests.test_imap_fetch import IN_CONSULTATION, PASSWORD_ENV
from tests.test_processes import FAST, sql, survivors


def fill(dovecot, n: int, padding: int = 0) -> None:
    client = dovecot.client()
    for i in range(n):
        body = f"Proponuję ścieżkę rowerową nr {i} do Klukowa wzdłuż drogi powiatowej.\n" * 2
        body += "\n-- \n" + "Załącznik opisowy, wiersz bez znaczenia.\n" * (padding // 40)
        client.append("INBOX", make_mail(subject=f"Uwaga {i}", body=body), msg_time=IN_CONSULTATION)
    client.logout()


def use_dovecot(install: Installation, dovecot, batch_size: int) -> dict[str, str]:
    box = imap_mailbox(dovecot, PASSWORD_ENV, since=date(2026, 11, 13), batch_size=batch_size)
    install.write_config(config_text(install.database_url, mailbox=box, extra=FAST))
    env = {PASSWORD_ENV: dovecot.password}
    install.run("init", env=env, check=True)
    return env


def spawn(install: Installation, env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "intake", *args], cwd=install.root,
                            env={**os.environ, "UWAGI_CONFIG": str(install.config), **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def assert_each_once(install: Installation, total: int) -> None:
    assert sql(install, "SELECT state, count(*) FROM messages GROUP BY state") == [("processed", total)]
    subjects = Counter(s for (s,) in sql(install, "SELECT subject FROM messages"))
    assert len(subjects) == total and set(subjects.values()) == {1}
    processed = Counter(e for (e,) in sql(install, "SELECT entity_id FROM events WHERE action = 'message.processed'"))
    assert len(processed) == total and set(processed.values()) == {1}
    assert sql(install, "SELECT count(*) FROM events WHERE action = 'remark.withdrawn'") == [(0,)]
    created = sql(install, "SELECT count(*) FROM events WHERE action = 'remark.created'")
    assert created == sql(install, "SELECT count(*) FROM remarks") and created[0][0] >= total


@pytest.mark.imap
@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_doubles_nothing(dovecot, install: Installation) -> None:
    total, kills = 300, 20
    fill(dovecot, total)
    env = use_dovecot(install, dovecot, batch_size=15)
    rng = random.Random(6)
    for _ in range(kills):
        poll = spawn(install, env, "poll", "--once")
        time.sleep(rng.uniform(0.3, 3.5))
        family = _family(poll)
        poll.kill()
        poll.wait()
        assert survivors(family) == [], "orphaned processes after SIGKILL"
    install.run("poll", "--once", env=env, check=True, timeout=600)
    assert_each_once(install, total)


def _family(proc: subprocess.Popen) -> list:
    import psutil

    with contextlib.suppress(psutil.Error):
        return psutil.Process(proc.pid).children(recursive=True)
    return []


@pytest.mark.imap
def test_dovecot_stopped_in_the_middle_of_a_fetch_then_the_next_cycle_resumes(dovecot, install) -> None:
    total = 150
    fill(dovecot, total, padding=20_000)
    env = use_dovecot(install, dovecot, batch_size=1)
    poll = spawn(install, env, "poll", "--once")
    engine = install.engine()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and poll.poll() is None and _kept(engine) < 10:
        time.sleep(0.01)
    stop_dovecot_and_its_sessions(dovecot)
    try:
        _, err = poll.communicate(timeout=300)
    finally:
        dovecot.start()
    kept = _kept(engine)
    engine.dispose()
    assert poll.returncode == 3 and err.count("\n") == 1 and "IMAP" in err, err
    assert 0 < kept < total
    install.run("poll", "--once", env=env, check=True, timeout=900)
    assert_each_once(install, total)


def stop_dovecot_and_its_sessions(dovecot) -> None:
    """The master and the IMAP session processes it leaves serving (a crash, a restart with an upgrade);
    only this instance's sessions: other test sessions may run their own Dovecot as the same user."""
    import psutil

    sessions = []
    with contextlib.suppress(psutil.Error, TypeError):
        sessions = [p for p in psutil.Process(dovecot.pid()).children(recursive=True) if p.name() == "imap"]
    for proc in sessions:  # first: the master takes a second to stop, a fetch could finish meanwhile
        with contextlib.suppress(psutil.Error):
            proc.kill()
    dovecot.stop()


def _kept(engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM messages")).scalar_one()
    except Exception:
        return 0


class Proxy:
    """A loopback TCP forwarder to PostgreSQL that can be switched off (connections refused) and on."""

    def __init__(self, target: int) -> None:
        self.target = target
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []
        self.switch_on()

    def switch_on(self) -> None:
        lsock = socket.socket()
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind(("127.0.0.1", self.port))
        lsock.listen(64)
        self.listener = lsock
        threading.Thread(target=self._accept, args=(lsock,), daemon=True).start()

    def switch_off(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread blocked in accept() and stops listening
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for s in self.open:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self.open.clear()

    def _accept(self, lsock: socket.socket) -> None:
        while True:
            try:
                client, _ = lsock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


@pytest.mark.slow
def test_postgresql_refusing_connections_is_retried_with_backoff_then_caught_up(install: Installation) -> None:
    if not install.database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL outage (run with UWAGI_TEST_DATABASE_URL)")
    from tests.test_daemon import start_daemon, stop, wait_for_messages

    proxy = Proxy(5432)
    url = install.database_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    box = '[mailbox]\nsource = "maildir"\npath = "inbox"\npoll_interval = 5\n'
    install.write_config(config_text(url, mailbox=box, extra=FAST + "claim_seconds = 5\n"))
    install.run("init", check=True)
    seeded = len(list((install.root / "inbox" / "new").iterdir()))
    daemon = start_daemon(install)
    try:
        assert wait_for_messages(install, seeded, 120) == seeded
        proxy.switch_off()
        for i in range(5):
            (install.root / "inbox" / "new" / f"17650000{i}.M{i}P9.host").write_bytes(
                make_mail(subject=f"w czasie awarii {i}"))
        time.sleep(15)
        proxy.switch_on()
        assert wait_for_messages(install, seeded + 5, 120) == seeded + 5
    finally:
        proxy.switch_off()
        proxy.switch_on()
        code = stop(daemon)
        err = daemon.stderr.read()
    assert code == 0
    retries = [line for line in err.splitlines() if "database unavailable" in line]
    assert len(retries) >= 2, err
    assert "Traceback" not in err, err
