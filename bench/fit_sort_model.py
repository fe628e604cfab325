"""Fit the sort models (remark or not; scam/spam or not) and write classifiers/data/{sort,scam}_model.json.

    .venv/bin/python bench/fit_sort_model.py [--corpus DIR ...] [--extra FILE] [--out PATH] [--check]

Training data: the public corpus (SPEC label format, ``labels.jsonl`` + ``mail/``) and the small
set of e-mails written for the failure classes of issue 7 (``bench/data/sort_extra.jsonl``: one
JSON object per e-mail with ``kind``, ``subject``, ``from``, ``body`` and optional ``headers``).
E-mails the certain rules decide (headers, our own address, case references) are left out: the
model never sees them at work. C (one-standard-error rule) and the thresholds come from
stratified 5-fold cross-validation; the figures printed are out-of-fold. The second model,
automatic or not, weighs each kind of scam evidence; it decides for the e-mails the rules do not
see as a remark. Deterministic: the same data gives the same file, byte for
byte. ``--check`` fits and compares with the shipped file instead of writing it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.sort_split_eval import SHARED, hints_from  # noqa: E402
from classifiers.sort_model import (  # noqa: E402
    DEFAULT_PATH,
    SCAM_PATH,
    SortModel,
    out_of_fold,
    scores,
    train_sort_model,
)
from classifiers.sorting import FEATURES, SCAM_FEATURES, ConsultationHints, read_evidence  # noqa: E402
from intake.parsing import parse_message  # noqa: E402

EXTRA = REPO / "bench" / "data" / "sort_extra.jsonl"


def extra_mail(record: dict) -> bytes:
    """An e-mail built from one record of the extra set (sent inside the consultation period)."""
    from intake.settings import Consultation

    msg = EmailMessage()
    msg["From"] = record.get("from", "mieszkaniec@example.pl")
    msg["To"] = record.get("to", "ug@klukowo.pl")
    msg["Subject"] = record.get("subject", "")
    when = datetime.fromisoformat(record["date"]) if "date" in record else Consultation().opens_at.replace(hour=12)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<extra-{hashlib.sha256(record['body'].encode()).hexdigest()[:16]}@example.pl>"
    for name, value in record.get("headers", {}).items():
        msg[name] = value
    msg.set_content(record["body"])
    return bytes(msg)


def labelled(corpora: list[Path], extra: Path | None) -> list[tuple[str, bytes, str]]:
    rows: list[tuple[str, bytes, str]] = []
    for corpus in corpora:
        for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                label = json.loads(line)
                rows.append(
                    (f"{corpus.name}/{label['file']}", (corpus / "mail" / label["file"]).read_bytes(), label["kind"])
                )
    if extra and extra.exists():
        for n, line in enumerate(extra.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                record = json.loads(line)
                rows.append((f"extra:{n}", extra_mail(record), record["kind"]))
    return rows


def matrix(
    rows: list[tuple[str, bytes, str]],
    hints: ConsultationHints,
    features: tuple[str, ...] = FEATURES,
    positive: str = "remark",
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The feature rows of the e-mails the certain rules leave to the models; y: kind == positive."""
    xs, ys, names = [], [], []
    for name, raw, kind in rows:
        certain, ev = read_evidence(parse_message(raw), hints, raw)
        if certain is not None:
            continue
        xs.append([float(ev.values[f] or 0.0) for f in features])
        ys.append(1.0 if kind == positive else 0.0)
        names.append(name)
    return np.array(xs), np.array(ys), names


def report(model: SortModel, x: np.ndarray, y: np.ndarray, names: list[str], show: bool) -> None:
    print(f"{len(y)} e-mails weighed by the model ({int(y.sum())} positive); C={model.C}")
    print(f"thresholds: positive {model.threshold}, sure {model.sure}, glance {model.glance}")
    print("5-fold out-of-fold log-loss by C:", model.cv["C_log_loss"])
    print("5-fold out-of-fold at the threshold:", model.cv["at_threshold"])
    print("weights (standardised):")
    for f, c in sorted(zip(model.features, model.coef, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {f:16s} {c:+.3f}")
    if show:
        oof = out_of_fold(x, y, model.C)
        for name, p, t in zip(names, oof, y, strict=True):
            if (p >= model.threshold) != bool(t):
                print(f"  miss {name}: gold {'positive' if t else 'not'} p={p:.2f}")
        print(
            "in-sample:",
            scores(
                np.array([model.probability(dict(zip(model.features, r, strict=True))) for r in x]), y, model.threshold
            ),
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append")
    parser.add_argument("--catalogue", type=Path, default=SHARED / "strategy" / "projects.toml")
    parser.add_argument("--extra", type=Path, default=EXTRA)
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--scam-out", type=Path, default=SCAM_PATH)
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    parser.add_argument("--show", action="store_true", help="list out-of-fold errors of the training e-mails")
    args = parser.parse_args()
    corpora = args.corpus or [SHARED / "corpus"]
    hints = hints_from(args.catalogue)
    rows = labelled(corpora, args.extra)
    fitted = []
    for title, features, positive, out in (
        ("remark or not", FEATURES, "remark", args.out),
        ("automatic or not (scam/spam)", SCAM_FEATURES, "automatic", args.scam_out),
    ):
        print(f"== {title}")
        x, y, names = matrix(rows, hints, features, positive)
        model = train_sort_model(x, y, features)
        report(model, x, y, names, args.show)
        fitted.append((model, out))
    if args.check:
        same = all(SortModel.load(out).to_json() == json.loads(json.dumps(m.to_json())) for m, out in fitted)
        print("same as the shipped models" if same else "DIFFERS from the shipped models")
        return 0 if same else 1
    for model, out in fitted:
        model.save(out)
        print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out} ({model.version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
