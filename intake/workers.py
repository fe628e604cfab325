"""Worker processes that run a message's stages one message at a time, within a time and memory budget.

Why processes: a hostile message can make a parser spin or balloon, and only a process can be
stopped from outside. The parent hands out one message per worker, hears when each stage starts,
watches the clock and the worker's memory, and replaces a worker that goes over; the message is
held with the reason and the others flow on. Workers fork from a small server that preloaded the
parser, and die with the command that started them (intake.orphans).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection, wait
from typing import Any

import psutil

from intake import shutdown
from intake.errors import UserError
from intake.pipeline import Stage, Work, run_stages
from intake.settings import Settings

log = logging.getLogger("uwagi.workers")
MB = 1024 * 1024
PRELOAD_ENV = "UWAGI_FORKSERVER_PRELOAD"  # what the fork server preloads (intake.forkserver_boot)


@dataclass(frozen=True)
class Task:
    pk: int
    raw: bytes
    received_at: datetime
    partial: bool


@dataclass(frozen=True)
class Budget:
    stage_seconds: float  # CPU seconds of the worker in one stage (a busy machine does not count)
    memory_mb: int
    start_seconds: float = 300.0  # loading the language models on a busy machine
    wall_factor: float = 4.0  # wall-clock limit = this × stage_seconds (a stage stuck waiting, not computing)


StageFactory = Callable[[tuple[str, ...]], list[tuple[str, Stage]]]


def worker_main(conn: Connection, settings: Settings, names: tuple[str, ...], owner_pid: int,
                log_level: int, factory: StageFactory | None = None) -> None:
    """The worker loop: warm up, then (task -> stages -> Work) until the parent closes the pipe."""
    from intake import orphans
    from intake.services import Services
    from intake.stages import registry
    from storage.db import make_engine

    orphans.guard(owner_pid)
    # Ctrl-C and a service manager's SIGTERM reach the whole process group: the parent decides
    # when workers stop (after the current message), so they ignore both
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    services = Services(settings, engine=make_engine(settings.database_url))
    stages = factory(names) if factory is not None else registry.Plan(names).worker
    try:
        _warm_up(services, names)
    except UserError as exc:
        conn.send(("setup", str(exc), exc.exit_code))
        return
    except Exception as exc:
        conn.send(("setup", f"a worker could not load the stages: {exc.__class__.__name__}: {exc}"))
        return
    conn.send(("ready",))
    hints_at = time.monotonic()
    while True:
        try:
            task: Task | None = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        if time.monotonic() - hints_at > 5:  # replies may join threads stored since (by any process)
            _refresh_hints(services)
            hints_at = time.monotonic()
        work = Work(pk=task.pk, raw=task.raw, received_at=task.received_at, partial=task.partial)
        try:
            run_stages(work, stages, services, on_stage=lambda name: conn.send(("stage", name)))
        except UserError as exc:
            conn.send(("setup", str(exc), exc.exit_code))
            return
        if work.parsed is not None or not work.held:
            work.raw = b""  # the parent has the bytes; only a held message keeps them, for its headline
        conn.send(("done", work))
        _give_back_memory()


def _refresh_hints(services: Any) -> None:
    """New hints when the database answers; the old ones when it does not (never hold mail for that)."""
    old = services.forget_hints()  # every consultation's hints this worker built
    if not old:
        return
    try:
        for name in old:
            services.hints(name.partition(":")[2] or None)
    except Exception as exc:
        log.warning("stage=sort hints not refreshed (%s); using the previous ones", exc.__class__.__name__)
        services.cache.update(old)


def _warm_up(services: Any, names: tuple[str, ...]) -> None:
    """Load what the stages need before the first message, so the budget times the message only."""
    if "sort" in names:
        import classifiers.sorting

        services.hints()
    if "split" in names:
        import classifiers.splitting  # noqa: F401
    if "classify" in names:
        from intake.stages.classify import classify_texts

        classify_texts(services, ["Proszę o budowę ścieżki rowerowej do szkoły."])


def _give_back_memory() -> None:
    """Return freed heap to the system after a message: a big PDF must not keep a worker large, nor
    lingua's full models loaded for a short foreign remark some messages ago."""
    import sys

    language = sys.modules.get("classifiers.language")  # only if a stage has loaded it
    if language is not None:
        language.release()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    born: float = field(default_factory=time.monotonic)
    ready: bool = False
    task: Task | None = None
    stage: str = "start"
    since: float = 0.0
    cpu_at: float = 0.0


