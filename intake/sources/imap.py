"""fetch from IMAP without disturbing the office's shared mailbox.

The folder is opened read-only (EXAMINE) and bodies are fetched with BODY.PEEK[], so no flag
changes; nothing is moved or deleted. Progress is a UID watermark in our database: a poll
asks STATUS first and does nothing more when UIDNEXT and UIDVALIDITY have not moved, so an idle
poll costs the same on a mailbox of any size.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import Engine
from sqlmodel import Session

from intake.errors import SourceUnavailable
from intake.shutdown import stopping
from intake.sources.base import FetchReport, Incoming, OnKept, chunked
from intake.stages.keep import commit_batch
from storage.db import session_scope
from storage.events import append_event
from storage.models import MailboxState, utcnow

MAX_BATCH_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    security: str  # tls | starttls | plain
    username: str
    password: str
    folder: str = "INBOX"
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = None

    @property
    def key(self) -> str:
        return f"imap://{self.username}@{self.host}:{self.port}/{self.folder}"


def connect(account: ImapAccount) -> IMAPClient:
    """Log in, or raise SourceUnavailable with one plain sentence."""
    where = f"IMAP server {account.host}:{account.port}"
    context = account.ssl_context or ssl.create_default_context()
    try:
        client = IMAPClient(account.host, port=account.port, ssl=account.security == "tls",
                            ssl_context=context, timeout=account.timeout)
        if account.security == "starttls":
            client.starttls(context)
    except ssl.SSLError as exc:
        raise SourceUnavailable(f"TLS with {where} failed: {_plain(exc)}; check [mailbox] security and ca_file"
                                ) from None
    except (ConnectionRefusedError, socket.gaierror, TimeoutError, OSError, IMAPClientError) as exc:
        raise SourceUnavailable(f"cannot connect to {where}: {_plain(exc)}; check [mailbox] host, port "
                                f"and security") from None
    try:
        client.login(account.username, account.password)
    except LoginError:
        _quietly_logout(client)
        raise SourceUnavailable(f"{where} refused the login for {account.username!r}; check [mailbox] "
                                f"username and the password in its environment variable") from None
    except (IMAPClientError, OSError) as exc:
        _quietly_logout(client)
        raise SourceUnavailable(f"login to {where} failed: {_plain(exc)}") from None
    client.normalise_times = False
    return client


def _plain(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0]


def _quietly_logout(client: IMAPClient) -> None:
    """The connection is being abandoned anyway: a failing LOGOUT changes nothing."""
    with contextlib.suppress(Exception):
        client.logout()


class ImapSource:
    """One IMAP folder, polled from a UID watermark kept in `mailbox_state`."""

    def __init__(self, account: ImapAccount, since: date, batch_size: int = 100) -> None:
        self.account = account
        self.since = since
        self.batch_size = batch_size
        self.key = account.key

    def fetch(self, engine: Engine, on_kept: OnKept | None = None) -> FetchReport:
        client = connect(self.account)
        try:
            return self._fetch(client, engine, on_kept)
        except (IMAPClientError, OSError) as exc:
            raise SourceUnavailable(f"IMAP error on {self.key}: {_plain(exc)}") from None
        finally:
            _quietly_logout(client)

    def _fetch(self, client: IMAPClient, engine: Engine, on_kept: OnKept | None) -> FetchReport:
        report = FetchReport(source=self.key)
        status = client.folder_status(self.account.folder, [b"UIDNEXT", b"UIDVALIDITY"])
        uidnext, uidvalidity = int(status[b"UIDNEXT"]), int(status[b"UIDVALIDITY"])
        state = self._state(engine, uidvalidity)
        if state.initial_scan_done and state.uidnext == uidnext:
            report.unchanged = True
            self._touch(engine)
            return report
        client.select_folder(self.account.folder, readonly=True)
        uids = self._new_uids(client, state)
        report.seen = len(uids)
        for batch in self._batches(client, uids):
            items = self._download(client, batch, state.uidvalidity, state.watched_since)
            commit_batch(engine, items, report, on_kept, also=self._advance(max(batch)))
            if stopping():
                return report  # asked to stop: the watermark covers what was kept; the rest comes next time
        with session_scope(engine) as session:
            row = session.get(MailboxState, self.key)
            assert row is not None
            if not row.initial_scan_done:
                row.last_uid = max(row.last_uid, uidnext - 1)
                row.initial_scan_done = True
            row.uidnext = uidnext
            row.last_poll_at = utcnow()
        return report

    def _advance(self, uid: int) -> Callable[[Session], None]:
        """The watermark moves in the same transaction that keeps the batch."""

        def advance(session: Session) -> None:
            row = session.get(MailboxState, self.key)
            assert row is not None
            row.last_uid = max(row.last_uid, uid)

        return advance

    def _state(self, engine: Engine, uidvalidity: int) -> MailboxState:
        """The watermark; a new mailbox or a UIDVALIDITY change starts an initial scan."""
        with session_scope(engine) as session:
            row = session.get(MailboxState, self.key)
            if row is None:
                row = MailboxState(source=self.key, uidvalidity=uidvalidity)
                session.add(row)
                append_event(session, actor="fetch", action="mailbox.first_seen", entity="mailbox",
                             entity_id=self.key[-60:], after={"uidvalidity": uidvalidity, "since": str(self.since)})
            elif row.uidvalidity != uidvalidity:
                append_event(session, actor="fetch", action="mailbox.uidvalidity_changed", entity="mailbox",
                             entity_id=self.key[-60:], before={"uidvalidity": row.uidvalidity,
                                                               "last_uid": row.last_uid},
                             after={"uidvalidity": uidvalidity})
                row.uidvalidity, row.last_uid, row.uidnext, row.initial_scan_done = uidvalidity, 0, 0, False
            session.flush()
            session.expunge(row)
            return row

    def _new_uids(self, client: IMAPClient, state: MailboxState) -> list[int]:
        if state.initial_scan_done:
            # "n:*" always matches the highest UID even when it is below n: filter it out.
            found = client.search(["UID", f"{state.last_uid + 1}:*"])
        else:
            found = client.search(["SINCE", self.since])
        return sorted(uid for uid in found if uid > state.last_uid)

    def _batches(self, client: IMAPClient, uids: list[int]) -> Iterator[list[int]]:
        """Batches bounded by count and by bytes, so one huge mailbox never needs huge memory."""
        for chunk in chunked(uids, 2000):
            sizes = client.fetch(chunk, ["RFC822.SIZE"])
            batch: list[int] = []
            total = 0
            for uid in chunk:
                size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
                if batch and (len(batch) >= self.batch_size or total + size > MAX_BATCH_BYTES):
                    yield batch
                    batch, total = [], 0
                batch.append(uid)
                total += size
            if batch:
                yield batch

    def _download(self, client: IMAPClient, batch: list[int], uidvalidity: int,
                  watched_since: datetime) -> list[Incoming]:
        data = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
        items = []
        watched = watched_since if watched_since.tzinfo else watched_since.replace(tzinfo=UTC)
        for uid in batch:
            entry = data.get(uid)
            if not entry or b"BODY[]" not in entry:
                continue  # expunged between SEARCH and FETCH: nothing to keep
            received = entry.get(b"INTERNALDATE") or datetime.now(UTC)
            if received.tzinfo is None:
                received = received.replace(tzinfo=UTC)
            items.append(Incoming(raw=bytes(entry[b"BODY[]"]), received_at=received, source=self.key,
                                  uidvalidity=uidvalidity, uid=uid, backlog=received < watched))
        return items

    def _touch(self, engine: Engine) -> None:
        with session_scope(engine) as session:
            row = session.get(MailboxState, self.key)
            if row is not None:
                row.last_poll_at = utcnow()

    def wait_for_news(self, seconds: float) -> bool:
        """Block in IMAP IDLE up to `seconds`; True when the server announced new mail."""
        client = connect(self.account)
        try:
            if b"IDLE" not in client.capabilities():
                return False
            client.select_folder(self.account.folder, readonly=True)
            client.idle()
            try:
                responses = client.idle_check(timeout=seconds)
            finally:
                client.idle_done()
            return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)
        finally:
            _quietly_logout(client)

    def supports_idle(self) -> bool:
        client = connect(self.account)
        try:
            return b"IDLE" in client.capabilities()
        finally:
            _quietly_logout(client)
