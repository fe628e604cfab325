"""Verifying the event log: the whole chain, or only its head for the auditor to note down."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from storage.events import BrokenLink, chain_head, first_broken
from storage.models import Event


@dataclass(frozen=True)
class Verification:
    events: int
    head: str
    broken: BrokenLink | None


def verify(engine: Engine, walk: bool = True) -> Verification:
    """Read-only: a verification never writes to the log it checks."""
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Event)).one()
        return Verification(events=count, head=chain_head(session), broken=first_broken(session) if walk else None)
