"""The runner: claims, the per-message budget, and fetch leases, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from intake.pipeline import Work
from intake.processing import Processor, owner_gone, owner_id
from intake.services import Services
from intake.settings import parse_settings
from intake.sources.base import Incoming
from intake.stages import registry
from intake.stages.keep import keep_batch
from intake.stages.parse import parse_stage
from storage import claims
from storage.db import make_engine, migrate
from storage.models import Message
from tests.mailmaker import make_mail

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator:
    eng = make_engine(database_url)
    migrate(eng)
    yield eng
    eng.dispose()


def keep(engine, raws: list[bytes]) -> list[int]:
    with Session(engine) as session:
        kept = keep_batch(session, [Incoming(raw=r, received_at=NOW, source="t", path=str(i))
                                    for i, r in enumerate(raws)])
        session.commit()
    return [pk for pk, _ in kept.kept]


def services(engine, tmp_path: Path, **limits: object) -> Services:
    settings = parse_settings({"database": {"url": str(engine.url.render_as_string(hide_password=False))},
                               "limits": {"parse_workers": 1, **limits}}, tmp_path / "config.toml")
    return Services(settings, engine=engine)


def hang_or_balloon(work: Work, _services: object) -> None:
    """A test stage: spins on BUSY, sleeps on SLOW, holds 600 MB on FAT, else does nothing."""
    if b"BUSY" in work.raw:
        while True:
            pass
    if b"SLOW" in work.raw:
        time.sleep(60)
    if b"FAT" in work.raw:
        ballast = bytearray(600 * 1024 * 1024)
        for i in range(0, len(ballast), 4096):
            ballast[i] = 1
        time.sleep(60)


def test_stages(names: tuple[str, ...]) -> list:
    return [("parse", parse_stage), ("slow", hang_or_balloon)]


test_stages.__test__ = False  # type: ignore[attr-defined]  # a stage factory, not a test


def states(engine) -> dict[str, tuple[str, str | None]]:
    with Session(engine) as session:
        return {m.subject or str(m.id): (m.state, m.hold_reason) for m in session.exec(select(Message))}


def test_a_message_over_its_time_budget_is_held_and_the_others_flow_on(engine, tmp_path: Path) -> None:
    keep(engine, [make_mail(subject="a"), make_mail(subject="wolna", body="SLOW"), make_mail(subject="b"),
                  make_mail(subject="c")])
    start = time.monotonic()
    with Processor(engine, services(engine, tmp_path, stage_seconds=0.5), registry.plan("parse"),
                   factory=test_stages) as proc:
        report = proc.run(("kept",))
    assert time.monotonic() - start < 30
    assert (report.processed, report.held) == (3, 1)
    found = states(engine)
    assert found["a"] == found["b"] == found["c"] == ("parsed", None)
    held = [v for v in found.values() if v[0] == "held"]
    assert held == [("held", "time limit of 2 s (wall clock) exceeded in stage slow")]
    # a held message is never claimed again by a poll; only `reprocess --held` takes it
    assert claims.claim(engine, "someone", ("kept",), 10, 60) == []
    assert len(claims.claim(engine, "someone", ("held",), 10, 60)) == 1


def test_a_message_spinning_past_its_cpu_budget_is_held(engine, tmp_path: Path) -> None:
    keep(engine, [make_mail(subject="kręci", body="BUSY"), make_mail(subject="e")])
    with Processor(engine, services(engine, tmp_path, stage_seconds=1), registry.plan("parse"),
                   factory=test_stages) as proc:
        report = proc.run(("kept",))
    assert (report.processed, report.held) == (1, 1)
    held = [v for v in states(engine).values() if v[0] == "held"]
    assert held in ([("held", "time limit of 1 s (CPU) exceeded in stage slow")],
                    [("held", "time limit of 4 s (wall clock) exceeded in stage slow")])  # a machine too busy to spin


def test_a_message_over_its_memory_budget_is_held(engine, tmp_path: Path) -> None:
    keep(engine, [make_mail(subject="gruba", body="FAT"), make_mail(subject="d")])
    with Processor(engine, services(engine, tmp_path, worker_memory_mb=400), registry.plan("parse"),
                   factory=test_stages) as proc:
        report = proc.run(("kept",))
    assert (report.processed, report.held) == (1, 1)
    held = [v for v in states(engine).values() if v[0] == "held"]
    assert held == [("held", "memory limit of 400 MB exceeded in stage slow")]


def test_claims_are_exclusive_expire_and_are_released_when_stored(engine) -> None:
    pks = keep(engine, [make_mail(subject=str(n)) for n in range(5)])
    first = claims.claim(engine, "a", ("kept",), 3, 60)
    second = claims.claim(engine, "b", ("kept",), 10, 60)
    assert first == pks[:3] and second == pks[3:]
    assert claims.claim(engine, "c", ("kept",), 10, 60) == []
    claims.release(engine, "a", first[:1])
    assert claims.claim(engine, "c", ("kept",), 10, 60) == first[:1]
    short = claims.claim(engine, "d", ("kept",), 10, 0.01)  # nothing left to take
    assert short == []
    claims.release(engine, "b")
    assert claims.claim(engine, "d", ("kept",), 10, 0.5) == second
    time.sleep(0.6)
    assert claims.claim(engine, "e", ("kept",), 10, 60) == second  # d's claims expired


def test_a_dead_process_on_this_host_loses_its_claims_at_once(engine) -> None:
    me = owner_id()
    host, pid, started = me.rsplit(":", 2)
    dead = f"{host}:{pid}:{int(started) - 1000}"  # same pid, another process (reused id)
    assert owner_gone(dead) and not owner_gone(me) and not owner_gone(f"elsewhere:{pid}:{started}")


def test_only_one_instance_fetches_a_mailbox_and_another_takes_over(engine) -> None:
    from intake.fetchlock import fetch_lock

    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        with fetch_lock(engine, "imap://box", seconds=0.5) as first:
            assert first
            if engine.dialect.name == "postgresql":
                with fetch_lock(other, "imap://box", seconds=0.5) as second:
                    assert not second
            else:
                assert not claims.take_lease(other, "imap://box", "another-host:1:1", 0.5)
        with fetch_lock(other, "imap://box", seconds=0.5) as again:
            assert again  # released when the first fetch ended
    finally:
        other.dispose()
    # a lease whose holder stopped renewing it is taken over when it expires
    assert claims.take_lease(engine, "imap://box2", "another-host:1:1", 0.3)
    assert not claims.take_lease(engine, "imap://box2", "another-host:2:2", 0.3)
    time.sleep(0.4)
    assert claims.take_lease(engine, "imap://box2", "another-host:2:2", 0.3)
