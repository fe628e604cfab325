"""Poczta wychodząca: what the outbox holds, its failures and skipped acknowledgements with the reasons.

Read-only for the auditor; the administrator may send a failed message again after fixing the cause
(the row goes back to `pending`, the delivery job picks it up). Each retry is an event.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.web import checked_form, render, requires
from storage import outbox
from storage.db import session_scope
from storage.events import append_event

STATUS_NAMES = {outbox.PENDING: "oczekuje", outbox.SENDING: "w trakcie wysyłki", outbox.SENT: "wysłana",
                outbox.FAILED: "nieudana", outbox.SKIPPED: "pominięta (bez potwierdzenia)"}
PURPOSE_NAMES = {"ack": "potwierdzenie wpływu", "digest": "zestawienie"}
# The reasons are written in English by the jobs (and read by the CLI); the page says them in Polish.
REASONS = [
    (r"^no usable sender address$", "brak poprawnego adresu nadawcy"),
    (r"^sent from our own address$", "wiadomość z naszego własnego adresu"),
    (r"^no-reply sender (.+)$", "nadawca nie przyjmuje odpowiedzi ({0})"),
    (r"^no case reference$", "brak sygnatury sprawy"),
    (r"^limit of (\d+) acknowledgements per sender per day reached$",
     "osiągnięto dzienny limit potwierdzeń dla nadawcy ({0})"),
    (r"^Auto-Submitted: (.+)$", "wiadomość automatyczna (Auto-Submitted: {0})"),
    (r"^Precedence: (.+)$", "wiadomość masowa (Precedence: {0})"),
    (r"^(\S+) header present$", "wiadomość automatyczna (nagłówek {0})"),
    (r"^empty Return-Path \(a bounce\)$", "zwrot niedoręczonej poczty (pusty Return-Path)"),
    (r"^gave up after (\d+) attempts: (.+)$", "zaniechano po {0} próbach: {1}"),
]
LIMIT = 100


def reason_pl(text: str | None) -> str:
    """A known reason in Polish; anything else (a server's own words) as it came."""
    if not text:
        return "—"
    for pattern, polish in REASONS:
        found = re.match(pattern, text)
        if found:
            return polish.format(*(reason_pl(g) if i == 1 and pattern.startswith("^gave") else g
                                   for i, g in enumerate(found.groups())))
    return text


def _page_data(engine: object) -> dict[str, Any]:
    with Session(engine) as session:  # type: ignore[arg-type]
        return dict(counts=outbox.summary(session), failed=outbox.listing(session, outbox.FAILED, LIMIT),
                    skipped=outbox.listing(session, outbox.SKIPPED, LIMIT),
                    waiting=outbox.listing(session, outbox.PENDING, LIMIT))


@requires("admin", "auditor")
async def outgoing_page(request: Request) -> Response:
    data = await run_in_threadpool(_page_data, request.app.state.ctx.engine)
    return render(request, "outgoing.html", **data, status_names=STATUS_NAMES, purpose_names=PURPOSE_NAMES,
                  reason_pl=reason_pl, flash=request.session.pop("flash", None))


def _retry(engine: object, row_id: int, actor: str) -> bool:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        done = outbox.requeue_one(session, row_id, datetime.now(UTC))
        if done:
            append_event(session, actor=actor, action="outbox.requeued", entity="outbox", entity_id=row_id,
                         before={"status": outbox.FAILED}, after={"status": outbox.PENDING})
        return done


@requires("admin")
async def retry(request: Request) -> Response:
    await checked_form(request)
    done = await run_in_threadpool(_retry, request.app.state.ctx.engine, int(request.path_params["row_id"]),
                                   request.state.account.username)
    request.session["flash"] = {"ok": done, "text": "Wiadomość czeka na ponowną wysyłkę." if done else
                                "Tej wiadomości nie można już ponowić (nie jest oznaczona jako nieudana)."}
    return RedirectResponse("/poczta", status_code=303)


routes = [Route("/poczta", outgoing_page), Route("/poczta/{row_id:int}/ponow", retry, methods=["POST"])]
