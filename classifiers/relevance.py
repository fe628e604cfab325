"""How close a text is, in meaning, to anything in the catalogue: the sorter's semantic signal.

Residents describe a project in everyday words the keyword lists do not hold; the static lemma
vectors (``static_vectors``, distilled from the multilingual e5 model) still place such text near
the project it is about. The score is the best cosine of the text against the catalogue's project
descriptions (and OGOLNA's), minus the same for neutral office mail, so that a generic letter
scores near zero. The static vectors know Polish lemmas only: a remark in Ukrainian, Belarusian or
English scored ~0 whatever it said, so ``MultilingualRelevance`` reads such text with the e5 encoder
itself, against neutral office mail of its own language. Built per catalogue: each consultation may
have its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from classifiers.catalogue import Catalogue
from classifiers.language import detect_language

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

    def __init__(self, catalogue: Catalogue, encoder: Encoder, neutral_mail: Sequence[str] = _NEUTRAL) -> None:
        descriptions = [p.description for p in catalogue.projects]
        if catalogue.general is not None:
            descriptions.append(catalogue.general.description)
        self._encoder = encoder
        self._passages = np.asarray(encoder.passages(descriptions), dtype=np.float32)
        neutral = np.asarray(encoder.queries(list(neutral_mail)), dtype=np.float32) @ self._passages.T
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


# The same ordinary office mail in the other languages the mailbox meets: a cosine across languages is lower
# than within Polish (e5-small: ~0.78 against ~0.82 for the same neutral letter), so a text is measured
# against the neutral mail of its own language, not the Polish one.
_NEUTRAL_BY_LANGUAGE = {
    "uk": ("Добрий день, прошу надати інформацію щодо моєї заяви. З повагою.",
           "Щиро дякую за відповідь і сердечно вітаю.",
           "У додатку надсилаю документи, прошу підтвердити отримання листа."),
    "be": ("Добры дзень, прашу даць інфармацыю наконт маёй заявы. З павагай.",
           "Шчыра дзякую за адказ і сардэчна вітаю.",
           "У дадатку дасылаю дакументы, прашу пацвердзіць атрыманне ліста."),
    "be-latn": ("Dobry dzień, prašu dać infarmacyju nakont majoj zajavy. Z pavahaj.",
                "Ščyra dziakuju za adkaz i sardečna vitaju.",
                "U dadatku dasylaju dakumienty, prašu pacvierdzić atrymannie lista."),
    "en": ("Good morning, I am asking for information about my application. Kind regards.",
           "Thank you very much for your reply, best wishes.",
           "Please find the documents attached and confirm that you received this message."),
}
# The full encoder's relevance put on the static vectors' scale (least squares slope over the Polish mail of the
# labelled sets: static = 4.3 x full + 0.16, correlation 0.6), so the sort model reads one scale. Without the
# intercept: mail as neutral as the baseline scores 0 on both (with it a Ukrainian "thank you, the documents are
# attached" read as close to the catalogue as a remark).
FULL_TO_STATIC = 4.3
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class MultilingualRelevance:
    """Polish text by the static lemma vectors (fast); other languages, which those vectors do not know (their
    relevance is ~0 whatever they say), by the multilingual encoder against the neutral mail of their language."""

    def __init__(self, catalogue: Catalogue, static: CatalogueRelevance, encoder: Encoder) -> None:
        self._static = static
        self._catalogue = catalogue
        self._encoder = encoder
        # one per language met, built on its first mail (the encoder is loaded only when non-Polish mail comes)
        self._by_language: dict[str, CatalogueRelevance] = {}

    def __call__(self, text: str) -> float:
        language = detect_language(text[:2000]) if text.strip() else "pl"
        if language == "pl":
            return self._static(text)
        key = language if language in _NEUTRAL_BY_LANGUAGE else "uk" if _CYRILLIC.search(text) else "en"
        if key == "be" and not _CYRILLIC.search(text):
            key = "be-latn"
        if key not in self._by_language:
            self._by_language[key] = CatalogueRelevance(self._catalogue, self._encoder, _NEUTRAL_BY_LANGUAGE[key])
        return FULL_TO_STATIC * self._by_language[key](text)
