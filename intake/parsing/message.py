"""parse_message: raw bytes in, a ParsedMail out; never an exception except ParseRejected.

Glues the pieces together: size check, stdlib parse, header decoding, the MIME
walk, quote removal and the recursive parse of attached messages.
"""

from __future__ import annotations

import re
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

from classifiers.record import ParsedMail

from . import headers as hdr
from .limits import ParseLimits, ParseRejected, megabytes
from .mime import Walker
from .quotes import is_forward_subject, new_text
from .text import cap, normalise

_DEFAULT_LIMITS = ParseLimits()
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_HEADER_BYTES = 256_000


def parse_headline(raw: bytes) -> tuple[str, str, str, datetime | None]:
    """(subject, sender name, sender address, date) from the header block alone, never raising.

    Cheap enough for a message held before or during the full parse (too large, too deep, too slow),
    so the clerk still sees who wrote it and about what.
    """
    try:
        end = _HEADER_END.search(raw, 0, _HEADER_BYTES)
        head = BytesHeaderParser(policy=compat32).parsebytes(raw[: end.start() if end else _HEADER_BYTES] + b"\n\n")
        defects: list[str] = []
        subject = hdr.decode_words(str(head.get("subject", "")), defects)
        senders = hdr.addresses(head.get("from"), defects) or hdr.addresses(head.get("sender"), defects)
        name, address = senders[0] if senders else ("", "")
        return subject, name, address, hdr.parse_date(head.get("date"), defects)
    except Exception:  # a headline is a courtesy: a header it cannot read leaves it empty
        return "", "", "", None


def parse_message(raw: bytes, limits: ParseLimits = _DEFAULT_LIMITS) -> ParsedMail:
    """Parse one e-mail; malformed input gives a ParsedMail with ``defects``, limits raise ParseRejected."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise TypeError("parse_message expects bytes")
    raw = bytes(raw)
    if len(raw) > limits.max_message_bytes:
        raise ParseRejected(
            f"message is {megabytes(len(raw))}, over the {megabytes(limits.max_message_bytes, 0)} limit"
        )
    try:
        msg = message_from_bytes(raw, policy=compat32)
    except RecursionError:
        raise ParseRejected(f"MIME nesting deeper than {limits.max_mime_depth} levels") from None
    try:
        return _from_tree(msg, limits, 0)
    except RecursionError:
        raise ParseRejected(f"MIME nesting deeper than {limits.max_mime_depth} levels") from None
    except ParseRejected:
        raise
    except Exception as exc:  # last line of defence: keep what we can, say what broke
        return _fallback(msg, raw, exc)


def _from_tree(msg: Message, limits: ParseLimits, depth: int) -> ParsedMail:
    defects: list[str] = []
    headers = hdr.decode_all(msg, defects)
    subject = headers.get("subject", ("",))[0]
    walker = Walker(limits)
    walker.walk(msg, depth)
    found = walker.found
    defects.extend(found.defects)
    if not found.whole and not msg.keys():
        defects.append("no headers and no readable body")

    body = normalise("\n\n".join(t for t in found.whole if t.strip()))
    body = cap(body, limits.max_text_chars, "body text", defects)
    fresh = cap(normalise("\n\n".join(t for t in found.new if t.strip())), limits.max_text_chars, "new text", defects)
    fresh = new_text(fresh, is_forward_subject(subject))  # after the cap: quote removal reads every line
    forwarded = tuple(_from_tree(inner, limits, inner_depth) for inner, inner_depth in found.forwarded)

    senders = hdr.addresses(msg.get("from"), defects) or hdr.addresses(msg.get("sender"), defects)
    if not senders and "from" not in headers:
        defects.append("no From header")
    sender_name, sender_email = senders[0] if senders else ("", "")
    ids = hdr.message_ids(msg.get("message-id"))
    date = hdr.parse_date(msg.get("date"), defects)
    to = _address_list(msg, "to", defects)
    cc = _address_list(msg, "cc", defects)
    content_type = msg.get_content_type()
    report_type = ""
    if content_type == "multipart/report":
        report_type = str(msg.get_param("report-type") or "").lower()
    return ParsedMail(
        message_id=ids[0] if ids else "",
        sender_name=sender_name,
        sender_email=sender_email,
        subject=subject,
        date=date,
        to=to,
        cc=cc,
        in_reply_to=next(iter(hdr.message_ids(msg.get("in-reply-to"))), ""),
        references=tuple(hdr.message_ids(" ".join(str(v) for v in msg.get_all("references", [])))),
        headers=headers,
        content_type=content_type,
        report_type=report_type,
        body_text=body,
        new_text=fresh,
        attachments=tuple(found.attachments),
        forwarded=forwarded,
        defects=tuple(dict.fromkeys(defects)),
    )


def _address_list(msg: Message, name: str, defects: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for value in msg.get_all(name, []):
        found.extend(address for _, address in hdr.addresses(str(value), defects) if address)
    return tuple(dict.fromkeys(found))


def _fallback(msg: Message, raw: bytes, exc: Exception) -> ParsedMail:
    """A minimal record for input that broke the parser: decoded bytes as body, the error as a defect."""
    text = normalise(raw.decode("utf-8", "replace"))
    return ParsedMail(
        message_id="",
        sender_name="",
        sender_email="",
        subject="",
        date=None,
        body_text=text,
        new_text=text,
        defects=(f"parser failed ({type(exc).__name__}: {str(exc)[:120]}); raw text kept",),
    )
