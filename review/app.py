"""The staff review UI: a Starlette app built around one Context (settings + engine).

Every response carries the security headers; pages set no inline script, so the CSP needs no
'unsafe-inline'. E-mail HTML is served only by its own route, with a CSP that forbids everything.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intake.health import health_routes
from intake.jobs.context import Context
from review.accounts import app_secret
from review.routes import auth, dashboard, learning, outgoing, queue, remark, triage, users
from review.web import HERE, make_templates

PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
            "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SESSION_HOURS = 10


class SecurityHeaders:
    """Adds the headers to every response; a route may set a stricter CSP of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                defaults = {
                    b"content-security-policy": PAGE_CSP.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"x-frame-options": b"DENY",
                    b"cross-origin-opener-policy": b"same-origin",
                    b"cross-origin-resource-policy": b"same-origin",
                    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
                    b"cache-control": b"no-store",
                }
                headers += [(k, v) for k, v in defaults.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {401: "Sesja wygasła", 403: "Brak dostępu", 404: "Nie znaleziono", 405: "Niedozwolona metoda"}
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(request, "error.html", {
        "request": request, "account": getattr(request.state, "account", None), "csrf": "",
        "title": titles.get(exc.status_code, "Błąd"), "detail": exc.detail if exc.status_code != 404 else
        "Tej strony nie ma."}, status_code=exc.status_code)
    return response


def create_app(ctx: Context, *, https: bool | None = None, **state: Any) -> Starlette:
    """`https` marks the session cookie Secure (default: when [review] base_url is https)."""
    if https is None:
        https = ctx.settings.review.base_url.startswith("https://")
    routes = [*auth.routes, *queue.routes, *remark.routes, *triage.routes, *dashboard.routes, *learning.routes,
              *outgoing.routes, *users.routes, *health_routes(ctx),  # /healthz /readyz /metrics: for monitors, no login
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=app_secret(ctx.engine), session_cookie="uwagi_sesja",
                   max_age=int(timedelta(hours=SESSION_HOURS).total_seconds()), same_site="strict",
                   https_only=https),
    ]
    app = Starlette(routes=[Route("/", queue.home), *routes], middleware=middleware,
                    exception_handlers={HTTPException: _http_error})
    app.state.ctx = ctx
    app.state.templates = make_templates(ctx.settings.consultation.zone)
    for key, value in state.items():
        setattr(app.state, key, value)
    return app
