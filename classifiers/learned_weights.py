"""How much the staff-trained signals count, chosen by cross-validation on the confirmed remarks.

The neighbour vote and the textcat learn from the confirmations, but with a few dozen of them
spread over twenty projects they pull a remark towards whatever happens to have been confirmed:
on the public corpus, 32 confirmations at full weight cost 0.09 macro-F1 on the other half.
Their weights are therefore chosen where the *whole* classifier does best on confirmed remarks
that the fold's model did not see, from "not at all" (the rules and embeddings alone) up to
three times the cold-start weights; as confirmations grow, the folds show it and the weights follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from classifiers.training import Example, TrainedModel, f1_scores, train_models

if TYPE_CHECKING:
    from spacy.language import Language

    from classifiers.projects import ProjectClassifier
    from classifiers.types import TypeClassifier

__all__ = [
    "FOLDS",
    "GRID",
    "LearnedWeights",
    "choose_weights",
    "switch_wanted",
    "whole_scores",
    "with_weights",
    "without_examples",
]

FOLDS = 5
# (neighbour vote, textcat) multipliers of the cold-start weights; (0, 0) is the rules and embeddings alone
GRID = tuple((nb, tc) for nb in (0.0, 0.3, 1.0) for tc in (0.0, 1.0, 3.0))


@dataclass(frozen=True)
class LearnedWeights:
    """Multipliers of the neighbour lift and the textcat weight, with the folds' figures behind them."""

    neighbours: float = 1.0
    textcat: float = 1.0
    cv: dict[str, Any] = field(default_factory=dict)

    def as_meta(self) -> dict[str, Any]:
        return {"neighbours": self.neighbours, "textcat": self.textcat, "cv": self.cv}

    @classmethod
    def from_meta(cls, meta: dict[str, Any] | None) -> LearnedWeights:
        """A model trained before the weights were chosen keeps the cold-start weights (1, 1)."""
        if not meta:
            return cls()
        return cls(float(meta.get("neighbours", 1.0)), float(meta.get("textcat", 1.0)), meta.get("cv", {}))


def whole_scores(classifier: ProjectClassifier, examples: Sequence[Example],
                 types: TypeClassifier | None = None) -> dict[str, float]:
    """Projects micro/macro F1 of the whole classifier (rules, embeddings, model) on ``examples``;
    with ``types``, also how often its main type is the confirmed one."""
    if not examples:
        return {"micro_f1": 0.0, "macro_f1": 0.0}
    decisions = classifier.classify_many([e.text for e in examples])
    out = f1_scores([list(e.projects) for e in examples], [d.labels for d in decisions])
    typed = [e for e in examples if e.remark_type]
    if types is not None and typed:
        out["type_accuracy"] = float(np.mean([types.classify(e.text).type == e.remark_type for e in typed]))
    return out


def switch_wanted(candidate: dict[str, float], rules_only: dict[str, float],
                  current: dict[str, float] | None) -> bool:
    """A candidate goes to work when, on the held-out confirmed remarks, it does at least as well
    (micro, then macro F1) as the better of the current model and the rules and embeddings alone.
    A tie switches: the candidate has learned from more of the staff's decisions."""
    def rank(scores: dict[str, float]) -> tuple[float, float]:
        return round(scores["micro_f1"], 6), round(scores["macro_f1"], 6)

    return rank(candidate) >= max(rank(rules_only), rank(current) if current is not None else (-1.0, -1.0))


def with_weights(model: TrainedModel, weights: LearnedWeights) -> TrainedModel:
    """The same model answering with other learned-signal weights (its version names them: another
    weighing is another model, saved beside the first)."""
    version = f"{model.version.split('+')[0]}+n{weights.neighbours:g}t{weights.textcat:g}"
    return replace(model, version=version, meta={**model.meta, "learned_weights": weights.as_meta()})


