"""Limits that protect the service from hostile or runaway mail, and the one exception they raise."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseLimits:
    """Upper bounds for one message; over the first two the message is rejected, not parsed."""

    max_message_bytes: int = 25_000_000
    max_attachment_bytes: int = 10_000_000
    max_mime_depth: int = 20
    max_text_chars: int = 200_000  # for the body, and for all attachments of the message together
    max_attachments: int = 50  # attachments whose text is read; later ones are listed only
    max_pdf_pages: int = 100  # pages of one PDF whose text is read
    max_unpacked_bytes: int = 5_000_000  # text parts (XML) of one DOCX/ODT once unzipped, pictures excluded


class ParseRejected(Exception):
    """The message is over a limit and was not parsed; ``reason`` says which, in plain English."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


MB = 1_000_000  # decimal megabytes everywhere: the config's "25 MB" limit is reported as "25 MB"


def megabytes(size: int, digits: int = 1) -> str:
    """Size in decimal megabytes, as mail users read it: "31.2 MB", "25 MB", "0.1 MB" (no trailing ".0")."""
    text = f"{size / MB:.{max(digits, 1)}f}".rstrip("0").rstrip(".")
    return f"{text} MB"
