"""Split a letter without a list where the writer says another matter begins.

Residents who make two points often write them in prose, not as a numbered list: "Druga sprawa to
...", "Ponadto proponuję ...", "Another thing: ...". Such a paragraph (or, for the explicit "another
matter", a sentence) starts a new remark when it and the text before it each do something (a wish,
an opinion, a complaint, a question); context, introductions and closings stay with their neighbours.
Splitting wherever the catalogue topic changes was tried and dropped: residents elaborate one remark
over paragraphs that touch several projects (the public corpus counts those as one remark).
"""

from __future__ import annotations

import itertools
import re

from classifiers.mailtext import fold, words
from classifiers.topic import STANCE
from classifiers.wishes import wish_forms

MIN_WORDS = 8  # a shorter paragraph is a heading or an aside
# "Another matter": the writer says a new point begins (folded; Polish, English, Ukrainian, Belarusian).
_ANOTHER = (
    r"(?:druga|kolejna|inna|nastepna|jeszcze jedna|osobna|ostatnia|trzecia|dodatkowa)\s+(?:\w+\s+)?"
    r"(?:sprawa|kwestia|rzecz|uwaga|propozycja|prosba|temat)"
    r"|(?:i )?jeszcze jedno\b|another (?:thing|point|matter|issue)|\b(?:secondly|thirdly|finally)\b"
    r"|інше питання|ще одне|друге питання|яшчэ адно|іншае пытанне"
)
NEW_POINT = re.compile(rf"^\W*(?:{_ANOTHER}|ponadto|poza tym|oprocz tego|dodatkowo|co do\b|jesli chodzi o"
                       r"|also\b|besides\b|крім того|також|акрамя таго)")
# Inside a paragraph only the explicit "another matter" starts a remark ("Ponadto" often goes on).
_NEW_SENTENCE = re.compile(rf"(?<=[.!?])\s+(?=(?:a |i |oraz )?(?:{_ANOTHER}))", re.I)


# Requests and needs in Ukrainian and Belarusian, which the Polish grammar reading does not see. Polish and
# English requests ("prosimy", "please") were tried: they split one organisation's letter in the public corpus.
_REQUEST = re.compile(r"\bпотріб\w*|\bпросимо|\bпрошу|\bтреба|\bбракує|\bпатрэб\w*|\bпросім|\bтрэба|\bнеабходн\w*")


def _acts(paragraph: str) -> bool:
    """The paragraph wishes, judges, complains, asks or requests: a remark's own move, not context."""
    folded = fold(paragraph)
    return "?" in paragraph or bool(STANCE.search(folded) or _REQUEST.search(folded)) or bool(wish_forms(paragraph))


def _units(paragraph: str) -> list[str]:
    """A paragraph, cut before a sentence that announces another matter."""
    folded = fold(paragraph)
    cuts = [m.start() for m in _NEW_SENTENCE.finditer(folded)]
    bounds = [0, *cuts, len(paragraph)]
    return [paragraph[a:b] for a, b in itertools.pairwise(bounds)]


def split_by_markers(text: str) -> list[str]:
    """The text's remarks where the writer says another matter begins, or [] when it stays one remark."""
    paragraphs = [u.strip() for p in re.split(r"\n[^\S\n]*\n", text) for u in _units(p) if u.strip()]
    if len(paragraphs) < 2:
        return []
    groups: list[list[str]] = [[]]
    for paragraph in paragraphs:
        new = NEW_POINT.match(fold(paragraph)) is not None and bool(groups[-1])
        if new and len(words(fold(paragraph))) >= MIN_WORDS and _acts(paragraph) and _acts("\n".join(groups[-1])):
            groups.append([])
        groups[-1].append(paragraph)
    return ["\n\n".join(g) for g in groups] if len(groups) > 1 else []
