"""Tables of the staff review UI: accounts, login attempts, notes, office marks, search index, secrets,
retraining requests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    Text,
    and_,
    column,
    func,
    or_,
    table,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import session_scope
from storage.models import Remark, utcnow

# The same folding as classifiers.foldtable.fold, without importing spaCy into the web process.
_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


class User(SQLModel, table=True):
    """A person who signs in to the review UI; the password is only ever stored as an argon2 hash."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100, unique=True)
    full_name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)  # staff | auditor | admin
    password_hash: str = Field(max_length=200)
    active: bool = True
    # Sessions live in signed cookies; bumping this ends every session of the account (logout, disable).
    session_epoch: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    last_login_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class LoginAttempt(SQLModel, table=True):
    """Every login try, kept so that guessing is slowed per account and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_user_at", "username", "at"),
                      Index("ix_login_attempts_ip_at", "ip", "at"))

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100)
    ip: str = Field(max_length=64)
    ok: bool = False
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class RemarkNote(SQLModel, table=True):
    """An internal note on a remark: never sent to the resident."""

    __tablename__ = "remark_notes"

    id: int | None = Field(default=None, primary_key=True)
    remark_id: int = Field(sa_column=Column(Integer, ForeignKey("remarks.id", ondelete="CASCADE"), index=True,
                                            nullable=False))
    author: str = Field(max_length=100)
    text: str = Field(sa_type=Text)
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class RemarkOffice(SQLModel, table=True):
    """The office's own bookkeeping of a remark: who handles it, case number (znak sprawy), EZD id."""

    __tablename__ = "remark_office"

    remark_id: int = Field(sa_column=Column(Integer, ForeignKey("remarks.id", ondelete="CASCADE"), primary_key=True))
    assigned_to: str | None = Field(default=None, max_length=100, index=True)
    case_number: str | None = Field(default=None, max_length=100)
    ezd_id: str | None = Field(default=None, max_length=100)


class RemarkSearch(SQLModel, table=True):
    """Lower-cased text without Polish diacritics, so a search for 'swietlica' finds 'Świetlica'.

    Indexed by trigrams outside the models (migration 0011): on SQLite the FTS5 table `remark_fts`,
    kept in step by triggers on this table; on PostgreSQL a pg_trgm GIN index on `folded`.
    """

    __tablename__ = "remark_search"

    remark_id: int = Field(sa_column=Column(Integer, ForeignKey("remarks.id", ondelete="CASCADE"), primary_key=True))
    folded: str = Field(sa_type=Text)


class AppSecret(SQLModel, table=True):
    """Random keys made once per installation (the session cookie signing key)."""

    __tablename__ = "app_secrets"

    name: str = Field(primary_key=True, max_length=50)
    value: str = Field(max_length=200)


def fold(text: str) -> str:
    """Lower-case without Polish diacritics: 'Świetlica' and 'swietlica' search alike."""
    return text.lower().translate(_FOLD)


def search_text(text: str) -> str:
    """What a search looks for: folded, runs of white space made one space (a line break in the
    remark and a space in the query match alike)."""
    return " ".join(fold(text).split())


def refresh_search(session: Session, remark: Remark) -> None:
    """After a text change (split, merge, erasure) the folded copy must follow."""
    row = session.get(RemarkSearch, remark.id)
    folded = search_text(" ".join(filter(None, (remark.text, remark.author_name, remark.author_email))))
    if row is None:
        session.flush()
        add_search_rows(session, [{"remark_id": remark.id or 0, "folded": folded}])
    else:  # the index follows by trigger (SQLite) or by itself (PostgreSQL)
        row.folded = folded
        session.add(row)


def add_search_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """New rows of remark_search, and on SQLite their entries in the FTS5 index: row by row for a
    few, a rebuild of the whole index for a bulk catch-up (many times quicker)."""
    table_ = RemarkSearch.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), 5000):
        session.execute(table_.insert(), rows[start:start + 5000])
    if not rows or not _fts_ready(session):
        return
    if len(rows) > BULK:
        session.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"))
        return
    ids = ",".join(str(int(r["remark_id"])) for r in rows)
    session.execute(text(f"INSERT INTO {FTS}(rowid, folded) SELECT remark_id, folded FROM remark_search "
                         f"WHERE remark_id IN ({ids})"))


