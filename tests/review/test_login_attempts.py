"""Login tries are kept only as long as the rate limit needs them, and never beyond a hard cap; the cookies'
signing key is one per installation, also when two instances make it at the same moment."""

from __future__ import annotations

import contextlib
import secrets
import threading
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from review import accounts
from storage.db import session_scope
from storage.models import utcnow
from storage.review import LoginAttempt


def _count(ctx) -> int:
    with Session(ctx.engine) as s:
        return s.exec(select(func.count()).select_from(LoginAttempt)).one()


def test_old_tries_go_at_login_and_the_cap_holds(review, monkeypatch):
    ctx, _ = review
    old = utcnow() - accounts.WINDOW - timedelta(minutes=1)
    with session_scope(ctx.engine) as s:
        s.add_all(LoginAttempt(username="ala", ip="10.0.0.1", at=old) for _ in range(30))
        s.add_all(LoginAttempt(username=f"u{i}", ip="10.0.0.2") for i in range(8))
    assert _count(ctx) == 38
    accounts.authenticate(ctx.engine, "ala", "zle-haslo-123", "10.0.0.3")
    assert _count(ctx) == 9  # the 8 recent ones and this one
    ok, _ = accounts.authenticate(ctx.engine, "ala", "haslo-ali-123", "10.0.0.3")
    assert ok is not None  # the old failures no longer count against the account
    monkeypatch.setattr(accounts, "KEEP_AT_MOST", 4)
    accounts.authenticate(ctx.engine, "ala", "zle-haslo-123", "10.0.0.3")
    with Session(ctx.engine) as s:
        kept = list(s.exec(select(LoginAttempt.username).order_by(LoginAttempt.id)))
    assert len(kept) == 5 and kept[-1] == "ala"  # the cap before this try, and this try


def test_the_daemon_sweeps_when_nobody_logs_in(review):
    from intake.jobs.retention import retention_job

    ctx, _ = review
    with session_scope(ctx.engine) as s:
        s.add(LoginAttempt(username="ala", ip="10.0.0.1", at=utcnow() - timedelta(days=2)))
        s.add(LoginAttempt(username="ewa", ip="10.0.0.1"))
    retention_job(ctx)
    with Session(ctx.engine) as s:
        assert list(s.exec(select(LoginAttempt.username))) == ["ewa"]


def test_two_instances_making_the_signing_key_at_once_agree_on_one(review, monkeypatch):
    """Both find no key and make one at the same moment (two daemons starting together): the first one
    stored is the key, the other instance reads it instead of failing at start."""
    ctx, _ = review
    both_read = threading.Barrier(2, timeout=3)
    made = iter(["key-of-the-first", "key-of-the-second"])
    lock = threading.Lock()

    def token(_n: int) -> str:
        with lock:
            value = next(made)
        # each has looked and found no key (PostgreSQL); on SQLite the other waits for this write and finds it
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return value

    monkeypatch.setattr(secrets, "token_urlsafe", token)
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(accounts.app_secret(ctx.engine, "race"))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(got) == 2 and got[0] == got[1] and got[0] in {"key-of-the-first", "key-of-the-second"}
    assert accounts.app_secret(ctx.engine, "race") == got[0]
