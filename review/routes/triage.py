"""Triage of what is not (yet) in the queue: set-aside mail with the glance flag, held mail, and remarks
decided on thin evidence. Each is turned into remarks or dismissed with one action."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from intake.errors import UserError
from review import decisions
from review.web import DECIDERS, READERS, checked_form, render, requires
from storage.models import Message, Remark

WEAK = "sorted as a remark on weak evidence"
LIMIT = 200


@requires(*READERS)
async def triage(request: Request) -> Response:
    with Session(request.app.state.ctx.engine) as session:
        messages = list(session.exec(
            select(Message).where(or_(Message.state == "held", (Message.needs_glance == True)  # noqa: E712
                                      & (Message.kind != "remark")))
            .order_by(col(Message.received_at)).limit(LIMIT)))
        thin = [r for r in session.exec(select(Remark).where(Remark.status == "needs_review")
                                        .order_by(col(Remark.id)).limit(5000)) if WEAK in (r.review_reasons or [])]
    flash = request.session.pop("flash", None)
    return render(request, "triage.html", messages=messages, thin=thin[:LIMIT], flash=flash)


@requires(*DECIDERS)
async def triage_action(request: Request) -> Response:
    form = await checked_form(request)
    message_id, action = int(request.path_params["message_id"]), request.path_params["action"]
    actor = request.state.account.username
    try:
        if action == "uwagi":
            ids = decisions.message_to_remarks(request.app.state.ctx, message_id, str(form.get("text", "")), actor)
            text = f"Utworzono uwagi: {len(ids)}. Czekają w kolejce na przypisanie projektów."
        elif action == "odrzuc":
            decisions.dismiss(request.app.state.ctx, message_id, actor)
            text = "Wiadomość usunięto z listy (pozostaje w archiwum)."
        else:
            return Response(status_code=404)
        request.session["flash"] = {"ok": True, "text": text}
    except UserError as exc:
        request.session["flash"] = {"ok": False, "text": str(exc)}
    return RedirectResponse("/przeglad", status_code=303)


routes = [
    Route("/przeglad", triage),
    Route("/przeglad/{message_id:int}/{action:str}", triage_action, methods=["POST"]),
]
