"""What the UI shows of a kept e-mail: sanitised HTML and attachment bytes, re-read from the raw message.

The raw bytes are the record; nothing here is stored. HTML passes nh3 with no images, no styles
and only http(s)/mailto links, and is then served in a sandboxed frame under its own strict CSP.
"""

from __future__ import annotations

import email
import hashlib
import re
import unicodedata
from email.message import Message
from urllib.parse import quote

import nh3

from intake.parsing.mime import _payload_bytes, decode_text_part

_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
_URL_SCHEMES = {"http", "https", "mailto"}
MAX_PARTS = 500


def _parts(raw: bytes) -> list[Message]:
    msg = email.message_from_bytes(raw)
    return [part for _, part in zip(range(MAX_PARTS), msg.walk(), strict=False)]


def html_body(raw: bytes) -> str | None:
    """The first text/html part that is not an attachment, or None."""
    for part in _parts(raw):
        if part.get_content_type() == "text/html" and (part.get_content_disposition() or "") != "attachment":
            return decode_text_part(part, [])
    return None


def sanitise(html: str) -> str:
    """Only harmless markup: no script, no event handlers, no styles, no images, no javascript: links."""
    return nh3.clean(html, tags=_TAGS, url_schemes=_URL_SCHEMES, link_rel="noopener noreferrer nofollow",
                     strip_comments=True)


def attachment_bytes(raw: bytes, sha256: str) -> bytes | None:
    """The bytes of the part whose SHA-256 the parse recorded (the index in the list may shift)."""
    for part in _parts(raw):
        if part.is_multipart():
            continue
        data = _payload_bytes(part)
        if hashlib.sha256(data).hexdigest() == sha256:
            return data
    return None


def safe_filename(name: str, fallback: str = "zalacznik") -> str:
    """A name with no path, no control characters and no leading dot; never empty."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"|?*;]', "_", name).strip(" .")[:150]
    return name or fallback


def content_disposition(name: str) -> str:
    """attachment; an ASCII fallback plus the UTF-8 name (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "zalacznik"
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
