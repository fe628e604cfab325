"""Learning from staff: confirmations and corrections become training data for the next model.

`train` fits a candidate on confirmed remarks, compares it with the current model on held-out
confirmed remarks, and switches only when the candidate is better. Every switch is an event,
and every classification records the model version that made it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from intake.errors import UserError
from intake.jobs.context import Context
from intake.models import current_model, promote
from intake.stages.classify import classify_texts, settle_context
from storage.consultations import Scope
from storage.db import session_scope
from storage.events import append_event
from storage.models import Remark, utcnow

REMARK_TYPES = ("pytanie", "propozycja", "poparcie", "sprzeciw", "uwaga")
TRAINING_LEASE = "train"  # one training at a time across instances: asked for in the UI or nightly
TRAINING_CLAIM_SECONDS = 120.0  # renewed while training runs; a runner that dies lets it expire
log = logging.getLogger("uwagi.learning")


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


def confirmed_examples(session: Session, scope: Any = None) -> list[Any]:
    """Confirmed remarks as training examples; with a `scope` (storage.consultations.Scope), of that
    consultation only: the model learns the default consultation's catalogue, not another's projects."""
    from classifiers.training import Example

    query = select(Remark).where(Remark.status == "confirmed")
    if scope is not None:
        query = query.where(scope.where(Remark.consultation))
    rows = session.exec(query.order_by(col(Remark.id)))
    return [Example(text=r.text, projects=tuple(r.projects), remark_type=r.remark_type, id=str(r.id)) for r in rows]


def held_out(example_id: str) -> bool:
    """A stable one-in-five split: the same remark is always on the same side."""
    return int(hashlib.sha256(example_id.encode()).hexdigest(), 16) % 5 == 0


def examples_digest(examples: list[Any], seed: int, embeddings: bool) -> str:
    """What a model learned from: every confirmed remark's id, text, projects and type, the seed."""
    from classifiers.training import text_key

    digest = hashlib.sha256(f"{seed}|{embeddings}".encode())
    for e in examples:
        digest.update(f"|{e.id}|{text_key(e.text)}|{','.join(e.projects)}|{e.remark_type}".encode())
    return digest.hexdigest()


@dataclass
class TrainReport:
    examples: int
    held_out: int
    candidate: str
    current: str | None
    candidate_scores: dict[str, float]
    current_scores: dict[str, float] | None
    switched: bool
    rules_scores: dict[str, float] | None = None  # the rules and embeddings alone on the same held-out remarks
    neighbour_weight: float = 1.0  # the learned signals' multipliers chosen by cross-validation
    textcat_weight: float = 1.0
    label_bias: dict[str, float] = field(default_factory=dict)  # each label's logit shift (``label_bias``)
    unchanged: bool = False  # the current model learned from exactly these confirmations: nothing was trained


def train(ctx: Context, actor: str = "train") -> TrainReport:
    """Fit a candidate on the confirmed remarks outside the held-out fifth, judge the whole classifier
    with it on that fifth, and put it to work (retrained on every confirmed remark) only when it
    does at least as well there as the current model, or as the rules and embeddings alone."""
    from classifiers.label_bias import fit_label_bias, with_label_bias
    from classifiers.learned_weights import choose_weights, switch_wanted, whole_scores, with_weights, without_examples
    from classifiers.training import train_models
    from classifiers.types import TypeClassifier

    with session_scope(ctx.engine) as session:
        examples = confirmed_examples(session, Scope(ctx.settings.default_key))
    if len(examples) < 5:
        raise UserError(f"only {len(examples)} confirmed remark(s); confirm at least 5 before training")
    current = current_model(ctx.settings)
    digest = examples_digest(examples, ctx.settings.classification.seed, ctx.settings.classification.embeddings)
    if current is not None and current.meta.get("examples_digest") == digest:
        # the same confirmations make the same model: nothing to train, switch or re-score
        with session_scope(ctx.engine) as session:
            append_event(session, actor=actor, action="model.unchanged", entity="model",
                         entity_id=current.version[:60], before={"version": current.version},
                         after={"version": current.version, "examples": len(examples)})
        return TrainReport(len(examples), 0, current.version, current.version, {}, None, False, unchanged=True)
    test = [e for e in examples if held_out(e.id)] or examples[-1:]
    fit = [e for e in examples if e not in test] or examples
    from intake.services import Services

    services = Services(ctx.settings)
    nlp, seed = services.nlp, ctx.settings.classification.seed
    projects = services.project_classifier().with_model(None)
    vectors = projects.example_vectors([e.text for e in examples]) if ctx.settings.classification.embeddings \
        else None
    at_fit = [i for i, e in enumerate(examples) if e not in test]
    weights = choose_weights(projects, fit, seed, nlp, vectors[at_fit] if vectors is not None else None)
    logits = projects.base_logits([e.text for e in examples])
    shifts = fit_label_bias(logits[at_fit], [e.projects for e in fit], projects.labels)
    candidate = with_label_bias(with_weights(train_models(
        fit, seed=seed, nlp=nlp, vectors=vectors[at_fit] if vectors is not None else None,
        vector_version=projects.vector_version), weights), shifts)
    cand_scores = whole_scores(projects.with_model(candidate), test, TypeClassifier(nlp, candidate))
    rules_scores = whole_scores(projects, test, TypeClassifier(nlp))
    if current is not None:
        fair = without_examples(current, {e.id for e in test})
        cur_scores = whole_scores(projects.with_model(fair), test, TypeClassifier(nlp, current))
    else:
        cur_scores = None
    switched = switch_wanted(cand_scores, rules_scores, cur_scores)
    if switched:
        # judged on held-out remarks; the model put to work learns from every confirmed one
        shifts = fit_label_bias(logits, [e.projects for e in examples], projects.labels)
        candidate = with_label_bias(with_weights(train_models(examples, seed=seed, nlp=nlp, vectors=vectors,
                                                              vector_version=projects.vector_version), weights),
                                    shifts)
        candidate.meta["examples_digest"] = digest
        promote(ctx.settings, candidate)
    with session_scope(ctx.engine) as session:
        append_event(session, actor=actor, action="model.switched" if switched else "model.rejected",
                     entity="model", entity_id=candidate.version[:60],
                     before={"version": current.version if current else None, "scores": cur_scores,
                             "rules_only": rules_scores},
                     after={"version": candidate.version, "scores": cand_scores, "examples": len(fit),
                            "held_out": len(test), "learned_weights": weights.as_meta(), "label_bias": shifts})
    return TrainReport(len(fit), len(test), candidate.version, current.version if current else None,
                       cand_scores, cur_scores, switched, rules_scores, weights.neighbours, weights.textcat, shifts)


