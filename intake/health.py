"""Health and metrics over HTTP: /healthz, /readyz, /metrics (Prometheus text).

Counts are read from the database at scrape time, not kept in memory: with several instances on
one database every instance reports the same totals, and a restart loses nothing. Counters that
only exist as events in a process (mail sent) are in `intake.metrics` for the jobs to increment.
The review UI mounts `health_routes(ctx)`; until it exists, `uwagi run` serves them alone.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import generate_latest
from prometheus_client.core import CollectorRegistry, CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select
from sqlmodel import col
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from intake import metrics
from intake.errors import UserError
from intake.jobs.context import Context, mailbox_source
from storage.db import DatabaseError, check_reachable
from storage.models import MailboxState, Message, MessageCopy, Remark, utcnow
from storage.outbox import FAILED, OUTBOX, SENT

log = logging.getLogger("uwagi.health")
MAILBOX_CHECK_SECONDS = 15.0  # a login per scrape would be rude to the office's server


class DatabaseCollector:
    """The pipeline's counts, one query each, at scrape time."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def collect(self) -> Iterator[Metric]:
        engine = self.ctx.engine
        with engine.connect() as conn:
            def count(model: Any, *where: Any) -> int:
                return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())

            yield _counter("uwagi_messages_fetched", "Sightings of messages in a source (duplicates included).",
                           count(MessageCopy))
            yield _counter("uwagi_messages_kept", "Distinct messages kept (raw bytes stored).", count(Message))
            yield _counter("uwagi_messages_processed", "Messages through every stage.",
                           count(Message, Message.state == "processed"))
            yield _gauge("uwagi_messages_held", "Messages on hold (a stage failed or went over its budget).",
                         count(Message, Message.state == "held"))
            yield _gauge("uwagi_queue_depth", "Kept messages waiting for processing.",
                         count(Message, Message.state.in_(("kept", "parsed"))))  # type: ignore[attr-defined]
            yield _counter("uwagi_remarks_created", "Remarks stored.", count(Remark))
            lag = GaugeMetricFamily("uwagi_fetch_lag_seconds", "Seconds since the last poll of each mailbox.",
                                    labels=["source"])
            now = utcnow()
            for source, last in conn.execute(select(col(MailboxState.source), col(MailboxState.last_poll_at))):
                if last is not None:
                    last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
                    lag.add_metric([source], max(0.0, (now - last).total_seconds()))
            yield lag
            for purpose, name, text in (("ack", "uwagi_acknowledgements_sent", "Acknowledgements sent."),
                                        ("digest", "uwagi_digests_sent", "Digests sent.")):
                yield _counter(name + "_stored", text + " (rows in the database)", _sent(conn, purpose))
            yield _gauge("uwagi_outbox_failed", "Outgoing messages that failed for good.",
                         conn.execute(select(func.count()).select_from(OUTBOX)
                                      .where(OUTBOX.c.status == FAILED)).scalar_one())


def _sent(conn: Any, purpose: str) -> int:
    query = select(func.count()).select_from(OUTBOX).where(OUTBOX.c.purpose == purpose, OUTBOX.c.status == SENT)
    return int(conn.execute(query).scalar_one())


def _counter(name: str, text: str, value: int) -> CounterMetricFamily:
    return CounterMetricFamily(name, text, value=value)


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, text, value=value)


class _MailboxProbe:
    """Is the mailbox reachable? Cached briefly, so scrapes do not log in every few seconds."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.at = 0.0
        self.result: tuple[bool, str] = (False, "not checked")
        self.lock = threading.Lock()

    def __call__(self) -> tuple[bool, str]:
        with self.lock:
            if time.monotonic() - self.at > MAILBOX_CHECK_SECONDS:
                self.result = self._check()
                self.at = time.monotonic()
            return self.result

    def _check(self) -> tuple[bool, str]:
        from intake.sources.imap import ImapSource, _quietly_logout, connect
        from intake.sources.local import MaildirSource, is_maildir

        try:
            source = mailbox_source(self.ctx.settings)
            if isinstance(source, MaildirSource):
                return is_maildir(source.path), str(source.path)
            if isinstance(source, ImapSource):
                _quietly_logout(connect(source.account))
                return True, source.key
        except UserError as exc:
            return False, str(exc)
        return False, "unknown source"


def health_routes(ctx: Context) -> list[Route]:
    """The three endpoints, for any Starlette app to mount."""
    probe = _MailboxProbe(ctx)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(ctx))

    def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok\n")

    def readyz(_request: Request) -> Response:
        checks: dict[str, Any] = {}
        try:
            check_reachable(ctx.engine)
            checks["database"] = {"ok": True}
        except DatabaseError as exc:
            checks["database"] = {"ok": False, "error": str(exc)}
        ok, detail = probe()
        checks["mailbox"] = {"ok": ok, "detail": detail}
        ready = all(c["ok"] for c in checks.values())
        return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)

    def metrics_endpoint(_request: Request) -> Response:
        try:
            body = generate_latest(registry) + generate_latest(metrics.REGISTRY)
        except Exception as exc:  # the database is down: say so, do not pretend zeros
            log.error("metrics: %s", exc)
            return PlainTextResponse(f"database unavailable: {exc.__class__.__name__}\n", status_code=503)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics_endpoint)]


def create_app(ctx: Context) -> Starlette:
    """The endpoints alone (tests; the review UI mounts the same routes for `uwagi run` and `serve`)."""
    return Starlette(routes=health_routes(ctx))
