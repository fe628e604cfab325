"""The dashboard: where the consultation stands (counts per goal, project, status, type, day; days left)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func
from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from review.web import READERS, catalogue, consultation_names, project_titles, render, requires
from storage.consultations import Scope
from storage.models import Message, Remark


def _figures(session: Session, zone: object, own: Any) -> dict[str, object]:
    """Counts of one consultation's remarks (``own`` filters Remark rows)."""
    by_status = dict(session.execute(select(Remark.status, func.count()).where(own).group_by(Remark.status)).all())
    by_type = dict(session.execute(select(Remark.remark_type, func.count()).where(own)
                                   .group_by(Remark.remark_type)).all())
    by_project: Counter[str] = Counter()
    for text, n in session.execute(select(cast(Remark.projects, String), func.count()).where(own)
                                   .group_by(cast(Remark.projects, String))):
        for project in json.loads(text or "[]"):
            by_project[project] += n
    per_day: Counter[str] = Counter()
    received_rows = select(Message.received_at).join(Remark, col(Remark.message_pk) == col(Message.id)).where(own)
    for (received,) in session.execute(received_rows):
        per_day[received.astimezone(zone).date().isoformat()] += 1
    late = session.execute(select(func.count()).select_from(Remark)
                           .join(Message, col(Message.id) == col(Remark.message_pk))
                           .where(Message.late == True, own)).scalar_one()  # noqa: E712
    return dict(by_status=by_status, by_type=by_type, by_project=by_project, per_day=sorted(per_day.items()),
                late=late, total=sum(by_status.values()))


@requires(*READERS)
async def dashboard(request: Request) -> Response:
    """One consultation's figures: the default one, or the one chosen (`?konsultacja=KEY`)."""
    settings = request.app.state.ctx.settings
    key = request.query_params.get("konsultacja") or settings.default_key
    if key not in settings.all_consultations:
        key = settings.default_key
    consultation = settings.consultation_for(key)
    own = Scope(key, default=key == settings.default_key).where(col(Remark.consultation))
    zone = consultation.zone
    with Session(request.app.state.ctx.engine) as session:
        figures = _figures(session, zone, own)
    today = datetime.now(zone).date()
    days_left = (consultation.closes - today).days
    cat = catalogue(request, key)
    by_project: Counter[str] = figures["by_project"]  # type: ignore[assignment]
    by_goal = {g.id: sum(by_project[p.id] for p in cat.projects if p.goal == g.id) for g in cat.goals}
    peak = max([n for _, n in figures["per_day"]] or [1])  # type: ignore[attr-defined]
    return render(request, "dashboard.html", figures=figures, by_goal=by_goal, goals=cat.goals,
                  cat_projects=cat.projects, projects=project_titles(request, key), days_left=days_left,
                  consultation=consultation, peak=peak, today=today, key=key,
                  consultations=consultation_names(request))


routes = [Route("/pulpit", dashboard)]
