"""Project and type classification figures on the labelled corpus (one text per remark e-mail).

Cold start (keywords + embeddings, nothing trained) and a 5-fold run in which the textcat and
the signal weights are learnt only from the other folds; `kfold_<signal>_train` is what `uwagi train`
does on those folds (textcat and neighbours, their weights chosen by an inner cross-validation).
Also speed, load time, peak memory. `--corpus` may be given more than once (all labelled data; for a
blind set only these aggregates are printed).

    .venv/bin/python bench/kfold_projects.py [--corpus DIR ...] [--no-embed] [--folds 5] [--json]
    .venv/bin/python bench/kfold_projects.py --signals full,fast,fast+full
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import CORPUS, Item, load_remarks
from classifiers.catalogue import load_catalogue
from classifiers.embeddings import Embedder
from classifiers.learned_weights import choose_weights, with_weights
from classifiers.projects import ProjectClassifier, fit_weights
from classifiers.training import Example, f1_scores, train_models
from classifiers.types import TypeClassifier

CATALOGUE = Path(__file__).resolve().parents[1] / "projects.toml"


def folds(n: int, k: int) -> list[list[int]]:
    """Deterministic interleaved folds (no shuffling library needed)."""
    return [list(range(i, n, k)) for i in range(k)]


def units(items: list[Item], split: bool) -> tuple[list[str], list[int]]:
    """Texts to classify and, for each, the index of its e-mail (one text, or one per remark)."""
    texts, owner = [], []
    for n, item in enumerate(items):
        parts = list(item.parts) if split and item.parts else [item.text]
        texts += parts
        owner += [n] * len(parts)
    return texts, owner


def predict(clf: ProjectClassifier, items: list[Item], idx: list[int], split: bool) -> dict[int, list[str]]:
    """Labels per e-mail index: the union over its remarks when split."""
    texts, owner = units([items[i] for i in idx], split)
    out: dict[int, set[str]] = {i: set() for i in idx}
    for o, d in zip(owner, clf.classify_many(texts), strict=True):
        out[idx[o]].update(d.labels)
    return {i: sorted(v) for i, v in out.items()}


def embedding_mode(signal: str, nlp: Any) -> tuple[str, Any, Any]:
    """(name, embedder, fallback) for an ``embedding_signal`` setting: full, fast or fast+full."""
    if signal == "full":
        return "embed", Embedder(), None
    from classifiers.nlp import lemmatizer
    from classifiers.static_vectors import StaticEmbedder

    return signal, StaticEmbedder(lemmatizer(nlp).lemma), Embedder() if signal == "fast+full" else None


def score(items: list[Item], preds: list[list[str]]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in f1_scores([list(i.projects) for i in items], preds).items()}


def run(args: argparse.Namespace) -> dict[str, object]:
    out: dict[str, object] = {}
    t0 = time.perf_counter()
    from classifiers.nlp import get_nlp

    nlp = get_nlp()
    out["nlp_load_s"] = round(time.perf_counter() - t0, 2)
    catalogue = load_catalogue(args.catalogue)
    items = [item for corpus in args.corpus or [CORPUS] for item in load_remarks(corpus)]
    texts = [i.text for i in items]
    out["emails"] = len(items)
    modes = [("plain", None, None)] + ([] if args.no_embed else [embedding_mode(s, nlp) for s in args.signals])

    types = TypeClassifier(nlp)
    for split in (False, True):
        texts_u, owner = units(items, split)
        t = time.perf_counter()
        found: list[set[str]] = [set() for _ in items]
        for o, x in zip(owner, texts_u, strict=True):
            found[o].update(types.classify(x).all_types)
        out[f"types_rules{'_split' if split else ''}"] = {
            **score_types(items, [sorted(f) for f in found]),
            "per_s": round(len(texts_u) / (time.perf_counter() - t), 1)}
    everyone = list(range(len(items)))
    for name, emb, fb in modes:
        t = time.perf_counter()
        clf = ProjectClassifier(catalogue, nlp, emb, fallback=fb)
        init_s = time.perf_counter() - t
        for split in (False, True):
            tag = f"{name}{'_split' if split else ''}"
            t = time.perf_counter()
            preds = predict(clf, items, everyone, split)
            n_units = len(units(items, split)[0])
            out[f"cold_{tag}"] = {**score(items, [preds[i] for i in everyone]), "init_s": round(init_s, 2),
                                  "texts_per_s": round(n_units / (time.perf_counter() - t), 2)}
        fitted: dict[int, list[str]] = {}
        trained: dict[float, dict[int, list[str]]] = {w: {} for w in args.tc_weights}
        fitted_split: dict[int, list[str]] = {}
        as_trained: dict[int, list[str]] = {}
        chosen: list[str] = []
        for test in folds(len(items), args.folds):
            train = [i for i in everyone if i not in set(test)]
            weights = fit_weights(clf, [texts[i] for i in train], [items[i].projects for i in train])
            model = train_models([Example(texts[i], items[i].projects, items[i].types[0], items[i].file)
                                  for i in train], seed=0, nlp=nlp,
                                 vectors=clf.example_vectors([texts[i] for i in train]))
            base = ProjectClassifier(catalogue, nlp, emb, None, weights, fallback=fb)
            fitted.update(predict(base, items, test, False))
            fitted_split.update(predict(base, items, test, True))
            for w, preds in trained.items():
                with_tc = ProjectClassifier(catalogue, nlp, emb, model, replace(weights, textcat=w), fallback=fb)
                preds.update(predict(with_tc, items, test, False))
            examples = [Example(texts[i], items[i].projects, items[i].types[0], items[i].file) for i in train]
            learned = choose_weights(clf, examples, 0, nlp, clf.example_vectors([texts[i] for i in train]))
            chosen.append(f"{learned.neighbours:g}/{learned.textcat:g}")
            as_trained.update(predict(clf.with_model(with_weights(model, learned)), items, test, False))
        out[f"kfold_{name}_weights"] = score(items, [fitted[i] for i in everyone])
        out[f"kfold_{name}_split_weights"] = score(items, [fitted_split[i] for i in everyone])
        for w, preds in trained.items():
            out[f"kfold_{name}_weights_textcat{w}"] = score(items, [preds[i] for i in everyone])
        out[f"kfold_{name}_train"] = {**score(items, [as_trained[i] for i in everyone]),
                                      "weights_per_fold": " ".join(chosen)}
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def score_types(items: list[Item], preds: list[list[str]]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in f1_scores([list(i.types) for i in items], preds).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="labelled set (repeatable); default: the corpus")
    parser.add_argument("--catalogue", type=Path, default=CATALOGUE)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-embed", action="store_true")
    parser.add_argument("--signals", type=lambda v: v.split(","), default=["full"],
                        help="embedding signals to compare: full, fast, fast+full (comma-separated)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--tc-weights", type=lambda v: [float(x) for x in v.split(",")], default=[0.5],
                        help="textcat weights to try (comma-separated)")
    args = parser.parse_args()
    out = run(args)
    if args.json:
        print(json.dumps(out, indent=1))
        return
    for key, value in out.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
