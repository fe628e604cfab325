"""Sign in and out. A fresh session (and CSRF token) is issued at login, so a planted one is useless."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.accounts import authenticate, end_sessions
from review.web import checked_form, render, requires


def _safe_next(value: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/kolejka"


async def login_page(request: Request) -> Response:
    request.state.account = None
    return render(request, "login.html", next=_safe_next(request.query_params.get("next", "/kolejka")), error="")


async def login(request: Request) -> Response:
    request.state.account = None
    form = await checked_form(request)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    ip = request.client.host if request.client else "?"
    account, error = authenticate(request.app.state.ctx.engine, username, password, ip)
    target = _safe_next(str(form.get("next", "/kolejka")))
    if account is None:
        return render(request, "login.html", status_code=401 if "Zbyt" not in error else 429, next=target,
                      error=error, username=username)
    request.session.clear()
    request.session["user"] = account.username
    request.session["epoch"] = account.epoch
    return RedirectResponse(target, status_code=303)


@requires()
async def logout(request: Request) -> Response:
    await checked_form(request)
    end_sessions(request.app.state.ctx.engine, request.state.account.username)
    request.session.clear()
    return RedirectResponse("/logowanie", status_code=303)


routes = [
    Route("/logowanie", login_page, methods=["GET"]),
    Route("/logowanie", login, methods=["POST"]),
    Route("/wyloguj", logout, methods=["POST"]),
]
