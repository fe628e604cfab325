"""Learning from the staff, through the real CLI: confirm half, train, re-score, measure the other half.

The single-remark e-mails of a labelled corpus are imported (`uwagi import --no-ack`); a clerk's
work is played by `uwagi confirm` with the gold labels of every other e-mail (in file order);
then `uwagi train` and `uwagi reprocess --classify`. Projects micro/macro F1 on the e-mails
nobody confirmed is printed before and after (the issue asks for a rise of at least 0.05).

    .venv/bin/python bench/learning_curve.py [--corpus DIR] [--no-embed]
"""

from __future__ import annotations

import argparse
import email
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import CORPUS  # noqa: E402
from classifiers.training import f1_scores  # noqa: E402


def uwagi(config: Path, *args: str) -> str:
    env = {**os.environ, "UWAGI_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "intake", *args], cwd=config.parent, env=env,
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"uwagi {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def remarks_by_file(config: Path, ids: dict[str, str]) -> dict[str, list[dict]]:
    """Exported remarks grouped by the labelled file they came from."""
    out: dict[str, list[dict]] = {}
    for line in uwagi(config, "export", "--what", "remarks").splitlines():
        row = json.loads(line)
        name = ids.get((row.get("message_id") or "").strip("<>"))
        if name:
            out.setdefault(name, []).append(row)
    return out


def score(gold: dict[str, dict], found: dict[str, list[dict]], files: list[str]) -> dict[str, float]:
    pred = [sorted({p for r in found.get(f, []) for p in r["projects"]}) for f in files]
    return {k: round(v, 3) for k, v in f1_scores([gold[f]["projects"] for f in files], pred).items()}


def single_remark_emails(corpus: Path) -> list[dict]:
    """The labelled e-mails holding one remark, in file order (the ones a clerk confirms without merging)."""
    labels = [json.loads(x) for x in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    return sorted((r for r in labels if r["kind"] == "remark" and r["remarks"] == 1), key=lambda r: r["file"])


def imported(corpus: Path, names: list[str], root: Path, embeddings: bool = True) -> tuple[Path, dict[str, str], float]:
    """A fresh instance under ``root`` with ``names`` imported (`uwagi import --no-ack`): its config, the
    Message-ID -> file map, and the import's seconds."""
    (root / "mail").mkdir()
    ids = {}
    for name in names:
        shutil.copy(corpus / "mail" / name, root / "mail" / name)
        msg = email.message_from_bytes((corpus / "mail" / name).read_bytes())
        ids[(msg["Message-ID"] or "").strip().strip("<>")] = name
    config = root / "config.toml"
    config.write_text(
        f'catalogue = "{ROOT / "projects.toml"}"\n[database]\nurl = "sqlite:///{root / "db.sqlite"}"\n'
        f'[mailbox]\nsource = "maildir"\npath = "inbox"\n[paths]\noutbox = "outbox"\nmodels = "models"\n'
        f'cache = "{ROOT / "var" / "cache"}"\n[classification]\nembeddings = {str(embeddings).lower()}\n',
        encoding="utf-8")
    uwagi(config, "init")
    t = time.perf_counter()
    uwagi(config, "import", "--no-ack", str(root / "mail"))
    return config, ids, time.perf_counter() - t


def run(corpus: Path, embeddings: bool) -> dict[str, object]:
    single = single_remark_emails(corpus)
    gold = {r["file"]: r for r in single}
    confirm, held = [r["file"] for r in single[0::2]], [r["file"] for r in single[1::2]]
    with tempfile.TemporaryDirectory(prefix="uwagi-lc-") as tmp:
        config, ids, import_s = imported(corpus, list(gold), Path(tmp), embeddings)
        found = remarks_by_file(config, ids)
        before = score(gold, found, held)
        confirmed = 0
        for name in confirm:
            rows = found.get(name, [])
            if len(rows) != 1:
                continue  # the splitter made several remarks: a clerk would merge them first
            row, want = rows[0], gold[name]
            uwagi(config, "confirm", row["reference"], "--projects", ",".join(want["projects"]),
                  *(["--type", want["types"][0]] if want["types"] else []), "--by", "bench")
            confirmed += 1
        train_out = uwagi(config, "train")
        uwagi(config, "reprocess", "--classify")
        after = score(gold, remarks_by_file(config, ids), held)
    return {"single_remark_emails": len(single), "confirmed": confirmed, "held_out": len(held),
            "embeddings": embeddings, "before": before, "after": after,
            "macro_gain": round(after["macro_f1"] - before["macro_f1"], 3),
            "micro_gain": round(after["micro_f1"] - before["micro_f1"], 3),
            "import_s": round(import_s, 1), "train": train_out.strip().splitlines()[-4:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--no-embed", action="store_true")
    args = parser.parse_args()
    for key, value in run(args.corpus, not args.no_embed).items():
        print(f"{key:22} {value}")


if __name__ == "__main__":
    main()