@dataclass
class SortTrainReport:
    examples: int  # triage decisions read again
    weighed: int  # of them, mail the certain rules do not decide (the model's ground)
    version: str
    cv: dict[str, Any]


def train_sort(ctx: Context, actor: str = "train") -> SortTrainReport | None:
    """Refit the sort model on its shipped training rows plus the staff's triage decisions.

    Each decided message is read again from its kept raw bytes with today's hints, so the
    features are the ones the sorter will see; C and the thresholds are chosen again by
    cross-validation. None when there is no triage decision to learn from.
    """
    import numpy as np

    from classifiers.sort_model import shipped_model, train_sort_model
    from classifiers.sorting import FEATURES, read_evidence
    from intake.models import save_sort_model
    from intake.parsing import parse_message
    from intake.services import Services
    from storage import sort_examples

    with session_scope(ctx.engine) as session:
        rows = sort_examples.raw_examples(session)
    base = shipped_model()
    if not rows or base is None or base.train_x is None or base.train_y is None:
        return None
    hints = Services(ctx.settings, engine=ctx.engine).hints()
    xs, ys = [], []
    for _pk, raw, label in rows:
        certain, ev = read_evidence(parse_message(raw), hints, raw)
        if certain is None:
            xs.append([float(ev.values[f] or 0.0) for f in FEATURES])
            ys.append(1.0 if label == "remark" else 0.0)
    x = np.vstack([base.train_x, np.array(xs).reshape(-1, len(FEATURES))])
    y = np.concatenate([base.train_y, np.array(ys)])
    model = train_sort_model(x, y, FEATURES)
    save_sort_model(ctx.settings, model)
    with session_scope(ctx.engine) as session:
        append_event(session, actor=actor, action="sort_model.trained", entity="model",
                     entity_id=model.version, before={"version": base.version},
                     after={"version": model.version, "triage_examples": len(rows), "weighed": len(xs),
                            "cv": model.cv})
    return SortTrainReport(len(rows), len(xs), model.version, model.cv)


def sort_example_counts(ctx: Context) -> dict[str, int]:
    """Triage decisions stored as labelled examples for the sorting (remark / not_remark)."""
    from storage import sort_examples

    with session_scope(ctx.engine) as session:
        return sort_examples.counts(session)


