"""One remark: text with the deciding words marked, the whole e-mail, attachments, context, actions, history."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from intake.errors import UserError
from review import decisions, reshape
from review.evidence import segments, type_cues
from review.mailview import content_disposition, safe_filename
from review.web import (
    DECIDERS,
    READERS,
    STANCE_NAMES,
    TYPE_NAMES,
    catalogue,
    checked_form,
    consultation_names,
    plural,
    project_titles,
    render,
    requires,
)
from storage.models import Event, Message, RawMessage, Remark
from storage.review import RemarkNote, RemarkOffice, User

MAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'; sandbox"


def _id(request: Request) -> int:
    value = request.path_params["remark_id"]
    return int(value)


def _load(session: Session, remark_id: int) -> tuple[Remark, Message]:
    remark = session.get(Remark, remark_id)
    msg = session.get(Message, remark.message_pk) if remark else None
    if remark is None or msg is None:
        raise HTTPException(404)
    return remark, msg


def _has_html(session: Session, msg: Message) -> bool:
    from review.mailview import html_body

    raw = session.get(RawMessage, msg.id)
    return raw is not None and html_body(raw.raw) is not None


@requires(*READERS)
async def remark_page(request: Request) -> Response:
    context = await run_in_threadpool(_page_context, request, _id(request))
    flash = request.session.pop("flash", None)
    key = getattr(context.get("remark"), "consultation", None)  # its own catalogue for the correction form
    return render(request, "remark.html", **context, projects=project_titles(request, key),
                  goals=catalogue(request, key).goals, catalogue_projects=catalogue(request, key).projects,
                  types=TYPE_NAMES, stances=STANCE_NAMES, consultations=consultation_names(request), flash=flash)


def _page_context(request: Request, remark_id: int) -> dict[str, Any]:
    with Session(request.app.state.ctx.engine) as session:
        remark, msg = _load(session, remark_id)
        context = dict(
            remark=remark, msg=msg, office=session.get(RemarkOffice, remark_id),
            segments=segments(remark.text, remark.evidence or {}), cues=type_cues(remark.evidence or {}),
            siblings=decisions.other_remarks_same_message(session, remark),
            earlier=list(session.exec(select(Remark).where(Remark.author_email == remark.author_email,
                                                           Remark.id != remark_id, col(Remark.id) < remark_id)
                                      .order_by(col(Remark.id).desc()).limit(20))) if remark.author_email else [],
            campaign=list(session.exec(select(Remark).where(Remark.campaign == remark.campaign)
                                       .order_by(col(Remark.id)).limit(50))) if remark.campaign else [],
            notes=list(session.exec(select(RemarkNote).where(RemarkNote.remark_id == remark_id)
                                    .order_by(col(RemarkNote.id)))),
            history=list(session.exec(select(Event).where(or_(
                (Event.entity == "remark") & (Event.entity_id == str(remark_id)),
                (Event.entity == "message") & (Event.entity_id == str(msg.id)))).order_by(col(Event.id)))),
            has_html=_has_html(session, msg),
            users=list(session.exec(select(User.username).where(User.active == True)  # noqa: E712
                                    .order_by(col(User.username)))),
            next_id=session.exec(select(Remark.id).where(Remark.status == "needs_review", col(Remark.id) > remark_id)
                                 .order_by(col(Remark.id)).limit(1)).first(),
            prev_id=session.exec(select(Remark.id).where(Remark.status == "needs_review", col(Remark.id) < remark_id)
                                 .order_by(col(Remark.id).desc()).limit(1)).first(),
        )
    return context


@requires(*READERS)
async def mail_html(request: Request) -> Response:
    """The sanitised HTML of the e-mail, for a sandboxed frame; nothing remote can load under this CSP."""
    from review.mailview import html_body, sanitise

    with Session(request.app.state.ctx.engine) as session:
        _, msg = _load(session, _id(request))
        raw = session.get(RawMessage, msg.id)
    html = html_body(raw.raw) if raw else None
    if html is None:
        raise HTTPException(404)
    body = f'<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Wiadomość</title></head>' \
           f"<body>{sanitise(html)}</body></html>"
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": MAIL_CSP, "X-Frame-Options": "SAMEORIGIN"})


@requires(*READERS)
async def attachment(request: Request) -> Response:
    from review.mailview import attachment_bytes

    n = int(request.path_params["n"])
    with Session(request.app.state.ctx.engine) as session:
        _, msg = _load(session, _id(request))
        raw = session.get(RawMessage, msg.id)
    listed = msg.attachments or []
    if not (0 <= n < len(listed)) or raw is None:
        raise HTTPException(404)
    data = attachment_bytes(raw.raw, str(listed[n].get("sha256", "")))
    if data is None:
        raise HTTPException(404)
    name = safe_filename(str(listed[n].get("filename", "")), fallback=f"zalacznik-{n + 1}")
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": content_disposition(name),
                             "Content-Security-Policy": "default-src 'none'; sandbox"})


def _act(request: Request, remark_id: int, action: str, form: dict[str, str], multi: dict[str, list[str]],
               actor: str) -> str:
    ctx = request.app.state.ctx
    if action == "potwierdz":
        decisions.confirm(ctx, remark_id, multi.get("projects", []), form.get("remark_type"), actor)
        return "Zapisano projekty i typ uwagi."
    if action == "nie-uwaga":
        decisions.not_a_remark(ctx, remark_id, actor)
        return "Oznaczono: to nie jest uwaga."
    if action in ("stanowisko", "kampania"):
        ids = [remark_id]
        if action == "kampania":
            with Session(ctx.engine) as session:
                remark = session.get(Remark, remark_id)
                ids = decisions.campaign_members(session, remark.campaign) if remark and remark.campaign else ids
        n = decisions.set_stance(ctx, ids, form.get("stance", ""), form.get("justification", ""), actor)
        return "Zapisano stanowisko." if n == 1 else f"Zapisano stanowisko dla {n} uwag kampanii."
    if action == "przypisz":
        decisions.assign(ctx, remark_id, form.get("assigned_to") or None, actor)
        return "Zapisano przypisanie."
    if action == "sprawa":
        decisions.set_case(ctx, remark_id, form.get("case_number", ""), form.get("ezd_id", ""), actor)
        return "Zapisano znak sprawy i identyfikator EZD."
    if action == "podziel":
        ids = reshape.split(ctx, remark_id, form.get("text", ""), actor)
        return f"Podzielono na {plural(len(ids), 'uwagę', 'uwagi', 'uwag')}."
    if action == "scal":
        into = form.get("into", "")
        if not into.isdigit():
            raise UserError("Wybierz uwagę, z którą scalić.")
        reshape.merge(ctx, remark_id, int(into), actor)
        return "Scalono uwagi."
    if action == "notatka":
        decisions.add_note(ctx, remark_id, form.get("text", ""), actor)
        return "Dodano notatkę."
    raise HTTPException(404)


@requires(*DECIDERS)
async def act(request: Request) -> Response:
    remark_id = _id(request)
    posted = await checked_form(request)
    form = {k: str(v) for k, v in posted.items()}
    multi = {k: [str(v) for v in posted.getlist(k)] for k in posted}
    try:
        message = await run_in_threadpool(_act, request, remark_id, request.path_params["action"], form, multi,
                                          request.state.account.username)
        request.session["flash"] = {"ok": True, "text": message}
    except UserError as exc:
        request.session["flash"] = {"ok": False, "text": str(exc)}
    back = form.get("back", "")
    target = back if back.startswith("/kolejka") else f"/uwaga/{remark_id}"
    return RedirectResponse(target, status_code=303)


routes = [
    Route("/uwaga/{remark_id:int}", remark_page),
    Route("/uwaga/{remark_id:int}/html", mail_html),
    Route("/uwaga/{remark_id:int}/zalacznik/{n:int}", attachment),
    Route("/uwaga/{remark_id:int}/{action:str}", act, methods=["POST"]),
]
