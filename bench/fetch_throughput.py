"""Fetch + keep + parse throughput against a local Dovecot, next to mbsync copying the same mailbox.

    .venv/bin/python bench/fetch_throughput.py --count 10000
    .venv/bin/python bench/fetch_throughput.py --idle-sizes 1000,10000,50000
    .venv/bin/python bench/fetch_throughput.py --count 10000 --full-poll   # + peak RSS of `uwagi poll --once`

Prints messages/s, the ratio to mbsync's rate measured in the same run, peak memory (the main
process and its parse workers together), and the cost of a poll that finds no new mail.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.imap_mailbox import build  # noqa: E402
from bench.mbsync_reference import mbsync_rate  # noqa: E402
from intake.processing import Processor  # noqa: E402
from intake.services import Services  # noqa: E402
from intake.settings import parse_settings  # noqa: E402
from intake.sources.imap import ImapAccount, ImapSource, connect  # noqa: E402
from intake.stages import registry  # noqa: E402
from storage.db import make_engine, migrate  # noqa: E402

VAR = REPO / "var" / "bench"


class PeakRss:
    """Samples the RSS of a process and all its children (parse workers) every 20 ms."""

    def __init__(self, pid: int | None = None) -> None:
        self.proc = psutil.Process(pid or os.getpid())
        self.peak_total = self.peak_main = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                main = self.proc.memory_info().rss
                total = main + sum(c.memory_info().rss for c in self.proc.children(recursive=True))
            except psutil.Error:
                break
            self.peak_main, self.peak_total = max(self.peak_main, main), max(self.peak_total, total)
            self._stop.wait(0.02)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def settings_for(server, db: Path, since: str = "2026-01-01", embeddings: bool = False):
    data = {
        "database": {"url": f"sqlite:///{db}"},
        "mailbox": {"source": "imap", "host": server.host, "port": server.port, "security": "plain",
                    "username": server.user, "password_env": "UWAGI_BENCH_PASSWORD", "since": since,
                    "batch_size": 200, "idle": False},
        "classification": {"embeddings": embeddings},
        "catalogue": str(REPO / "projects.toml"),
        "paths": {"cache": str(REPO / "var" / "cache"), "models": str(VAR / "models"), "outbox": str(VAR / "outbox")},
    }
    return parse_settings(data, VAR / "config.toml")


def fresh_db(name: str) -> Path:
    VAR.mkdir(parents=True, exist_ok=True)
    db = VAR / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def account(server) -> ImapAccount:
    return ImapAccount(server.host, server.port, "plain", server.user, server.password)


def fetch_keep_parse(server, count: int) -> dict[str, float]:
    settings = settings_for(server, fresh_db("throughput.db"))
    engine = make_engine(settings.database_url)
    migrate(engine)
    source = ImapSource(account(server), since=date(2026, 1, 1), batch_size=200)
    with PeakRss() as rss:
        t0 = time.perf_counter()
        with Processor(engine, Services(settings, engine=engine), registry.stages("parse"), workers=0) as proc:
            report = source.fetch(engine, on_kept=proc.feed)
            proc.drain()
        seconds = time.perf_counter() - t0
    assert report.kept == count, f"kept {report.kept} of {count}"
    assert proc.report.processed + proc.report.held == count
    return {"seconds": seconds, "rate": count / seconds, "peak_total_mb": rss.peak_total / 2**20,
            "peak_main_mb": rss.peak_main / 2**20, "held": proc.report.held}


def idle_poll_cost(server, rounds: int = 30) -> dict[str, float]:
    """Watermark at the top (an initial scan that finds nothing), then time polls with no news."""
    settings = settings_for(server, fresh_db("idle.db"), since="2031-01-01")
    engine = make_engine(settings.database_url)
    migrate(engine)
    source = ImapSource(account(server), since=date(2031, 1, 1))
    source.fetch(engine)
    whole, status_only = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        report = source.fetch(engine)
        whole.append(time.perf_counter() - t0)
        assert report.unchanged
    client = connect(source.account)
    for _ in range(rounds):
        t0 = time.perf_counter()
        client.folder_status("INBOX", [b"UIDNEXT", b"UIDVALIDITY"])
        status_only.append(time.perf_counter() - t0)
    client.logout()
    return {"poll_ms": statistics.median(whole) * 1000, "status_ms": statistics.median(status_only) * 1000}


def full_poll_peak(server) -> dict[str, float]:
    """`uwagi poll --once` as operators run it (all stages), its peak RSS with its workers."""
    db = fresh_db("fullpoll.db")
    config = VAR / "fullpoll.toml"
    config.write_text(
        f'catalogue = "{REPO / "projects.toml"}"\n[database]\nurl = "sqlite:///{db}"\n'
        f'[mailbox]\nsource = "imap"\nhost = "{server.host}"\nport = {server.port}\nsecurity = "plain"\n'
        f'username = "{server.user}"\npassword_env = "UWAGI_BENCH_PASSWORD"\nsince = 2026-01-01\nidle = false\n'
        f'[classification]\nembeddings = false\n[paths]\ncache = "{REPO / "var" / "cache"}"\n', encoding="utf-8")
    env = {**os.environ, "UWAGI_CONFIG": str(config), "UWAGI_BENCH_PASSWORD": server.password}
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "intake", "poll", "--once"], cwd=REPO, env=env)
    with PeakRss(child.pid) as rss:
        child.wait()
    return {"seconds": time.perf_counter() - t0, "peak_total_mb": rss.peak_total / 2**20,
            "peak_main_mb": rss.peak_main / 2**20, "rc": child.returncode}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--idle-sizes", default="", help="comma-separated mailbox sizes for the idle-poll cost")
    ap.add_argument("--full-poll", action="store_true")
    args = ap.parse_args()
    os.environ["UWAGI_BENCH_PASSWORD"] = "ugpass"
    if args.count:
        server = build(VAR / f"dovecot-{args.count}", args.count)
        try:
            _, _, fsync_rate = mbsync_rate(server.host, server.port, server.user, server.password, VAR / "mbsync")
            _, _, nofsync_rate = mbsync_rate(server.host, server.port, server.user, server.password, VAR / "mbsync",
                                             fsync=False)
            shutil.rmtree(VAR / "mbsync", ignore_errors=True)
            ours = fetch_keep_parse(server, args.count)
            print(f"mbsync copy: {fsync_rate:.0f} msg/s (FSync yes), {nofsync_rate:.0f} msg/s (FSync no)")
            print(f"uwagi fetch+keep+parse: {ours['rate']:.0f} msg/s ({args.count} in {ours['seconds']:.1f} s); "
                  f"{ours['rate'] / fsync_rate:.0%} of mbsync (FSync yes), {ours['rate'] / nofsync_rate:.0%} of "
                  f"mbsync (FSync no); peak RSS {ours['peak_total_mb']:.0f} MB with workers "
                  f"({ours['peak_main_mb']:.0f} MB main); held {ours['held']}")
            if args.full_poll:
                full = full_poll_peak(server)
                print(f"uwagi poll --once (all stages, no embeddings): {full['seconds']:.1f} s, peak RSS "
                      f"{full['peak_total_mb']:.0f} MB with workers ({full['peak_main_mb']:.0f} MB main), "
                      f"rc={full['rc']}")
        finally:
            server.stop()
    for size in [int(s) for s in args.idle_sizes.split(",") if s]:
        server = build(VAR / f"dovecot-{size}", size)
        try:
            cost = idle_poll_cost(server)
            print(f"idle poll on {size} messages: {cost['poll_ms']:.2f} ms whole poll (connect+login+STATUS+db), "
                  f"{cost['status_ms']:.3f} ms STATUS alone")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
