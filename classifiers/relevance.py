"""How close a text is, in meaning, to anything in the catalogue: the sorter's semantic signal.

Residents describe a project in everyday words the keyword lists do not hold, or write in
Ukrainian or English; the static lemma vectors (``static_vectors``, distilled from the
multilingual e5 model) still place such text near the project it is about. The score is the
best cosine of the text against the catalogue's project descriptions (and OGOLNA's), minus the
same for neutral office mail, so that a generic letter scores near zero. Built per catalogue:
each consultation may have its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from classifiers.catalogue import Catalogue

# Ordinary office mail with no topic of any strategy: its closeness to a project is the baseline.
_NEUTRAL = (
    "Dzień dobry, proszę o informację w sprawie mojego wniosku. Z poważaniem.",
    "Uprzejmie dziękuję za odpowiedź i pozdrawiam serdecznie.",
    "W załączeniu przesyłam dokumenty, proszę o potwierdzenie otrzymania wiadomości.",
)


class Encoder(Protocol):
    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class CatalogueRelevance:
    """``relevance(text)``: best cosine to a catalogue description minus the neutral baseline."""

    def __init__(self, catalogue: Catalogue, encoder: Encoder) -> None:
        descriptions = [p.description for p in catalogue.projects]
        if catalogue.general is not None:
            descriptions.append(catalogue.general.description)
        self._encoder = encoder
        self._passages = np.asarray(encoder.passages(descriptions), dtype=np.float32)
        neutral = np.asarray(encoder.queries(list(_NEUTRAL)), dtype=np.float32) @ self._passages.T
        self._baseline = float(neutral.max(axis=1).mean()) if len(neutral) else 0.0

    def __call__(self, text: str) -> float:
        if not text.strip() or not len(self._passages):
            return 0.0
        vec = np.asarray(self._encoder.queries([text[:5000]]), dtype=np.float32)[0]
        if not np.any(vec):
            return 0.0
        return float((self._passages @ vec).max()) - self._baseline


def static_relevance(catalogue: Catalogue, nlp: object) -> CatalogueRelevance:
    """The relevance over the static lemma vectors (milliseconds per text, no transformer)."""
    from classifiers.nlp import lemmatizer
    from classifiers.static_vectors import StaticEmbedder

    return CatalogueRelevance(catalogue, StaticEmbedder(lemmatizer(nlp).lemma))  # type: ignore[arg-type]
