"""fetch from local files: a Maildir (the embedded default source), .eml files and mbox.

A Maildir is only read: files are never renamed from new/ to cur/ or flagged, exactly as on
IMAP. What was already taken is known from `message_copies` (source + file key), so a re-run
picks up only new files, and the raw bytes dedup keeps each message once.
"""

from __future__ import annotations

import mailbox
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from intake.errors import UserError
from intake.shutdown import stopping
from intake.sources.base import FetchReport, Incoming, OnKept
from intake.sources.dates import delivery_time
from intake.stages.keep import commit_batch
from storage.db import session_scope
from storage.events import append_event
from storage.models import MailboxState, MessageCopy, utcnow


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _maildir_key(name: str) -> str:
    """The unique part of a Maildir file name (flags after ':2,' change when a client reads it)."""
    return name.split(":", 1)[0].split("!", 1)[0]


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


class MaildirSource:
    """A local Maildir polled like a mailbox: new files only, read-only."""

    def __init__(self, path: Path, since: date | None = None, batch_size: int = 100) -> None:
        self.path = path
        self.since = since
        self.batch_size = batch_size
        self.key = f"maildir:{path.resolve()}"

    def fetch(self, engine: Engine, on_kept: OnKept | None = None) -> FetchReport:
        if not is_maildir(self.path):
            raise UserError(f"{self.path}: not a Maildir (needs cur/, new/ and tmp/); check [mailbox] path")
        report = FetchReport(source=self.key)
        watched_since = self._watermark(engine)
        with session_scope(engine) as session:
            known = set(session.exec(select(MessageCopy.path).where(MessageCopy.source == self.key)))
        fresh = sorted(
            (p for sub in ("new", "cur") for p in (self.path / sub).iterdir()
             if p.is_file() and not p.name.startswith(".") and _maildir_key(p.name) not in known),
            key=lambda p: p.name,
        )
        since = datetime.combine(self.since, datetime.min.time(), UTC) if self.since else None
        batch: list[Incoming] = []
        for file in fresh:
            received = _mtime(file)
            if since and received < since:
                continue
            report.seen += 1
            batch.append(Incoming(raw=file.read_bytes(), received_at=received, source=self.key,
                                  path=_maildir_key(file.name), backlog=received < watched_since))
            if len(batch) >= self.batch_size:
                commit_batch(engine, batch, report, on_kept)
                batch = []
                if stopping():
                    return report
        if batch:
            commit_batch(engine, batch, report, on_kept)
        return report

    def _watermark(self, engine: Engine) -> datetime:
        with session_scope(engine) as session:
            row = session.get(MailboxState, self.key)
            if row is None:
                row = MailboxState(source=self.key, uidvalidity=0, initial_scan_done=True)
                session.add(row)
                append_event(session, actor="fetch", action="mailbox.first_seen", entity="mailbox",
                             entity_id=self.key[-60:], after={"since": str(self.since)})
            row.last_poll_at = utcnow()
            since = row.watched_since
            return since if since.tzinfo else since.replace(tzinfo=UTC)


def iter_import(paths: list[Path], acknowledge: bool) -> Iterator[Incoming]:
    """Messages from .eml files, directories of them, Maildirs and mbox files, in a stable order."""
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or directory")
        if not os.access(path, os.R_OK):
            raise UserError(f"{path}: not readable; check its permissions")
        if is_maildir(path):
            for sub in ("new", "cur"):
                for file in sorted((path / sub).iterdir()):
                    if file.is_file():
                        yield _incoming_file(file, acknowledge, key=_maildir_key(file.name))
        elif path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".eml"):
                yield _incoming_file(file, acknowledge)
        elif _looks_like_mbox(path):
            yield from _iter_mbox(path, acknowledge)
        else:
            yield _incoming_file(path, acknowledge)


def _incoming_file(file: Path, acknowledge: bool, key: str | None = None) -> Incoming:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise UserError(f"{file}: cannot read ({exc.strerror})") from None
    return Incoming(raw=raw, received_at=delivery_time(raw) or _mtime(file), source="import",
                    path=key or str(file.resolve()),
                    acknowledge=acknowledge)


def _looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(5) == b"From "


def _iter_mbox(path: Path, acknowledge: bool) -> Iterator[Incoming]:
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            raw = box.get_bytes(key)
            yield Incoming(raw=raw, received_at=delivery_time(raw) or _mtime(path), source="import",
                           path=f"{path.resolve()}#{key}", acknowledge=acknowledge)
    finally:
        box.close()


def import_paths(engine: Engine, paths: list[Path], acknowledge: bool, batch_size: int = 100,
                 on_kept: OnKept | None = None) -> FetchReport:
    """`uwagi import`: keep every message found under the paths (duplicates once)."""
    report = FetchReport(source="import")
    batch: list[Incoming] = []
    for item in iter_import(paths, acknowledge):
        report.seen += 1
        batch.append(item)
        if len(batch) >= batch_size:
            commit_batch(engine, batch, report, on_kept)
            batch = []
            if stopping():
                return report
    if batch:
        commit_batch(engine, batch, report, on_kept)
    return report
