"""The jobs behind the CLI and the scheduler: plain functions, each runnable once.

Idempotency lives in the database (watermarks, unique keys, states), never in memory, so a
job killed half-way is simply run again.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from intake.errors import UserError
from intake.processing import Processor, Progress
from intake.services import Services
from intake.settings import Settings, secret
from intake.sources.base import FetchReport, Source
from intake.sources.imap import ImapAccount, ImapSource
from intake.sources.local import MaildirSource, import_paths
from intake.stages import registry
from storage.db import DatabaseError, check_reachable, is_initialised, make_engine, migrate, session_scope
from storage.models import Message

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
    engine = make_engine(settings.database_url)
    try:
        check_reachable(engine)
        if create:
            migrate(engine)
        elif not is_initialised(engine):
            raise UserError(f"database {settings.database.url} has no tables yet; run 'uwagi init'")
        else:
            migrate(engine)
    except DatabaseError as exc:
        raise UserError(f"{exc}; check [database] url") from None
    return Context(settings, engine)


def mailbox_source(settings: Settings) -> Source:
    box = settings.mailbox
    since = box.since or settings.consultation.opens
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


def _processor(ctx: Context, progress: Progress | None = None, stages: str = "all") -> Processor:
    try:
        chosen = registry.stages(stages)
    except ValueError as exc:
        raise UserError(f"--stages: {exc}") from None
    return Processor(ctx.engine, ctx.services, chosen, workers=ctx.settings.limits.parse_workers, progress=progress)


def poll_once(ctx: Context, progress: Progress | None = None, stages: str = "all") -> tuple[FetchReport, Processor]:
    """fetch + keep new mail, process it while fetching, then anything left from before."""
    source = mailbox_source(ctx.settings)
    with _processor(ctx, progress, stages) as proc:
        report = source.fetch(ctx.engine, on_kept=proc.feed)
        proc.drain()
        proc.process_pending(*_leftovers(proc))
    return report, proc


def _leftovers(proc: Processor) -> tuple[str, ...]:
    """Messages a crash left behind, and those an earlier partial run only parsed."""
    return ("kept",) if proc.partial else ("kept", "parsed")


def import_files(ctx: Context, paths: list[Path], acknowledge: bool,
                 progress: Progress | None = None) -> tuple[FetchReport, Processor]:
    with _processor(ctx, progress) as proc:
        report = import_paths(ctx.engine, paths, acknowledge, on_kept=proc.feed)
        proc.drain()
        proc.process_pending(*_leftovers(proc))
    return report, proc


def reprocess(ctx: Context, only_held: bool = False, progress: Progress | None = None) -> Processor:
    """Run the stages again from the kept raw bytes (staff decisions are kept by the store stage)."""
    with _processor(ctx, progress) as proc:
        if only_held:
            proc.process_pending("held")
        else:
            with session_scope(ctx.engine) as session:
                pks = [pk for pk in session.exec(select(Message.id)) if pk is not None]
            proc.process_pending(pks=pks)
    return proc
