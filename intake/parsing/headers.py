"""Header decoding: RFC 2047 words, raw 8-bit headers, addresses, dates, message ids.

The stdlib decoder gives up on a whole header when one encoded word is bad; mail
from small Polish clients often has exactly that, so words are decoded one by one
and anything undecodable is kept as written (with a defect) instead.
"""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from mailparser.dates import parse_mail_date
from mailparser.utils import get_addresses

from .charsets import codec_name, decode_bytes

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?]*?)\?=")
_LINE_BREAK = re.compile(r"\r?\n")
_MSGID = re.compile(r"<([^<>\s]+)>")
_SURROGATES = re.compile("[\udc80-\udcff]")
_NOT_B64 = re.compile(r"[^A-Za-z0-9+/]")
_ANGLE_ADDRESS = re.compile(r"<([^<>\s@]+@[^<>\s@]+)>")
# C0 (tab included), DEL, C1 and the Unicode line separators: a decoded "Uwagi\r\nBcc: ..." must never
# reach a header we write, a log line or a CSV cell as a line break.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(value: str) -> str:
    """A header value with every control character replaced by a space."""
    return _CONTROL.sub(" ", value)


def unfold(value: str) -> str:
    """Join folded header lines with one space.

    Split and strip rather than a regex like "[ \\t]*\\r?\\n[ \\t]*", which retries from every blank of
    a long run that no line break follows (quadratic: 40,000 spaces took half a minute).
    """
    if "\n" not in value:
        return value
    lines = _LINE_BREAK.split(value)
    last = len(lines) - 1
    return " ".join(_strip_fold(line, i > 0, i < last) for i, line in enumerate(lines))


def _strip_fold(line: str, left: bool, right: bool) -> str:
    if left:
        line = line.lstrip(" \t")
    if right:
        line = line.rstrip(" \t")
    return line


def recover_raw(value: str, defects: list[str] | None = None) -> str:
    """Turn surrogate-escaped 8-bit header bytes (raw UTF-8, cp1250 ...) back into text."""
    if not _SURROGATES.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    return decode_bytes(data, None, None)


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    raw = payload.encode("utf-8", "surrogateescape")
    try:
        if encoding in "Qq":
            return binascii.a2b_qp(raw, header=True)
        if _NOT_B64.search(raw.decode("ascii", "replace").rstrip("=")):
            return None  # not base64 at all: keep the word as written
        raw = raw.rstrip(b"=")
        if len(raw) % 4 == 1:
            raw = raw[:-1]
        return binascii.a2b_base64(raw + b"=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        return None


def _decode_run(words: list[bytes], charset: str, defects: list[str] | None) -> str:
    """Adjacent words of one charset are joined first (a character may be split between them);
    if the join is not valid, each word is decoded on its own so one bad word spoils only itself."""
    joined = b"".join(words)
    if codec_name(charset) != "utf_8":
        return decode_bytes(joined, charset, defects)
    try:
        return joined.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if defects is not None:
        defects.append("invalid UTF-8 in an encoded word of a header")
    return "".join(word.decode("utf-8", "replace") for word in words)


def decode_words(value: str, defects: list[str] | None = None) -> str:
    """Unfold and decode a header value; bad words stay as written and are reported."""
    value = unfold(recover_raw(value or "", defects))
    if "=?" not in value:
        return clean(value).strip()
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    after_word = False
    pos = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending:
            out.append(_decode_run(pending, pending_charset, defects))
        pending, pending_charset = [], ""

    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        pos = match.end()
        charset, encoding, payload = match.groups()
        charset = charset.split("*", 1)[0].lower()  # RFC 2231 language suffix
        data = _word_bytes(encoding, payload)
        if data is None:
            flush()
            out.extend((gap, match.group(0)))
            after_word = False
            if defects is not None:
                defects.append(f"undecodable encoded word in header: {match.group(0)[:60]}")
            continue
        if after_word and not gap.strip():
            # Whitespace between two encoded words is not text (RFC 2047, section 6.2).
            if charset != pending_charset:
                flush()
        else:
            flush()
            out.append(gap)
        pending.append(data)
        pending_charset = charset
        after_word = True
    flush()
    out.append(value[pos:])
    return clean("".join(out)).strip()


def decode_all(msg: Message, defects: list[str]) -> dict[str, tuple[str, ...]]:
    """Every header of ``msg``, lower-cased name -> decoded values in order."""
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        key = recover_raw(str(name)).strip().lower()
        headers.setdefault(key, []).append(decode_words(str(value), defects))
    return {key: tuple(values) for key, values in headers.items()}


def addresses(raw: str | None, defects: list[str] | None = None) -> list[tuple[str, str]]:
    """(display name, address) pairs from an address header, names RFC 2047-decoded."""
    if not raw:
        return []
    value = unfold(recover_raw(str(raw)))
    # The stdlib parser is fast and right for ordinary headers; mail-parser's recovering
    # parser (slower) takes over when the result does not look like mailboxes.
    found = [pair for pair in getaddresses([value]) if pair[1] or pair[0]]
    if not found or any("@" not in address or " " in address for _, address in found):
        try:
            found = [pair for pair in get_addresses(value, decode_names=False) if pair[1] or pair[0]]
        except Exception:  # mail-parser is defensive, but this is untrusted input
            found = []
    result = []
    for name, address in found:
        name = decode_words(name, defects).strip().strip('"').strip()
        address = clean(address).strip().strip("<>").lower()
        if "@" not in address and not name:
            continue
        result.append((name, address))
    if not result and "@" in value:
        result = _bracketed(value, defects)
    if not result and "@" in value and defects is not None:
        defects.append(f"no usable address in header: {value[:80]}")
    return result


def _bracketed(value: str, defects: list[str] | None) -> list[tuple[str, str]]:
    """Last resort: the <address> parts, when broken bytes in a name (a stray "(" opens a comment) make
    both parsers give up; the ASCII address is what matters most."""
    found = []
    start = 0
    for match in _ANGLE_ADDRESS.finditer(value):
        name = clean(value[start : match.start()]).strip(" ,\"'")
        found.append((name, match.group(1).lower()))
        start = match.end()
    if found and defects is not None:
        defects.append(f"unreadable display name in address header: {value[:80]}")
    return found


def parse_date(raw: str | None, defects: list[str]) -> datetime | None:
    """An aware datetime from a Date header; None (and a defect) when it can't be read."""
    if not raw:
        return None
    value = unfold(recover_raw(str(raw))).strip()
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is not None and parsed.tzinfo is not None:
        return parsed
    fallback: datetime | None
    try:
        fallback = parse_mail_date(value).value
    except Exception:
        fallback = None
    if fallback is not None:
        return fallback if fallback.tzinfo else fallback.replace(tzinfo=UTC)
    if parsed is not None:
        defects.append(f"Date header has no time zone, taken as UTC: {value[:60]}")
        return parsed.replace(tzinfo=UTC)
    defects.append(f"unreadable Date header: {value[:60]}")
    return None


def message_ids(raw: str | None) -> list[str]:
    """Message ids without angle brackets, in order; a bare id without brackets counts too."""
    if not raw:
        return []
    value = recover_raw(str(raw))
    found = _MSGID.findall(value)
    if found:
        return found
    return [part.strip("<>") for part in value.split() if part.strip("<>")]
