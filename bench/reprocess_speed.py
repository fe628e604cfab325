"""Reprocess of kept messages with the default config: messages/s of `uwagi reprocess`.

    .venv/bin/python bench/reprocess_speed.py --count 2000
    .venv/bin/python bench/reprocess_speed.py --count 2000 --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/reprocess_speed.py --count 100000 --passes 1

N copies of the public corpus's e-mails (each with its own Message-ID, as bench/imap_mailbox.py
writes them) are kept straight into a fresh database (no IMAP: this measures the stages only);
then `uwagi reprocess` runs them all through parse, sort, split, classify, group and store in its
own process (start and model loading included), and once more over the now processed messages
(what an operator runs after a new catalogue or model). Prints messages/s and the peak PSS of the
command with its workers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.end_to_end import pg_schema  # noqa: E402
from bench.fetch_throughput import VAR, PeakRss  # noqa: E402
from bench.imap_mailbox import load_samples  # noqa: E402
from intake.sources.base import FetchReport, Incoming  # noqa: E402
from intake.stages.keep import commit_batch  # noqa: E402
from storage.db import make_engine, migrate  # noqa: E402


def config(url: str, name: str) -> Path:
    """The default config but for the database (embeddings on, default limits)."""
    path = VAR / f"{name}.toml"
    path.write_text(
        f'catalogue = "../../projects.toml"\n[database]\nurl = "{url}"\n'
        '[mailbox]\nsource = "maildir"\npath = "maildir-unused"\n'
        '[paths]\ncache = "../cache"\nmodels = "models"\noutbox = "outbox"\n', encoding="utf-8")
    return path


def keep(url: str, count: int) -> float:
    """Keep `count` distinct messages; returns the seconds it took."""
    engine = make_engine(url)
    migrate(engine)
    samples = load_samples()
    t0 = time.perf_counter()
    batch: list[Incoming] = []
    for i in range(count):
        stem, head, body, ts = samples[i % len(samples)]
        raw = f"Message-ID: <reprocess.{i:06d}.{stem}@bench.uwagi.invalid>\n".encode() + head + body
        batch.append(Incoming(raw=raw, received_at=datetime.fromtimestamp(ts + i // len(samples), UTC),
                              source="bench", path=f"bench/{i}", acknowledge=False))
        if len(batch) == 500 or i == count - 1:
            commit_batch(engine, batch, FetchReport(source="bench"))
            batch = []
    engine.dispose()
    return time.perf_counter() - t0


def reprocess(env: dict[str, str]) -> dict[str, object]:
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "intake", "reprocess"], cwd=VAR, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    with PeakRss(child.pid) as rss:
        out, _ = child.communicate()
    return {"seconds": time.perf_counter() - t0, "pss": rss.peak_pss / 2**20, "at_peak": rss.breakdown(),
            "rc": child.returncode, "out": " ".join(out.split())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--pg", default="", help="PostgreSQL base URL; a scratch schema is created and dropped")
    ap.add_argument("--passes", type=int, choices=(1, 2), default=2, help="1: kept -> processed only")
    args = ap.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    schema = ""
    if args.pg:
        from sqlalchemy import create_engine, text

        url, schema = pg_schema(args.pg)
        label, written = "postgresql", url
    else:
        db = VAR / "reprocess.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        # this process keeps through the full path; the config (in var/bench/) names it relative to itself
        url, label, written = f"sqlite:///{db}", "sqlite", f"sqlite:///{db.name}"
    try:
        seconds = keep(url, args.count)
        print(f"kept {args.count} messages in {seconds:.1f} s")
        env = {**os.environ, "UWAGI_CONFIG": str(config(written, f"reprocess-{label}"))}
        for what in ("kept -> processed", "processed again")[:args.passes]:
            r = reprocess(env)
            rate = args.count / float(r["seconds"])  # type: ignore[arg-type]
            print(f"{label}: uwagi reprocess ({what}), default config: {rate:.1f} msg/s ({args.count} in "
                  f"{r['seconds']:.1f} s, process start included); peak PSS {r['pss']:.0f} MB with workers; "
                  f"rc={r['rc']}; {r['out']}\n  at the peak, PSS/USS MB: {r['at_peak']}")
    finally:
        if schema:
            with create_engine(args.pg).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
