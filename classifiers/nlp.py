"""spaCy pipeline for Polish remarks: ``blank("pl")`` + a Morfeusz-based lemma component.

There is no trained Polish spaCy model we may download, so lemmas come from Morfeusz 2 (SGJP,
shipped in its wheel). Residents often type without diacritics, which Morfeusz does not know
(``sciezek`` -> ``ign``); for those words a folded-form table (``foldtable``) and then lemmagen3
fill in. Every token gets ``lemma_`` and ``norm_`` = the folded, lower-cased lemma, so that
``PhraseMatcher(attr="NORM")`` and the bag-of-words textcat see one spelling per word whether
the resident typed ``ścieżek``, ``sciezek`` or ``Ścieżki``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from lemmagen3 import Lemmatizer
from spacy.language import Language
from spacy.tokens import Doc

from classifiers.foldtable import DEFAULT_PATH, FoldTable, build, fold
from classifiers.morfeusz import LOCK, morfeusz

log = logging.getLogger(__name__)

# Parts of speech by preference (noun > adjective > verb) when Morfeusz gives several readings.
_POS_RANK = {
    "subst": 0, "depr": 0, "brev": 3, "adj": 1, "adja": 1, "adjp": 1, "adjc": 1, "ger": 2,
    "fin": 2, "praet": 2, "inf": 2, "impt": 2, "imps": 2, "pcon": 2, "pant": 2, "pact": 2,
    "ppas": 2, "bedzie": 2, "winien": 2, "pred": 2,
}

if not Doc.has_extension("lemma_text"):
    Doc.set_extension("lemma_text", default="")


def locate_fold_table(cache_dir: Path | None = None) -> Path | None:
    """The shipped table; else one in ``cache_dir`` (built there once if the source exists)."""
    if DEFAULT_PATH.exists():
        return DEFAULT_PATH
    if cache_dir is None:
        return None
    target = cache_dir / DEFAULT_PATH.name
    if target.exists():
        return target
    try:
        log.warning("building folded lemma table in %s (once, ~30 s)", target)
        build(target)
    except ImportError:
        log.warning("no folded lemma table and no spacy-lookups-data to build it")
        return None
    return target


class PolishLemmatizer:
    """Sets ``lemma_``, ``norm_`` (folded lemma) and ``doc._.lemma_text``."""

    def __init__(self, fold_table: Path | None) -> None:
        self._morf = morfeusz()  # the process's one instance (classifiers.morfeusz)
        self._lemmagen = Lemmatizer("pl")
        self._table = FoldTable(fold_table) if fold_table else None
        self._known: dict[str, str] = {}  # folded form -> lemma, from the catalogue's generated forms
        self._cache: dict[str, str] = {}
        self._lock = LOCK  # Morfeusz instances are not thread-safe

    @property
    def fold_table(self) -> FoldTable | None:
        """The folded-form table (its connection is reopened in a forked worker)."""
        return self._table

    def add_known_forms(self, forms: dict[str, str]) -> None:
        """Register folded inflected forms (e.g. of catalogue keywords) for unknown ASCII words."""
        for form, lemma in forms.items():
            self._known.setdefault(fold(form), lemma)
        self._cache.clear()

    def lemma(self, word: str) -> str:
        """Lemma of one token (cached)."""
        hit = self._cache.get(word)
        if hit is None:
            hit = self._lemma(word)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[word] = hit
        return hit

    def _lemma(self, word: str) -> str:
        low = word.lower()
        if not any(ch.isalpha() for ch in word):
            return low
        with self._lock:
            readings = [r[2] for r in self._morf.analyse(word) if r[0] == 0]
        readings = [r for r in readings if r[2] != "ign"]
        if readings:
            guess = self._lemmagen.lemmatize(low)

            def key(r: tuple[Any, ...]) -> tuple[int, int, int]:
                base = r[1].split(":")[0]
                return (1 if r[4] else 0, _POS_RANK.get(r[2].split(":")[0], 4), base.lower() != guess)

            best = str(min(readings, key=key)[1]).split(":")[0]
            return best if word[:1].isupper() and word[1:2].islower() else best.lower()
        if word.isascii():
            folded = fold(word)
            if folded in self._known:
                return self._known[folded]
            if self._table is not None:
                found = self._table.get(folded)
                if found:
                    return found
        return str(self._lemmagen.lemmatize(low))

    def __call__(self, doc: Doc) -> Doc:
        norms = []
        for token in doc:
            lemma = self.lemma(token.text)
            token.lemma_ = lemma
            token.norm_ = fold(lemma)
            if any(ch.isalnum() for ch in token.text):
                norms.append(token.norm_)
        doc._.lemma_text = " ".join(norms)
        return doc


@Language.factory("pl_lemma", default_config={"fold_table": ""})
def make_pl_lemma(nlp: Language, name: str, fold_table: str) -> PolishLemmatizer:
    """spaCy factory: ``fold_table`` is a path, or "" to run without the folded fallback."""
    return PolishLemmatizer(Path(fold_table) if fold_table else None)


LONG_RUN = 64
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")


def break_long_runs(text: str) -> str:
    """Every LONG_RUN-th character of a longer run without spaces becomes a space, so no token is
    longer than LONG_RUN; the text keeps its length, so character offsets still point into it."""
    if len(text) <= LONG_RUN or _LONG_RUN.search(text) is None:
        return text

    def cut(m: re.Match[str]) -> str:
        chars = list(m.group(0))
        chars[LONG_RUN::LONG_RUN + 1] = [" "] * len(chars[LONG_RUN::LONG_RUN + 1])
        return "".join(chars)

    return _LONG_RUN.sub(cut, text)


class BoundedTokenizer:
    """spaCy's tokenizer with tokens of at most LONG_RUN characters. Its affix splitting is
    quadratic in the length of one run of punctuation (3,400 ':' took 1 s, 6,800 took 2.3 s): a
    hostile e-mail must not buy seconds per kilobyte. No word is that long."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        doc: Doc = self.inner(break_long_runs(text))
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def make_nlp(cache_dir: Path | None = Path("var/cache")) -> Language:
    """A fresh pipeline; prefer :func:`get_nlp` (shared, loaded once)."""
    table = locate_fold_table(cache_dir)
    nlp = spacy.blank("pl")
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe("pl_lemma", config={"fold_table": str(table) if table else ""})
    return nlp


@lru_cache(maxsize=2)
def get_nlp(cache_dir: Path | None = Path("var/cache")) -> Language:
    """The process-wide pipeline (Morfeusz and the tables load once, ~0.5 s)."""
    return make_nlp(cache_dir)


def lemmatizer(nlp: Language) -> PolishLemmatizer:
    """The ``pl_lemma`` component of ``nlp``."""
    component = nlp.get_pipe("pl_lemma")
    assert isinstance(component, PolishLemmatizer)
    return component


def lemma_text(nlp: Language, text: str) -> str:
    """Folded lemmas of the words of ``text``, space-separated (the textcat input)."""
    return str(nlp(text)._.lemma_text)


def lemma_texts(nlp: Language, texts: Iterable[str]) -> list[str]:
    """Batch form of :func:`lemma_text`."""
    return [str(doc._.lemma_text) for doc in nlp.pipe(texts)]
