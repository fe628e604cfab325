"""Shared by every route: templates with Polish formatting, the signed-in account, role checks, CSRF."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from review.accounts import ROLE_NAMES, Account, current_account

HERE = Path(__file__).parent
PL = Locale.parse("pl_PL")
Handler = Callable[[Request], Awaitable[Response]]

STATUS_NAMES = {"new": "nowa", "needs_review": "do sprawdzenia", "classified": "sklasyfikowana",
                "confirmed": "potwierdzona", "not_remark": "to nie uwaga", "merged": "scalona"}
TYPE_NAMES = {"pytanie": "pytanie", "propozycja": "propozycja", "poparcie": "poparcie", "sprzeciw": "sprzeciw",
              "uwaga": "uwaga ogólna"}
STANCE_NAMES = {"uwzgledniona": "uwzględniona", "czesciowo": "częściowo uwzględniona",
                "nieuwzgledniona": "nieuwzględniona", "wyjasnienie": "wyjaśnienie"}

KIND_NAMES = {"remark": "uwaga", "other": "inna korespondencja", "automatic": "wiadomość automatyczna"}
REASON_NAMES = {"low_confidence": "niska pewność modelu", "no_signal": "brak sygnałów o projekcie",
                "weak_topic": "słabe powiązanie z projektem",
                "keyword_topic": "słowa z opisu jednego projektu przy niskiej pewności modelu",
                "outside_topic": "sprawa spoza strategii (słowa spoza katalogu projektów)",
                "uncertain_score": "wynik na granicy progu", "signals_disagree": "sygnały wskazują różne projekty",
                "generic_word_only": "tylko ogólne słowo", "model_disagrees": "model wskazuje inaczej",
                "sorted as a remark on weak evidence": "uznana za uwagę na słabych przesłankach",
                "added by staff in triage": "dodana ręcznie z listy do przejrzenia",
                "split by staff": "wydzielona z innej uwagi",
                "context_of_remark": "wstęp lub zakończenie sąsiedniej uwagi (przejęła jej projekty)",
                "consultation uncertain": "niepewne, której konsultacji dotyczy"}
ACTION_NAMES = {"message.kept": "wiadomość zapisana", "message.processed": "wiadomość przetworzona",
                "message.held": "wiadomość wstrzymana", "message.resorted": "wiadomość uznana za uwagi",
                "message.dismissed": "wiadomość odrzucona (nie dotyczy)", "remark.created": "uwaga utworzona",
                "remark.reclassified": "klasyfikacja zmieniona przez model",
                "remark.confirmed": "klasyfikacja potwierdzona",
                "remark.corrected": "klasyfikacja poprawiona", "remark.not_a_remark": "oznaczona: to nie uwaga",
                "remark.stance": "stanowisko", "remark.assigned": "przypisanie", "remark.case": "znak sprawy / EZD",
                "remark.note": "notatka", "remark.withdrawn": "uwaga wycofana", "remark.split": "uwaga podzielona",
                "remark.merged": "uwaga scalona"}


def reason_name(code: str) -> str:
    head, _, arg = code.partition(":")
    name = REASON_NAMES.get(head, code)
    return f"{name} ({arg})" if arg else name


def plural(n: int, one: str, few: str, many: str) -> str:
    """'1 uwaga', '2 uwagi', '5 uwag' by the CLDR rules for Polish."""
    form = PL.plural_form(abs(n))
    word = one if form == "one" else few if form == "few" else many
    return f"{n} {word}"


def make_templates(zone: Any) -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)

    def when(value: datetime | None, fmt: str = "d MMM y, HH:mm") -> str:
        return format_datetime(value, fmt, tzinfo=zone, locale=PL) if value else "—"

    def day(value: date | None) -> str:
        return format_date(value, "d MMMM y", locale=PL) if value else "—"

    env.filters.update(when=when, day=day, reason=reason_name)
    env.globals.update(plural=plural, STATUS_NAMES=STATUS_NAMES, TYPE_NAMES=TYPE_NAMES, STANCE_NAMES=STANCE_NAMES,
                       ROLE_NAMES=ROLE_NAMES, ACTION_NAMES=ACTION_NAMES, KIND_NAMES=KIND_NAMES)
    return Jinja2Templates(env=env)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    context.update(request=request, account=request.state.account, csrf=csrf_token(request))
    response: Response = request.app.state.templates.TemplateResponse(request, template, context,
                                                                      status_code=status_code)
    return response


async def checked_form(request: Request) -> FormData:
    """The posted form, only if its CSRF token matches the session's (else 403)."""
    form = await request.form()
    sent, expected = str(form.get("csrf", "")), request.session.get("csrf", "")
    if not expected or not secrets.compare_digest(sent, str(expected)):
        raise HTTPException(403, "Formularz wygasł lub nie pochodzi z tej strony. Odśwież stronę i spróbuj ponownie.")
    return form


def requires(*roles: str) -> Callable[[Handler], Handler]:
    """Signed in and in one of the roles; checked on the server for every request."""
    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        async def inner(request: Request) -> Response:
            account = await run_in_threadpool(_account, request)
            if account is None:
                if request.method == "GET":
                    return RedirectResponse(f"/logowanie?next={request.url.path}", status_code=303)
                raise HTTPException(401, "Zaloguj się ponownie.")
            request.state.account = account
            if roles and account.role not in roles:
                raise HTTPException(403, "Twoja rola nie pozwala na tę czynność.")
            return await handler(request)
        return inner
    return wrap


def _account(request: Request) -> Account | None:
    username = request.session.get("user")
    if not username:
        return None
    epoch = request.session.get("epoch", -1)
    account = current_account(request.app.state.ctx.engine, str(username), int(epoch) if isinstance(epoch, int) else -1)
    if account is None:
        request.session.clear()
    return account


DECIDERS = ("staff", "admin")
READERS = ("staff", "auditor", "admin")


def catalogue(request: Request, consultation: str | None = None) -> Any:
    """Goals and projects of a consultation (default: the [consultation] one), loaded once per app
    (the admin's catalogue load needs a restart)."""
    state = request.app.state
    settings = state.ctx.settings
    if consultation is None or consultation == settings.default_key or consultation not in settings.all_consultations:
        if getattr(state, "catalogue", None) is None:
            state.catalogue = state.ctx.services.catalogue
        return state.catalogue
    if getattr(state, "catalogues", None) is None:
        state.catalogues = {}
    if consultation not in state.catalogues:
        state.catalogues[consultation] = state.ctx.services.catalogue_for(consultation)
    return state.catalogues[consultation]


def consultation_names(request: Request) -> dict[str, str]:
    """Key -> name of every consultation when there are several; {} with one (nothing to show)."""
    every = request.app.state.ctx.settings.all_consultations
    return {key: c.name for key, c in every.items()} if len(every) > 1 else {}


def goal_projects(request: Request, consultation: str | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for project in catalogue(request, consultation).projects:
        out.setdefault(project.goal, []).append(project.id)
    return out


def project_titles(request: Request, consultation: str | None = None) -> dict[str, str]:
    titles = {p.id: p.title for p in catalogue(request, consultation).projects}
    titles.update(OGOLNA="uwaga ogólna do strategii", POZA="poza zakresem strategii")
    return titles
