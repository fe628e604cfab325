"""Split a remark e-mail into its individual remarks.

Where remarks live: the sender's new text (a follow-up reply contributes only what is new), the
rows of a remarks-form table in a DOCX/ODT attachment, the text of a PDF/ODT/DOCX letter, and a
forwarded message (read as the inner sender's own e-mail). A body that only covers an attachment
("w załączeniu przesyłam uwagi") carries no remark of its own; greetings, closings, signatures and
a letterhead are never remarks. Inside one text, ``classifiers.enumeration`` finds the list
(numbered points, "Uwaga 1", bullets) that separates remarks and leaves one remark's own
enumeration whole. Every remark e-mail yields at least one part, so nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from classifiers.enumeration import MAX_ITEMS, announced_count, split_items
from classifiers.forms import row_text, table_rows, text_fields
from classifiers.mailtext import content_lines, fold, inline_forward, sentences, words
from classifiers.prosesplit import split_announced, split_by_markers, split_by_turns
from classifiers.record import Attachment, ParsedMail
from classifiers.sorting import fresh_text
from classifiers.topic import STANCE

__all__ = ["RemarkPart", "inner_sender", "split_remarks"]

_ATTACHMENT_REF = re.compile(
    r"w zalacz\w*|w zalaczniku|zalacza\w*|zalaczon\w*|w pliku|\bzalacznik\w*|\bin the attach|\battached\b"
    r"|\bprzekazuj\w*|\bprzesylam dalej|\bforward"
)
_REMARKISH = re.compile(r"\buwag|\bstrateg|\bkonsultac|\bpropon|\bpopier|\bsprzeciw|\bwnosz|\bpostul|\bprosz")
_LETTERHEAD_DATE = re.compile(r"\b\d{1,2}[. ](?:\d{1,2}|[a-z]+)[. ]\d{4}\s*+(?:r\.?)?\s*$|^\s*znak\s*:")
# An introduction is a remark of its own only when the writer makes a point in it in the first person;
# context ("mieszkam tu od lat, brakuje ...") and announcements of the list stay out.
_OWN_POINT = re.compile(r"\b(?:proponuj|popieram|popieramy|sprzeciwiam|postuluj|wnosz\w*\s+o|wnosimy\s+o|apeluj)\w*")
_ANNOUNCES = re.compile(r"\bponizsz|\bnastepujac|\bponizej\b|\bkilka\s+(?:\w+\s+)?(?:uwag|propozycj|spraw)")
_TITLE = re.compile(r"^\s*(?:uwag\w*|propozycj\w*|opinia|stanowisko|formularz\w*|dotyczy|w sprawie|„)")


@dataclass(frozen=True)
class RemarkPart:
    """One remark: its text, where it came from, form fields when it came from a form, its number."""

    text: str
    origin: str  # "body" or the attachment's file name
    fields: dict[str, str] = field(default_factory=dict)
    ordinal: int = 0


def inner_sender(mail: ParsedMail) -> tuple[str, str]:
    """Who wrote a forwarded remark (name, e-mail); the sender when nothing was forwarded."""
    for inner in mail.forwarded:
        if not _own_domain(mail, inner.sender_email):
            return inner.sender_name, inner.sender_email
    _, inner_text, sender = inline_forward(mail.body_text, mail.subject)
    if inner_text and sender[1] and not _own_domain(mail, sender[1]):
        return sender
    return mail.sender_name, mail.sender_email


def _is_letterhead(line: str) -> bool:
    """Sender, address, place and date, addressee, title: the lines above a letter's first sentence."""
    folded = fold(line.strip())
    if re.match(r"^(?:\d{1,2}[.)]|[-•*]|[ivx]+[.)])\s", folded):
        return False
    if not folded or _LETTERHEAD_DATE.search(folded):
        return True
    if _TITLE.match(folded) and len(folded) < 120 and not folded.endswith("."):
        return True
    return len(folded.split()) <= 5 and not folded.endswith(("?", "!"))


def _letter_body(att: Attachment) -> str:
    """An attachment letter without letterhead (names, addresses, dates, title) and signature.

    PDF text comes with the page's hard line breaks; they are joined back into paragraphs.
    """
    lines = att.text.splitlines()
    kept = list(lines)
    while kept and _is_letterhead(kept[0]):
        kept.pop(0)
    text = "\n".join(content_lines("\n".join(kept or lines)))
    if att.filename.lower().endswith(".pdf") or "pdf" in att.content_type:
        text = re.sub(r"(?<=\w)-\n(?=\w)", "", text)
        text = re.sub(r"(?<![.!?:;])\n(?![^\S\n]*(?:\d{1,2}[.)]|[-•*]|\n))", " ", text)
    return text


