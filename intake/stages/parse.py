"""parse: raw bytes -> ParsedMail. Runs in worker processes, so it must stay a pure function."""

from __future__ import annotations

import contextlib
import ctypes
from typing import TYPE_CHECKING

from classifiers.record import ParsedMail
from intake.parsing import ParseLimits, ParseRejected, parse_message
from intake.pipeline import Hold, Work

if TYPE_CHECKING:
    from intake.services import Services

ParseOutcome = ParsedMail | str  # a str is the reason the message is held


def parse_raw(raw: bytes, limits: ParseLimits) -> ParseOutcome:
    """Never raises: a rejected or crashing message comes back as the reason to hold it."""
    try:
        return parse_message(raw, limits)
    except ParseRejected as exc:
        return exc.reason
    except Exception as exc:
        return f"parser crashed: {exc.__class__.__name__}: {exc}"


def parse_many(jobs: list[tuple[int, bytes]], limits: ParseLimits) -> list[tuple[int, ParseOutcome]]:
    """A chunk of messages for one worker round trip (fewer pickles than one call per message)."""
    out = [(pk, parse_raw(raw, limits)) for pk, raw in jobs]
    _give_back_memory()
    return out


def _give_back_memory() -> None:
    """Return freed heap to the system after a chunk: a big PDF must not keep a worker large."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def parse_stage(work: Work, services: Services) -> None:
    """In-process parse, for when no worker pool parsed the message already."""
    if work.parsed is None:
        outcome = parse_raw(work.raw, services.parse_limits)
        if isinstance(outcome, str):
            raise Hold(outcome)
        work.parsed = outcome
