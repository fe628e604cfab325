"""Catalogue keyword matching on folded lemmas, through every inflected form.

The phrases of a project are its keywords and its ``everyday`` words (``catalogue``), weighed alike. The
catalogue's ``outside`` words (matters the strategy does not cover) are found as POZA's, unless a project or
OGOLNA lists the same phrase or one of its words by itself; they are no catalogue topic.

Each keyword is lemmatised by the same ``pl_lemma`` component as the remarks, and every form
Morfeusz generates for each of its words is lemmatised too, so ``ścieżek``, ``sciezek`` and
``ścieżkami`` all meet the keyword ``ścieżka rowerowa``. Folded generated forms are registered
with the lemmatizer, so an ASCII-typed ``fotowoltaike`` finds ``fotowoltaika`` even though the
general lexicon does not know it. A hit carries a weight: a phrase or a project's own title
counts more than one word, and a word listed in several projects, or one of the few everyday
words below, counts little: alone it should not decide a project.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from classifiers.catalogue import OUTSIDE, Catalogue
from classifiers.foldtable import fold
from classifiers.morfeusz import LOCK, morfeusz
from classifiers.nlp import lemmatizer

# Everyday words (folded lemmas) that appear in remarks about anything; as a single-word
# keyword they are weak evidence. Generic Polish vocabulary, deliberately short.
GENERIC_WORDS = frozenset({
    "woda", "droga", "szkola", "praca", "energia", "prad", "urzad", "informacja", "historia",
    "opieka", "firma", "dom", "gmina", "mieszkaniec", "projekt", "strategia", "pomoc", "rolnik", "gospodarstwo",
})
W_PHRASE, W_WORD, W_GENERIC, W_TITLE, W_ID = 1.0, 0.6, 0.2, 1.5, 2.0
_MAX_VARIANTS = 64


@dataclass(frozen=True)
class Hit:
    """One keyword found in a text; ``start``/``end`` are character offsets."""

    project: str
    phrase: str
    text: str
    start: int
    end: int
    weight: float


def _content(doc: Doc) -> list[str]:
    return [t.norm_ for t in doc if t.is_alpha and not t.is_stop]


class KeywordMatcher:
    """Finds catalogue keywords, project titles and explicit project ids in a parsed text."""

    def __init__(self, catalogue: Catalogue, nlp: Language) -> None:
        self.nlp = nlp
        self._matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self._info: dict[str, tuple[str, str, float]] = {}  # match key -> project, phrase, weight
        generic_names = {tuple(_content(nlp(str(v)))) for k, v in catalogue.meta.items()
                         if isinstance(v, str) and k in {"partnership", "name", "strategy"}}
        owners: dict[tuple[str, ...], set[str]] = {}
        entries: list[tuple[str, str, float, list[Doc], tuple[str, ...]]] = []
        reserved = [entry for entry in (catalogue.general, catalogue.outside) if entry is not None]
        for project in [*catalogue.projects, *reserved]:  # POZA's words last: any other label's word is not POZA's
            phrases: list[tuple[str, float | None]] = [(k, None) for k in project.phrases]
            if project not in reserved:
                phrases += [(part, W_TITLE) for part in self._title_parts(project.title)]
            for phrase, fixed in phrases:
                doc = nlp(phrase)
                content = tuple(_content(doc))
                if not content or (project is catalogue.outside and self._listed(content, owners)):
                    continue
                owners.setdefault(content, set()).add(project.id)
                if fixed is not None:
                    weight = fixed
                elif sum(1 for t in doc if t.is_alpha) > 1:
                    weight = W_PHRASE
                else:
                    weight = W_GENERIC if content[0] in GENERIC_WORDS else W_WORD
                if any(content == name or set(content) <= set(name) for name in generic_names):
                    weight = W_GENERIC
                entries.append((project.id, phrase, weight, self._variants(doc), content))
        for i, (pid, phrase, weight, docs, content) in enumerate(entries):
            share = len(owners.get(content, {pid}))  # a phrase several projects list counts for each in part
            key = f"{pid}#{i}"
            self._info[key] = (pid, phrase, weight / share)
            self._matcher.add(key, docs)
        self._ids = self._id_patterns(catalogue)

    @staticmethod
    def _listed(content: tuple[str, ...], owners: dict[tuple[str, ...], set[str]]) -> bool:
        """An outside phrase the catalogue already speaks of: the same phrase, or one of its words listed on its
        own ("miejsce w przedszkolu" where a project lists "przedszkole")."""
        return content in owners or any((word,) in owners for word in content)

    @staticmethod
    def _title_parts(title: str) -> list[str]:
        """The title and its parts around dashes/colons with 2+ words ("Lokalna żywność")."""
        parts = [p.strip(" „”\"'") for p in re.split(r"\s[–—-]\s|:", title)]
        return [title] + [p for p in parts if len(p.split()) >= 2 and p != title]

    def _variants(self, doc: Doc) -> list[Doc]:
        """Pattern docs: the keyword's norms, with every inflected form's norm per word."""
        comp = lemmatizer(self.nlp)
        per_token: list[list[str]] = []
        for token in doc:
            norms = {token.norm_}
            if token.is_alpha:
                try:
                    with LOCK:
                        forms = morfeusz().generate(token.lemma_)
                except RuntimeError:
                    forms = []
                for form, _lemma, tag, _names, _quals in forms:
                    if tag.startswith("brev") or len(form) < 3:
                        continue
                    comp.add_known_forms({form: token.lemma_})
                    norms.add(fold(comp.lemma(form)))
            per_token.append(sorted(norms))
        docs = []
        for combo in itertools.islice(itertools.product(*per_token), _MAX_VARIANTS):
            pattern = Doc(self.nlp.vocab, words=list(combo))
            for t, norm in zip(pattern, combo, strict=True):
                t.norm_ = norm
            docs.append(pattern)
        return docs

    @staticmethod
    def _id_patterns(catalogue: Catalogue) -> list[tuple[str, re.Pattern[str]]]:
        """Explicit references: "P4.2", "projekt 4.2", "projektu nr 4.2" (ids and aliases)."""
        out = []
        for p in catalogue.projects:
            for name in (p.id, *p.aliases):
                bare = re.escape(name.lstrip("Pp")) if re.match(r"^[Pp]\d", name) else None
                alts = [rf"(?<![\w.]){re.escape(name)}(?![\w]|\.\d)"]
                if bare:
                    alts.append(rf"\bprojek\w*\s+(?:nr\.?\s*)?{bare}(?![\w]|\.\d)")
                out.append((p.id, re.compile("|".join(alts), re.IGNORECASE)))
        return out

    def find(self, doc: Doc) -> list[Hit]:
        """Hits in ``doc``; a hit inside a longer hit of any project is dropped."""
        hits, text = [], doc.text  # doc.text joins every token: build it once, not once per pattern
        for key, start, end in self._matcher(doc):
            pid, phrase, weight = self._info[self.nlp.vocab.strings[key]]
            span = doc[start:end]
            hits.append(Hit(pid, phrase, span.text, span.start_char, span.end_char, weight))
        for pid, pattern in self._ids:
            for m in pattern.finditer(text):
                hits.append(Hit(pid, m.group(0), m.group(0), m.start(), m.end(), W_ID))
        hits.sort(key=lambda h: (h.start - h.end, -h.weight))
        kept: list[Hit] = []
        for h in hits:
            if any(k.start <= h.start and h.end <= k.end and (k.end - k.start > h.end - h.start
                                                              or k.project == h.project) for k in kept):
                continue
            kept.append(h)
        return sorted(kept, key=lambda h: h.start)

    @staticmethod
    def scores(hits: list[Hit]) -> dict[str, float]:
        """Raw keyword evidence per project: distinct phrases count fully, repeats a little."""
        per: dict[str, dict[str, list[float]]] = {}
        for h in hits:
            per.setdefault(h.project, {}).setdefault(h.phrase, []).append(h.weight)
        return {pid: sum(w[0] * (1 + 0.25 * min(len(w) - 1, 2)) for w in phrases.values())
                for pid, phrases in per.items()}

    def topics(self, text: str) -> tuple[str, ...]:
        """Projects whose specific (not everyday) keywords ``text`` uses, as "P2.1 'oświetlenia'".

        The sorter asks this of mail that names no consultation: a wish about one of these topics,
        sent while the consultation runs, is a remark."""
        hits = self.find(self.nlp(text[:5000]))
        return tuple(dict.fromkeys(f"{h.project} '{h.text}'" for h in hits
                                   if h.weight > W_GENERIC and h.project != OUTSIDE))
