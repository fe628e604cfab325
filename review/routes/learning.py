"""Learning made visible: the last training, its scores against the model before, and (admin) a retrain."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import func
from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from intake.errors import UserError
from review.web import READERS, checked_form, render, requires
from storage import sort_examples
from storage.models import Event, Remark

log = logging.getLogger("uwagi.review")
SCORE_NAMES = {"micro_f1": "projekty (F1 mikro)", "macro_f1": "projekty (F1 makro)",
               "type_accuracy": "typ (trafność)"}


@requires(*READERS)
async def learning(request: Request) -> Response:
    with Session(request.app.state.ctx.engine) as session:
        trainings = list(session.exec(select(Event).where(col(Event.action).in_(["model.switched", "model.rejected"]))
                                      .order_by(col(Event.id).desc()).limit(10)))
        confirmed = session.execute(select(func.count()).select_from(Remark)
                                    .where(Remark.status == "confirmed")).scalar_one()
        since = trainings[0].at if trainings else None
        corrections = session.execute(select(func.count()).select_from(Event).where(
            col(Event.action).in_(["remark.confirmed", "remark.corrected"]),
            *( [Event.at > since] if since else []))).scalar_one()
        sorted_by_hand = sort_examples.counts(session)
    job = request.app.state.training if hasattr(request.app.state, "training") else {}
    flash = request.session.pop("flash", None)
    return render(request, "learning.html", trainings=trainings, confirmed=confirmed, corrections=corrections,
                  job=job, score_names=SCORE_NAMES, flash=flash,
                  sorted_by_hand=sorted_by_hand)


def _train_and_rescore(ctx: object, actor: str, state: dict[str, object]) -> None:
    from intake.jobs.learning import rescore_unconfirmed, train

    try:
        report = train(ctx, actor=actor)  # type: ignore[arg-type]
        changed = rescore_unconfirmed(ctx, actor=actor) if report.switched else 0  # type: ignore[arg-type]
        state.update(result=("Nowy model włączony" if report.switched else "Nowy model nie był lepszy; "
                             "pozostaje dotychczasowy") + f"; ponownie ocenione uwagi: {changed}.")
    except UserError as exc:
        state.update(result=f"Nie wytrenowano: {exc}")
    except Exception:
        log.exception("training from the UI failed")
        state.update(result="Trening nie powiódł się; szczegóły w dzienniku serwera.")
    finally:
        state["running"] = False


@requires("admin")
async def start_training(request: Request) -> Response:
    await checked_form(request)
    state = request.app.state
    if not hasattr(state, "training"):
        state.training = {}
    if state.training.get("running"):
        request.session["flash"] = {"ok": False, "text": "Trening już trwa."}
    else:
        state.training.update(running=True, result="")
        threading.Thread(target=_train_and_rescore, args=(state.ctx, request.state.account.username, state.training),
                         daemon=True, name="train").start()
        request.session["flash"] = {"ok": True, "text": "Rozpoczęto trening i ponowną ocenę uwag."}
    return RedirectResponse("/uczenie", status_code=303)


routes = [Route("/uczenie", learning), Route("/uczenie/trenuj", start_training, methods=["POST"])]
