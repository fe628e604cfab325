"""The date that counts for an imported message: its own delivery time, not the file's.

A copied .eml file or an mbox carries the time it was copied; the message itself says when it was
delivered: the newest (topmost) `Received:` header, added by the office's own server, else `Date:`.
Lateness is decided on this time (in the consultation's zone, by the store stage).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_HEAD_LIMIT = 256_000


def _parse(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def delivery_time(raw: bytes, now: datetime | None = None) -> datetime | None:
    """Topmost parseable Received: date, else Date:; None when neither is usable (or in the future)."""
    end = _HEADER_END.search(raw, 0, _HEAD_LIMIT)
    head = raw[: end.start()] if end else raw[:_HEAD_LIMIT]
    headers = BytesHeaderParser(policy=compat32).parsebytes(head + b"\n\n")
    limit = (now or datetime.now(UTC)) + timedelta(days=1)
    candidates = [str(v).rpartition(";")[2] for v in headers.get_all("Received") or [] if ";" in str(v)]
    candidates += [str(headers.get("Date") or "")]
    for value in candidates:
        moment = _parse(value) if value else None
        if moment is not None and moment <= limit:
            return moment
    return None
