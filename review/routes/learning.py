"""Learning made visible: the last training, its scores against the model before, and (admin) a retrain."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.web import READERS, checked_form, render, requires
from storage import sort_examples
from storage.models import Event, Remark
from storage.review import latest_training, request_training

# a nightly run with no new confirmation ("model.unchanged") trains nothing: the page keeps the last training
TRAINING_OUTCOMES = ("model.switched", "model.rejected")
SCORE_NAMES = {"micro_f1": "projekty (F1 mikro)", "macro_f1": "projekty (F1 makro)",
               "type_accuracy": "typ (trafność)"}


@requires(*READERS)
async def learning(request: Request) -> Response:
    with Session(request.app.state.ctx.engine) as session:
        trainings = list(session.exec(select(Event).where(col(Event.action).in_(TRAINING_OUTCOMES))
                                      .order_by(col(Event.id).desc()).limit(10)))
        confirmed = session.execute(select(func.count()).select_from(Remark)
                                    .where(Remark.status == "confirmed")).scalar_one()
        since = trainings[0].at if trainings else None
        corrections = session.execute(select(func.count()).select_from(Event).where(
            col(Event.action).in_(["remark.confirmed", "remark.corrected"]),
            *( [Event.at > since] if since else []))).scalar_one()
        sorted_by_hand = sort_examples.counts(session)
        sort_fit = session.exec(select(Event).where(Event.action == "sort_model.trained")
                                .order_by(col(Event.id).desc()).limit(1)).first()
        job = latest_training(session)
    flash = request.session.pop("flash", None)
    return render(request, "learning.html", trainings=trainings, confirmed=confirmed, corrections=corrections,
                  job=job, score_names=SCORE_NAMES, flash=flash,
                  sorted_by_hand=sorted_by_hand, sort_fit=sort_fit)


@requires("admin")
async def start_training(request: Request) -> Response:
    """Record the request only: the daemon (`uwagi run`) trains, never the web process."""
    await checked_form(request)
    if await run_in_threadpool(request_training, request.app.state.ctx.engine, request.state.account.username):
        request.session["flash"] = {"ok": True, "text": "Zlecono trening i ponowną ocenę uwag; wykona je usługa "
                                                        "uwagi run (stan poniżej)."}
    else:
        request.session["flash"] = {"ok": False, "text": "Trening jest już zlecony albo trwa."}
    return RedirectResponse("/uczenie", status_code=303)


routes = [Route("/uczenie", learning), Route("/uczenie/trenuj", start_training, methods=["POST"])]
