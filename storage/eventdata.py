"""Personal data of events, kept beside the hash chain so erasing a person never edits the chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel


class EventPersonal(SQLModel, table=True):
    """One event's personal part and the salt of its digest; `forget` deletes the row."""

    __tablename__ = "event_personal"

    event_id: int = Field(sa_column=Column(Integer, ForeignKey("events.id"), primary_key=True))
    salt: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
