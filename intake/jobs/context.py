"""What every job needs: validated settings and a migrated database, and the configured mailbox."""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass

from sqlalchemy import Engine

from intake.errors import UserError
from intake.services import Services
from intake.settings import Settings, secret
from intake.sources.base import Source
from intake.sources.imap import ImapAccount, ImapSource
from intake.sources.local import MaildirSource
from storage.db import DatabaseError, check_reachable, is_initialised, make_engine, mask_url, migrate, sqlite_file

log = logging.getLogger("uwagi.jobs")


@dataclass
class Context:
    settings: Settings
    engine: Engine

    @property
    def services(self) -> Services:
        return Services(self.settings, engine=self.engine)


def open_context(settings: Settings, create: bool = False) -> Context:
    """Connect to the database; refuse plainly if it is missing, unless asked to create it."""
    shown = mask_url(settings.database.url)
    path = sqlite_file(settings.database_url)
    if not create and path is not None and not path.exists():  # connecting would create an empty file
        raise UserError(f"database {path} does not exist; run 'uwagi init'")
    engine = make_engine(settings.database_url)
    try:
        check_reachable(engine)
        if create:
            migrate(engine, settings.default_key)
        elif not is_initialised(engine):
            raise UserError(f"database {shown} has no tables yet; run 'uwagi init'")
        else:
            migrate(engine, settings.default_key)
    except DatabaseError as exc:
        raise UserError(f"{_scrub(str(exc), settings.database.url)}; check [database] url") from None
    return Context(settings, engine)


def _scrub(message: str, url: str) -> str:
    """A driver message with the URL (or its password) in it shows the masked URL instead."""
    message = message.replace(url, mask_url(url))
    password = url.partition("://")[2].rpartition("@")[0].partition(":")[2]
    return message.replace(password, "***") if password else message


def mailbox_source(settings: Settings) -> Source:
    box = settings.mailbox
    since = box.since or min(c.opens for c in settings.all_consultations.values())
    if box.source == "maildir":
        return MaildirSource(settings.path(box.path), since=since, batch_size=box.batch_size)
    account = ImapAccount(
        host=box.host,
        port=box.effective_port,
        security=box.security,
        username=box.username,
        password=secret(box.password_env, "[mailbox] password_env"),
        folder=box.folder,
        timeout=box.timeout,
        ssl_context=_tls_context(settings),
    )
    return ImapSource(account, since=since, batch_size=box.batch_size)


def _tls_context(settings: Settings) -> ssl.SSLContext | None:
    """Certificates are always verified; a private CA can be named instead of the system's."""
    ca_file = settings.mailbox.ca_file
    if not ca_file:
        return None
    path = settings.path(ca_file)
    try:
        return ssl.create_default_context(cafile=str(path))
    except (OSError, ssl.SSLError) as exc:
        raise UserError(f"[mailbox] ca_file {path}: cannot load ({exc}); give a PEM certificate file") from None
