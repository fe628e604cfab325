"""What every mail source hands to the keep stage."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine


@dataclass(frozen=True)
class Incoming:
    """One message as fetched: its exact bytes and where and when it was received."""

    raw: bytes
    received_at: datetime
    source: str
    uidvalidity: int = 0
    uid: int = 0
    path: str = ""
    backlog: bool = False
    acknowledge: bool = True


@dataclass
class FetchReport:
    """What one fetch did, for the CLI and the log."""

    source: str
    seen: int = 0
    kept: int = 0
    duplicates: int = 0
    unchanged: bool = False
    kept_pks: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Called after each committed batch with (primary key, raw bytes) of the new messages, so parsing
# can start while fetching goes on, without reading the bytes back from the database.
OnKept = Callable[[list[tuple[int, bytes]]], None]


class Source(Protocol):
    key: str

    def fetch(self, engine: Engine, on_kept: OnKept | None = None) -> FetchReport: ...


def chunked(items: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
