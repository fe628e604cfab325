"""Tables of the staff review UI: accounts, login attempts, notes, office marks, search index, secrets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, Text
from sqlmodel import Field, Session, SQLModel

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
    """Lower-cased text without Polish diacritics, so a search for 'swietlica' finds 'Świetlica'."""

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


def refresh_search(session: Session, remark: Remark) -> None:
    """After a text change (split, merge, erasure) the folded copy must follow."""
    row = session.get(RemarkSearch, remark.id)
    folded = fold(" ".join(filter(None, (remark.text, remark.author_name, remark.author_email))))
    if row is None:
        session.add(RemarkSearch(remark_id=remark.id or 0, folded=folded))
    else:
        row.folded = folded
        session.add(row)
