"""The dashboard: where the consultation stands (counts per goal, project, status, type, day; days left)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

from sqlalchemy import String, cast, func
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from review.web import READERS, catalogue, project_titles, render, requires
from storage.models import Message, Remark


def _figures(session: Session, zone: object) -> dict[str, object]:
    by_status = dict(session.execute(select(Remark.status, func.count()).group_by(Remark.status)).all())
    by_type = dict(session.execute(select(Remark.remark_type, func.count()).group_by(Remark.remark_type)).all())
    by_project: Counter[str] = Counter()
    for text, n in session.execute(select(cast(Remark.projects, String), func.count())
                                   .group_by(cast(Remark.projects, String))):
        for project in json.loads(text or "[]"):
            by_project[project] += n
    per_day: Counter[str] = Counter()
    for (received,) in session.execute(select(Message.received_at).join(Remark, Remark.message_pk == Message.id)):
        per_day[received.astimezone(zone).date().isoformat()] += 1  # type: ignore[arg-type]
    late = session.execute(select(func.count()).select_from(Remark).join(Message, Message.id == Remark.message_pk)
                           .where(Message.late == True)).scalar_one()  # noqa: E712
    return dict(by_status=by_status, by_type=by_type, by_project=by_project, per_day=sorted(per_day.items()),
                late=late, total=sum(by_status.values()))


@requires(*READERS)
async def dashboard(request: Request) -> Response:
    settings = request.app.state.ctx.settings
    zone = settings.consultation.zone
    with Session(request.app.state.ctx.engine) as session:
        figures = _figures(session, zone)
    today = datetime.now(zone).date()
    days_left = (settings.consultation.closes - today).days
    cat = catalogue(request)
    by_project: Counter[str] = figures["by_project"]  # type: ignore[assignment]
    by_goal = {g.id: sum(by_project[p.id] for p in cat.projects if p.goal == g.id) for g in cat.goals}
    peak = max([n for _, n in figures["per_day"]] or [1])  # type: ignore[attr-defined]
    return render(request, "dashboard.html", figures=figures, by_goal=by_goal, goals=cat.goals,
                  cat_projects=cat.projects, projects=project_titles(request), days_left=days_left,
                  consultation=settings.consultation, peak=peak, today=today)


routes = [Route("/pulpit", dashboard)]
