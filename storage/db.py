"""Engines, sessions and schema migrations for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be opened or is not at the expected schema."""


def mask_url(url: str) -> str:
    """The URL for display and logs: a password in it becomes "***".

    By hand rather than sqlalchemy's make_url: an unencoded "@" in the password must not leak its tail.
    """
    scheme, sep, rest = url.partition("://")
    at = rest.rfind("@")
    if not sep or at < 0 or ":" not in rest[:at]:
        return url
    user = rest[:at].split(":", 1)[0]
    return f"{scheme}://{user}:***@{rest[at + 1:]}"


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL or an in-memory database)."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///")
    return Path(path) if path and path != ":memory:" else None


def make_engine(url: str) -> Engine:
    """An engine with SQLite in WAL mode (readers never block the fetcher) and sane timeouts."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin_immediate
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA secure_delete=ON")  # RODO: erased or deleted data is zeroed, not left in free pages
    cur.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    """Take the write lock when a transaction begins, not at its first write.

    Several processes may share one SQLite file (an import beside the daemon). A deferred
    transaction that read and then writes after another process committed fails at once with
    "database is locked" (the busy timeout does not apply); an immediate one waits its turn.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(engine: Engine, default_consultation: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    if default_consultation:
        cfg.attributes["default_consultation"] = default_consultation
    return cfg


def migrate(engine: Engine, default_consultation: str | None = None) -> None:
    """Bring the schema to the newest revision (creates it on an empty database).

    `default_consultation` is the key of the config's `[consultation]`: rows stored before there were
    several consultations are filled with it (migration 0012).
    """
    try:
        command.upgrade(alembic_config(engine, default_consultation), "head")
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database: {exc.orig}") from None


def check_reachable(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot connect to the database: {first}") from None


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("messages")
