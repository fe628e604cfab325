"""The queue: what needs a person first, with filters, search, sort, counts and pages."""

from __future__ import annotations

from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.queries import SORTS, Filters, queue_page
from review.web import (
    READERS,
    STATUS_NAMES,
    TYPE_NAMES,
    catalogue,
    consultation_names,
    goal_projects,
    project_titles,
    render,
    requires,
)
from storage.review import User


async def home(request: Request) -> Response:
    return RedirectResponse("/kolejka", status_code=303)


@requires(*READERS)
async def queue(request: Request) -> Response:
    f = Filters.from_query(request.query_params)
    page, users = await run_in_threadpool(_load, request, f)
    key = f.konsultacja or None  # goals and projects of the consultation filtered by
    cat = catalogue(request, key)
    return render(request, "queue.html", f=f, page=page, sorts=SORTS, statuses=STATUS_NAMES, types=TYPE_NAMES,
                  goals=cat.goals, projects=project_titles(request, key), users=users,
                  consultations=consultation_names(request), flash=request.session.pop("flash", None))


def _load(request: Request, f: Filters) -> tuple[object, list[str]]:
    """Database work off the event loop: one slow query must not stall other users."""
    ctx = request.app.state.ctx
    with Session(ctx.engine) as session:
        page = queue_page(session, f, goal_projects(request, f.konsultacja or None), ctx.settings.consultation.zone,
                          request.state.account.username, default_consultation=ctx.settings.default_key)
        users = list(session.exec(select(User.username).where(User.active == True)  # noqa: E712
                                  .order_by(col(User.username))))
    return page, users


routes = [Route("/kolejka", queue)]
