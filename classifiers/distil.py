"""Build the static lemma vectors (``classifiers/data/static_e5_lemmas.npz``) from the e5 model.

Vocabulary: the most frequent Polish words (``wordfreq``, needed at build time only) and every
word of the catalogues given, lemmatised and folded as the pipeline does, stop words dropped.
Each lemma is embedded once, alone, on the ``query:`` side; its weight is the smooth inverse
frequency a / (a + p) so that frequent words count less when a text is pooled. Vectors are
stored as int8 with a per-row scale (a quarter of float32; cosine error < 0.01).

    python -m classifiers.distil [--words 30000] [--max-lemmas 15000] [--catalogue projects.toml ...]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

from classifiers.foldtable import fold
from classifiers.static_vectors import DEFAULT_PATH

SIF_A = 1e-4
TOP_COMPONENTS = 1
RARE = 1e-7  # frequency given to catalogue words the list does not know


def vocabulary(words: int, max_lemmas: int, extra_texts: list[str]) -> tuple[list[str], list[str], list[float]]:
    """(folded keys, lemma spellings to embed, frequencies), most frequent first, catalogue words kept."""
    import wordfreq
    from spacy.lang.pl.stop_words import STOP_WORDS

    from classifiers.nlp import get_nlp, lemmatizer

    lemma = lemmatizer(get_nlp()).lemma
    stop = {fold(w) for w in STOP_WORDS}
    freq: dict[str, float] = {}
    spelling: dict[str, str] = {}  # the most frequent word of the lemma: "od" -> "oda" is embedded as "od"

    def add(word: str, p: float) -> None:
        lem = lemma(word).lower()
        key = fold(lem)
        if len(key) < 2 or key in stop or fold(word) in stop or not key.isalpha():
            return
        spelling.setdefault(key, word.lower() if p > 0 else lem)
        freq[key] = freq.get(key, 0.0) + p

    for word in wordfreq.top_n_list("pl", words):
        add(word, wordfreq.word_frequency(word, "pl"))
    keys = sorted(freq, key=lambda k: -freq[k])[:max_lemmas]
    kept = set(keys)
    for text in extra_texts:
        for word in re.findall(r"\w+", text):
            add(word, 0.0)
            key = fold(lemma(word).lower())
            if key in spelling and key not in kept:
                kept.add(key)
                keys.append(key)
    return keys, [spelling[k] for k in keys], [max(freq[k], RARE) for k in keys]


def embed(lemmas: list[str], batch: int = 256) -> np.ndarray:
    """Every lemma through the full encoder once (the slow part: ~1 min per 1,000 on one core)."""
    from classifiers.embeddings import load_model

    model = load_model(None)
    out = []
    start = time.perf_counter()
    for i in range(0, len(lemmas), batch):
        out.append(np.asarray(model.query(lemmas[i:i + batch]), dtype=np.float32))
        print(f"\r{i + batch}/{len(lemmas)} lemmas, {time.perf_counter() - start:.0f} s", end="", file=sys.stderr)
    print(file=sys.stderr)
    return np.concatenate(out)


def common_directions(vectors: np.ndarray, k: int = TOP_COMPONENTS) -> tuple[np.ndarray, np.ndarray]:
    """The mean and the top ``k`` principal directions of the table, removed when it is loaded.

    Single-word e5 vectors share a large common component, so pooled texts all look alike;
    removing it ("all-but-the-top") raised projects micro-F1 on the public corpus from 0.81 to
    0.86 (split remarks, static signal alone, nothing else changed).
    """
    mean = vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(vectors - mean, full_matrices=False)
    return mean.astype(np.float32), vt[:k].astype(np.float32)


def save(path: Path, keys: list[str], vectors: np.ndarray, freqs: list[float]) -> None:
    scales = np.abs(vectors).max(axis=1) / 127.0
    q = np.round(vectors / scales[:, None]).astype(np.int8)
    weights = np.array([SIF_A / (SIF_A + p) for p in freqs], dtype=np.float32)
    mean, top = common_directions(q.astype(np.float32) * scales[:, None])
    np.savez_compressed(path, words=np.array(keys), vectors=q, scales=scales.astype(np.float32), weights=weights,
                        mean=mean, top=top)


def reuse(path: Path) -> tuple[list[str], np.ndarray, list[float]]:
    """Keys, vectors and frequencies of an existing table (to change weights without re-embedding)."""
    with np.load(path, allow_pickle=False) as data:
        weights = data["weights"].astype(np.float64)
        return ([str(w) for w in data["words"]], data["vectors"].astype(np.float32) * data["scales"][:, None],
                list(SIF_A / weights - SIF_A))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=30_000, help="most frequent Polish words to lemmatise")
    parser.add_argument("--max-lemmas", type=int, default=15_000)
    parser.add_argument("--catalogue", type=Path, action="append", default=[], help="TOML files whose words to add")
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--reuse", action="store_true", help="keep the vectors of --out, recompute the rest")
    args = parser.parse_args()
    if args.reuse:
        save(args.out, *reuse(args.out))
        return
    extra = [p.read_text(encoding="utf-8") for p in args.catalogue]
    extra.append((Path(__file__).parent / "data" / "general.toml").read_text(encoding="utf-8"))
    keys, lemmas, freqs = vocabulary(args.words, args.max_lemmas, extra)
    print(f"{len(keys)} lemmas", file=sys.stderr)
    save(args.out, keys, embed(lemmas), freqs)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
