"""Small text helpers shared by sorting and splitting: folding, greetings, closings, signatures.

Residents write with and without Polish letters, so every pattern here is matched against a
*folded* copy of the text (lower case, no diacritics) that has the same length as the original,
which lets a match found in the folded copy be cut out of the original.
"""

from __future__ import annotations

import re
import unicodedata

_EXTRA = {"ł": "l", "Ł": "l", "ß": "s", "ø": "o", "đ": "d", "ı": "i"}


def _fold_char(ch: str) -> str:
    if ch in _EXTRA:
        return _EXTRA[ch]
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    return base.lower() if len(base.lower()) == 1 else ch.lower()[:1] or ch


class _FoldTable(dict[int, str]):
    """Code point -> folded character, filled on first sight: str.translate runs in C, not per character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one character ("Łódź" -> "lodz")."""
    return text.translate(_FOLD_TABLE)


def words(text: str) -> list[str]:
    """Word tokens of a folded text (letters and digits)."""
    return re.findall(r"[^\W_]+", text)


# A greeting opening the message, matched on folded text; may share its line with the content.
GREETING = re.compile(
    r"^\s*(?:(?:dzien dobry|dobry wieczor|witam(?: serdecznie)?|witajcie|hej|czesc|halo"
    r"|szanown\w*(?: (?:pani|panie|panstwo|panowie|wojcie|pracownicy|radni)\w*)*(?: \w+ie)?"
    r"|dear [^,\n]{0,40}|hello|hi|good (?:morning|afternoon)"
    r"|(?:pani|panie) [a-z]{3,}(?:[ao]|ie|u)|добрии день|доброго дня)[\s,!:;.)(\-–]*)+"
)

# Lines that close a letter; everything after them is signature.
CLOSING = re.compile(
    r"^\s*(?:z (?:powazaniem|wyrazami|pozdrowieniami|panem bogiem|gory dziekuj)|pozdrawiam\w*"
    r"|pozdrowienia|pozdr\b|serdeczn\w* pozdr|lacze|szczesc boze|dziekuj\w*|dzieki\b|z usmiechem"
    r"|(?:kind |best |warm )?regards|sincerely|yours|thank you|thanks|cheers|з повагою|дякую"
    r"|wyslane z|wyslano z|sent from|--\s*$|__+\s*$)"
)

MOBILE_FOOTER = re.compile(r"^\s*(?:wyslane z|wyslano z|sent from|get outlook for)", re.I)

_ROLE = re.compile(
    r"^(?:soltys|prezes|dyrektor|przewodnicz|radn|wolontariusz|mieszkan|sekretarz|kierownik"
    r"|naczelnik|ks\.|proboszcz|mgr|dr|inz|za zarzad|w imieniu|tel|e-?mail|adres|ul\.)"
)


def is_signature_line(line: str) -> bool:
    """A short line that looks like a name, a role or a place, not like a sentence."""
    text = line.strip()
    if not text:
        return True
    tokens = text.split()
    if len(tokens) > 6 or (re.search(r"[.!?:]$", text) and not re.search(r"\b\w\.$", text)):
        return False
    folded = fold(text)
    if _ROLE.match(folded) or MOBILE_FOOTER.match(folded):
        return True
    alpha = [t for t in tokens if t[:1].isalpha()]
    capitals = sum(1 for t in alpha if t[:1].isupper())
    return len(tokens) == 1 or (bool(alpha) and capitals * 2 >= len(alpha))


def strip_greeting(line: str) -> str:
    """The line without a leading greeting ("Dzień dobry, czy ..." -> "czy ...")."""
    match = GREETING.match(fold(line))
    return line[match.end() :].strip() if match else line


def _closing_index(lines: list[str]) -> int:
    """Index of the closing formula that starts the signature, or len(lines)."""
    for i, line in enumerate(lines):
        folded = fold(line.strip())
        if not CLOSING.match(folded) or len(folded.split()) > 7:
            continue
        tail = [t for t in lines[i + 1 :] if t.strip()]
        if len(tail) <= 6 and all(len(t.split()) <= 10 for t in tail):
            return i
    return len(lines)


def content_lines(text: str) -> list[str]:
    """The letter's own lines: no greeting, no closing formula, no signature, no mobile footer."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    for _ in range(2):  # "Szanowni Państwo," then "Dzień dobry," is not unusual
        if lines and GREETING.match(fold(lines[0])):
            rest = strip_greeting(lines[0])
            if rest:
                lines[0] = rest
                break
            lines.pop(0)
            while lines and not lines[0].strip():
                lines.pop(0)
    lines = lines[: _closing_index(lines)]
    lines = [ln for ln in lines if not MOBILE_FOOTER.match(fold(ln))]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and is_signature_line(lines[-1]) and any(not is_signature_line(ln) for ln in lines[:-1]):
        lines.pop()
    return lines


def content_text(text: str) -> str:
    """``content_lines`` joined back into text."""
    return "\n".join(content_lines(text)).strip()


def sentences(text: str) -> list[str]:
    """Rough sentence split on . ! ? and line breaks (good enough for cue matching)."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


_FORWARD_SEPARATOR = re.compile(
    r"^\s*[-–—_=*]{2,}\s*(?:forwarded message|wiadomosc przekazana dalej|przekazana wiadomosc"
    r"|wiadomosc przeslana dalej|przeslana wiadomosc|poczatek przekazywanej wiadomosci)"
    r"|^\s*begin forwarded message"
)
# Outlook forwards with the reply separator; it means a forward only under a forward subject.
_ORIGINAL_SEPARATOR = re.compile(
    r"^\s*[-–—_=*]{2,}\s*(?:wiadomosc oryginalna|oryginalna wiadomosc|original message)"
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|pd|tr|wg|przekaz\w*)\s*:", re.I)
_FORWARD_HEADER = re.compile(
    r"^\s*\*?(?:od|from|nadawca|wyslano|wyslane|sent|data|date|do|to|temat|subject|dw|cc)\s*:"
)


def inline_forward(text: str, subject: str = "") -> tuple[str, str, tuple[str, str]]:
    """Split a body at a forwarded-message separator: (outer note, inner text, inner sender)."""
    lines = text.splitlines()
    forward = bool(_FORWARD_SUBJECT.match(subject))
    for i, line in enumerate(lines):
        if _FORWARD_SEPARATOR.match(fold(line)) or (forward and _ORIGINAL_SEPARATOR.match(fold(line))):
            j, sender = i + 1, ("", "")
            while j < len(lines) and (not lines[j].strip() or _FORWARD_HEADER.match(fold(lines[j]))):
                if re.match(r"^\s*\*?(?:od|from|nadawca)\s*:", fold(lines[j])):
                    sender = _address(lines[j].split(":", 1)[1])
                j += 1
            return "\n".join(lines[:i]), "\n".join(lines[j:]), sender
    return text, "", ("", "")


def _address(value: str) -> tuple[str, str]:
    match = re.search(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value)
    email_ = match.group(0).lower() if match else ""
    name = re.sub(r"[<>\[\]\"]|mailto:", " ", value.replace(email_, "") if email_ else value)
    return " ".join(name.split()).strip(" ,"), email_
