"""One against two `uwagi run` instances on one PostgreSQL database and one Dovecot mailbox.

    .venv/bin/python bench/two_instances.py --count 600 --pg postgresql+psycopg://postgres@127.0.0.1:5432/test

For 1 and then 2 instances (a fresh schema each time, the same mailbox): start the daemons with the
default config (embeddings on; `[limits] parse_workers` from --workers, 0 = one per core), wait
until every message is processed or held, stop them with SIGTERM. One instance fetches (advisory
lock); all of them claim and process. Prints messages/s from the first start to the last message
stored (process start and model loading included) and the speed-up of two over one.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.end_to_end import pg_schema  # noqa: E402
from bench.fetch_throughput import VAR  # noqa: E402
from bench.imap_mailbox import build  # noqa: E402
from tests.imapserver import PrivateDovecot  # noqa: E402


def config(server: PrivateDovecot, url: str, name: str, port: int, workers: int) -> Path:
    path = VAR / f"{name}.toml"
    path.write_text(
        f'catalogue = "../../projects.toml"\n[database]\nurl = "{url}"\n'
        f'[mailbox]\nsource = "imap"\nhost = "{server.host}"\nport = {server.port}\nsecurity = "plain"\n'
        f'username = "{server.user}"\npassword_env = "UWAGI_BENCH_PASSWORD"\nsince = 2000-01-01\nidle = false\n'
        f'poll_interval = 5\n[limits]\nparse_workers = {workers}\n[review]\nport = {port}\n'
        '[paths]\ncache = "../cache"\nmodels = "models"\noutbox = "outbox"\n', encoding="utf-8")
    return path


def finished(url: str) -> int:
    with create_engine(url).connect() as conn:
        query = "SELECT count(*) FROM messages WHERE state IN ('processed', 'held')"
        return int(conn.execute(text(query)).scalar_one())


def run(server: PrivateDovecot, base: str, instances: int, count: int, workers: int, timeout: float) -> float:
    url, schema = pg_schema(base)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        envs = [{**os.environ, "UWAGI_BENCH_PASSWORD": server.password,
                 "UWAGI_CONFIG": str(config(server, url, f"two-{i}", 18090 + i, workers))} for i in range(instances)]
        subprocess.run([sys.executable, "-m", "intake", "init"], cwd=VAR, env=envs[0], check=True,
                       capture_output=True)
        logs = [open(VAR / f"two-{i}.log", "wb") for i in range(instances)]  # noqa: SIM115
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "intake", "run"], cwd=VAR, env=env, stdout=log,
                                  stderr=subprocess.STDOUT) for env, log in zip(envs, logs, strict=True)]
        done = 0
        while done < count:
            if time.perf_counter() - t0 > timeout:
                raise SystemExit(f"{instances} instance(s): {done} of {count} done after {timeout:.0f} s")
            if any(p.poll() is not None for p in procs):
                raise SystemExit(f"an instance exited early; see {VAR}/two-*.log")
            time.sleep(0.5)
            try:
                done = finished(url)
            except Exception:  # the schema is not there until init has run
                done = 0
        return time.perf_counter() - t0
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        with create_engine(base).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--pg", required=True, help="PostgreSQL base URL; scratch schemas are created and dropped")
    ap.add_argument("--workers", type=int, default=0, help="[limits] parse_workers of each instance (0: per core)")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    os.environ["UWAGI_BENCH_PASSWORD"] = "ugpass"
    VAR.mkdir(parents=True, exist_ok=True)
    server = build(VAR / f"dovecot-{args.count}", args.count)
    try:
        rates = {}
        for n in (1, 2):
            seconds = run(server, args.pg, n, args.count, args.workers, args.timeout)
            rates[n] = args.count / seconds
            print(f"{n} x uwagi run on PostgreSQL (workers per instance: {args.workers or os.cpu_count()}): "
                  f"{rates[n]:.1f} msg/s ({args.count} in {seconds:.1f} s, start included)", flush=True)
        print(f"speed-up of two instances over one: {rates[2] / rates[1]:.2f}x on {os.cpu_count()} cores")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
