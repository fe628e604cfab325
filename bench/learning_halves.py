"""How much the label shifts learned from confirmations lift projects F1, over many random halves.

``bench/learning_curve.py`` replays one clerk confirming every other single-remark e-mail through the CLI: one
split, and with 30 held-out e-mails its macro-F1 moves by several hundredths when one e-mail changes side. This
script imports the set once (``uwagi import --no-ack``), then for each of ``--splits`` random halves fits
the per-label logit shifts (``classifiers.label_bias``) on the confirmed half's remarks, exactly as ``uwagi train``
does when cross-validation keeps the neighbour vote and the textcat at weight 0 (what it chooses with a few dozen
confirmations), and scores the other half with and without them. Prints the mean, smallest and largest gain.

    .venv/bin/python bench/learning_halves.py [--corpus DIR] [--splits 6]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import CORPUS  # noqa: E402
from bench.learning_curve import imported, remarks_by_file, single_remark_emails  # noqa: E402
from classifiers.training import f1_scores  # noqa: E402


def remark_texts(corpus: Path) -> list[dict]:
    """Per single-remark e-mail: its gold projects and the texts of the remarks the pipeline made of it."""
    single = single_remark_emails(corpus)
    with tempfile.TemporaryDirectory(prefix="uwagi-halves-") as tmp:
        config, ids, _ = imported(corpus, [r["file"] for r in single], Path(tmp))
        found = remarks_by_file(config, ids)
    return [{"gold": r["projects"], "texts": [x["text"] for x in found.get(r["file"], [])]} for r in single]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--splits", type=int, default=6)
    args = parser.parse_args()
    from classifiers.label_bias import fit_label_bias
    from classifiers.projects import ProjectClassifier
    from intake.services import Services
    from intake.settings import load_settings

    rows = remark_texts(args.corpus)
    classifier = Services(load_settings(ROOT / "config.toml")).project_classifier().with_model(None)
    labels = classifier.labels
    texts = sorted({t for r in rows for t in r["texts"]})
    base_logits = dict(zip(texts, classifier.base_logits(texts), strict=True))
    shift: dict[str, np.ndarray] = {}
    plain_logits = ProjectClassifier.logits

    def shifted(self: ProjectClassifier, f: dict, w: object = None) -> np.ndarray:
        return plain_logits(self, f, w) + shift.get(f["text"], 0.0)  # type: ignore[arg-type]

    def macro(held: list[dict]) -> float:
        wanted = sorted({t for r in held for t in r["texts"]})
        with mock.patch.object(ProjectClassifier, "logits", shifted):
            decided = dict(zip(wanted, classifier.classify_many(wanted), strict=True))
        pred = [sorted({label for t in r["texts"] for label in decided[t].labels}) for r in held]
        return f1_scores([r["gold"] for r in held], pred)["macro_f1"]

    gains, befores = [], []
    for seed in range(args.splits):
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        confirm = set(order[: len(rows) // 2])
        fit = [rows[i] for i in sorted(confirm) if len(rows[i]["texts"]) == 1]  # a clerk merges split ones first
        held = [rows[i] for i in range(len(rows)) if i not in confirm]
        shift.clear()
        before = macro(held)
        bias = fit_label_bias(np.array([base_logits[r["texts"][0]] for r in fit]), [r["gold"] for r in fit], labels)
        vector = np.array([bias.get(label, 0.0) for label in labels])
        shift.update({t: vector for r in held for t in r["texts"]})
        gains.append(macro(held) - before)
        befores.append(before)
        after = before + gains[-1]
        print(f"split {seed}: {len(fit)} confirmed, {len(held)} held out, macro-F1 {before:.3f} -> {after:.3f}")
    print(f"single-remark e-mails {len(rows)}; macro-F1 before {np.mean(befores):.3f}; "
          f"gain mean {np.mean(gains):+.3f}, min {min(gains):+.3f}, max {max(gains):+.3f}")


if __name__ == "__main__":
    main()