class WorkerPool:
    """A fixed number of workers; `collect` returns finished Works, held ones included."""

    def __init__(self, settings: Settings, names: tuple[str, ...], size: int, budget: Budget,
                 factory: StageFactory | None = None) -> None:
        """`factory` replaces the registry's stages (tests: a stage that hangs or balloons)."""
        self.factory = factory
        self.settings = settings
        self.names = names
        self.budget = budget
        self.context = _context(settings, names)
        self.size = max(1, size)
        self.abandoned: list[int] = []
        self.slots = [self._spawn()]  # more on demand: a poll of three messages loads the models once

    def grow(self, waiting: int) -> None:
        """Add a worker while messages wait and every worker is busy (not while one is still loading)."""
        if len(self.slots) < self.size and waiting > 1 and all(s.ready and s.task for s in self.slots):
            self.slots.append(self._spawn())

    def idle(self) -> list[_Slot]:
        return [s for s in self.slots if s.ready and s.task is None]

    @property
    def busy(self) -> int:
        return sum(1 for s in self.slots if s.task is not None)

    def submit(self, slot: _Slot, task: Task) -> None:
        slot.task, slot.stage, slot.since, slot.cpu_at = task, "queued", time.monotonic(), _cpu(slot.proc.pid)
        slot.conn.send(task)

    def collect(self, timeout: float) -> list[Work]:
        """Wait up to `timeout` for news; return the messages that finished (or were held)."""
        out: list[Work] = []
        readable = set(wait([s.conn for s in self.slots] + [s.proc.sentinel for s in self.slots], timeout))
        for slot in list(self.slots):
            if slot.conn in readable:
                self._read(slot, out)
            elif slot.proc.sentinel in readable or not slot.proc.is_alive():
                self._read(slot, out)  # the last words before it died, if any
                if slot in self.slots:
                    self._died(slot, out)
        self._enforce(out)
        return out

    def close(self) -> None:
        for slot in self.slots:
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
        deadline = time.monotonic() + 2
        for slot in self.slots:
            slot.proc.join(max(0.0, deadline - time.monotonic()))
            if slot.proc.is_alive():
                slot.proc.kill()
                slot.proc.join(1)
            slot.conn.close()
        self.slots = []

    def _read(self, slot: _Slot, out: list[Work]) -> None:
        while True:
            try:
                if not slot.conn.poll():
                    return
                msg = slot.conn.recv()
            except (EOFError, OSError):
                return
            kind = msg[0]
            if kind == "ready":
                slot.ready = True
            elif kind == "stage":
                slot.stage, slot.since, slot.cpu_at = msg[1], time.monotonic(), _cpu(slot.proc.pid)
            elif kind == "done":
                slot.task = None
                out.append(msg[1])
            elif kind == "setup":
                self.close()
                raise _setup_error(*msg[1:])

    def _died(self, slot: _Slot, out: list[Work]) -> None:
        code = slot.proc.exitcode
        if not slot.ready:
            self.close()
            raise UserError(f"a worker process died while loading the stages (exit code {code}); "
                            f"check memory and the models")
        if slot.task is not None and shutdown.stopping():
            self.abandoned.append(slot.task.pk)  # signalled with the command (Ctrl-C in a terminal)
            slot.task = None
        elif slot.task is not None:
            log.error("message=%s stage=%s worker died (exit code %s)", slot.task.pk, slot.stage, code)
            out.append(_held(slot, f"worker process died (exit code {code}) in stage {slot.stage}"))
        self._replace(slot)

    def _enforce(self, out: list[Work]) -> None:
        """Kill and replace a worker over its budget; its message is held with the reason."""
        now = time.monotonic()
        for slot in list(self.slots):
            if not slot.ready:
                if now - slot.born > self.budget.start_seconds:
                    self.close()
                    raise UserError(f"a worker did not load the stages within {self.budget.start_seconds:.0f} s")
                continue
            if slot.task is None:
                continue
            reason, budget = "", self.budget
            if _cpu(slot.proc.pid) - slot.cpu_at > budget.stage_seconds:
                reason = f"time limit of {budget.stage_seconds:g} s (CPU) exceeded in stage {slot.stage}"
            elif now - slot.since > budget.stage_seconds * budget.wall_factor:
                reason = (f"time limit of {budget.stage_seconds * budget.wall_factor:g} s (wall clock) exceeded "
                          f"in stage {slot.stage}")
            elif _rss_mb(slot.proc.pid) > self.budget.memory_mb:
                reason = f"memory limit of {self.budget.memory_mb} MB exceeded in stage {slot.stage}"
            if reason:
                log.warning("message=%s stage=%s held: %s", slot.task.pk, slot.stage, reason)
                slot.proc.kill()
                slot.proc.join(5)
                out.append(_held(slot, reason))
                self._replace(slot)

    def _replace(self, slot: _Slot) -> None:
        with contextlib.suppress(OSError):
            slot.conn.close()
        self.slots[self.slots.index(slot)] = self._spawn()

    def _spawn(self) -> _Slot:
        parent, child = self.context.Pipe()
        proc = self.context.Process(target=worker_main, name="uwagi-worker", daemon=True,
                                    args=(child, self.settings, self.names, os.getpid(),
                                          logging.getLogger().getEffectiveLevel(), self.factory))
        proc.start()
        child.close()
        return _Slot(proc=proc, conn=parent)


