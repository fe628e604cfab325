"""Staff-confirmed remarks as neighbours: a remark like one the staff labelled likely shares its projects.

The textcat needs many examples per project before it helps; a nearest-neighbour vote helps
from the first confirmations, in words the catalogue does not use. Similarity is the cosine of
the e5 embeddings when there are any, else the overlap of the folded lemma sets. The vote's
weight grows with the number of confirmed examples (``n / (n + HALF)``), so a few early
confirmations nudge the scores and a few hundred can decide them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["HALF", "W_LEMMAS", "W_NEIGHBOURS", "K", "lemma_similarities", "neighbour_lift", "neighbour_votes"]

K = 5  # neighbours that vote
TAU = 0.04  # softmax temperature over cosine similarities: the nearest count most
HALF = 15  # examples at which the vote has half its weight
W_NEIGHBOURS = 5.0  # logit lift of a unanimous vote once there are many examples
W_LEMMAS = 0.6  # lemma overlap is a weaker likeness than the embedding: its vote counts less
FLOOR = 0.25  # share of the vote a label needs before it is lifted rather than lowered

Vector = npt.NDArray[np.float64]


def lemma_similarities(lemmas: str, examples: Sequence[str]) -> Vector:
    """Cosine of lemma sets (content words of 3+ letters) with each example's lemma string."""
    mine = {w for w in lemmas.split() if len(w) >= 3}
    out = np.zeros(len(examples))
    for i, other in enumerate(examples):
        theirs = {w for w in other.split() if len(w) >= 3}
        if mine and theirs:
            out[i] = len(mine & theirs) / float(np.sqrt(len(mine) * len(theirs)))
    return out


def neighbour_votes(sims: Vector, example_labels: Sequence[Sequence[str]], labels: Sequence[str],
                    k: int = K, tau: float = TAU) -> Vector:
    """Per label, the similarity-weighted share of the ``k`` nearest examples that carry it."""
    vote = np.zeros(len(labels))
    if len(sims) == 0:
        return vote
    top = np.argsort(-sims, kind="stable")[:k]
    weights = np.exp((sims[top] - sims[top].max()) / tau)
    weights /= weights.sum()
    index = {label: i for i, label in enumerate(labels)}
    for w, i in zip(weights, top, strict=True):
        for label in example_labels[i]:
            if label in index:
                vote[index[label]] += w
    return vote


def neighbour_lift(vote: Vector, examples: int, weight: float = W_NEIGHBOURS) -> Vector:
    """Logit lift: up for labels most neighbours carry, a little down for the rest; grows with data."""
    trust = examples / (examples + HALF)
    return np.asarray(weight * trust * (vote - FLOOR) / (1.0 - FLOOR))
