"""Server time of the review queue page with many remarks, on SQLite and PostgreSQL.

Builds a database of N remarks (synthetic Polish text, realistic mix of status/projects/types),
then times the queue page in-process (the whole ASGI app, no network): the first page, a filtered
page (status + goal) and a search without diacritics; median and 95th percentile over R requests.
Then starts `uwagi serve` in a child process and measures requests per second on loopback with
keep-alive clients for a few seconds.

    .venv/bin/python bench/queue_page.py --remarks 100000 --requests 200
    .venv/bin/python bench/queue_page.py --remarks 10000 --db sqlite
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPO = Path(__file__).resolve().parent.parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_WORDS = (
    "świetlica remont drogi chodnik oświetlenie uliczne kanalizacja woda retencja szkoła "
    "przedszkole ścieżka rowerowa turystyka przedsiębiorczość odnawialne źródła energii "
    "fotowoltaika seniorzy biblioteka boisko autobus dojazd gmina sołectwo Klukowo Ciechanowiec "
    "Czyżew prosimy popieramy sprzeciwiamy się pytanie dlaczego kiedy budżet inwestycja plan"
)
WORDS = _WORDS.split()
PROJECTS = [f"P{g}.{p}" for g in range(1, 5) for p in range(1, 5) if (g, p) != (4, 4)]
STATUSES = ["needs_review"] * 2 + ["classified"] * 5 + ["confirmed"] * 3
TYPES = ["pytanie", "propozycja", "poparcie", "sprzeciw", "uwaga"]
QUERIES = {"first page": "/kolejka", "filtered (status + goal)": "/kolejka?status=classified&goal=C3",
           "search (no diacritics)": "/kolejka?q=swietlica+remont"}


def build(url: str, n: int, seed: int = 0) -> None:
    from sqlalchemy import insert

    from storage.db import make_engine, migrate
    from storage.models import Message, Remark
    from storage.remark_projects import LINKS, link_rows

    rnd = random.Random(seed)
    engine = make_engine(url)
    migrate(engine)
    start = datetime(2026, 11, 13, 8, tzinfo=UTC)
    messages, remarks = Message.__table__, Remark.__table__
    batch_m, batch_r, batch_l, pk = [], [], [], 0
    with engine.begin() as conn:
        while pk < n:
            pk += 1
            email = f"osoba{rnd.randrange(n // 3 + 1)}@example.pl"
            received = start + timedelta(seconds=rnd.randrange(28 * 86400))
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 60))).capitalize() + "."
            projects = rnd.sample(PROJECTS, rnd.choice([1, 1, 1, 2, 3]))
            batch_m.append(dict(id=pk, sha256=f"{pk:064x}", size=1000, source="bench", received_at=received,
                                kept_at=received, state="processed", kind="remark", sender_email=email,
                                sender_name="Mieszkaniec", subject="Uwagi", body_text=text, late=rnd.random() < .02,
                                reference=f"STR/2026/{pk:06d}", backlog=False, acknowledge=True, needs_glance=False,
                                remark_count=1, attachments=[], defects=[]))
            batch_r.append(dict(id=pk, message_pk=pk, ordinal=1, reference=f"STR/2026/{pk:06d}", author_email=email,
                                text=text, origin="body", fields={}, projects=projects,
                                project_scores={p: round(rnd.random(), 3) for p in projects},
                                remark_type=rnd.choice(TYPES), remark_types=[], status=rnd.choice(STATUSES),
                                review_reasons=[], evidence={}, restricted=False,
                                campaign=None if rnd.random() > .05 else f"c{rnd.randrange(20)}",
                                created_at=received, updated_at=received))
            batch_l += link_rows(pk, projects)  # what the store stage writes beside each remark
            if len(batch_m) == 5000 or pk == n:
                conn.execute(insert(messages), batch_m)
                conn.execute(insert(remarks), batch_r)
                conn.execute(insert(LINKS), batch_l)
                batch_m, batch_r, batch_l = [], [], []
    with engine.begin() as conn:  # planner statistics, as autovacuum (PostgreSQL) keeps them in use
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def config(root: Path, url: str, port: int) -> Path:
    path = root / "config.toml"
    path.write_text(f'catalogue = "{REPO / "projects.toml"}"\n[database]\nurl = "{url}"\n[review]\nport = {port}\n'
                    f'[paths]\nmodels = "models"\noutbox = "outbox"\ncache = "{REPO / "var" / "cache"}"\n',
                    encoding="utf-8")
    return path


def server_times(cfg: Path, requests: int) -> dict[str, tuple[float, float]]:
    from sqlmodel import Session
    from starlette.testclient import TestClient

    from intake.jobs.context import open_context
    from intake.settings import load_settings
    from review.accounts import add_user
    from review.app import create_app
    from review.queries import sync_search

    ctx = open_context(load_settings(cfg))
    add_user(ctx.engine, "bench", "haslo-do-testu", "staff")
    t = time.perf_counter()
    with Session(ctx.engine) as session:
        folded = sync_search(session, force=True)
    print(f"  search index: {folded} remarks folded in {time.perf_counter() - t:.1f} s (once, at first use)")
    client = TestClient(create_app(ctx))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/logowanie").text).group(1)
    client.post("/logowanie", data={"csrf": token, "username": "bench", "password": "haslo-do-testu"})
    out = {}
    for name, path in QUERIES.items():
        assert client.get(path).status_code == 200
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        times.sort()
        out[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    ctx.engine.dispose()
    return out


def _cookie(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/logowanie")
    r = conn.getresponse()
    body, cookie = r.read().decode(), r.getheader("set-cookie").split(";")[0]
    token = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
    conn.request("POST", "/logowanie", body=f"csrf={token}&username=bench&password=haslo-do-testu",
                 headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    r.read()
    return r.getheader("set-cookie").split(";")[0]


def throughput(cfg: Path, port: int, seconds: float, clients: int) -> float:
    proc = subprocess.Popen([sys.executable, "-m", "intake", "-c", str(cfg), "serve"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cookie = _cookie(port)
        done = [0] * clients
        stop = time.monotonic() + seconds

        def worker(i: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.monotonic() < stop:
                conn.request("GET", "/kolejka", headers={"Cookie": cookie})
                r = conn.getresponse()
                r.read()
                done[i] += r.status == 200

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return sum(done) / (time.perf_counter() - t)
    finally:
        proc.terminate()
        proc.wait(30)


def run(db: str, n: int, requests: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if db == "sqlite":
            url, cleanup = f"sqlite:///{root / 'bench.db'}", None
        else:
            from sqlalchemy import create_engine, text

            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url, cleanup = f"{PG}?options=-csearch_path%3D{schema}", (admin, schema)
        try:
            t = time.perf_counter()
            build(url, n)
            print(f"{db}: {n} remarks built in {time.perf_counter() - t:.0f} s")
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            cfg = config(root, url, port)
            for name, (median, p95) in server_times(cfg, requests).items():
                print(f"  {name:26s} median {median:6.1f} ms   p95 {p95:6.1f} ms   ({requests} requests)")
            print(f"  uwagi serve, queue page: {throughput(cfg, port, seconds, 4):.0f} requests/s "
                  f"(4 keep-alive clients, {seconds:.0f} s, one process)")
        finally:
            if cleanup:
                from sqlalchemy import text

                with cleanup[0].begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{cleanup[1]}" CASCADE'))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--remarks", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    for db in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        run(db, args.remarks, args.requests, args.seconds)


if __name__ == "__main__":
    main()