def rescore_unconfirmed(ctx: Context, actor: str = "reprocess") -> int:
    """Re-score every remark no person has decided on, with the current catalogue and model.

    The texts are read and classified outside the write transaction: classifying may store new
    embeddings through the vector cache's own connection, which an open transaction (SQLite's lock)
    would block."""
    from intake.services import Services

    services = Services(ctx.settings, engine=ctx.engine)
    undecided = (col(Remark.status).not_in(("confirmed", "not_remark", "merged")), col(Remark.stance).is_(None),
                 col(Remark.touched_by).is_(None), col(Remark.origin).not_in(("split", "triage")))
    with session_scope(ctx.engine) as session:
        rows = list(session.exec(select(Remark.id, Remark.text, Remark.consultation, Remark.message_pk)
                                 .where(*undecided).order_by(col(Remark.message_pk), col(Remark.ordinal))))
    by_consultation: dict[str | None, list[tuple[int, str, int]]] = {}
    for pk, text, consultation, message_pk in rows:  # each against its own consultation's catalogue
        assert pk is not None  # a stored remark
        by_consultation.setdefault(consultation, []).append((pk, text, message_pk))
    results: dict[int, Any] = {}
    for key, group in by_consultation.items():
        scored = classify_texts(services, [t for _, t, _ in group], consultation=key)
        by_message: dict[int, list[Any]] = {}
        for (pk, _, message_pk), result in zip(group, scored, strict=True):
            results[pk] = result
            by_message.setdefault(message_pk, []).append(result)
        for siblings in by_message.values():
            settle_context(siblings)
    changed = 0
    with session_scope(ctx.engine) as session:
        for remark in session.exec(select(Remark).where(col(Remark.id).in_(list(results)), *undecided)):
            assert remark.id is not None  # a stored remark
            result = results[remark.id]
            before = {"projects": remark.projects, "remark_type": remark.remark_type}
            result.apply_to(remark)
            remark.status = "needs_review" if result.needs_review else "classified"
            remark.updated_at = utcnow()
            session.add(remark)
            after = {"projects": remark.projects, "remark_type": remark.remark_type}
            if after != before:
                changed += 1
                append_event(session, actor=actor, action="remark.reclassified", entity="remark",
                             entity_id=remark.id, before=before, after=after)
    return changed


def run_training_request(ctx: Context, owner: str) -> int | None:
    """The daemon's side of the UI's "Trenuj teraz": claim the waiting request, `train`, re-score
    after a switch, and record the outcome on the request. The id of the request run, or None.

    The web process only records the request; this runs in `uwagi run`. The request is claimed like
    a message (one conditional UPDATE), and the `train` lease keeps it from overlapping the nightly
    run or another instance's training."""
    from storage import claims
    from storage.review import claim_training, finish_training, training_waiting

    if not training_waiting(ctx.engine):
        return None  # the common case, every few seconds: one small read, no writes
    if not claims.take_lease(ctx.engine, TRAINING_LEASE, owner, TRAINING_CLAIM_SECONDS):
        return None  # training elsewhere; the request waits for the next look
    stop = threading.Event()
    try:
        request = claim_training(ctx.engine, owner, TRAINING_CLAIM_SECONDS)
        if request is None or request.id is None:
            return None
        threading.Thread(target=_keep_claim, args=(ctx, request.id, owner, stop), name="train-claim",
                         daemon=True).start()
        log.warning("job=train-request %d asked by %s: training", request.id, request.requested_by)
        ok, result = train_and_rescore(ctx, actor=request.requested_by)
        finish_training(ctx.engine, request.id, owner, ok, result)
        log.warning("job=train-request %d finished: %s", request.id, result)
        return request.id
    finally:
        stop.set()
        claims.drop_lease(ctx.engine, TRAINING_LEASE, owner)


def _keep_claim(ctx: Context, request_id: int, owner: str, stop: threading.Event) -> None:
    from storage import claims
    from storage.review import renew_training

    while not stop.wait(TRAINING_CLAIM_SECONDS / 4):
        try:
            renew_training(ctx.engine, request_id, owner, TRAINING_CLAIM_SECONDS)
            claims.take_lease(ctx.engine, TRAINING_LEASE, owner, TRAINING_CLAIM_SECONDS)
        except Exception:  # a database hiccup: the next renewal tries again before the claim expires
            log.exception("job=train-request cannot renew the claim on request %d", request_id)


def train_and_rescore(ctx: Context, actor: str) -> tuple[bool, str]:
    """Refit the sort model with the triage decisions, `train` the remark model, then re-score
    unconfirmed remarks when the new model is switched on; the outcome in Polish for the learning
    page (False when nothing was trained)."""
    try:
        sorting = train_sort(ctx, actor=actor)
        sort_text = ("model sortowania bez zmian (brak decyzji z listy „Do przejrzenia”)" if sorting is None else
                     f"model sortowania dopasowany ponownie z decyzjami z listy „Do przejrzenia” ({sorting.weighed})")
        try:
            report = train(ctx, actor=actor)
        except UserError as exc:
            return sorting is not None, f"Nie wytrenowano modelu uwag: {exc}; {sort_text}."
        changed = rescore_unconfirmed(ctx, actor=actor) if report.switched else 0
    except Exception:
        log.exception("training asked for in the UI failed")
        return False, "Trening nie powiódł się; szczegóły w dzienniku usługi uwagi run."
    outcome = "Nowy model włączony" if report.switched else \
        "Bez zmian: obecny model uczył się już na tych samych potwierdzeniach" if report.unchanged else \
        "Nowy model wypadł gorzej; pozostaje dotychczasowy"
    return True, f"{outcome}; ponownie ocenione uwagi: {changed}; {sort_text}."