def _text_parts(text: str, origin: str, count: int = 0, max_parts: int = MAX_ITEMS) -> list[RemarkPart]:
    """The remarks of one free text: its list items, its points in prose, or the whole text as one remark."""
    intro, items = split_items(text, count, max_parts)
    if not items:
        body = text.strip()
        pieces = split_by_markers(body) if not count else []
        if len(pieces) < 2 and not count:
            pieces = split_announced(body, announced_count(body))
        if len(pieces) < 2 and not count:
            pieces = split_by_turns(body)
        pieces = pieces[:max_parts]
        if len(pieces) > 1:
            return [RemarkPart(p, origin, text_fields(p)) for p in pieces]
        return [RemarkPart(body, origin, text_fields(body))] if len(words(body)) >= 1 else []
    parts = []
    if (
        len(words(intro)) >= 30
        and not intro.rstrip().endswith(":")
        and STANCE.search(fold(intro))
        and _OWN_POINT.search(fold(intro))
        and not _ANNOUNCES.search(fold(intro))
        and not count
    ):
        parts.append(RemarkPart(intro, origin, text_fields(intro)))
    for item in items:
        fields = text_fields(item.text)
        if item.number:
            fields = {"lp": item.number, **fields}
        parts.append(RemarkPart(item.text, origin, fields))
    return parts


def _attachment_parts(att: Attachment, cover: bool, count: int, max_parts: int = MAX_ITEMS) -> list[RemarkPart]:
    rows = [row for table in att.tables for row in table_rows(table)][:max_parts]
    if rows:
        return [RemarkPart(row_text(r), att.filename, r) for r in rows]
    text = _letter_body(att)
    if not text or not (cover or _REMARKISH.search(fold(text))):
        return []
    return _text_parts(text, att.filename, count, max_parts)


def _is_cover(content: str) -> bool:
    """A note whose point is the attachment or the forwarded message: nothing else is said in it."""
    folded = fold(content)
    if not _ATTACHMENT_REF.search(folded):
        return not folded.strip()
    rest = [s for s in sentences(folded) if not _ATTACHMENT_REF.search(s)]
    return len(words(" ".join(rest))) < 8


@lru_cache(maxsize=512)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(words(fold(text)))  # cached: each part is compared with every earlier one


def _similar(a: str, b: str) -> bool:
    wa, wb = _word_set(a), _word_set(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.8


def _own_domain(mail: ParsedMail, sender: str) -> bool:
    """A forwarded message sent from the receiving mailbox's domain: the office's own text, not a remark."""
    domain = sender.lower().rpartition("@")[2]
    return bool(domain) and any(to.lower().endswith("@" + domain) for to in mail.to)


def _mail_parts(mail: ParsedMail, max_parts: int = MAX_ITEMS) -> list[RemarkPart]:
    outer, inline, inline_sender = inline_forward(mail.body_text, mail.subject)
    if not inline.strip():  # no inline forward: what the sender wrote now
        outer = fresh_text(mail)
    content = "\n".join(content_lines(outer))
    cover = _is_cover(content)
    count = announced_count(content) if cover else 0  # "(4 punkty)" in a cover note counts the attachment
    found: list[RemarkPart] = []
    for inner in mail.forwarded:
        if not _own_domain(mail, inner.sender_email):
            found += _mail_parts(inner, max_parts)
    if inline.strip() and not _own_domain(mail, inline_sender[1]):
        found += _text_parts("\n".join(content_lines(inline)), "body", 0, max_parts)
    for att in mail.attachments:
        if len(found) >= max_parts:
            break
        for part in _attachment_parts(att, cover, count, max_parts):
            if not any(_similar(part.text, p.text) for p in found) and not _similar(part.text, content):
                found.append(part)
    if not (cover and found) and words(content):
        found = _text_parts(content, "body", 0, max_parts) + found
    return found


def split_remarks(mail: ParsedMail, max_parts: int = MAX_ITEMS) -> list[RemarkPart]:
    """Every remark of a remark e-mail, numbered from 1; never empty (falls back to text or subject).

    At most ``max_parts``: the texts of any further parts are kept, joined, in the last one.
    """
    parts = _mail_parts(mail, max_parts)
    if len(parts) > max_parts > 0:
        last = parts[max_parts - 1]
        rest = "\n\n".join(p.text for p in parts[max_parts - 1 :])
        parts = [*parts[: max_parts - 1], RemarkPart(rest, last.origin, last.fields)]
    if not parts:
        fallback = fresh_text(mail).strip() or mail.body_text.strip() or mail.subject.strip()
        parts = [RemarkPart(fallback, "body", {})]
    return [RemarkPart(p.text, p.origin, p.fields, i) for i, p in enumerate(parts, start=1)]
