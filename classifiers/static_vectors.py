"""Static lemma vectors distilled once from the same e5 model: the fast semantic signal.

The idea behind model2vec: embed each word of a vocabulary once with the full encoder, ship the
table, and represent a text by the frequency-weighted mean of its words' vectors. Here the
vocabulary is lemmas (folded, as ``token.norm_``), so inflected forms and text typed without
diacritics share one vector. A remark then costs a few dictionary look-ups instead of a
transformer pass (milliseconds, whatever its length). Built by ``python -m classifiers.distil``.

``StaticEmbedder`` offers the ``Embedder`` interface (``queries``, ``passages``,
``model_version``, ``enabled``) so the project classifier can use either.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from classifiers.foldtable import fold

Matrix = npt.NDArray[np.float32]
DEFAULT_PATH = Path(__file__).parent / "data" / "static_e5_lemmas.npz"
_WORD = re.compile(r"\w+")


class StaticVectors:
    """The table: folded lemma -> int8 vector (with a per-row scale) and a frequency weight."""

    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        with np.load(path, allow_pickle=False) as data:
            words = [str(w) for w in data["words"]]
            vectors = data["vectors"].astype(np.float32) * data["scales"][:, None] - data["mean"]
            top = data["top"]
            self.vectors = np.asarray(vectors - (vectors @ top.T) @ top, dtype=np.float32)
            self.weights = data["weights"].astype(np.float32)
        self.index = {w: i for i, w in enumerate(words)}
        self.version = "static-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    def pool(self, lemmas: Sequence[str]) -> Matrix:
        """Weighted mean of the known lemmas' vectors, L2-normalised (zeros when none is known)."""
        rows = [self.index[w] for w in lemmas if w in self.index]
        dim = self.vectors.shape[1]
        if not rows:
            return np.zeros(dim, dtype=np.float32)
        vec = self.weights[rows] @ self.vectors[rows]
        return np.asarray(vec / max(float(np.linalg.norm(vec)), 1e-9), dtype=np.float32)


@lru_cache(maxsize=2)
def load_static(path: Path = DEFAULT_PATH) -> StaticVectors:
    """The shared table (loaded once per process, ~20 MB as float32)."""
    return StaticVectors(path)


class StaticEmbedder:
    """``Embedder``-compatible encoder over static lemma vectors; ``lemma`` maps a word to its lemma."""

    enabled = True

    def __init__(self, lemma: Callable[[str], str], table: StaticVectors | None = None) -> None:
        self.table = table or load_static()
        self._lemma = lemma
        self.model_version = self.table.version

    def lemmas(self, text: str) -> list[str]:
        return [fold(self._lemma(w)) for w in _WORD.findall(text)]

    def queries(self, texts: Sequence[str]) -> Matrix:
        """One pooled vector per text (both sides are the same for static vectors)."""
        if not texts:
            return np.zeros((0, self.table.vectors.shape[1]), dtype=np.float32)
        return np.stack([self.table.pool(self.lemmas(t)) for t in texts])

    def passages(self, texts: Sequence[str]) -> Matrix:
        return self.queries(texts)
