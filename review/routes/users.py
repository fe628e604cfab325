"""Accounts for the administrator: list, add (with a password the admin types once), disable, enable."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from intake.errors import UserError
from review.accounts import ROLE_NAMES, add_user, list_users, set_active
from review.web import checked_form, render, requires


@requires("admin")
async def users_page(request: Request) -> Response:
    users = await run_in_threadpool(list_users, request.app.state.ctx.engine)
    return render(request, "users.html", users=users, roles=ROLE_NAMES, flash=request.session.pop("flash", None))


@requires("admin")
async def users_action(request: Request) -> Response:
    form = {k: str(v) for k, v in (await checked_form(request)).items()}
    engine, actor, action = request.app.state.ctx.engine, request.state.account.username, request.path_params["action"]
    try:
        if action == "dodaj":
            await run_in_threadpool(add_user, engine, form.get("username", ""), form.get("password", ""),
                                    form.get("role", ""), form.get("full_name", ""), actor)
            text = f"Dodano konto {form.get('username', '').strip().lower()}."
        elif action in ("wylacz", "wlacz"):
            if form.get("username") == actor:
                raise UserError("Nie można wyłączyć własnego konta.")
            await run_in_threadpool(set_active, engine, form.get("username", ""), action == "wlacz", actor)
            text = "Zapisano."
        else:
            return Response(status_code=404)
        request.session["flash"] = {"ok": True, "text": text}
    except UserError as exc:
        request.session["flash"] = {"ok": False, "text": _polish(str(exc))}
    return RedirectResponse("/konta", status_code=303)


def _polish(message: str) -> str:
    """The account rules speak English on the command line; the web page says the same in Polish."""
    known = {"unknown role": "Wybierz rolę.", "already exists": "Takie konto już istnieje.",
             "too short": "Hasło jest za krótkie (co najmniej 10 znaków).",
             "without spaces": "Nazwa użytkownika: 1–100 znaków, bez spacji.", "no user": "Nie ma takiego konta."}
    return next((pl for en, pl in known.items() if en in message), message)


routes = [Route("/konta", users_page), Route("/konta/{action:str}", users_action, methods=["POST"])]
