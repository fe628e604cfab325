"""Learning from staff: confirmations and corrections become training data for the next model.

`train` fits a candidate on confirmed remarks, compares it with the current model on held-out
confirmed remarks, and switches only when the candidate is better. Every switch is an event,
and every classification records the model version that made it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from intake.errors import UserError
from intake.jobs.context import Context
from intake.models import current_model, promote
from intake.stages.classify import classify_texts
from storage.db import session_scope
from storage.events import append_event
from storage.models import Remark, utcnow

REMARK_TYPES = ("pytanie", "propozycja", "poparcie", "sprzeciw", "uwaga")


def confirm_remark(ctx: Context, reference: str, projects: list[str], remark_type: str | None,
                   actor: str) -> Remark:
    """A person confirms or corrects a remark's projects and type (one step, logged)."""
    catalogue = _catalogue_ids(ctx)
    unknown = [p for p in projects if p not in catalogue]
    if unknown:
        raise UserError(f"unknown project id(s): {', '.join(unknown)}; known: {', '.join(sorted(catalogue))}")
    if remark_type is not None and remark_type not in REMARK_TYPES:
        raise UserError(f"unknown remark type {remark_type!r}; use one of {', '.join(REMARK_TYPES)}")
    with session_scope(ctx.engine) as session:
        remark = session.exec(select(Remark).where(Remark.reference == reference)).first()
        if remark is None:
            raise UserError(f"no remark with reference {reference}")
        before = {"projects": remark.projects, "remark_type": remark.remark_type, "status": remark.status}
        remark.projects = projects or remark.projects
        if remark_type:
            remark.remark_type, remark.remark_types = remark_type, [remark_type]
        remark.status, remark.confirmed_by, remark.confirmed_at = "confirmed", actor, utcnow()
        remark.updated_at, remark.touched_by = utcnow(), actor
        session.add(remark)
        assert remark.id is not None  # a stored remark
        action = "remark.confirmed" if before["projects"] == remark.projects and \
            before["remark_type"] == remark.remark_type else "remark.corrected"
        append_event(session, actor=actor, action=action, entity="remark", entity_id=remark.id, before=before,
                     after={"projects": remark.projects, "remark_type": remark.remark_type, "status": "confirmed"})
        return remark


def _catalogue_ids(ctx: Context) -> set[str]:
    from intake.services import Services

    return {*Services(ctx.settings).catalogue.ids, "OGOLNA", "POZA"}


def confirmed_examples(session: Session) -> list[Any]:
    from classifiers.training import Example

    rows = session.exec(select(Remark).where(Remark.status == "confirmed").order_by(col(Remark.id)))
    return [Example(text=r.text, projects=tuple(r.projects), remark_type=r.remark_type, id=str(r.id)) for r in rows]


def held_out(example_id: str) -> bool:
    """A stable one-in-five split: the same remark is always on the same side."""
    return int(hashlib.sha256(example_id.encode()).hexdigest(), 16) % 5 == 0


@dataclass
class TrainReport:
    examples: int
    held_out: int
    candidate: str
    current: str | None
    candidate_scores: dict[str, float]
    current_scores: dict[str, float] | None
    switched: bool


def train(ctx: Context, actor: str = "train") -> TrainReport:
    from classifiers.training import better_than, evaluate, train_models

    with session_scope(ctx.engine) as session:
        examples = confirmed_examples(session)
    if len(examples) < 5:
        raise UserError(f"only {len(examples)} confirmed remark(s); confirm at least 5 before training")
    test = [e for e in examples if held_out(e.id)] or examples[-1:]
    fit = [e for e in examples if e not in test] or examples
    from intake.services import Services

    services = Services(ctx.settings)
    nlp, seed = services.nlp, ctx.settings.classification.seed
    candidate = train_models(fit, seed=seed, nlp=nlp)
    current = current_model(ctx.settings)
    cand_scores = evaluate(candidate, test, nlp=nlp)
    cur_scores = evaluate(current, test, nlp=nlp) if current is not None else None
    switched = current is None or better_than(candidate, current, test, nlp=nlp)
    if switched:
        # judged on held-out remarks; the model put to work learns from every confirmed one
        texts = [e.text for e in examples]
        vectors = services.project_classifier().example_vectors(texts) if ctx.settings.classification.embeddings \
            else None
        candidate = train_models(examples, seed=seed, nlp=nlp, vectors=vectors)
        promote(ctx.settings, candidate)
    with session_scope(ctx.engine) as session:
        append_event(session, actor=actor, action="model.switched" if switched else "model.rejected",
                     entity="model", entity_id=candidate.version[:60],
                     before={"version": current.version if current else None, "scores": cur_scores},
                     after={"version": candidate.version, "scores": cand_scores, "examples": len(fit),
                            "held_out": len(test)})
    return TrainReport(len(fit), len(test), candidate.version, current.version if current else None,
                       cand_scores, cur_scores, switched)


def sort_example_counts(ctx: Context) -> dict[str, int]:
    """Triage decisions stored as labelled examples for the sorting (remark / not_remark).

    The sorting is rules only today (classifiers.sorting): there is no learned sorting model for
    `train` to fit, so the examples are kept and counted, ready for one.
    """
    from storage import sort_examples

    with session_scope(ctx.engine) as session:
        return sort_examples.counts(session)


def rescore_unconfirmed(ctx: Context, actor: str = "reprocess") -> int:
    """Re-score every remark no person has decided on, with the current catalogue and model."""
    from intake.services import Services

    services = Services(ctx.settings, engine=ctx.engine)
    with session_scope(ctx.engine) as session:
        remarks = list(session.exec(select(Remark).where(
            col(Remark.status).not_in(("confirmed", "not_remark", "merged")), col(Remark.stance).is_(None),
            col(Remark.touched_by).is_(None), col(Remark.origin).not_in(("split", "triage")))))
        changed = 0
        for remark, result in zip(remarks, classify_texts(services, [r.text for r in remarks]), strict=True):
            before = {"projects": remark.projects, "remark_type": remark.remark_type}
            result.apply_to(remark)
            remark.status = "needs_review" if result.needs_review else "classified"
            remark.updated_at = utcnow()
            session.add(remark)
            after = {"projects": remark.projects, "remark_type": remark.remark_type}
            if after != before:
                changed += 1
                assert remark.id is not None  # a stored remark
                append_event(session, actor=actor, action="remark.reclassified", entity="remark",
                             entity_id=remark.id, before=before, after=after)
    return changed
