"""Retraining asked for in the UI is run by the daemon: claimed by one instance at a time, taken over
when its runner dies, and kept from overlapping another training by the `train` lease."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from intake.jobs.learning import TRAINING_LEASE, run_training_request
from storage import claims
from storage.models import utcnow
from storage.review import (
    TRAININGS,
    TrainingRequest,
    claim_training,
    finish_training,
    request_training,
)


def _row(ctx) -> TrainingRequest:
    with Session(ctx.engine) as s:
        return s.exec(select(TrainingRequest)).one()


def test_one_instance_claims_and_a_dead_runner_is_taken_over(review):
    ctx, _ = review
    assert request_training(ctx.engine, "admin") and not request_training(ctx.engine, "admin")
    first = claim_training(ctx.engine, "a:1:1", 60)
    assert first is not None and first.requested_by == "admin" and first.status == "running"
    assert claim_training(ctx.engine, "b:2:2", 60) is None  # held by a
    with ctx.engine.begin() as conn:  # a died: its claim runs out
        conn.execute(update(TRAININGS).values(claimed_until=utcnow() - timedelta(seconds=1)))
    second = claim_training(ctx.engine, "b:2:2", 60)
    assert second is not None and second.id == first.id
    assert not finish_training(ctx.engine, first.id, "a:1:1", True, "late")  # a no longer holds it
    assert finish_training(ctx.engine, first.id, "b:2:2", True, "ok")
    assert (_row(ctx).status, _row(ctx).result) == ("done", "ok")
    assert request_training(ctx.engine, "admin")  # the slot is free again


def test_the_request_waits_while_another_instance_trains(review):
    ctx, _ = review
    request_training(ctx.engine, "admin")
    assert claims.take_lease(ctx.engine, TRAINING_LEASE, "nightly:9:9", 600)
    assert run_training_request(ctx, "a:1:1") is None and _row(ctx).status == "queued"
    claims.drop_lease(ctx.engine, TRAINING_LEASE, "nightly:9:9")
    assert run_training_request(ctx, "a:1:1") == _row(ctx).id
    assert _row(ctx).status == "failed" and "Nie wytrenowano" in _row(ctx).result  # too few confirmed remarks
    assert claims.lease_holder(ctx.engine, TRAINING_LEASE) is None


def test_the_daemon_looks_for_requests(review):
    from intake.scheduler import TRAINING_REQUEST_SECONDS, build_scheduler

    ctx, _ = review
    job = build_scheduler(ctx).get_job("train-request")
    assert job is not None and job.trigger.interval.total_seconds() == TRAINING_REQUEST_SECONDS
