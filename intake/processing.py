"""Run the stages over kept messages: parse in worker processes, the rest here, store in batches.

Parsing is the slow part (mail-parser, attachment text), so it runs in a pool of processes
while the fetcher keeps downloading; results are stored in one transaction per chunk and the
message leaves the `kept` state only after that commit, so a crash re-processes, never loses.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import col, select

from intake.parsing import ParseLimits
from intake.pipeline import Stage, Work, run_stages
from intake.services import Services
from intake.sources.base import chunked
from intake.stages import registry
from intake.stages.parse import ParseOutcome, parse_many
from intake.stages.store import store_works
from storage.db import session_scope
from storage.models import Message, RawMessage

log = logging.getLogger("uwagi.processing")

POOL_THRESHOLD = 40  # below this many messages a pool costs more than it saves
CHUNK = 25  # messages per worker round trip
Progress = Callable[[int], None]


@dataclass
class ProcessReport:
    processed: int = 0
    held: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class Processor:
    """Feed it (pk, raw) pairs as they are kept; `close()` waits for the last of them."""

    def __init__(self, engine: Engine, services: Services, stages: list[tuple[str, Stage]],
                 workers: int = 0, progress: Progress | None = None) -> None:
        self.engine = engine
        self.services = services
        self.stages = stages
        self.workers = workers or os.cpu_count() or 1
        self.progress = progress
        self.report = ProcessReport()
        self._pool: ProcessPoolExecutor | None = None
        self._pending: dict[Future, list[int]] = {}
        self._fed = 0
        self._raw: dict[int, bytes] = {}  # bytes of the messages in flight, for stages that need them
        # run with fewer than all stages (e.g. keep + parse only): results stay "parsed", not "processed"
        self.partial = [name for name, _ in stages] != list(registry.PIPELINE)

    @property
    def limits(self) -> ParseLimits:
        return self.services.parse_limits

    def feed(self, pairs: list[tuple[int, bytes]]) -> None:
        self._fed += len(pairs)
        self._raw.update(pairs)
        if self.workers > 1 and (self._pool is not None or self._fed >= POOL_THRESHOLD):
            pool = self._ensure_pool()
            for chunk in _chunks(pairs, CHUNK):
                self._pending[pool.submit(parse_many, chunk, self.limits)] = [pk for pk, _ in chunk]
            # keep at most a few chunks per worker in flight: bounded memory, steady pipeline
            self.drain(wait_all=False, max_in_flight=self.workers * 3)
        else:
            self._finish(parse_many(pairs, self.limits))

    def drain(self, wait_all: bool = True, max_in_flight: int = 0) -> None:
        while self._pending:
            done = {f for f in self._pending if f.done()}
            if not done:
                if not wait_all and len(self._pending) <= max_in_flight:
                    return
                done, _ = wait(self._pending, return_when=FIRST_COMPLETED)
            for future in done:
                pks = self._pending.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool as exc:
                    # a worker died (out of memory, a crashing library): hold its chunk, keep going
                    log.error("parse worker died on messages %s: %s", pks, exc)
                    self._reset_pool()
                    outcomes = [(pk, "parse worker process died while parsing this batch") for pk in pks]
                self._finish(outcomes)

    def process_pending(self, *states: str, pks: Iterable[int] | None = None) -> None:
        """Process messages already in the database (after a crash, or for `reprocess`)."""
        with session_scope(self.engine) as session:
            where = col(Message.state).in_(states) if pks is None else col(Message.id).in_(list(pks))
            query = select(Message.id).where(where).order_by(col(Message.id))
            todo = [pk for pk in session.exec(query) if pk is not None]
        for chunk in chunked(todo, 200):
            with session_scope(self.engine) as session:
                rows = session.exec(select(RawMessage.message_pk, RawMessage.raw)
                                    .where(col(RawMessage.message_pk).in_(chunk)))
                pairs = sorted((pk, bytes(raw)) for pk, raw in rows)
            self.feed(pairs)
        self.drain()

    def close(self) -> ProcessReport:
        self.drain()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return self.report

    def __enter__(self) -> Processor:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        elif self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _reset_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver, not fork: the daemon has scheduler threads, and forking those can deadlock;
            # workers fork from a small server that preloaded only the parser (fast start, small RSS)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["intake.stages.parse"])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._pool

    def _finish(self, outcomes: list[tuple[int, ParseOutcome]]) -> None:
        works = []
        with session_scope(self.engine) as session:
            rows = {m.id: m for m in session.exec(select(Message).where(
                col(Message.id).in_([pk for pk, _ in outcomes])))}
        for pk, outcome in outcomes:
            msg = rows.get(pk)
            if msg is None:
                continue
            work = Work(pk=pk, raw=self._raw.pop(pk, b""), received_at=msg.received_at)
            work.extra["partial"] = self.partial
            if isinstance(outcome, str):
                work.held = ("parse", outcome)
            else:
                work.parsed = outcome
                run_stages(work, self.stages, self.services)
            works.append(work)
        store_works(self.engine, works, self.services)
        self.services.cache.pop("hints", None)  # new remarks are new threads a reply may join
        for work in works:
            if work.held:
                self.report.held += 1
            else:
                self.report.processed += 1
                kind = work.kind or "parsed"
                self.report.by_kind[kind] = self.report.by_kind.get(kind, 0) + 1
        if self.progress:
            self.progress(len(works))


def _chunks(pairs: list[tuple[int, bytes]], size: int) -> list[list[tuple[int, bytes]]]:
    return [pairs[i : i + size] for i in range(0, len(pairs), size)]
