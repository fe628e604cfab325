"""Walking the MIME tree: which parts are the body, which are attachments, which are mail.

Uses the stdlib compat32 tree (fast, keeps raw bytes recoverable). The body is the
readable text parts outside attachments; in multipart/alternative the text/plain
wins unless it is empty or a "view this in HTML" stub.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from email import message_from_bytes, message_from_string
from email.message import Message
from email.policy import compat32
from email.utils import collapse_rfc2231_value

from classifiers.record import Attachment

from .attachments import build_attachment
from .charsets import decode_bytes
from .headers import decode_words
from .html import html_to_text
from .limits import ParseLimits, ParseRejected
from .text import unflow

_BOUNDARY_LINE = re.compile(r"^--([^\s]{6,70})\s*$", re.MULTILINE)
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_HTML_STUB = re.compile(r"html", re.IGNORECASE)


@dataclass
class Collected:
    """What a walk over one message found; ``forwarded`` holds inner messages and their depth."""

    whole: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[tuple[Message, int]] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


def _defect_names(part: Message, where: str) -> list[str]:
    names = []
    for defect in getattr(part, "defects", ()):
        words = _CAMEL.sub(" ", type(defect).__name__.removesuffix("Defect")).lower()
        names.append(f"MIME defect in {where}: {words}")
    return names


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:
        return None


def _filename(part: Message, defects: list[str]) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    return decode_words(str(name), defects).replace("\n", " ").strip() if name else ""


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _param(part: Message, name: str) -> str:
    """A Content-Type parameter as text (RFC 2231 encoded ones arrive as a tuple)."""
    value = part.get_param(name)
    return collapse_rfc2231_value(value) if value else ""


def decode_text_part(part: Message, defects: list[str]) -> str:
    """The decoded text of a text/* leaf, format=flowed joined."""
    text = decode_bytes(_payload_bytes(part), _charset(part), defects)
    if part.get_content_subtype() == "plain" and _param(part, "format").lower() == "flowed":
        text = unflow(text, _param(part, "delsp").lower() == "yes")
    return text


def _recover_boundary(part: Message, defects: list[str]) -> Message | None:
    """A multipart whose boundary parameter is missing or wrong: guess it from the body's "--" lines."""
    if not isinstance(part.get_payload(), str):
        return None
    payload = _payload_bytes(part)
    match = _BOUNDARY_LINE.search(payload.decode("ascii", "replace"))
    if not match:
        return None
    boundary = match.group(1).removesuffix("--")
    defects.append(f"multipart boundary missing or wrong; recovered {boundary!r}")
    head = f'Content-Type: {part.get_content_type()}; boundary="{boundary}"\r\n\r\n'
    rebuilt = message_from_bytes(head.encode("ascii", "replace") + payload, policy=compat32)
    return rebuilt if rebuilt.is_multipart() else None


class Walker:
    """Collects body text, attachments and inner messages of one message, depth-limited."""

    def __init__(self, limits: ParseLimits) -> None:
        self.limits = limits
        self.found = Collected()
        self._texts: dict[int, str] = {}
        self._text_left = limits.max_text_chars  # shared by every attachment of the message

    def _text(self, part: Message) -> str:
        """Decoded text of a part, once: alternatives are looked at before one is chosen."""
        key = id(part)
        if key not in self._texts:
            self._texts[key] = decode_text_part(part, self.found.defects)
        return self._texts[key]

    def walk(self, part: Message, depth: int) -> None:
        if depth > self.limits.max_mime_depth:
            raise ParseRejected(f"MIME nesting deeper than {self.limits.max_mime_depth} levels")
        ctype = part.get_content_type()
        try:
            self._dispatch(part, ctype, depth)
        finally:  # after decoding, so payload defects (bad base64 ...) are included
            self.found.defects.extend(_defect_names(part, ctype))

    def _dispatch(self, part: Message, ctype: str, depth: int) -> None:
        if ctype.startswith("multipart/") and not part.is_multipart():
            rebuilt = _recover_boundary(part, self.found.defects)
            if rebuilt is not None:
                part = rebuilt
            else:
                self.found.defects.append(f"{ctype} without parts; read as text")
                self._body(part, "text/plain")
                return
        if part.is_multipart() and not ctype.startswith("message/"):
            self._multipart(part, ctype, depth)
        elif ctype in ("message/rfc822", "message/global", "message/news"):
            self._inner_message(part, depth)
        elif ctype == "text/rfc822-headers":
            headers = message_from_string(decode_text_part(part, self.found.defects), policy=compat32)
            self.found.forwarded.append((headers, depth + 1))
        elif ctype in ("message/delivery-status", "message/disposition-notification"):
            self._status(part, ctype)
        elif ctype in ("text/plain", "text/html") and self._is_body(part, depth):
            self._body(part, ctype)
        else:
            self._attachment(part, ctype)

    def _is_body(self, part: Message, depth: int) -> bool:
        disposition = _disposition(part)
        if disposition == "attachment":
            return depth == 0
        return disposition == "inline" or not part.get_param("filename", header="content-disposition")

    def _multipart(self, part: Message, ctype: str, depth: int) -> None:
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if ctype == "multipart/alternative" and len(children) > 1:
            best = self._best_alternative(children)
            for child in children:
                if child is best:
                    self.walk(child, depth + 1)
                else:
                    self._attachments_only(child, depth + 1)
            return
        for child in children:
            self.walk(child, depth + 1)

    def _best_alternative(self, children: list[Message]) -> Message:
        """text/plain unless it is empty or a stub pointing at the HTML version."""
        plain = next((c for c in children if c.get_content_type() == "text/plain"), None)
        other = next((c for c in reversed(children) if c is not plain), children[-1])
        if plain is None:
            return other
        text = self._text(plain).strip()
        if not text:
            return other
        stub = len(text) < 40 or (len(text) < 300 and _HTML_STUB.search(text))
        if stub and other.get_content_type() == "text/html":
            html_text = html_to_text(self._text(other))[0].strip()
            if len(html_text) > 3 * len(text):
                return other
        return plain

    def _attachments_only(self, part: Message, depth: int) -> None:
        """Walk a losing alternative for its attachments (inline images), ignoring its text."""
        if depth > self.limits.max_mime_depth:
            raise ParseRejected(f"MIME nesting deeper than {self.limits.max_mime_depth} levels")
        if part.is_multipart():
            for child in part.get_payload():
                if isinstance(child, Message):
                    self._attachments_only(child, depth + 1)
        elif part.get_content_maintype() != "text":
            self._attachment(part, part.get_content_type())

    def _body(self, part: Message, ctype: str) -> None:
        text = self._text(part)
        if ctype == "text/html":
            whole, new = html_to_text(text, self.found.defects)
        else:
            whole = new = text
        self.found.whole.append(whole)
        self.found.new.append(new)

    def _inner_message(self, part: Message, depth: int) -> None:
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            inner = payload[0]
        else:  # e.g. a base64-encoded message/rfc822: decode and parse it ourselves
            inner = message_from_bytes(_payload_bytes(part), policy=compat32)
            self.found.defects.append("message/rfc822 part with an unusual transfer encoding")
        self.found.forwarded.append((inner, depth + 1))

    def _status(self, part: Message, ctype: str) -> None:
        payload = part.get_payload()
        try:
            blocks = payload if isinstance(payload, list) else []
            text = "\n".join(block.as_string() for block in blocks if isinstance(block, Message))
        except Exception:  # a header the generator can't write back: fall back to the raw text
            text = ""
        if not text:
            text = decode_text_part(part, self.found.defects)
        self._attachment(part, ctype, text.encode("utf-8", "surrogateescape"))

    def _attachment(self, part: Message, ctype: str, data: bytes | None = None) -> None:
        if data is None:
            data = _payload_bytes(part)
        charset = "utf-8" if ctype.startswith("message/") else _charset(part)
        name = _filename(part, self.found.defects)
        self.found.attachments.append(self._build(name, ctype, data, charset))

    def _build(self, name: str, ctype: str, data: bytes, charset: str | None) -> Attachment:
        """Read the text of the first attachments only, within one text budget for the whole message.

        5,000 tiny attachments or fifty large ones would otherwise cost minutes in every later stage.
        """
        limit = self.limits.max_attachments
        if len(self.found.attachments) >= limit or self._text_left <= 0:
            why = (f"over the limit of {limit} attachments per message" if len(self.found.attachments) >= limit
                   else f"the message's {self.limits.max_text_chars} characters of text are used up")
            self.found.defects.append(f"text of later attachments not read: {why}")
            return Attachment(name, ctype, len(data), hashlib.sha256(data).hexdigest(), note=f"text not read: {why}")
        limits = replace(self.limits, max_text_chars=self._text_left)
        attachment = build_attachment(name, ctype, data, charset, limits, self.found.defects)
        self._text_left -= len(attachment.text)
        return attachment
