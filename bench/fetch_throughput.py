"""Fetch + keep + parse throughput against a local Dovecot, next to mbsync copying the same mailbox.

    .venv/bin/python bench/fetch_throughput.py --count 10000
    .venv/bin/python bench/fetch_throughput.py --idle-sizes 1000,10000,50000
    .venv/bin/python bench/fetch_throughput.py --count 10000 --full-poll   # + peak RSS of `uwagi poll --once`
    python3 ../shared/bench/gen_corpus.py --maildir /tmp/heavy -n 3000 --seed 5
    .venv/bin/python bench/fetch_throughput.py --maildir /tmp/heavy        # heavier generated mail

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
from intake.settings import parse_settings  # noqa: E402
from intake.sources.imap import ImapAccount, ImapSource, connect  # noqa: E402
from storage.db import make_engine, migrate  # noqa: E402

VAR = REPO / "var" / "bench"


class PeakRss:
    """Samples a process and all its children (parse workers) every 20 ms: RSS summed (counts pages the
    workers share with their fork server once per process) and PSS summed (shared pages split).
    `at_peak` keeps, per process of the sample with the highest PSS, its role, PSS and USS (bytes):
    where the memory goes (main, fork server, workers, resource tracker)."""

    def __init__(self, pid: int | None = None) -> None:
        self.proc = psutil.Process(pid or os.getpid())
        self.peak_total = self.peak_main = self.peak_pss = 0
        self.at_peak: list[tuple[str, int, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def role(proc: psutil.Process, root: psutil.Process) -> str:
        """main, forkserver, tracker or worker, from the command line multiprocessing gives each."""
        if proc.pid == root.pid:
            return "main"
        try:
            cmd = " ".join(proc.cmdline())
        except psutil.Error:
            return "?"
        if "forkserver import main" in cmd:  # the workers it forks share its command line
            return "forkserver" if proc.ppid() == root.pid else "worker"
        if "resource_tracker" in cmd:
            return "tracker"
        return "worker"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                infos = [p.memory_full_info() for p in procs]
            except psutil.Error:
                break
            main, total, pss = infos[0].rss, sum(i.rss for i in infos), sum(i.pss for i in infos)
            self.peak_main, self.peak_total = max(self.peak_main, main), max(self.peak_total, total)
            if pss > self.peak_pss:
                self.peak_pss = pss
                self.at_peak = [(self.role(p, self.proc), i.pss, i.uss) for p, i in zip(procs, infos, strict=True)]
            self._stop.wait(0.02)

    def breakdown(self) -> str:
        """`main 210/180, forkserver 150/20, ...` (PSS/USS in MB) of the peak sample."""
        return ", ".join(f"{role} {p / 2**20:.0f}/{u / 2**20:.0f}" for role, p, u in self.at_peak)

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
                    "username": server.user, "password_env": "UWAGI_BENCH_PASSWORD", "since": date.fromisoformat(since),
                    "batch_size": 200, "idle": False},
        "classification": {"embeddings": embeddings},
        "catalogue": "../../projects.toml",
        "paths": {"cache": "../cache", "models": "models", "outbox": "outbox"},
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


def write_config(server, db: Path, name: str, embeddings: bool = False) -> Path:
    """A config beside the database; its paths are relative to it (var/bench/), like an operator's."""
    config = VAR / f"{name}.toml"
    config.write_text(
        f'catalogue = "../../projects.toml"\n[database]\nurl = "sqlite:///{db.relative_to(VAR)}"\n'
        f'[mailbox]\nsource = "imap"\nhost = "{server.host}"\nport = {server.port}\nsecurity = "plain"\n'
        f'username = "{server.user}"\npassword_env = "UWAGI_BENCH_PASSWORD"\nsince = 2000-01-01\nidle = false\n'
        f'batch_size = 200\n[classification]\nembeddings = {str(embeddings).lower()}\n'
        '[paths]\ncache = "../cache"\nmodels = "models"\noutbox = "outbox"\n', encoding="utf-8")
    return config


