"""One fetcher per mailbox at a time, across every instance sharing the database.

PostgreSQL: a session advisory lock on a connection held for the fetch; the server frees it the
moment that connection dies, so another instance takes over at its next poll. SQLite: a lease row
with an expiry, renewed by a thread while the fetch runs; a crashed holder's lease is taken over
when it expires (at once when the holder was a process on this host that no longer runs).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from intake.processing import owner_gone, owner_id
from storage import claims

log = logging.getLogger("uwagi.fetch")


def lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"uwagi-fetch:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def fetch_lock(engine: Engine, name: str, seconds: float) -> Iterator[bool]:
    """Yields True when this process may fetch `name` now, False when another instance is."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name) as got:
            yield got
    else:
        with _lease(engine, name, seconds) as got:
            yield got


@contextmanager
def _advisory(engine: Engine, name: str) -> Iterator[bool]:
    key = lock_key(name)
    with engine.connect() as conn:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


@contextmanager
def _lease(engine: Engine, name: str, seconds: float) -> Iterator[bool]:
    holder = owner_id()
    current = claims.lease_holder(engine, name)
    if current and current != holder and owner_gone(current):
        log.warning("fetch lease of %s held by %s, which is no longer running: taken over", name, current)
        claims.drop_lease(engine, name, current)
    if not claims.take_lease(engine, name, holder, seconds):
        yield False
        return
    done = threading.Event()

    def renew() -> None:
        while not done.wait(seconds / 3):
            claims.take_lease(engine, name, holder, seconds)

    keeper = threading.Thread(target=renew, name="fetch-lease", daemon=True)
    keeper.start()
    try:
        yield True
    finally:
        done.set()
        keeper.join()
        claims.drop_lease(engine, name, holder)
