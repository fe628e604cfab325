"""The parsed e-mail as the classifiers see it.

Produced by ``intake.parsing`` from the kept raw bytes; consumed by the pure
functions in ``classifiers``. It lives here (not in ``intake``) so that the
classifiers depend on nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Attachment:
    """One attachment part, with the text we could get out of it."""

    filename: str
    content_type: str
    size: int
    sha256: str
    text: str = ""
    # Rows of cells of every table in the document (DOCX/ODT), header row included.
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # Why no text was extracted (over the size limit, unsupported type, broken file); "" if fine.
    note: str = ""


@dataclass(frozen=True)
class ParsedMail:
    """A clean record of one e-mail: decoded headers, text, attachments."""

    message_id: str
    sender_name: str
    sender_email: str
    subject: str
    date: datetime | None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    # Every header, lower-cased name -> decoded values in order (for sorting: Auto-Submitted, List-Id ...).
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Top-level MIME type, e.g. "multipart/report"; report_type holds its report-type parameter.
    content_type: str = "text/plain"
    report_type: str = ""
    # Whole body as text (HTML converted), quotes and signatures included.
    body_text: str = ""
    # Only what the sender wrote now: quoted replies, signatures and mobile footers removed.
    new_text: str = ""
    attachments: tuple[Attachment, ...] = ()
    # message/rfc822 parts (forwarded mail, returned originals in bounces), parsed the same way.
    forwarded: tuple[ParsedMail, ...] = ()
    # Problems met while parsing that did not stop it (bad charset, MIME defects, limits hit).
    defects: tuple[str, ...] = ()

    def header(self, name: str) -> str:
        """First value of a header ("" if absent); name is case-insensitive."""
        values = self.headers.get(name.lower(), ())
        return values[0] if values else ""
