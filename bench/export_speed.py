"""Export speed and peak memory: N generated remarks to CSV, XLSX and JSONL, and the statutory
report (DOCX, XLSX) for M remarks. Each run is a child process, so its peak RSS is its own.

Usage: .venv/bin/python bench/export_speed.py [--remarks 100000] [--report-remarks 5000] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ZONE = ZoneInfo("Europe/Warsaw")
WORDS = ["proponuję", "budowę", "ścieżki", "rowerowej", "świetlicy", "w", "Gródku", "remont", "drogi", "gminnej",
         "chodnik", "przy", "szkole", "basen", "kryty", "dla", "dzieci", "młodzieży", "lokalna", "żywność"]


def populate(url: str, remarks: int, seed: int = 1) -> None:
    """Two remarks per message, a message.kept and a remark.created event each, in one chain."""
    from sqlalchemy import insert

    from storage.db import make_engine, migrate, session_scope
    from storage.events import append_events
    from storage.models import Message, RawMessage, Remark

    rng = random.Random(seed)
    engine = make_engine(url)
    migrate(engine)
    start = datetime(2026, 11, 13, 8, tzinfo=UTC)
    batch = 1000
    for first in range(0, remarks // 2, batch):
        with session_scope(engine) as s:
            msgs = []
            for n in range(first, min(first + batch, remarks // 2)):
                msgs.append(dict(sha256=f"{n:064x}", message_id=f"m{n}@example.org", size=2000, source="bench",
                                 received_at=start + timedelta(seconds=n * 20), kept_at=start, backlog=False,
                                 acknowledge=False, state="processed", attachments=[], defects=[],
                                 needs_glance=False, remark_count=2, late=False, kind="remark",
                                 sender_email=f"osoba{n}@example.org", sender_name=f"Osoba Numer{n}",
                                 subject=rng.choice(["=HYPERLINK(\"x\")", "Uwagi do strategii", "-uwaga"]),
                                 reference=f"STR/2026/{n + 1:05d}"))
            ids = list(s.execute(insert(Message.__table__).returning(Message.__table__.c.id,
                                                                     sort_by_parameter_order=True), msgs).scalars())
            s.execute(insert(RawMessage.__table__), [{"message_pk": pk, "raw": b"x" * 200} for pk in ids])
            rows = [dict(message_pk=pk, ordinal=o, reference=f"STR/2026/{pk:05d}/{o}", text=" ".join(
                rng.choices(WORDS, k=60)), origin="body", fields={}, projects=["P1.1", "P2.4"][: rng.randint(1, 2)],
                project_scores={"P1.1": 0.71, "P2.4": 0.33}, remark_type="propozycja", remark_types=["propozycja"],
                status="classified", review_reasons=[], evidence={}, restricted=False, created_at=start,
                updated_at=start) for pk in ids for o in (1, 2)]
            rids = list(s.execute(insert(Remark.__table__).returning(Remark.__table__.c.id,
                                                                     sort_by_parameter_order=True), rows).scalars())
            append_events(s, [dict(actor="bench", action="message.kept", entity="message", entity_id=pk,
                                   after={"sha256": f"{pk:064x}"}) for pk in ids]
                          + [dict(actor="bench", action="remark.created", entity="remark", entity_id=rid,
                                  after={"projects": ["P1.1"], "status": "classified"}) for rid in rids])
    engine.dispose()


def child(args: argparse.Namespace) -> None:
    """One measured run: export or report; prints seconds and this process's peak RSS."""
    from storage.db import make_engine

    engine = make_engine(args.db)
    started = time.perf_counter()
    out = Path(args.out)
    if args.job == "report":
        from reports.statutory import ConsultationInfo, write_report

        info = ConsultationInfo(name="bench", legal_basis="art. 6", opens=date(2026, 11, 13),
                                closes=date(2026, 12, 11), zone=ZONE, channels=["e-mail"])
        write_report(engine, info, args.format, out, public=args.public)
        rows = -1
    else:
        from reports.exports import Filters, export_file

        rows = export_file(engine, "remarks", args.format, out, ZONE, Filters(), actor="bench").rows
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(elapsed, 2), "peak_mb": round(peak, 1), "rows": rows,
                      "bytes": out.stat().st_size}))


def measure(db: str, job: str, fmt: str, out: Path, public: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--child", job, "--db", db, "--format", fmt, "--out", str(out)]
    if public:
        cmd.append("--public")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remarks", type=int, default=100_000)
    parser.add_argument("--report-remarks", type=int, default=5_000)
    parser.add_argument("--db", default="", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--child", default="")
    parser.add_argument("--format", default="csv")
    parser.add_argument("--out", default="")
    parser.add_argument("--public", action="store_true")
    args = parser.parse_args()
    if args.child:
        args.job = args.child
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for label, n, jobs in (("export", args.remarks, [("export", f) for f in ("csv", "xlsx", "jsonl")]),
                               ("report", args.report_remarks, [("report", "docx"), ("report", "xlsx")])):
            db = args.db or f"sqlite:///{Path(tmp) / f'{label}.db'}"
            t0 = time.perf_counter()
            populate(db, n)
            print(f"{label}: generated {n} remarks in {time.perf_counter() - t0:.1f} s ({db.split(':')[0]})")
            for job, fmt in jobs:
                r = measure(db, job, fmt, Path(tmp) / f"{label}.{fmt}")
                print(f"  {job} {fmt:5s} {n:>7} remarks: {r['seconds']:7.2f} s, peak RSS {r['peak_mb']:6.1f} MB, "
                      f"{r['bytes'] / 1e6:.1f} MB written")
            if label == "report":
                r = measure(db, "report", "docx", Path(tmp) / "public.docx", public=True)
                print(f"  report docx --public {n:>7} remarks: {r['seconds']:7.2f} s, peak RSS {r['peak_mb']:6.1f} MB")


if __name__ == "__main__":
    main()
