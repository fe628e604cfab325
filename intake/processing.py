"""The runner: claim kept messages from the database, run their stages in the worker pool, store them.

Fetching only keeps (raw bytes + watermark); everything after happens here, on messages this
process has claimed, so any number of commands and daemons can share one database: no message is
processed twice, a dead process's claims are taken over, a message that breaks its budget is held
and never claimed again until `reprocess --held`. A message leaves its state only in the store
transaction, so a crash re-processes, never loses.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import psutil
from sqlalchemy import Engine, select

from intake import shutdown
from intake.pipeline import Work, run_stages
from intake.services import Services
from intake.stages.registry import Plan
from intake.stages.store import store_works
from intake.workers import Budget, StageFactory, Task, WorkerPool
from storage import claims
from storage.db import session_scope
from storage.models import Message, RawMessage

log = logging.getLogger("uwagi.processing")

STORE_BATCH = 25  # messages per store transaction
STORE_EVERY = 2.0  # seconds: a slow trickle is still stored promptly
Progress = Callable[[int], None]
MESSAGES = Message.metadata.tables["messages"]
RAW = RawMessage.metadata.tables["raw_messages"]


@dataclass
class ProcessReport:
    processed: int = 0
    held: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def owner_id() -> str:
    """host:pid:start — unique per process, and tells a later process on this host whether it lives."""
    me = psutil.Process()
    return f"{socket.gethostname()[:120]}:{me.pid}:{int(me.create_time())}"


def owner_gone(owner: str) -> bool:
    """True for an owner on this host whose process no longer runs (its claims can be taken now)."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:120]:
        return False
    try:
        pid, started = int(parts[1]), int(parts[2])
        return int(psutil.Process(pid).create_time()) != started
    except (ValueError, psutil.NoSuchProcess):
        return True
    except psutil.Error:
        return False


def reap(engine: Engine) -> None:
    """Release the claims of processes on this host that died (SIGKILL, power cut of a container)."""
    for owner in claims.live_owners(engine):
        if owner_gone(owner):
            n = claims.release(engine, owner)
            log.warning("released %d claim(s) of %s, which is no longer running", n, owner)


@dataclass
class _Round:
    """One `run`: what is claimed and waiting, in a worker, and finished but not yet stored."""

    states: Sequence[str]
    queue: deque[Task] = field(default_factory=deque)
    inflight: dict[int, Task] = field(default_factory=dict)
    done: list[Work] = field(default_factory=list)
    cursor: int = 0
    exhausted: bool = False
    stored_at: float = field(default_factory=time.monotonic)
    renewed_at: float = field(default_factory=time.monotonic)


class Processor:
    """Claims and processes messages; keeps its worker pool between runs (`close()` ends it)."""

    def __init__(self, engine: Engine, services: Services, plan: Plan, workers: int = 0,
                 progress: Progress | None = None, factory: StageFactory | None = None) -> None:
        self.factory = factory
        self.engine = engine
        self.services = services
        self.plan = plan
        self.workers = workers or os.cpu_count() or 1
        self.progress = progress
        self.report = ProcessReport()
        self.owner = owner_id()
        lim = services.settings.limits
        self.budget = Budget(stage_seconds=lim.stage_seconds, memory_mb=lim.worker_memory_mb)
        self.claim_seconds = float(lim.claim_seconds)
        self._pool: WorkerPool | None = None

    @property
    def partial(self) -> bool:
        return self.plan.partial

    def run(self, states: Sequence[str]) -> ProcessReport:
        """Process claimable messages in `states` until none is left (or a stop is requested)."""
        reap(self.engine)
        r = _Round(states)
        try:
            while True:
                self._top_up(r)
                if not r.inflight and (not r.queue or shutdown.stopping()):
                    break  # done, or asked to stop: queued claims are given back below
                self._step(r)
        finally:
            if r.done:
                self._store(r.done)
            leftover = [*r.inflight, *(t.pk for t in r.queue)]
            if leftover:
                claims.release(self.engine, self.owner, leftover)
        return self.report

    def _top_up(self, r: _Round) -> None:
        """Claim a little more than the workers can take: the rest stays claimable by other processes."""
        if shutdown.stopping():
            r.exhausted = True
        if r.exhausted or len(r.queue) >= self.workers:
            return
        fresh = self._claim(r.states, r.cursor, 2 * self.workers - len(r.queue))
        r.exhausted = not fresh
        if fresh:
            r.cursor = fresh[-1].pk
            r.queue.extend(fresh)

    def _step(self, r: _Round) -> None:
        """Hand out messages, collect results, store a batch, renew the claims."""
        pool = self._ensure_pool()
        pool.grow(len(r.queue))
        for slot in pool.idle():
            if not r.queue or shutdown.stopping():
                break
            task = r.queue.popleft()
            r.inflight[task.pk] = task
            pool.submit(slot, task)
        for work in pool.collect(0.2):  # returns at once when a worker has news
            r.inflight.pop(work.pk, None)
            r.done.append(work)
        for pk in pool.abandoned:  # its worker was stopped with the command: not the message's fault
            r.queue.appendleft(r.inflight.pop(pk))
        pool.abandoned.clear()
        now = time.monotonic()
        idle = not r.inflight and not r.queue
        if r.done and (len(r.done) >= STORE_BATCH or idle or now - r.stored_at > STORE_EVERY):
            self._store(r.done)
            r.done, r.stored_at = [], now
        if now - r.renewed_at > self.claim_seconds / 3:
            claims.renew(self.engine, self.owner, [*r.inflight, *(t.pk for t in r.queue)], self.claim_seconds)
            r.renewed_at = now

    def close(self) -> ProcessReport:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        return self.report

    def __enter__(self) -> Processor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_pool(self) -> WorkerPool:
        if self._pool is None:
            self._pool = WorkerPool(self.services.settings, self.plan.names, self.workers, self.budget,
                                    self.factory)
        return self._pool

    def _claim(self, states: Sequence[str], after: int, limit: int) -> list[Task]:
        pks = claims.claim(self.engine, self.owner, states, max(1, limit), self.claim_seconds, after=after)
        if not pks:
            return []
        with session_scope(self.engine) as session:
            rows = session.execute(select(RAW.c.message_pk, RAW.c.raw, MESSAGES.c.received_at)
                                   .where(RAW.c.message_pk == MESSAGES.c.id, RAW.c.message_pk.in_(pks)))
            return sorted((Task(pk, bytes(raw), received, self.plan.partial) for pk, raw, received in rows),
                          key=lambda t: t.pk)

    def _store(self, works: list[Work]) -> None:
        """The runner's stages (group), then one store transaction; progress only after it commits."""
        works.sort(key=lambda w: w.pk)  # campaign heads are the earliest messages, as in a single run
        if self.plan.runner:
            self.services.campaign_index()  # loaded here: a database error stops the run, it holds no mail
        for work in works:
            if not work.held and not work.discarded and work.parsed is not None:
                run_stages(work, self.plan.runner, self.services)
        stored = store_works(self.engine, works, self.services, owner=self.owner)
        self.services.forget_hints()
        for work in stored:
            if work.held:
                self.report.held += 1
            else:
                self.report.processed += 1
                kind = work.kind or "parsed"
                self.report.by_kind[kind] = self.report.by_kind.get(kind, 0) + 1
        if self.progress:
            self.progress(len(stored))
