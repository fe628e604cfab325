"""The learned part of the sorting: a logistic regression that weighs every signal at once.

The certain rules (RFC 3834 and bounce headers, server spam flags, the office's own address, case
references and replies in a known thread) decide first, in ``sorting``. Every other e-mail is
described by a few general features (consultation cues, catalogue topics and the semantic
closeness to the catalogue, wish/opinion/question forms, purposes that are not a remark, machine
and scam evidence, the consultation period) and this model gives the probability that it is a
remark. Features are standardised and the fit is L2-regularised logistic regression by Newton
steps (``signals.logistic``: the objective of scikit-learn's ``LogisticRegression(C=1/l2)``,
numpy only, deterministic). C and the thresholds are chosen by stratified k-fold
cross-validation (``fit_sort_model``), never by hand. The fitted model ships as
``data/sort_model.json`` with the training matrix (numbers only, no text), so that ``uwagi
train`` can refit it with the staff's triage decisions added.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.signals import logistic

DEFAULT_PATH = Path(__file__).parent / "data" / "sort_model.json"
SCAM_PATH = Path(__file__).parent / "data" / "scam_model.json"  # automatic or not, for what is no remark
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5
RECALL_WEIGHT = 1.0  # F-beta's beta: both precision and recall have a goal of 0.97


@dataclass(frozen=True)
class SortModel:
    """Standardisation, coefficients and the thresholds: remark, remark without review, glance."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float
    threshold: float  # p >= threshold: a remark
    sure: float  # p >= sure: a remark that needs no review
    glance: float  # p >= glance (below threshold): other, but a person glances at it
    C: float = 1.0
    cv: dict[str, Any] = field(default_factory=dict)
    train_x: np.ndarray | None = None
    train_y: np.ndarray | None = None
    # p >= overrule: a remark though the rules do not see one (None in older files: ``sure``)
    overrule: float | None = None

    @property
    def version(self) -> str:
        blob = json.dumps(
            [list(self.features), self.coef.round(6).tolist(), round(self.bias, 6), self.threshold, self.sure]
            + ([self.overrule] if self.overrule is not None else []),
            sort_keys=True,
        )
        return "sort-" + hashlib.sha256(blob.encode()).hexdigest()[:12]

    def vector(self, values: Mapping[str, float | None]) -> np.ndarray:
        """The features in model order; a missing or None signal reads as the training average."""
        return np.array(
            [
                m if (v := values.get(name)) is None else float(v)
                for name, m in zip(self.features, self.mean, strict=True)
            ]
        )

    def contributions(self, values: Mapping[str, float | None]) -> np.ndarray:
        """Each feature's share of the log-odds, relative to the average training e-mail."""
        return np.asarray(self.coef * (self.vector(values) - self.mean) / self.scale)

    def probability(self, values: Mapping[str, float | None]) -> float:
        z = self.bias + float(self.contributions(values).sum())
        return float(1.0 / (1.0 + np.exp(-z)))

    def top(self, values: Mapping[str, float | None], n: int = 3) -> list[tuple[str, float]]:
        """The features that pushed hardest, strongest first, in the direction of the decision."""
        parts = self.contributions(values)
        toward = self.probability(values) >= self.threshold
        order = np.argsort(-parts if toward else parts, kind="stable")
        return [(self.features[i], float(parts[i])) for i in order[:n] if (parts[i] > 0) == toward and parts[i]]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": self.version,
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": [round(float(c), 6) for c in self.coef],
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
            "sure": self.sure,
            "glance": self.glance,
            **({"overrule": self.overrule} if self.overrule is not None else {}),
            "C": self.C,
            "cv": self.cv,
        }
        if self.train_x is not None and self.train_y is not None:
            data["train"] = {
                "x": [[round(float(v), 4) for v in row] for row in self.train_x],
                "y": [int(v) for v in self.train_y],
            }
        return data

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SortModel:
        train = data.get("train") or {}
        return cls(
            features=tuple(data["features"]),
            mean=np.array(data["mean"]),
            scale=np.array(data["scale"]),
            coef=np.array(data["coef"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            sure=float(data["sure"]),
            glance=float(data["glance"]),
            C=float(data.get("C", 1.0)),
            cv=dict(data.get("cv", {})),
            train_x=np.array(train["x"], dtype=float) if train else None,
            train_y=np.array(train["y"], dtype=float) if train else None,
            overrule=float(data["overrule"]) if "overrule" in data else None,
        )

    @classmethod
    def load(cls, path: str | Path) -> SortModel:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> SortModel | None:
    """The model fitted by ``bench/fit_sort_model.py`` (None when the data file is missing)."""
    return SortModel.load(DEFAULT_PATH) if DEFAULT_PATH.exists() else None


@lru_cache(maxsize=1)
def shipped_scam_model() -> SortModel | None:
    """The scam/spam model fitted beside the sort model (None when the data file is missing)."""
    return SortModel.load(SCAM_PATH) if SCAM_PATH.exists() else None


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    mean, scale = _standardise(x)
    beta = logistic((x - mean) / scale, y, l2=1.0 / c)
    return mean, scale, beta[1:], float(beta[0])


def folds(y: np.ndarray, k: int = FOLDS) -> np.ndarray:
    """Stratified, deterministic fold number of each row: the rows of each class dealt in turn."""
    out = np.zeros(len(y), dtype=int)
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        out[rows] = np.arange(len(rows)) % k
    return out


def out_of_fold(x: np.ndarray, y: np.ndarray, c: float, k: int = FOLDS) -> np.ndarray:
    """Each row's probability from a model fitted on the folds that do not hold it."""
    fold_of = folds(y, k)
    p = np.zeros(len(y))
    for f in range(k):
        test = fold_of == f
        if not test.any() or len(np.unique(y[~test])) < 2:
            continue
        mean, scale, coef, bias = _fit(x[~test], y[~test], c)
        p[test] = 1.0 / (1.0 + np.exp(-(bias + ((x[test] - mean) / scale) @ coef)))
    return p


def _row_losses(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(-(y * np.log(q) + (1 - y) * np.log(1 - q)))


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    return float(_row_losses(p, y).mean())


def choose_c(x: np.ndarray, y: np.ndarray) -> tuple[float, dict[float, float]]:
    """The one-standard-error rule: the strongest regularisation (smallest C) whose out-of-fold
    log-loss is within one standard error of the best. The training set is small and partly
    written for the failure classes; the simpler model carries better to unseen mail."""
    rows = {c: _row_losses(out_of_fold(x, y, c), y) for c in C_GRID}
    losses = {c: float(r.mean()) for c, r in rows.items()}
    best = min(C_GRID, key=lambda v: (round(losses[v], 6), -v))
    bound = losses[best] + float(rows[best].std(ddof=1) / np.sqrt(len(y))) if len(y) > 1 else losses[best]
    return min(c for c in C_GRID if losses[c] <= bound), losses


def scores(p: np.ndarray, y: np.ndarray, t: float) -> dict[str, float]:
    pred = p >= t
    tp, fp, fn = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum()), int((~pred & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "tp": tp, "fp": fp, "fn": fn}


def _f_beta(p: np.ndarray, y: np.ndarray, t: float) -> float:
    s = scores(p, y, t)
    b2 = RECALL_WEIGHT**2
    denom = b2 * s["precision"] + s["recall"]
    return (1 + b2) * s["precision"] * s["recall"] / denom if denom else 0.0


def choose_thresholds(p: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(remark, sure, glance) from out-of-fold probabilities.

    remark: the cut with the best F-beta (recall weighted), ties to the one nearest 0.5;
    sure: the lowest cut above which no out-of-fold non-remark lies (at most 0.95);
    glance: among the e-mails below the remark cut, the cut with the best F-beta for the remarks
    still there (other mail in that band is flagged for a glance, as is any mail the rules see
    touching the consultation); half the remark cut when no remark lies below it.
    """
    cuts = sorted({round(float(v), 4) for v in np.concatenate([p, [0.5]])} | {0.05, 0.95})
    cuts = [c for c in cuts if 0.05 <= c <= 0.95]
    best = max(cuts, key=lambda c: (round(_f_beta(p, y, c), 6), -abs(c - 0.5)))
    negatives = p[y == 0]
    sure = min(0.95, max(best, float(negatives.max()) + 1e-4 if len(negatives) else best))
    below = p < best
    glance = best / 2
    if y[below].any():
        sub_p, sub_y = p[below], y[below]
        low = [c for c in cuts if c < best] or [best / 2]
        glance = max(low, key=lambda c: (round(_f_beta(sub_p, sub_y, c), 6), c))
    return round(best, 4), round(sure, 4), round(glance, 4)


def overrule_cut(p: np.ndarray, y: np.ndarray, unseen: np.ndarray, fallback: float) -> float:
    """The cut above which the model calls a remark what the rules do not see as one: the best F-beta
    on the out-of-fold probabilities of those e-mails alone, searched from 0.5 up to ``fallback``
    (the caller keeps it at or above the remark cut)."""
    if not unseen.any() or not y[unseen].any():
        return fallback
    sub_p, sub_y = p[unseen], y[unseen]
    low = min(fallback, 0.5)
    cuts = [float(c) for c in np.unique(np.round(sub_p[(sub_p >= low) & (sub_p <= fallback)], 4))] + [fallback]
    merits = [(round(_f_beta(sub_p, sub_y, c), 6), c) for c in cuts]  # ties: the higher cut
    return round(max(merits)[1], 4)


def train_sort_model(x: np.ndarray, y: np.ndarray, features: Sequence[str]) -> SortModel:
    """Choose C by out-of-fold log-loss (one-standard-error rule), the thresholds on the out-of-fold
    probabilities, then fit all."""
    # rounded as stored in the data file, so that a refit from the file gives the same model
    x, y = np.round(np.asarray(x, dtype=float), 4), np.asarray(y, dtype=float)
    c, losses = choose_c(x, y)
    oof = out_of_fold(x, y, c)
    threshold, sure, glance = choose_thresholds(oof, y)
    names = list(features)
    overrule = None
    if "rule_remark" in names and "rule_review" in names:  # the remark model: rows the rules do not see
        unseen = (x[:, names.index("rule_remark")] + x[:, names.index("rule_review")]) == 0
        overrule = max(threshold, overrule_cut(oof, y, unseen, sure))
    mean, scale, coef, bias = _fit(x, y, c)
    cv = {
        "folds": FOLDS,
        "C_log_loss": {str(k): round(v, 4) for k, v in losses.items()},
        "at_threshold": scores(oof, y, threshold),
        "rows": len(y),
        "remarks": int(y.sum()),
    }
    return SortModel(tuple(features), mean, scale, coef, bias, threshold, sure, glance, c, cv, x, y, overrule)