def _held(slot: _Slot, reason: str) -> Work:
    task = slot.task
    assert task is not None
    slot.task = None
    # the raw bytes go along so that the store can read the held message's headline (subject, sender)
    return Work(pk=task.pk, raw=task.raw, received_at=task.received_at, partial=task.partial,
                held=(slot.stage, reason))


def _cpu(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
        return float(times.user + times.system)
    except psutil.Error:
        return 0.0


def _rss_mb(pid: int) -> float:
    try:
        return float(psutil.Process(pid).memory_info().rss) / MB
    except psutil.Error:
        return 0.0


def _context(settings: Settings, names: tuple[str, ...]) -> Any:
    """forkserver, not fork: the daemon has threads, and forking those can deadlock; workers fork
    from a server that preloaded the parser and the language models (fast start, shared pages).

    The server starts with the first worker and lives as long as the command, so the first pool's
    settings decide what it preloads; a worker loads anything else itself."""
    context = multiprocessing.get_context("forkserver")
    os.environ[PRELOAD_ENV] = json.dumps(preload_spec(settings, names))  # the server inherits it
    context.set_forkserver_preload(["intake.forkserver_boot"])
    return context


def preload_spec(settings: Settings, names: tuple[str, ...]) -> dict[str, object]:
    """What the fork server loads for these stages: the paths and switches their models depend on."""
    cls = settings.classification
    return {"stages": list(names), "cache": str(settings.path(settings.paths.cache)),
            "static": cls.embeddings and cls.embedding_signal != "full"}


def _setup_error(text: str, exit_code: int = 1) -> UserError:
    """A worker's setup error, with the exit code of its kind (2: fix the config)."""
    error = UserError(text)
    error.exit_code = exit_code
    return error
