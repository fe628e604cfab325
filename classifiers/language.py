"""The language a remark is written in (ISO 639-1), detected offline by lingua.

Most remarks are Polish; migrants and partner organisations write in Ukrainian, Belarusian
(Cyrillic or the Latin Łacinka) and English. Only the languages this mailbox meets are loaded,
which keeps lingua's models small and its answers stable. Łacinka reads to lingua as Polish, so
Latin text with the letters Polish lacks (š, ž, č, ŭ) is taken as Belarusian.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = ("pl", "uk", "be", "en", "ru", "de")
_LACINKA = re.compile(r"[šžčŭŠŽČŬ]")
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``; "pl" for text too short or too mixed to tell."""
    sample = " ".join(text.split())[:2000]
    if sum(ch.isalpha() for ch in sample) < 12:
        return "pl"
    with _LOCK:
        found = _detector().detect_language_of(sample)
    code = str(found.iso_code_639_1.name).lower() if found is not None else "pl"
    if code == "pl" and len(_LACINKA.findall(sample)) >= 2:
        return "be"
    return code
