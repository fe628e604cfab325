"""sort: remark, other office mail (left alone) or automatic mail; the reason is kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake.pipeline import Discard, Work

if TYPE_CHECKING:
    from intake.services import Services


def sort_stage(work: Work, services: Services) -> None:
    from classifiers.sorting import sort_message  # loaded on first use: a parse-only run never needs it

    assert work.parsed is not None
    # Which consultation, cheaply (addresses, tags, dates): its hints sort the message. A tie between
    # open consultations is settled by the text in the classify stage, for remarks only.
    assignment = services.assign(work, text_fit=False)
    decision = sort_message(work.parsed, services.hints(assignment.key), raw=work.raw or None)
    work.kind = decision.kind
    work.kind_reason = decision.reason
    work.needs_glance = decision.needs_glance
    work.needs_review = decision.needs_review
    work.automatic_sender = decision.is_automatic_sender
    if decision.kind != "remark":
        raise Discard(f"{decision.kind}: {decision.reason}")
