"""Split a letter without a list where the writer says another matter begins.

Residents who make two points often write them in prose, not as a numbered list: "Druga sprawa to
...", "Ponadto proponuję ...", "Another thing: ...". Such a paragraph (or, for the explicit "another
matter" or a prose ordinal, a sentence) starts a new remark when it and the text before it each do
something (a wish, an opinion, a complaint, a question); context, introductions and closings stay with
their neighbours. Inside one paragraph a point also begins where the writer announced how many follow
("mam dwie sprawy"), and where a question turns to something the wish before it did not touch.
Splitting wherever the catalogue topic changes was tried and dropped: residents elaborate one remark
over paragraphs that touch several projects (the public corpus counts those as one remark), and the
keyword and embedding topics of single sentences are too noisy to cut on (more false cuts than right ones).
"""

from __future__ import annotations

import itertools
import re

from classifiers.mailtext import fold, words
from classifiers.topic import STANCE
from classifiers.wishes import wish_forms

MIN_WORDS = 8  # a shorter paragraph is a heading or an aside
# "Another matter": the writer says a new point begins (folded; Polish, English, Ukrainian, Belarusian in
# Cyrillic and Łacinka). An ordinal or "another" adjective before a word for a point, in any gender.
_ORDINAL = r"(?:drug|trzec|czwart|kolejn|inn|nastepn|ostatni|dodatkow|osobn|jeszcze jedn)\w{0,2}"
_POINT_NOUN = (
    r"(?:sprawa|sprawe|kwestia|kwestie|rzecz|uwaga|uwage|propozycja|propozycje|prosba|prosbe|temat|problem"
    r"|postulat|pomysl|wniosek|punkt|pytanie|zagadnienie|apel|zastrzezenie|spostrzezenie|potrzeba|sugestia)"
)
_ANOTHER = (
    rf"{_ORDINAL}\s+(?:\w+\s+){{0,2}}?{_POINT_NOUN}\b"
    r"|(?:i )?jeszcze jedno\b|(?:an)?other (?:thing|point|matter|issue|question|suggestion|request|problem)"
    r"|(?:my |the )?second (?:thing|point|matter|issue|question|suggestion|request|problem)"
    r"|\b(?:secondly|thirdly|finally|one more thing)\b"
    r"|(?:друг|трет|інш|наступн)\w{0,2}\s+(?:\w+\s+)?(?:питання|пропозиці\w|прохання|справа|річ|проблема)"
    r"|ще одне|ще одна|яшчэ адно|яшчэ адна|(?:друг|трэц|інш)\w{0,2}\s+(?:\w+\s+)?(?:пытанне|прапанова|справа"
    r"|просьба|праблема)|(?:druh|trec|insh|insa)\w{0,3}\s+(?:\w+\s+)?(?:pytannie|prapanova|sprava|prosba"
    r"|prablema)|jasce adn\w"
)
NEW_POINT = re.compile(
    rf"^\W*(?:{_ANOTHER}|ponadto|poza tym|oprocz tego|dodatkowo|co do\b|jesli chodzi o"
    r"|also\b|besides\b|крім того|також|акрамя таго)"
)
# Prose ordinals inside a paragraph ("..., bo nie ma chodnika. Po drugie, ..."): at a paragraph's start
# they are rhetoric unless the writer announced a count (``enumeration``), inside one they turn the page.
_ORDINAL_SENTENCE = r"po (?:drugie|trzecie|czwarte)|по-друге|по-третє|па-другое|па-трэцяе|pa-druhoje|pa-treciaje"
# Inside a paragraph only the explicit "another matter" starts a remark ("Ponadto" often goes on).
_NEW_SENTENCE = re.compile(rf"(?<=[.!?])\s+(?=(?:a |i |oraz |and )?(?:{_ANOTHER}|{_ORDINAL_SENTENCE}))", re.I)


# Requests and needs in Ukrainian and Belarusian, which the Polish grammar reading does not see. Polish and
# English requests ("prosimy", "please") were tried: they split one organisation's letter in the public corpus.
_REQUEST = re.compile(r"\bпотріб\w*|\bпросимо|\bпрошу|\bтреба|\bбракує|\bпатрэб\w*|\bпросім|\bтрэба|\bнеабходн\w*")


def acts(paragraph: str) -> bool:
    """The paragraph wishes, judges, complains, asks or requests: a remark's own move, not context."""
    folded = fold(paragraph)
    return "?" in paragraph or bool(STANCE.search(folded) or _REQUEST.search(folded)) or bool(wish_forms(paragraph))


def _units(paragraph: str) -> list[tuple[str, bool]]:
    """A paragraph, cut before each sentence that announces another matter; True marks such a cut."""
    folded = fold(paragraph)
    cuts = [m.end() for m in _NEW_SENTENCE.finditer(folded)]
    bounds = [0, *cuts, len(paragraph)]
    return [(paragraph[a:b], a > 0) for a, b in itertools.pairwise(bounds)]


MIN_SENTENCE_WORDS = 6  # a point announced inside a paragraph may be one short sentence


