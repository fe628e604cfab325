"""Limits that protect the service from hostile or runaway mail, and the one exception they raise."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseLimits:
    """Upper bounds for one message; over the first two the message is rejected, not parsed."""

    max_message_bytes: int = 25_000_000
    max_attachment_bytes: int = 10_000_000
    max_mime_depth: int = 20
    max_text_chars: int = 500_000


class ParseRejected(Exception):
    """The message is over a limit and was not parsed; ``reason`` says which, in plain English."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def megabytes(size: int, digits: int = 1) -> str:
    """Size in decimal megabytes, as mail users read it: "31.2 MB"."""
    return f"{size / 1_000_000:.{digits}f} MB"