# --- the search index -------------------------------------------------------------------------------
# Made by hand in migration 0011, outside the models (Alembic's comparison skips them): SQLite's FTS5
# table (with its shadow tables remark_fts_*) and PostgreSQL's trigram GIN index.
FTS = "remark_fts"
TRGM_INDEX = "ix_remark_search_folded_trgm"
MIN_INDEXED = 3  # a trigram index finds substrings of three characters or more
CANDIDATE_SHARE = 0.05  # PostgreSQL: rows to recheck past which a scan beats the trigram index
BULK = 2000  # more new rows than this at once: rebuild the FTS5 index instead of adding row by row
_FTS_TABLE = table(FTS, column("rowid", Integer), column("folded", Text))
_has_fts: set[str] = set()


def in_models(name: str | None, type_: str, _parents: Any = None) -> bool:
    """Alembic's include_name: False for the hand-made search index objects."""
    if type_ == "table":
        return not (name or "").startswith(FTS)
    return not (type_ == "index" and name == TRGM_INDEX)


def _fts_ready(session: Session) -> bool:
    """SQLite built with FTS5 and at migration 0011 (an older SQLite keeps scanning the texts)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    key = str(getattr(bind, "url", id(bind)))
    if key not in _has_fts and session.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": FTS}).first():
        _has_fts.add(key)
    return key in _has_fts


def compact_search_index(session: Session) -> None:
    """After an erasure: SQLite's FTS5 keeps a deleted row's trigrams in its index segments until they
    merge; 'optimize' merges them now, so nothing of the erased text stays in the index."""
    if _fts_ready(session):
        session.execute(text(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')"))


def search_ids(session: Session, query: str) -> Any:
    """Ids of remarks whose folded text holds the query (diacritics and case ignored) as one
    substring. Three characters or more go through the trigram index (FTS5 on SQLite, pg_trgm on
    PostgreSQL); a shorter query, or a database without the index, scans the folded texts."""
    needle = search_text(query)
    if len(needle) >= MIN_INDEXED and _fts_ready(session):
        phrase = '"' + needle.replace('"', '""') + '"'  # one quoted FTS5 string: no query syntax
        return select(_FTS_TABLE.c.rowid).where(_FTS_TABLE.c.folded.op("MATCH")(phrase))
    folded = col(RemarkSearch.folded)
    if session.get_bind().dialect.name == "postgresql":
        pattern = f"%{like_escape(needle)}%"
        if len(needle) >= MIN_INDEXED and _planned_through_index(session, pattern, needle):
            return select(RemarkSearch.remark_id).where(folded.like(pattern, escape="\\"))
        return select(RemarkSearch.remark_id).where(func.strpos(folded, needle) > 0)
    return select(RemarkSearch.remark_id).where(func.instr(folded, needle) > 0)  # faster than SQLite's LIKE


def _planned_through_index(session: Session, pattern: str, needle: str = "") -> bool:
    """PostgreSQL: LIKE is what the gin_trgm_ops index serves, and it pays when a trigram of the query
    is rare (a name, an address: a few ms). The planner cannot tell a rare phrase of common words from
    a rare word (it guessed 57 rows where the index offered 33,000 candidates to recheck, twice as slow
    as a scan), so the index is taken only when the planner plans it and a 1 % sample of the texts
    shows few rows holding every word of the query; otherwise strpos() scans (several times quicker
    than LIKE on a scan). Both checks take a few ms."""
    plan = session.connection().exec_driver_sql(
        "EXPLAIN SELECT remark_id FROM remark_search WHERE folded LIKE %(p)s ESCAPE '\\'", {"p": pattern})
    if not any(TRGM_INDEX in line for (line,) in plan):
        return False
    words = [w for w in needle.split() if len(w) >= MIN_INDEXED][:8] or [needle]
    holds = " AND ".join(f"strpos(folded, %(w{i})s) > 0" for i in range(len(words)))
    sampled, holding = session.connection().exec_driver_sql(
        f"SELECT count(*), count(*) FILTER (WHERE {holds}) FROM remark_search TABLESAMPLE SYSTEM (1) REPEATABLE (7)",
        {f"w{i}": w for i, w in enumerate(words)}).one()
    return not sampled or holding / sampled < CANDIDATE_SHARE


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- retraining asked for in the UI -----------------------------------------------------------------
TRAINING_STATES = ("queued", "running", "done", "failed")


class TrainingRequest(SQLModel, table=True):
    """`train` + re-scoring asked for by an admin in the UI. The web process only records it; the
    daemon (`uwagi run`) claims it like a message (owner and expiry) and runs it."""

    __tablename__ = "training_requests"
    # `open_slot` is 1 while the request waits or runs and NULL after: one open request at a time.
    __table_args__ = (Index("ux_training_requests_open", "open_slot", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    requested_by: str = Field(max_length=100)
    requested_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))
    status: str = Field(default="queued", max_length=20)  # queued | running | done | failed
    open_slot: int | None = Field(default=1)
    claimed_by: str | None = Field(default=None, max_length=200)
    claimed_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    started_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    result: str = Field(default="", sa_type=Text)


TRAININGS = TrainingRequest.__table__  # type: ignore[attr-defined]


def request_training(engine: Engine, actor: str) -> bool:
    """Record the request once (False when one already waits or runs: a double click asks once)."""
    from storage.events import append_event  # storage.events imports the models, which import this module

    try:
        with session_scope(engine) as session:
            if session.exec(select(TrainingRequest).where(TrainingRequest.open_slot == 1)).first():
                return False
            row = TrainingRequest(requested_by=actor)
            session.add(row)
            session.flush()
            append_event(session, actor=actor, action="training.requested", entity="training",
                         entity_id=row.id or 0)
        return True
    except IntegrityError:  # another click won the race for the open slot
        return False


def latest_training(session: Session) -> TrainingRequest | None:
    return session.exec(select(TrainingRequest).order_by(col(TrainingRequest.id).desc())).first()


def training_waiting(engine: Engine) -> bool:
    """A request waits, or its runner died (claim expired): worth taking the lease for."""
    t = TRAININGS.c
    with engine.connect() as conn:
        return conn.execute(select(t.id).where(t.open_slot == 1, or_(t.status == "queued", t.claimed_until < utcnow()))
                            .limit(1)).first() is not None


def claim_training(engine: Engine, owner: str, seconds: float) -> TrainingRequest | None:
    """Take the waiting request, or one whose runner died (its claim expired); None when there is none.

    One conditional UPDATE (on PostgreSQL over SELECT ... FOR UPDATE SKIP LOCKED), as for messages:
    two daemons never run the same request."""
    now = utcnow()
    t = TRAININGS.c
    free = and_(t.open_slot == 1, or_(t.status == "queued", t.claimed_until < now))
    pick = select(t.id).where(free).order_by(t.id).limit(1)
    if engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    stmt = (update(TRAININGS).where(t.id.in_(pick), free)
            .values(status="running", claimed_by=owner, claimed_until=now + timedelta(seconds=seconds),
                    started_at=now).returning(t.id))
    with engine.begin() as conn:
        got = conn.execute(stmt).scalar_one_or_none()
    if got is None:
        return None
    with Session(engine) as session:
        return session.get(TrainingRequest, got)


def renew_training(engine: Engine, request_id: int, owner: str, seconds: float) -> bool:
    with engine.begin() as conn:
        return bool(conn.execute(update(TRAININGS).where(TRAININGS.c.id == request_id, TRAININGS.c.claimed_by == owner,
                                                         TRAININGS.c.status == "running")
                                 .values(claimed_until=utcnow() + timedelta(seconds=seconds))).rowcount)


def finish_training(engine: Engine, request_id: int, owner: str, ok: bool, result: str) -> bool:
    """Close the request with its outcome (only while this owner still holds it) and log it."""
    from storage.events import append_event

    with session_scope(engine) as session:
        row = session.get(TrainingRequest, request_id)
        if row is None or row.claimed_by != owner or row.status != "running":
            return False
        row.status, row.open_slot, row.finished_at = ("done" if ok else "failed"), None, utcnow()
        row.result, row.claimed_until = result[:2000], None
        session.add(row)
        append_event(session, actor=owner[:100], action="training.finished", entity="training", entity_id=request_id,
                     after={"status": row.status, "result": row.result, "requested_by": row.requested_by})
        return True


# --- login attempts -------------------------------------------------------------------------------
def prune_login_attempts(session: Session, older_than: datetime, keep_at_most: int) -> int:
    """Forget tries older than the rate-limit window, and beyond a hard cap the oldest ones (a flood
    of tries from many addresses must not fill the disk)."""
    table_ = LoginAttempt.__table__  # type: ignore[attr-defined]
    gone = int(session.execute(table_.delete().where(table_.c.at < older_than)).rowcount or 0)  # type: ignore[attr-defined]
    cut = session.execute(select(table_.c.id).order_by(table_.c.id.desc()).offset(keep_at_most).limit(1)).scalar()
    if cut is not None:
        gone += int(session.execute(table_.delete().where(table_.c.id <= cut)).rowcount or 0)  # type: ignore[attr-defined]
    return gone
