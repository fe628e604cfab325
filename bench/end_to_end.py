"""End to end (fetch, keep, parse, sort, split, classify, group, store) from a local Dovecot with the
default config, beside mbsync copying the same mailbox in the same run, on SQLite and PostgreSQL.

    .venv/bin/python bench/end_to_end.py --count 1000
    .venv/bin/python bench/end_to_end.py --count 1000 --pg postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/end_to_end.py --count 1000 --maildir DIR   # a gen_corpus.py Maildir instead

Prints messages/s of `uwagi poll --once` (process start and model loading included), the ratio to
mbsync's rate (FSync no), and the peak memory of the command with its workers (RSS summed, PSS).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fetch_throughput import VAR, PeakRss  # noqa: E402
from bench.imap_mailbox import build  # noqa: E402
from bench.mbsync_reference import mbsync_rate  # noqa: E402
from tests.imapserver import PrivateDovecot  # noqa: E402


def from_maildir(source: Path, state_dir: Path) -> PrivateDovecot:
    """A Dovecot serving a copy of a Maildir written by ../shared/bench/gen_corpus.py."""
    srv = PrivateDovecot(state_dir)
    srv.stop()
    shutil.rmtree(srv.maildir, ignore_errors=True)
    srv.prepare()
    for sub in ("cur", "new"):
        for f in (source / sub).iterdir():
            target = srv.maildir / "cur" / f.name
            shutil.copy2(f, target)
            os.chown(target, srv.uid, srv.gid)
    return srv.start()


def config(server: PrivateDovecot, url: str, name: str) -> Path:
    """The default config but for the mailbox and the database (embeddings on, default limits)."""
    path = VAR / f"{name}.toml"
    path.write_text(
        f'catalogue = "../../projects.toml"\n[database]\nurl = "{url}"\n'
        f'[mailbox]\nsource = "imap"\nhost = "{server.host}"\nport = {server.port}\nsecurity = "plain"\n'
        f'username = "{server.user}"\npassword_env = "UWAGI_BENCH_PASSWORD"\nsince = 2000-01-01\nidle = false\n'
        '[paths]\ncache = "../cache"\nmodels = "models"\noutbox = "outbox"\n', encoding="utf-8")
    return path


def run(server: PrivateDovecot, url: str, name: str) -> dict[str, object]:
    env = {**os.environ, "UWAGI_CONFIG": str(config(server, url, name)), "UWAGI_BENCH_PASSWORD": server.password}
    subprocess.run([sys.executable, "-m", "intake", "init"], cwd=VAR, env=env, check=True, capture_output=True)
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "intake", "poll", "--once"], cwd=VAR, env=env,
                             stdout=subprocess.PIPE, text=True)
    with PeakRss(child.pid) as rss:
        out, _ = child.communicate()
    return {"seconds": time.perf_counter() - t0, "rss": rss.peak_total / 2**20, "pss": rss.peak_pss / 2**20,
            "at_peak": rss.breakdown(), "out": " ".join(out.split()), "rc": child.returncode}


def pg_schema(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with create_engine(base).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return f"{base}?options=-csearch_path%3D{schema}", schema


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--maildir", type=Path, help="serve this Maildir (gen_corpus.py) instead of the public corpus")
    ap.add_argument("--pg", default="", help="PostgreSQL base URL; a scratch schema is created and dropped")
    args = ap.parse_args()
    os.environ["UWAGI_BENCH_PASSWORD"] = "ugpass"
    VAR.mkdir(parents=True, exist_ok=True)
    server = (from_maildir(args.maildir, VAR / "dovecot-e2e") if args.maildir
              else build(VAR / f"dovecot-{args.count}", args.count))
    count = args.count
    try:
        _, _, mbsync = mbsync_rate(server.host, server.port, server.user, server.password, VAR / "mbsync",
                                   fsync=False)
        shutil.rmtree(VAR / "mbsync", ignore_errors=True)
        print(f"mbsync copy (FSync no): {mbsync:.0f} msg/s")
        db = VAR / "e2e.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        targets = [("sqlite", f"sqlite:///{db.name}", None)]
        if args.pg:
            url, schema = pg_schema(args.pg)
            targets.append(("postgresql", url, schema))
        for label, url, schema in targets:
            try:
                r = run(server, url, f"e2e-{label}")
            finally:
                if schema:
                    with create_engine(args.pg).begin() as conn:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            rate = count / float(r["seconds"])  # type: ignore[arg-type]
            print(f"{label}: uwagi poll --once, default config: {rate:.1f} msg/s ({count} in {r['seconds']:.1f} s), "
                  f"{rate / mbsync:.1%} of mbsync; peak RSS {r['rss']:.0f} MB with workers, PSS {r['pss']:.0f} MB; "
                  f"rc={r['rc']}; {r['out']}\n  at the peak, PSS/USS MB: {r['at_peak']}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
