"""The language a remark is written in (ISO 639-1), detected offline by lingua.

Most remarks are Polish; migrants and partner organisations write in Ukrainian, Belarusian
(Cyrillic or the Latin Łacinka) and English. Only the languages this mailbox meets are loaded,
which keeps lingua's models small and its answers stable. Łacinka reads to lingua as Polish, so
Latin text with the letters Polish lacks (š, ž, č, ŭ) is taken as Belarusian.

Memory: lingua's high-accuracy mode reads a text of 120 letters or more by its trigrams only, and
decides a text with a letter only one candidate language uses (ł, ę, ї, ў...) by that rule, before
any model. Only a short text without such a letter needs its 1-, 2-, 4- and 5-gram models, ~65 MB
per script (~130 MB of the ~145 MB the six languages take), which every worker would otherwise hold.
So the trigram (low-accuracy) detector answers first, where its answer is the high-accuracy one,
and the full detector is loaded only for the rare short text that needs it, then unloaded
(`release`) once a few messages have gone by without one. The answers are lingua's, unchanged.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

__all__ = ["LANGUAGES", "detect_language", "preload", "release"]

LANGUAGES = ("pl", "uk", "be", "en", "ru", "de")
TRIGRAMS_ONLY_FROM = 120  # lingua (high accuracy) reads a text this long by its trigrams alone
KEEP_FULL_FOR = 10  # `release` calls (messages) the full models stay loaded after their last use
_LACINKA = re.compile(r"[šžčŭŠŽČŬ]")
_LOCK = threading.Lock()
_full_idle = -1  # release calls since the full models were last used; -1: not loaded


def _build(low_accuracy: bool) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


@lru_cache(maxsize=1)
def _trigrams() -> Any:
    return _build(low_accuracy=True)


@lru_cache(maxsize=1)
def _full() -> Any:
    return _build(low_accuracy=False)


def _language_of(sample: str) -> Any:
    """lingua's high-accuracy answer for ``sample``, from the trigram models wherever they decide it."""
    global _full_idle
    if sum(ch.isalpha() for ch in sample) >= TRIGRAMS_ONLY_FROM:
        return _trigrams().detect_language_of(sample)  # what the full detector computes for it
    values = _trigrams().compute_language_confidence_values(sample)
    if values and values[0].value == 1.0:  # decided by a letter, before any n-gram model
        return values[0].language
    _full_idle = 0
    return _full().detect_language_of(sample)


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``; "pl" for text too short or too mixed to tell."""
    sample = " ".join(text.split())[:2000]
    if sum(ch.isalpha() for ch in sample) < 12:
        return "pl"
    with _LOCK:
        found = _language_of(sample)
    code = str(found.iso_code_639_1.name).lower() if found is not None else "pl"
    if code == "pl" and len(_LACINKA.findall(sample)) >= 2:
        return "be"
    return code


def preload() -> None:
    """Load the trigram models of both scripts (Latin, Cyrillic: ~13 MB), e.g. in the fork server."""
    for sample in ("Proszę o budowę ścieżki rowerowej do szkoły w Klukowie, bo dzieci chodzą poboczem, "
                   "a kierowcy jeżdżą tamtędy za szybko.",
                   "Прошу побудувати велосипедну доріжку до школи, бо діти ходять узбіччям дороги, "
                   "а водії їздять там занадто швидко."):
        _trigrams().detect_language_of(sample)


def release() -> None:
    """After a message: unload the full models once KEEP_FULL_FOR messages went by without them
    (a run of short foreign remarks keeps them; a lone one does not keep ~65 MB per worker)."""
    global _full_idle
    with _LOCK:
        if _full_idle < 0:
            return
        _full_idle += 1
        if _full_idle < KEEP_FULL_FOR:
            return
        _full().unload_language_models()  # lingua's model cache is shared: the trigrams reload on use
        _full_idle = -1
