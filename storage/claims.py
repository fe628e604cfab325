"""Claims on messages and leases on mailboxes: several processes share the work, none does it twice.

A claim is two columns on the message (who, until when). Taking claims is one conditional UPDATE
(on PostgreSQL over `SELECT ... FOR UPDATE SKIP LOCKED`), so two processes never hold the same
message; an owner that dies simply lets its claims expire (or is released at once by a process
on the same host that sees it gone). The stages' results are stored only while the claim is held.

A lease is a row per mailbox naming the one process allowed to fetch from it until a time; the
holder renews it, and another takes over when it expires. On PostgreSQL the fetch is guarded by
an advisory lock instead (released by the server the moment the holder's connection dies).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, DateTime, Engine, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Field, SQLModel

from storage.models import Message, utcnow

MESSAGES = Message.metadata.tables["messages"]


class Lease(SQLModel, table=True):
    """Who may do a singleton job (fetch one mailbox) and until when."""

    __tablename__ = "leases"

    name: str = Field(primary_key=True, max_length=300)
    holder: str = Field(max_length=200)
    until: datetime = Field(sa_type=DateTime(timezone=True))


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(MESSAGES.c.claimed_until.is_(None), MESSAGES.c.claimed_until < now)


def claim(engine: Engine, owner: str, states: Sequence[str], limit: int, seconds: float,
          after: int = 0) -> list[int]:
    """Claim up to `limit` unclaimed messages in `states` with ids above `after` (oldest first).

    The caller moves `after` forward, so one run never takes the same message twice even when a
    stage leaves it in a state it claims from (reprocess).
    """
    now = utcnow()
    # the owner's own unexpired claims are left over from an earlier run cut short (a database outage)
    free = or_(_free(now), MESSAGES.c.claimed_by == owner)
    pick = select(MESSAGES.c.id).where(MESSAGES.c.state.in_(list(states)), MESSAGES.c.id > after, free)
    pick = pick.order_by(MESSAGES.c.id).limit(limit)
    if engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    stmt = (update(MESSAGES).where(MESSAGES.c.id.in_(pick), free)
            .values(claimed_by=owner, claimed_until=now + timedelta(seconds=seconds))
            .returning(MESSAGES.c.id))
    with engine.begin() as conn:
        return sorted(conn.execute(stmt).scalars())


def renew(engine: Engine, owner: str, pks: Iterable[int], seconds: float) -> None:
    """Push the expiry of the claims this owner still holds."""
    ids = list(pks)
    if not ids:
        return
    with engine.begin() as conn:
        conn.execute(update(MESSAGES).where(MESSAGES.c.id.in_(ids), MESSAGES.c.claimed_by == owner)
                     .values(claimed_until=utcnow() + timedelta(seconds=seconds)))


def release(engine: Engine, owner: str, pks: Iterable[int] | None = None) -> int:
    """Give claims back unprocessed (shutdown, setup error); all of the owner's when `pks` is None."""
    stmt = update(MESSAGES).where(MESSAGES.c.claimed_by == owner)
    if pks is not None:
        stmt = stmt.where(MESSAGES.c.id.in_(list(pks)))
    with engine.begin() as conn:
        return conn.execute(stmt.values(claimed_by=None, claimed_until=None)).rowcount


def owned(conn: Connection, owner: str, pks: Iterable[int]) -> set[int]:
    """Which of these messages this owner still holds, locked for the caller's transaction."""
    query = select(MESSAGES.c.id).where(MESSAGES.c.id.in_(list(pks)), MESSAGES.c.claimed_by == owner)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return set(conn.execute(query).scalars())


def live_owners(engine: Engine) -> list[str]:
    """Owners of unexpired claims (to find those whose process is gone)."""
    now = utcnow()
    with engine.connect() as conn:
        return list(conn.execute(select(MESSAGES.c.claimed_by).distinct()
                                 .where(MESSAGES.c.claimed_by.is_not(None), MESSAGES.c.claimed_until >= now))
                    .scalars())


def queue_depth(engine: Engine, states: Sequence[str] = ("kept",)) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(MESSAGES)
                                .where(MESSAGES.c.state.in_(list(states)))).scalar_one())


LEASES = Lease.metadata.tables["leases"]


def take_lease(engine: Engine, name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease when it is free, expired or already ours."""
    now = utcnow()
    until = now + timedelta(seconds=seconds)
    with engine.begin() as conn:
        done = conn.execute(update(LEASES).where(LEASES.c.name == name, or_(
            LEASES.c.holder == holder, LEASES.c.until < now)).values(holder=holder, until=until)).rowcount
        if done:
            return True
    try:
        with engine.begin() as conn:
            conn.execute(insert(LEASES).values(name=name, holder=holder, until=until))
        return True
    except IntegrityError:
        return False  # held by someone else


def lease_holder(engine: Engine, name: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(LEASES.c.holder).where(LEASES.c.name == name,
                                                          LEASES.c.until >= utcnow())).scalar_one_or_none()


def drop_lease(engine: Engine, name: str, holder: str) -> None:
    with engine.begin() as conn:
        conn.execute(LEASES.delete().where(and_(LEASES.c.name == name, LEASES.c.holder == holder)))
