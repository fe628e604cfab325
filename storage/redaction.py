"""Redacting personal details inside free text: e-mail addresses, phone numbers, PESEL, street
addresses, plot numbers, and the names of a given person.

Every pattern is linear in its input: quantifiers are bounded and never nested, and each pattern
starts at a boundary (a look-behind), so a long run of one character class cannot make the engine
retry from every position with an unbounded scan (see issue 11 on quadratic patterns).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,190}")
PESEL = re.compile(r"(?<!\d)\d{11}(?!\d)")
PHONE = re.compile(r"(?<![\d+])(?:\+48[ -]?|0048[ -]?)?(?:\d{3}[ -]?\d{3}[ -]?\d{3}|\d{2}[ -]\d{3}[ -]\d{2}[ -]\d{2})"
                   r"(?![\d])")
STREET = re.compile(r"(?<!\w)(?:ul\.|ulica|ulicy|al\.|aleja|alei|os\.|osiedle|pl\.|plac|placu)[ \t]{0,3}"
                    r"[^\d\n,;:()]{1,50}?[ \t]{0,3}\d{1,4}[a-zA-Z]?(?:[ \t]?/[ \t]?\d{1,4}[a-zA-Z]?)?",
                    re.IGNORECASE)
POSTAL = re.compile(r"(?<!\d)\d{2}-\d{3}(?!\d)(?:[ \t]{1,3}[A-ZŁŚŻŹĆŃÓĘĄ][\w-]{1,40})?")
PLOT = re.compile(r"(?<!\w)(?:działk[aięiy]|dz\.)[ \t]{0,3}(?:(?:nr|ewid\.|ewidencyjn[aąej]{1,3})\.?[ \t]{0,3})?"
                  r"\d{1,5}(?:/\d{1,5})?", re.IGNORECASE)

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (EMAIL, "[adres e-mail]"),
    (PESEL, "[PESEL]"),
    (STREET, "[adres]"),
    (POSTAL, "[adres]"),
    (PLOT, "[nr działki]"),
    (PHONE, "[telefon]"),
)


def redact_details(text: str) -> str:
    """Replace contact details and identifiers found by pattern (not names: see redact_names)."""
    for pattern, placeholder in PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def name_tokens(names: Iterable[str | None]) -> list[str]:
    """The full names and their parts of three or more letters (a signature may give only the surname)."""
    tokens: set[str] = set()
    for name in names:
        if not name:
            continue
        clean = " ".join(name.replace('"', " ").split())
        if len(clean) >= 3:
            tokens.add(clean)
        tokens.update(part.strip(".,") for part in clean.split() if len(part.strip(".,")) >= 3)
    return sorted(tokens, key=len, reverse=True)


_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def fold(text: str) -> str:
    """Without Polish diacritics: file names and old clients write Zapominanski for Zapominański."""
    return text.translate(_FOLD)


def names_pattern(tokens: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of literal words, bounded by non-letters; longest first."""
    parts = set()
    for token in {v for t in tokens if t for v in (t, fold(t))}:
        # A name ending in a vowel changes it when declined: Kowalska -> Kowalskiej, Anna -> Annie.
        stem = token[:-1] if len(token) >= 4 and token[-1].lower() in "aeiouyąęó" else token
        parts.add(re.escape(stem))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\w{0,5}", re.IGNORECASE)


def redact(text: str | None, names: re.Pattern[str] | None = None, placeholder: str = "[dane osobowe]") -> str | None:
    """Details by pattern, then the given person's names (with Polish case endings, up to four letters)."""
    if text is None:
        return None
    text = redact_details(text)
    return names.sub(placeholder, text) if names is not None else text


_WORD = re.compile(r"\w+")
_VOWELS = "aeiouyąęó"


class NameRedactor:
    """Many names at once in linear time: each word of the text is looked up in a set.

    A regex alternation of thousands of names would try every name at every position; here a
    word matches when it equals a name or a name's stem with up to four more letters (Polish case
    endings: Kowalski -> Kowalskiego, Nowak -> Nowakowi).
    """

    def __init__(self, names: Iterable[str | None], placeholder: str = "[dane osobowe]") -> None:
        self.placeholder = placeholder
        self.words: set[str] = set()
        for token in name_tokens(names):
            for part in token.split():
                part = fold(part.lower())
                if len(part) >= 3:
                    self.words.add(part)
                    if part[-1] in _VOWELS and len(part) >= 4:
                        self.words.add(part[:-1])

    def _hit(self, word: str) -> bool:
        low = fold(word.lower())
        return any(low[: len(low) - k] in self.words for k in range(min(5, len(low) - 2)))

    def __call__(self, text: str) -> str:
        if not self.words:
            return text
        return _WORD.sub(lambda m: self.placeholder if self._hit(m.group(0)) else m.group(0), text)
