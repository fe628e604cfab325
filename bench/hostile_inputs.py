"""Time every stage (parse, sort, split, classify) on the worst inputs of issue 11; print the slowest per KB.

Usage: .venv/bin/python bench/hostile_inputs.py [--scale 1.0] [NAME ...]
The inputs are built on the fly by tests/hostile.py (scale 1 = the sizes in the issue: 80,000 spaces,
a 2 MB line, 10,000 "Uwaga N:" lines, 5,000 attachments, a 20,000-page PDF, a DOCX unpacking to 190 MB,
500,000 nested <div>s ...). Runs in one process, without the embedding model.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intake.services import Services
from tests.hostile import WORST, plain, settings_for_stages, time_stages

STAGES = ("parse", "sort", "split", "classify")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="inputs to run (default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(settings_for_stages(Path(tmp)))
        time_stages(plain("Proponuję:\n1. nową drogę przez las do Klukowa\n2. chodnik przy szkole\n"), services)
        rows = [_row(name, args.scale, services) for name in (args.names or WORST)]
    print(f"{'input':28} {'KB':>7} " + " ".join(f"{s:>8}" for s in STAGES) + f" {'total':>7} {'ms/KB':>7}  outcome")
    for name, kb, times, outcome in rows:
        total = sum(times.values())
        cells = " ".join(f"{times[s]:8.2f}" if s in times else f"{'-':>8}" for s in STAGES)
        print(f"{name:28} {kb:7.0f} {cells} {total:7.2f} {1000 * total / kb:7.2f}  {outcome[:60]}")
    name, kb, times, _ = max(rows, key=lambda r: sum(r[2].values()) / r[1])
    stage = max(times, key=lambda s: times[s])
    print(f"slowest per kilobyte: {name} ({1000 * sum(times.values()) / kb:.2f} ms/KB, mostly {stage})")
    name, kb, times, _ = max(rows, key=lambda r: sum(r[2].values()))
    print(f"slowest overall: {name} ({sum(times.values()):.2f} s for {kb:.0f} KB)")


def _row(name: str, scale: float, services: Services) -> tuple[str, float, dict[str, float], str]:
    raw = WORST[name](scale)
    times, outcome = time_stages(raw, services)
    return name, max(1.0, len(raw) / 1000), times, outcome


if __name__ == "__main__":
    main()
