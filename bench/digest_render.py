"""Digest build + render time over N remarks in SQLite (goal: under 2 s for 100,000), and the
outbox delivery rate to a local aiosmtpd server.

    .venv/bin/python bench/digest_render.py                  # 100,000 remarks, 500 messages
    .venv/bin/python bench/digest_render.py --remarks 20000 --messages 200
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPO = Path(__file__).resolve().parent.parent
TYPES = ["propozycja", "uwaga", "pytanie", "poparcie", "sprzeciw"]
WORDS = ["proponuję", "ścieżka", "rowerowa", "autobus", "świetlica", "kanalizacja", "biogazownia", "szkoła",
         "seniorzy", "schronisko", "oświetlenie", "retencja", "promocja", "żywność", "kultura", "sport"]


def make_settings(root: Path, smtp_port: int | None):
    from intake.settings import parse_settings

    data: dict = {"catalogue": str(REPO / "projects.toml"), "database": {"url": f"sqlite:///{root / 'b.db'}"},
                  "paths": {"outbox": str(root / "outbox")},
                  "digest": {"recipients": ["rada@partnerstwo.example"]},
                  "delivery": {"max_attempts": 3}}
    if smtp_port:
        data["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "plain", "timeout": 5.0}
    return parse_settings(data, root / "config.toml")


def seed_remarks(ctx, n: int) -> None:
    from tests.outgoing.seed import seed

    rng = random.Random(0)
    projects = [p.id for p in ctx.services.catalogue.projects] + ["OGOLNA", "POZA"]
    start = datetime(2026, 11, 13, 8, tzinfo=ZoneInfo("Europe/Warsaw"))
    rows = [dict(received_at=start + timedelta(seconds=rng.randrange(0, 28 * 86400)),
                 text=" ".join(rng.choices(WORDS, k=30)), projects=rng.sample(projects, rng.choice([1, 1, 2])),
                 remark_type=rng.choice(TYPES), stance=rng.choice([None, None, "uwzględniona", "nieuwzględniona"]),
                 restricted=rng.random() < 0.01, author_name="Jan Kowalski") for _ in range(n)]
    seed(ctx.engine, rows)


def bench_digest(ctx, rounds: int) -> list[float]:
    from intake.jobs.digest import build_data
    from reports.digest import digest_message

    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        data = build_data(ctx, "2026-W49", now=datetime(2026, 12, 7, 8, tzinfo=ZoneInfo("Europe/Warsaw")))
        digest_message(data, ("ug@klukowo.pl", "Urząd"), ["rada@partnerstwo.example"], "<b@x>")
        times.append(time.perf_counter() - t)
    return times


def bench_delivery(ctx, n: int) -> float:
    from intake.jobs.deliver import deliver_pending
    from reports.mailer import OutgoingMail, address, build, new_message_id
    from storage import outbox
    from storage.db import session_scope

    with session_scope(ctx.engine) as session:
        for i in range(n):
            mid = new_message_id("ug@klukowo.pl")
            raw = build(OutgoingMail(sender=address("ug@klukowo.pl"), to=[address(f"r{i}@example.org")],
                                     subject="Potwierdzenie przyjęcia uwagi", text="Treść " * 200, message_id=mid))
            outbox.add_once(session, outbox.OutboxMessage(key=f"bench:{i}", purpose="bench",
                                                          recipients=[f"r{i}@example.org"], raw=raw,
                                                          message_id=mid.strip("<>")))
    t = time.perf_counter()
    report = deliver_pending(ctx)
    elapsed = time.perf_counter() - t
    assert report.sent == n, report
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--remarks", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from intake.jobs import open_context
    from tests.smtpserver import SmtpServer

    with tempfile.TemporaryDirectory() as tmp, SmtpServer() as server:
        ctx = open_context(make_settings(Path(tmp), server.port), create=True)
        t = time.perf_counter()
        seed_remarks(ctx, args.remarks)
        print(f"seeded {args.remarks} remarks in {time.perf_counter() - t:.1f} s")
        times = bench_digest(ctx, args.rounds)
        print(f"digest build+render+MIME, {args.remarks} remarks: first {times[0]:.2f} s, "
              f"median {statistics.median(times):.2f} s (goal < 2 s)")
        rate = bench_delivery(ctx, args.messages)
        print(f"outbox delivery to local aiosmtpd: {rate:.0f} messages/s ({args.messages} messages, one connection)")
        assert len(server.received) == args.messages


if __name__ == "__main__":
    main()