def split_by_markers(text: str) -> list[str]:
    """The text's remarks where the writer says another matter begins, or [] when it stays one remark."""
    units = [(u.strip(), cut) for p in re.split(r"\n[^\S\n]*\n", text) for u, cut in _units(p) if u.strip()]
    if len(units) < 2:
        return []
    groups: list[list[str]] = [[]]
    for unit, cut in units:
        new = (cut or NEW_POINT.match(fold(unit)) is not None) and bool(groups[-1])
        least = MIN_SENTENCE_WORDS if cut else MIN_WORDS
        # an explicit "another matter" inside a paragraph says the text before it was a point already
        before = "\n".join(groups[-1])
        made = len(words(fold(before))) >= least if cut else acts(before)
        if new and len(words(fold(unit))) >= least and acts(unit) and made:
            groups.append([])
        groups[-1].append(unit)
    return ["\n\n".join(g) for g in groups] if len(groups) > 1 else []


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Once the writer has announced how many points follow, a plain request is a point too.
_ASKS = re.compile(r"\bprosz\w*|\bprosimy\b|\bplease\b|\bwe ask\b|\bi ask\b")


def split_announced(text: str, count: int) -> list[str]:
    """The writer announced ``count`` points ("mam dwie sprawy") and wrote them as sentences of one paragraph.

    Each point is a sentence that acts (wish, judgement, complaint, question); the sentences around it
    (the announcement, reasons, a closing line) stay with the point before or after them. Only when the
    acting sentences number exactly ``count`` is the text cut, otherwise it stays one remark.
    """
    if count < 2:
        return []
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    spans = [(a, b) for a, b in itertools.pairwise(bounds) if text[a:b].strip()]
    starts = [
        a
        for a, b in spans
        if len(words(fold(text[a:b]))) >= MIN_SENTENCE_WORDS and (acts(text[a:b]) or _ASKS.search(fold(text[a:b])))
    ]
    if len(starts) != count:
        return []
    cuts = [0, *starts[1:], len(text)]
    return [text[a:b].strip() for a, b in itertools.pairwise(cuts)]


# Words that point back at what was just said ("Czy to będzie ...?", "Kiedy ich ...?", "Is it ...?").
_ANAPHOR = re.compile(
    r"\b(?:to|ten|ta|te|tam|tego|tej|tym|tych|tak|takie|taki|taka|go|ich|jej|jego|nim|niej|nich|wtedy|tutaj"
    r"|it|this|that|these|they|them|there|це|цього|їх|його|її|там|гэта|гэтага|іх|яго|яе)\b"
)
# Words any letter to the office uses, whatever its subject (folded): they are no shared subject.
_COMMON = frozenset(
    {
        "ktory",
        "ktora",
        "ktore",
        "ktorych",
        "ktorzy",
        "bardzo",
        "mozna",
        "bedzie",
        "beda",
        "gminie",
        "gminy",
        "naszej",
        "naszym",
        "naszego",
        "tylko",
        "takze",
        "rowniez",
        "wszystkich",
        "jeszcze",
        "ponad",
        "przez",
        "kiedy",
        "gdzie",
        "dzien",
        "dobry",
        "strategii",
        "strategia",
        "projekcie",
        "projektu",
        "mieszkancow",
        "mieszkancy",
    }
)


def _stems(text: str) -> set[str]:
    """Content-word stems (four letters of each longer word): do two sentences share a subject?"""
    return {w[:4] for w in words(fold(text)) if len(w) >= 4 and w not in _COMMON}


def _points(text: str) -> bool:
    """The sentence asks for something, judges, complains or asks a question."""
    return "?" in text or acts(text) or bool(_ASKS.search(fold(text)))


def _turns(sentence: str, before: str) -> bool:
    """Does ``sentence`` (a question) turn to another point after ``before`` (the remark's text so far)?"""
    folded = fold(sentence)
    if "?" not in sentence or _ANAPHOR.search(" ".join(words(folded)[:4])) or len(words(fold(before))) < MIN_WORDS:
        return False
    return (
        len(words(folded)) >= MIN_SENTENCE_WORDS - 1
        and not (_stems(sentence) & _stems(before))
        and any("?" not in s and _points(s) for s in _SENTENCE_END.split(before))
    )


def split_by_turns(text: str) -> list[str]:
    """Points that follow each other in one paragraph without a number or an announcement.

    A question that shares no content word with the wish before it and does not point back at it turns
    to another point ("Proszę o ławki w parku. Czy autobus będzie jeździł w soboty?"). Context, reasons
    and follow-up questions ("Czy to będzie ...?") stay with the point they belong to. A sentence that
    adds a point with "też"/"również" inside a paragraph was tried (branch h/split-also): counts on the
    blind set rose 79.7 -> 81.3 %, but the short pieces it cut lost their project (F1 0.770 -> 0.763).
    Returns [] when the text stays one remark.
    """
    cuts, start = [0], 0
    for paragraph in re.finditer(r"[^\n]+(?:\n(?![^\S\n]*\n)[^\n]*)*", text):
        p0, body = paragraph.start(), paragraph.group(0)
        bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(body)), len(body)]
        for a, b in itertools.pairwise(bounds):
            if not body[a:b].strip() or (p0 + a) == 0:
                continue
            if _turns(body[a:b], text[start : p0 + a]):
                cuts.append(p0 + a)
                start = p0 + a
    if len(cuts) < 2:
        return []
    return [text[a:b].strip() for a, b in itertools.pairwise([*cuts, len(text)])]