def run_poll(server, name: str, *extra: str) -> dict[str, float]:
    """`uwagi poll --once` in its own process, as operators run it; peak RSS of it and its workers."""
    db = fresh_db(f"{name}.db")
    env = {**os.environ, "UWAGI_CONFIG": str(write_config(server, db, name)), "UWAGI_BENCH_PASSWORD": server.password}
    subprocess.run([sys.executable, "-m", "intake", "init"], cwd=VAR, env=env, check=True, capture_output=True)
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "intake", "poll", "--once", *extra], cwd=VAR, env=env,
                             stdout=subprocess.PIPE, text=True)
    with PeakRss(child.pid) as rss:
        out, _ = child.communicate()
    return {"seconds": time.perf_counter() - t0, "peak_total_mb": rss.peak_total / 2**20,
            "peak_main_mb": rss.peak_main / 2**20, "peak_pss_mb": rss.peak_pss / 2**20, "rc": child.returncode,
            "out": " ".join(out.split())}


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--idle-sizes", default="", help="comma-separated mailbox sizes for the idle-poll cost")
    ap.add_argument("--full-poll", action="store_true")
    ap.add_argument("--maildir", type=Path, help="serve this Maildir (gen_corpus.py) instead of the public corpus")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of mbsync + uwagi; medians are printed")
    args = ap.parse_args()
    os.environ["UWAGI_BENCH_PASSWORD"] = "ugpass"
    if args.maildir:
        from bench.end_to_end import from_maildir

        args.count = sum(1 for sub in ("cur", "new") for _ in (args.maildir / sub).iterdir())
    if args.count:
        server = (from_maildir(args.maildir, VAR / "dovecot-maildir") if args.maildir
                  else build(VAR / f"dovecot-{args.count}", args.count))
        try:
            rounds = []
            for _ in range(args.repeat):  # interleaved, so both see the same machine load
                _, _, fsync_rate = mbsync_rate(server.host, server.port, server.user, server.password,
                                               VAR / "mbsync")
                _, _, nofsync_rate = mbsync_rate(server.host, server.port, server.user, server.password,
                                                 VAR / "mbsync", fsync=False)
                shutil.rmtree(VAR / "mbsync", ignore_errors=True)
                ours = run_poll(server, "throughput", "--stages", "parse")
                rate = args.count / ours["seconds"]
                rounds.append((rate, fsync_rate, nofsync_rate))
                print(f"mbsync copy: {fsync_rate:.0f} msg/s (FSync yes), {nofsync_rate:.0f} msg/s (FSync no)")
                print(f"uwagi poll --once --stages parse (fetch+keep+parse, process start included): {rate:.0f} "
                      f"msg/s ({args.count} in {ours['seconds']:.1f} s); {rate / fsync_rate:.0%} of mbsync (FSync "
                      f"yes), {rate / nofsync_rate:.0%} of mbsync (FSync no); peak RSS {ours['peak_total_mb']:.0f} "
                      f"MB with workers ({ours['peak_main_mb']:.0f} MB main), peak PSS {ours['peak_pss_mb']:.0f} "
                      f"MB; {ours['out']}")
            med = [statistics.median(r[i] for r in rounds) for i in range(3)]
            print(f"median of {args.repeat}: uwagi {med[0]:.0f} msg/s; mbsync {med[1]:.0f} (FSync yes) / "
                  f"{med[2]:.0f} (FSync no); ratio {med[0] / med[1]:.0%} / {med[0] / med[2]:.0%}")
            if args.full_poll:
                full = run_poll(server, "fullpoll")
                print(f"uwagi poll --once (all stages, no embeddings): {full['seconds']:.1f} s, peak RSS "
                      f"{full['peak_total_mb']:.0f} MB with workers ({full['peak_main_mb']:.0f} MB main), peak PSS "
                      f"{full['peak_pss_mb']:.0f} MB, "
                      f"{full['out']}")
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
