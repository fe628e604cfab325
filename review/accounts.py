"""Accounts: argon2 password hashes, roles, and login with rate limiting per account and per address.

Failed tries are stored (not kept in memory) so the limit holds across restarts and processes;
tries older than the window are of no more use and are deleted (they name people and addresses).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from intake.errors import UserError
from storage.db import session_scope
from storage.events import append_event
from storage.models import utcnow
from storage.review import AppSecret, LoginAttempt, User, prune_login_attempts

ROLES = ("staff", "auditor", "admin")
ROLE_NAMES = {"staff": "pracownik", "auditor": "audytor", "admin": "administrator"}
MIN_PASSWORD = 10
WINDOW = timedelta(minutes=15)
MAX_FAILS_PER_USER = 5
MAX_FAILS_PER_IP = 20
KEEP_AT_MOST = 10_000  # login tries kept, whatever their age: a flood must not fill the disk
_HASHER = PasswordHasher()
# Verified against when the account does not exist, so timing does not tell which names exist.
_DUMMY = _HASHER.hash("not-a-real-password")


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    full_name: str
    epoch: int = 0

    @property
    def can_decide(self) -> bool:
        return self.role in ("staff", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def add_user(engine: Engine, username: str, password: str, role: str, full_name: str = "",
             actor: str = "cli") -> None:
    username = username.strip().lower()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise UserError("give a user name of 1-100 characters without spaces")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is too short; use at least {MIN_PASSWORD} characters")
    with session_scope(engine) as session:
        if session.exec(select(User).where(User.username == username)).first():
            raise UserError(f"user {username} already exists; pick another name or disable the old account")
        session.add(User(username=username, role=role, full_name=full_name, password_hash=_HASHER.hash(password)))
        append_event(session, actor=actor, action="user.added", entity="user", entity_id=username,
                     after={"role": role, "full_name": full_name})


def set_active(engine: Engine, username: str, active: bool, actor: str = "cli") -> None:
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.username == username.strip().lower())).first()
        if user is None:
            raise UserError(f"no user {username}; see 'uwagi users list'")
        before = user.active
        user.active = active
        user.session_epoch += 1
        session.add(user)
        append_event(session, actor=actor, action="user.enabled" if active else "user.disabled", entity="user",
                     entity_id=user.username, before={"active": before}, after={"active": active})


def list_users(engine: Engine) -> list[User]:
    with Session(engine) as session:
        return list(session.exec(select(User).order_by(col(User.username))))


def _recent_failures(session: Session, column: object, value: str) -> int:
    since = utcnow() - WINDOW
    query = select(func.count()).select_from(LoginAttempt).where(
        column == value, LoginAttempt.at >= since, LoginAttempt.ok == False)  # noqa: E712
    return int(session.exec(query).one())


def authenticate(engine: Engine, username: str, password: str, ip: str) -> tuple[Account | None, str]:
    """The account, or None with the reason in Polish (the same text for a wrong name or password)."""
    username = username.strip().lower()[:100]
    with session_scope(engine) as session:
        prune_login_attempts(session, utcnow() - WINDOW, KEEP_AT_MOST)
        if (_recent_failures(session, LoginAttempt.username, username) >= MAX_FAILS_PER_USER
                or _recent_failures(session, LoginAttempt.ip, ip) >= MAX_FAILS_PER_IP):
            session.add(LoginAttempt(username=username, ip=ip, ok=False))
            return None, "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za 15 minut."
        user = session.exec(select(User).where(User.username == username)).first()
        ok = _verify(user.password_hash if user else _DUMMY, password) and user is not None and user.active
        session.add(LoginAttempt(username=username, ip=ip, ok=ok))
        if not ok or user is None:
            return None, "Nieprawidłowa nazwa użytkownika lub hasło."
        user.last_login_at = utcnow()
        session.add(user)
        return Account(user.username, user.role, user.full_name, user.session_epoch), ""


def prune_attempts(engine: Engine) -> int:
    """The daemon's nightly sweep, for when nobody has logged in for a while."""
    with session_scope(engine) as session:
        return prune_login_attempts(session, utcnow() - WINDOW, KEEP_AT_MOST)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def current_account(engine: Engine, username: str, epoch: int) -> Account | None:
    """Re-read on every request: a disabled account, or a session from before a logout, has no access."""
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None or not user.active or user.session_epoch != epoch:
            return None
        return Account(user.username, user.role, user.full_name, user.session_epoch)


def end_sessions(engine: Engine, username: str) -> None:
    """Logout: every cookie issued to this account so far stops working, copies included."""
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is not None:
            user.session_epoch += 1
            session.add(user)


def app_secret(engine: Engine, name: str = "session") -> str:
    """The installation's signing key, made on first use and kept in the database. Two instances starting
    at once may both find none and make one: the one stored first is the key, and the other reads it."""
    try:
        with session_scope(engine) as session:
            row = session.get(AppSecret, name)
            if row is None:
                row = AppSecret(name=name, value=secrets.token_urlsafe(48))
                session.add(row)
            value = row.value
        return value
    except IntegrityError:  # another instance stored its key between our read and our write
        with session_scope(engine) as session:
            stored = session.get(AppSecret, name)
            if stored is None:
                raise
            return stored.value
