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
    count = 0
    start = time.perf_counter()
    for _ in range(args.rounds):
        for raw in messages:
            parse_message(raw)
            count += 1
    elapsed = time.perf_counter() - start
    print(f"{count} messages in {elapsed:.2f} s: {count / elapsed:.0f} msg/s")


if __name__ == "__main__":
    main()