def without_examples(model: TrainedModel, ids: set[str]) -> TrainedModel:
    """The model without some confirmed examples as neighbours or exact matches (for a fair test on them;
    its textcat has still read them, which favours the model being tested)."""
    keep = [i for i, x in enumerate(model.example_ids) if x not in ids]
    lemmas = model.meta.get("example_lemmas") or []
    return replace(
        model, example_ids=[model.example_ids[i] for i in keep],
        example_labels=[model.example_labels[i] for i in keep],
        example_keys=[model.example_keys[i] for i in keep] if len(model.example_keys) == len(model.example_ids) else [],
        example_vectors=model.example_vectors[keep] if model.example_vectors is not None
        and len(model.example_vectors) == len(model.example_ids) else None,
        meta={**model.meta, "example_lemmas": [lemmas[i] for i in keep] if len(lemmas) == len(model.example_ids)
              else []})


def choose_weights(classifier: ProjectClassifier, examples: Sequence[Example], seed: int, nlp: Language,
                   vectors: np.ndarray | None, folds: int = FOLDS) -> LearnedWeights:
    """The lightest grid point within one standard error of the best out-of-fold score.

    Each fold's model is trained on the other folds only; every grid point is scored on the same
    out-of-fold decisions (per-example F1, pooled over the folds), and the paired differences to
    the best point decide which points it cannot be told from. Deterministic: folds by position,
    fixed seed.
    """
    base = classifier.with_model(None)
    folds = max(2, min(folds, len(examples)))
    gold: list[list[str]] = []
    pred: dict[tuple[float, float], list[list[str]]] = {point: [] for point in GRID}
    rules: list[list[str]] = []
    for k in range(folds):
        test = [e for i, e in enumerate(examples) if i % folds == k]
        fit_at = [i for i in range(len(examples)) if i % folds != k]
        if not test or not fit_at:
            continue
        fit = [examples[i] for i in fit_at]
        fold_vectors = vectors[fit_at] if vectors is not None else None
        model = train_models(fit, seed=seed, nlp=nlp, vectors=fold_vectors, vector_version=classifier.vector_version)
        gold += [list(e.projects) for e in test]
        texts = [e.text for e in test]
        rules += [d.labels for d in base.classify_many(texts)]
        for nb, tc in GRID:
            clf = classifier.with_model(with_weights(model, LearnedWeights(nb, tc)))
            pred[(nb, tc)] += [d.labels for d in clf.classify_many(texts)]
    scored = {point: f1_scores(gold, labels) for point, labels in pred.items()}
    per = {point: _per_example(gold, labels) for point, labels in pred.items()}
    best = max(GRID, key=lambda p: (round(float(per[p].mean()), 6), -sum(p)))
    # one standard error: the lightest point the folds cannot tell from the best one (a few dozen
    # confirmations seldom can; a few hundred can)
    chosen = min((p for p in GRID if _within_one_se(per[best], per[p])), key=lambda p: (sum(p), p))
    cv = {"folds": folds, "examples": len(gold), "rules_only": _rounded(f1_scores(gold, rules)),
          "best": f"{best[0]}/{best[1]}",
          "grid": {f"{nb}/{tc}": _rounded(s) for (nb, tc), s in scored.items()}}
    return LearnedWeights(chosen[0], chosen[1], cv)


def _per_example(gold: list[list[str]], pred: list[list[str]]) -> np.ndarray:
    """Each example's F1 of its label set (2|g∩p| / (|g|+|p|))."""
    return np.array([2 * len(set(g) & set(p)) / (len(set(g)) + len(set(p))) if g or p else 1.0
                     for g, p in zip(gold, pred, strict=True)])


def _within_one_se(best: np.ndarray, other: np.ndarray) -> bool:
    diff = best - other
    if len(diff) < 2:
        return True
    return float(diff.mean()) <= float(diff.std(ddof=1)) / float(np.sqrt(len(diff)))


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in scores.items()}
