"""Several uwagi processes on one database, killed and stopped ones: each message once, no orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from sqlalchemy import text

from tests.conftest import Installation, config_text
from tests.mailmaker import make_mail

FAST = "[classification]\nembeddings = false\n\n[limits]\nparse_workers = 1\n"


def setup_inbox(install: Installation, n: int, extra: str = FAST) -> int:
    install.write_config(config_text(install.database_url, extra=extra))
    install.run("init", check=True)
    new = install.root / "inbox" / "new"
    for i in range(n):
        body = f"Proponuję ścieżkę rowerową nr {i} do Klukowa, wzdłuż drogi powiatowej.\n" * 3
        (new / f"17640000{i:02d}.M{i}P1.host").write_bytes(make_mail(subject=f"Uwaga {i}", body=body))
    return len(list(new.iterdir()))


def spawn(install: Installation, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "intake", *args], cwd=install.root,
                            env={**os.environ, "UWAGI_CONFIG": str(install.config)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def sql(install: Installation, query: str) -> list[tuple]:
    engine = install.engine()
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def descendants_when_busy(proc: subprocess.Popen, at_least: int = 2, seconds: float = 120) -> list[psutil.Process]:
    """Wait until the command has its worker pool up (fork server + a worker at least)."""
    me = psutil.Process(proc.pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        found = me.children(recursive=True)
        if len(found) >= at_least and any(p.name().startswith("python") for p in found):
            return found
        time.sleep(0.1)
    raise AssertionError("the command never started its workers")


def survivors(procs: list[psutil.Process], seconds: float = 10) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while True:
        alive = [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_two_imports_and_a_poll_at_once_process_each_message_once(install: Installation) -> None:
    total = setup_inbox(install, 30)
    batch = install.root / "batch"
    batch.mkdir()
    for f in (install.root / "inbox" / "new").iterdir():
        (batch / f"{f.name}.eml").write_bytes(f.read_bytes())
    procs = [spawn(install, "import", str(batch)), spawn(install, "import", str(batch)),
             spawn(install, "poll", "--once")]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    assert sql(install, "SELECT count(*) FROM messages") == [(total,)]
    assert sql(install, "SELECT DISTINCT state FROM messages") == [("processed",)]
    processed = Counter(e for (e,) in sql(install, "SELECT entity_id FROM events WHERE action = 'message.processed'"))
    assert len(processed) == total and set(processed.values()) == {1}
    assert sql(install, "SELECT count(*) FROM events WHERE action = 'remark.withdrawn'") == [(0,)]
    created = sql(install, "SELECT count(*) FROM events WHERE action = 'remark.created'")
    assert created == sql(install, "SELECT count(*) FROM remarks") and created[0][0] >= 30
    assert sql(install, "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL") == [(0,)]
    from sqlmodel import Session

    from storage.events import first_broken_link

    engine = install.engine()
    with Session(engine) as session:
        assert first_broken_link(session) is None
    engine.dispose()


def test_a_killed_poll_leaves_no_process_behind_and_the_next_one_finishes(install: Installation) -> None:
    total = setup_inbox(install, 40)
    poll = spawn(install, "poll", "--once")
    children = descendants_when_busy(poll)
    time.sleep(0.5)
    poll.send_signal(signal.SIGKILL)
    poll.wait()
    assert survivors(children) == [], "orphaned processes after SIGKILL"
    install.run("poll", "--once", check=True)
    assert sql(install, "SELECT state, count(*) FROM messages GROUP BY state") == [("processed", total)]
    processed = Counter(e for (e,) in sql(install, "SELECT entity_id FROM events WHERE action = 'message.processed'"))
    assert len(processed) == total and set(processed.values()) == {1}


def test_sigterm_stops_a_poll_after_the_current_messages(install: Installation) -> None:
    total = setup_inbox(install, 40)
    poll = spawn(install, "poll", "--once")
    children = descendants_when_busy(poll)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not sql(install, "SELECT 1 FROM messages WHERE state = 'processed'"):
        time.sleep(0.2)
    poll.send_signal(signal.SIGTERM)
    poll.communicate(timeout=60)
    assert poll.returncode == 0
    assert survivors(children) == []
    assert sql(install, "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL") == [(0,)]
    install.run("poll", "--once", check=True)
    assert sql(install, "SELECT state, count(*) FROM messages GROUP BY state") == [("processed", total)]


def test_a_setup_error_stops_processing_in_one_line_after_the_fetch(install: Installation) -> None:
    total = setup_inbox(install, 3)
    Path(install.root / "projects.toml").unlink()
    proc = install.run("poll", "--once")
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1 and "catalogue" in proc.stderr, proc.stderr
    assert f"fetched {total} new message(s)" in proc.stdout
    assert sql(install, "SELECT state, count(*) FROM messages GROUP BY state") == [("kept", total)]
    assert sql(install, "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL") == [(0,)]


@pytest.mark.parametrize("stage", ["parse"])
def test_a_parse_only_poll_leaves_messages_parsed(install: Installation, stage: str) -> None:
    total = setup_inbox(install, 2)
    install.run("poll", "--once", "--stages", stage, check=True)
    assert sql(install, "SELECT state, count(*) FROM messages GROUP BY state") == [("parsed", total)]
    install.run("poll", "--once", check=True)
    assert sql(install, "SELECT state, count(*) FROM messages GROUP BY state") == [("processed", total)]


def wait_for_kept(install: Installation, n: int, seconds: float) -> int:
    """Messages stored in any state (fetched and kept), polled until ``n`` or the time is up."""
    deadline, found = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        found = sql(install, "SELECT count(*) FROM messages")[0][0]
        if found >= n:
            break
        time.sleep(0.2)
    return found


def test_two_daemons_share_one_database_and_one_takes_over_when_the_other_dies(install: Installation) -> None:
    from tests.test_daemon import start_daemon, stop, wait_for_messages

    box = '[mailbox]\nsource = "maildir"\npath = "inbox"\npoll_interval = 5\n'
    install.write_config(config_text(install.database_url, mailbox=box,
                                     extra=FAST + "claim_seconds = 5\nfetch_lease_seconds = 3\n"))
    install.run("init", check=True)
    seeded = len(list((install.root / "inbox" / "new").iterdir()))
    first, second = start_daemon(install), start_daemon(install)
    try:
        assert wait_for_messages(install, seeded, 180) == seeded
        family = [psutil.Process(first.pid), *psutil.Process(first.pid).children(recursive=True)]
        first.kill()
        first.wait()
        assert survivors(family) == []
        for i in range(3):
            (install.root / "inbox" / "new" / f"1766000000.M{i}P7.host").write_bytes(make_mail(subject=f"po {i}"))
        # the survivor takes the mailbox over within a minute (the lease expires in 3 s); processing may
        # first have to start its workers (the models load once per fork server), so it gets longer
        assert wait_for_kept(install, seeded + 3, 60) == seeded + 3
        assert wait_for_messages(install, seeded + 3, 180) == seeded + 3
    finally:
        code = stop(second)
    assert code == 0
    processed = Counter(e for (e,) in sql(install, "SELECT entity_id FROM events WHERE action = 'message.processed'"))
    assert len(processed) == seeded + 3 and set(processed.values()) == {1}
