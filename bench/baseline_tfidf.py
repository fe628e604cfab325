"""Baseline: TF-IDF + one-vs-rest logistic regression on the same folds as kfold_projects.py.

Printed side by side with our classifier's k-fold figures, so the NLP pipeline has to earn
its complexity. Same decision policy: labels with p >= 0.5, else the most likely one.

    .venv/bin/python bench/baseline_tfidf.py [--corpus DIR ...] [--no-embed] [--only-baseline]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from bench.corpus import CORPUS, load_remarks
from bench.kfold_projects import CATALOGUE, folds, run
from classifiers.nlp import get_nlp, lemma_texts
from classifiers.training import f1_scores


def tfidf_kfold(texts: list[str], labels: list[tuple[str, ...]], k: int) -> dict[str, float]:
    """Micro/macro F1 of TF-IDF + OvR logistic regression over k interleaved folds."""
    preds: list[list[str]] = [[] for _ in texts]
    for test in folds(len(texts), k):
        train = [i for i in range(len(texts)) if i not in set(test)]
        binarizer = MultiLabelBinarizer()
        y = binarizer.fit_transform([labels[i] for i in train])
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
        x = vectorizer.fit_transform([texts[i] for i in train])
        model = OneVsRestClassifier(LogisticRegression(C=10.0, max_iter=2000)).fit(x, y)
        probs = model.predict_proba(vectorizer.transform([texts[i] for i in test]))
        for i, p in zip(test, probs, strict=True):
            chosen = [c for c, v in zip(binarizer.classes_, p, strict=True) if v >= 0.5]
            preds[i] = chosen or [str(binarizer.classes_[int(np.argmax(p))])]
    return {k: round(v, 3) for k, v in f1_scores([list(x) for x in labels], preds).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="labelled set (repeatable); default: the corpus")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-embed", action="store_true", help="skip our embedding variant (faster)")
    parser.add_argument("--only-baseline", action="store_true")
    args = parser.parse_args()
    corpora = args.corpus or [CORPUS]
    items = [item for corpus in corpora for item in load_remarks(corpus)]
    texts = [i.text for i in items]
    labels = [i.projects for i in items]
    rows = {
        "tfidf+LR, raw text": tfidf_kfold(texts, labels, args.folds),
        "tfidf+LR, folded lemmas": tfidf_kfold(lemma_texts(get_nlp(), texts), labels, args.folds),
    }
    if not args.only_baseline:
        ours = run(argparse.Namespace(corpus=corpora, catalogue=CATALOGUE, folds=args.folds,
                                      no_embed=args.no_embed, tc_weights=[0.25], signals=["fast+full"]))
        for key, value in ours.items():
            if key.startswith(("cold_", "kfold_")) and isinstance(value, dict):
                rows[f"ours: {key}"] = {k: value[k] for k in ("micro_f1", "macro_f1")}
    title = f"method ({args.folds}-fold, {len(items)} remark e-mails)"
    print(f"{title:46} micro-F1  macro-F1")
    for name, figures in rows.items():
        print(f"{name:46} {figures['micro_f1']:8.3f}  {figures['macro_f1']:8.3f}")


if __name__ == "__main__":
    main()
