"""Parse rate of intake.parsing over the sample corpus, single process: prints msg/s.

Usage: .venv/bin/python bench/parse_speed.py [MAIL_DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intake.parsing import parse_message

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "mail"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mail_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    messages = [path.read_bytes() for path in sorted(args.mail_dir.glob("*.eml"))]
    if not messages:
        sys.exit(f"no .eml files in {args.mail_dir}")
    for raw in messages:  # warm-up: imports of docx/pypdf/odfpy happen once, outside the timing
        parse_message(raw)
    plain = [raw for raw in messages if b"application/" not in raw and b"image/" not in raw]
    for label, batch in (("all corpus mail", messages), ("mail without attachments", plain)):
        count, elapsed = _time(batch, args.rounds)
        print(f"{label}: {count} messages in {elapsed:.2f} s: {count / elapsed:.0f} msg/s")


def _time(batch: list[bytes], rounds: int) -> tuple[int, float]:
    start = time.perf_counter()
    for _ in range(rounds):
        for raw in batch:
            parse_message(raw)
    return len(batch) * rounds, time.perf_counter() - start


if __name__ == "__main__":
    main()
