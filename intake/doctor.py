"""`uwagi doctor`: check each moving part and say in one line what to fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from intake.errors import UserError
from intake.settings import Settings, load_settings

Check = tuple[bool, str]


def run_checks(config: Path) -> Iterator[Check]:
    try:
        settings = load_settings(config)
    except UserError as exc:
        yield False, str(exc)
        return
    yield True, f"config {config} is valid"
    yield _database(settings)
    yield _catalogue(settings)
    yield _mailbox(settings)
    yield _smtp(settings)


def _database(settings: Settings) -> Check:
    from storage.db import DatabaseError, check_reachable, is_initialised, make_engine

    engine = make_engine(settings.database_url)
    try:
        check_reachable(engine)
        if not is_initialised(engine):
            return False, f"database {settings.database.url} is empty; run 'uwagi init'"
        return True, f"database {settings.database.url} reachable"
    except DatabaseError as exc:
        return False, f"{exc}; check [database] url"
    finally:
        engine.dispose()


def _catalogue(settings: Settings) -> Check:
    path = settings.catalogue_path
    if not path.exists():
        return False, f"catalogue {path} not found; check 'catalogue' in the config"
    return True, f"catalogue {path} found"


def _mailbox(settings: Settings) -> Check:
    from intake.jobs import mailbox_source
    from intake.sources.imap import ImapSource, connect
    from intake.sources.local import MaildirSource, is_maildir

    try:
        source = mailbox_source(settings)
    except UserError as exc:
        return False, str(exc)
    if isinstance(source, MaildirSource):
        if not is_maildir(source.path):
            return False, f"{source.path} is not a Maildir; run 'uwagi init' or fix [mailbox] path"
        return True, f"Maildir {source.path} readable"
    assert isinstance(source, ImapSource)
    try:
        client = connect(source.account)
        try:
            client.folder_status(source.account.folder, [b"UIDNEXT"])
            idle = b"IDLE" in client.capabilities()
        finally:
            client.logout()
    except UserError as exc:
        return False, str(exc)
    except Exception as exc:
        return False, f"IMAP folder {source.account.folder!r}: {exc}; check [mailbox] folder"
    return True, f"IMAP {source.key} reachable" + (" (IDLE offered)" if idle else " (no IDLE: polling)")


def _smtp(settings: Settings) -> Check:
    """Connect, STARTTLS/TLS, log in and NOOP exactly as the delivery worker will."""
    from intake.jobs.deliver import check_smtp

    try:
        return True, check_smtp(settings)
    except UserError as exc:
        return False, str(exc)
