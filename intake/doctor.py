"""`uwagi doctor`: check each moving part and say in one line what to fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from intake.errors import UserError
from intake.settings import Settings, load_settings

Check = tuple[bool, str]
CONFIG, OTHER, MAILBOX = 2, 1, 3  # exit codes, as UserError subclasses give them to every other command


def run_checks(config: Path) -> Iterator[tuple[bool, str, int]]:
    """(passed, line, exit code if failed): the same codes `poll` would exit with for the same problem."""
    try:
        settings = load_settings(config)
    except UserError as exc:
        yield False, str(exc), exc.exit_code
        return
    yield True, f"config {config} is valid", 0
    yield (*_database(settings), OTHER)
    yield (*_catalogue(settings), CONFIG)
    yield _mailbox(settings)
    yield (*_smtp(settings), OTHER)


def _database(settings: Settings) -> Check:
    from storage.db import DatabaseError, check_reachable, is_initialised, make_engine, mask_url, sqlite_file

    shown = mask_url(settings.database.url)
    path = sqlite_file(settings.database_url)
    if path is not None and not path.exists():  # connecting would create an empty file
        return False, f"database {path} does not exist; run 'uwagi init'"
    engine = make_engine(settings.database_url)
    try:
        check_reachable(engine)
        if not is_initialised(engine):
            return False, f"database {shown} is empty; run 'uwagi init'"
        return True, f"database {shown} reachable"
    except DatabaseError as exc:
        return False, f"{str(exc).replace(settings.database.url, shown)}; check [database] url"
    finally:
        engine.dispose()


def _catalogue(settings: Settings) -> Check:
    """Every consultation's catalogue must exist (each classifies its own mail with it)."""
    found = []
    for key in settings.all_consultations:
        path = settings.catalogue_path_of(key)
        where = "'catalogue'" if key == settings.default_key else f"[consultations.{key}] catalogue"
        if not path.exists():
            return False, f"catalogue {path} not found; check {where} in the config"
        found.append(str(path) if len(settings.all_consultations) == 1 else f"{path} ({key})")
    return True, f"catalogue {', '.join(found)} found"


def _mailbox(settings: Settings) -> tuple[bool, str, int]:
    from intake.jobs import mailbox_source
    from intake.sources.imap import ImapSource, connect
    from intake.sources.local import MaildirSource, is_maildir

    try:
        source = mailbox_source(settings)
    except UserError as exc:  # e.g. password_env unset: a config error (2), as `poll` says
        return False, str(exc), exc.exit_code
    if isinstance(source, MaildirSource):
        if not is_maildir(source.path):
            return False, f"{source.path} is not a Maildir; run 'uwagi init' or fix [mailbox] path", MAILBOX
        return True, f"Maildir {source.path} readable", 0
    assert isinstance(source, ImapSource)
    try:
        client = connect(source.account)
        try:
            client.folder_status(source.account.folder, [b"UIDNEXT"])
            idle = b"IDLE" in client.capabilities()
        finally:
            client.logout()
    except UserError as exc:
        return False, str(exc), exc.exit_code
    except Exception as exc:
        return False, f"IMAP folder {source.account.folder!r}: {exc}; check [mailbox] folder", MAILBOX
    return True, f"IMAP {source.key} reachable" + (" (IDLE offered)" if idle else " (no IDLE: polling)"), 0


def _smtp(settings: Settings) -> Check:
    """Connect, STARTTLS/TLS, log in and NOOP exactly as the delivery worker will."""
    from intake.jobs.deliver import check_smtp

    try:
        return True, check_smtp(settings)
    except UserError as exc:
        return False, str(exc)
