"""Find the list that separates one letter into several remarks ("1.", "Uwaga 2", "-", "a)", "Po drugie").

A list splits a letter only when it is the *outermost* enumeration (bullets inside point 2 stay in
point 2), numbered items run 1, 2, 3 ... without gaps, and the items look like remarks rather than
one remark's enumeration: "proponuję: - ławki, - kosze, - oświetlenie" has short items and stays one
remark, as do lists of short headings. Prose ordinals ("Po pierwsze ... Po drugie") are rhetoric
unless the writer announced how many remarks follow ("mam dwie uwagi"); the announced count also
lets bare paragraphs be split and overrides the short-item rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.mailtext import fold, words

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_NUMBERS = {
    "dwie": 2,
    "dwa": 2,
    "dwoch": 2,
    "trzy": 3,
    "trzech": 3,
    "cztery": 4,
    "czterech": 4,
    "piec": 5,
    "pieciu": 5,
    "szesc": 6,
    "szesciu": 6,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    # Ukrainian and Belarusian (Cyrillic, folded: й -> и, ў -> у), Belarusian Łacinka (folded)
    "дві": 2, "два": 2, "дзве": 2, "три": 3, "тры": 3, "чотири": 4, "чатыры": 4, "dzvie": 2, "dva": 2, "try": 3,
}
# Prose ordinals, one list per language: Polish, English, Ukrainian, Belarusian, Łacinka (folded).
_PROSE_WORDS = [
    ["po pierwsze", "po drugie", "po trzecie", "po czwarte", "po piate", "po szoste", "po siodme"],
    ["firstly", "secondly", "thirdly", "fourthly", "fifthly"],
    ["по-перше", "по-друге", "по-третє", "по-четверте", "по-п'яте"],
    ["па-першае", "па-другое", "па-трэцяе", "па-чацвертае", "па-пятае"],
    ["pa-piersaje", "pa-druhoje", "pa-treciaje", "pa-cacviortaje", "pa-piataje"],
    ["перше", "друге", "третє", "четверте", "п'яте"],
    ["першае", "другое", "трэцяе", "чацвертае", "пятае"],
    ["piersaje", "druhoje", "treciaje", "cacviortaje", "piataje"],
]
_PROSE = {word: n for words_ in _PROSE_WORDS for n, word in enumerate(words_, start=1)}
_NUMBER_WORDS = "|".join(sorted(_NUMBERS, key=len, reverse=True))
_ANNOUNCED = re.compile(
    rf"(?<!\w)({_NUMBER_WORDS}|[2-9])\s+"
    r"(?:\w+\s+)?(?:uwag|propozycj|spraw|punkt|postulat|kwesti|wnios|rzecz|pomysl|pytan|zastrzez|remarks|points"
    r"|comments|suggestions|proposals|пропозиц|зауважен|пункт|питан|прапанов|заува|prapanov|zauvah|pytann)"
)
# (style, pattern); matched on the folded line (same length as the original), roman numerals on the
# original line; group 1 is the number
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    (
        "uwaga",
        re.compile(
            r"^\s*(?:uwag[ai]|propozycj[ai]|postulat|wniosek|punkt|pkt\.?|remark|point|proposal|suggestion"
            r"|пропозиція|зауваження|прапанова|заувага|пункт|prapanova|zauvaha)\s*"
            r"(?:nr\.?\s*|no\.?\s*)?(\d{1,2})\b\s*[:.)\-–—]?\s*"
        ),
    ),
    ("ad", re.compile(r"^\s*ad\.?\s*(\d{1,2})\b\s*[:.)\-–—]?\s*")),
    ("number", re.compile(r"^\s*(\d{1,2})\s*[.)]\s+(?=\S)")),
    ("roman", re.compile(r"^\s*([IVX]{1,4})\s*[.)]\s+(?=\S)")),
    ("letter", re.compile(r"^\s*([a-h])\s*\)\s+(?=\S)")),
    ("bullet", re.compile(r"^\s*([-•*+–·▪●◦‣►✓\uf0b7\uf0a7])\s+(?=\S)")),
    (
        "prose",
        re.compile(
            r"^\s*(" + "|".join(re.escape(w) for w in sorted(_PROSE, key=len, reverse=True)) + r")(?!\w)[\s,:;\-–—]*"
        ),
    ),
]


@dataclass(frozen=True)
class Item:
    text: str
    number: str  # "1", "2" ... ("" for bullets)


def announced_count(text: str) -> int:
    """How many remarks the writer says follow ("mam trzy uwagi", "(4 punkty)"), 0 if not said."""
    match = _ANNOUNCED.search(fold(text))
    if not match:
        return 0
    word = match.group(1)
    return int(word) if word.isdigit() else _NUMBERS.get(word, 0)


def _value(style: str, token: str) -> int:
    if style == "roman":
        return _ROMAN.get(token, 0)
    if style == "letter":
        return ord(token) - ord("a") + 1
    if style == "prose":
        return _PROSE.get(token, 0)
    return int(token) if token.isdigit() else 1


def _markers(lines: list[str], style: str, pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """(line index, value, marker end) of the runs 1, 2, 3 ... of one style."""
    found = []
    for i, line in enumerate(lines):
        target = line if style == "roman" else fold(line)
        if m := pattern.match(target):
            found.append((i, _value(style, m.group(1)), m.end()))
    if found:  # nested lists are indented deeper: keep the outermost level only
        outer = min(len(lines[i]) - len(lines[i].lstrip()) for i, _, _ in found)
        found = [f for f in found if len(lines[f[0]]) - len(lines[f[0]].lstrip()) == outer]
    if style == "bullet":
        return found
    run: list[tuple[int, int, int]] = []
    for marker in found:
        expected = run[-1][1] + 1 if run else 1
        if marker[1] == expected or (marker[1] == 1 and run):
            run.append(marker)
    return run


_SUBITEM = re.compile(r"^\s*(?:[-•*+–·▪●◦‣►✓\uf0b7\uf0a7]|\d{1,2}[.)]|[a-h]\))\s")


def _item_text(lines: list[str]) -> str:
    """Join wrapped lines; keep paragraph breaks and sub-items on their own lines."""
    paragraphs: list[list[list[str]]] = [[]]  # wrapped pieces joined once at the end: "+=" here was quadratic
    for line in lines:
        text = re.sub(r"[ \t]{2,}", " ", line.strip())
        if not text:
            paragraphs.append([])
        elif paragraphs[-1] and not _SUBITEM.match(line):
            paragraphs[-1][-1].append(text)
        else:
            paragraphs[-1].append([text])
    return "\n\n".join("\n".join(" ".join(pieces) for pieces in p) for p in paragraphs if p)


def _drop_outro(lines: list[str]) -> list[str]:
    """A short closing paragraph after the last item ("Liczę na uwzględnienie.") is not part of it."""
    text = "\n".join(lines).rstrip()
    head, sep, last = text.rpartition("\n\n")
    if sep and head.strip() and len(words(last)) < 15:
        return head.splitlines()
    return lines


def _candidate(lines: list[str], count: int) -> tuple[str, list[tuple[int, int, int]]] | None:
    best: tuple[str, list[tuple[int, int, int]]] | None = None
    for style, pattern in _STYLES:
        if style == "prose" and count < 2:
            continue
        marks = _markers(lines, style, pattern)
        if len(marks) >= 2 and (best is None or marks[0][0] < best[1][0][0]):
            best = (style, marks)
    return best


MAX_ITEMS = 100


def split_items(text: str, count: int = 0, max_items: int = MAX_ITEMS) -> tuple[str, list[Item]]:
    """The intro and the items of the outermost list; ([text], []) when the text is one remark.

    At most ``max_items`` items: the last one keeps the rest of the text (3,000 bullets took minutes later on).
    """
    lines = text.splitlines()
    count = count or announced_count(text)
    found = _candidate(lines, count)
    if found is None:
        return text, _paragraph_items(text, count)
    style, marks = found
    marks = marks[: max(1, max_items)]
    items: list[Item] = []
    for n, (start, value, cut) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(lines)
        body = [lines[start][cut:], *lines[start + 1 : end]]
        if n + 1 == len(marks):
            body = _drop_outro(body)
        items.append(Item(_item_text(body), "" if style == "bullet" else str(value)))
    sizes = [len(words(it.text)) for it in items]
    if style in {"uwaga", "ad"}:  # the writer calls each item a remark
        short = False
    elif style in {"number", "roman"}:  # a list of headings or single words
        short = max(sizes) < 5
    else:
        short = sum(sizes) / len(sizes) < 8
    if short and count != len(items):
        return text, []
    return "\n".join(lines[: marks[0][0]]).strip(), items


def _paragraph_items(text: str, count: int) -> list[Item]:
    """Announced N remarks and N paragraphs follow (the announcement may open the first one)."""
    if count < 2:
        return []
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) == count + 1 and announced_count(paragraphs[0]) and len(words(paragraphs[0])) < 40:
        paragraphs = paragraphs[1:]
    if len(paragraphs) != count:
        return []
    return [Item(_item_text(p.splitlines()), str(i + 1)) for i, p in enumerate(paragraphs)]
