"""Named stages and the loop that runs them (after GNU Mailman's pipelines).

A stage is a plain function `stage(work, services) -> None` that fills in its part of `work`.
It raises `Discard` for an expected end (automatic mail: nothing more to do) or `Hold` for an
unexpected one; any other exception becomes a Hold for that one message and the loop goes on.
The list of stages is data, so `reprocess` and tests can run any prefix of it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from classifiers.record import ParsedMail
from intake.errors import UserError

log = logging.getLogger("uwagi.pipeline")


class Discard(Exception):
    """Expected end of processing for this message (the reason is recorded)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Hold(Exception):
    """The message is kept but could not be processed; `reprocess` will try it again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Work:
    """Everything the stages learn about one kept message."""

    pk: int
    raw: bytes
    received_at: datetime
    parsed: ParsedMail | None = None
    kind: str | None = None
    kind_reason: str = ""
    needs_glance: bool = False
    remarks: list[Any] = field(default_factory=list)
    discarded: str | None = None
    held: tuple[str, str] | None = None  # (stage, reason)
    # sort: the evidence was weak (every remark gets a review reason); an automatic sender is never answered
    needs_review: bool = False
    automatic_sender: bool = False
    # split: the remarks' author (name, address): the sender, or the inner sender of a forwarded remark
    author: tuple[str, str] | None = None
    # the consultation the message belongs to (intake.consultations.Assignment), decided by sort/classify
    assignment: Any = None
    # only some stages ran (`poll --stages parse`): the message stays "parsed", not "processed"
    partial: bool = False

    @property
    def label(self) -> str:
        """`message=<pk> msgid=<Message-ID>` for log lines (the Message-ID once parsed)."""
        mid = self.parsed.message_id if self.parsed is not None else ""
        return f"message={self.pk} msgid=<{mid[:200]}>" if mid else f"message={self.pk}"


Stage = Callable[[Work, Any], None]


def run_stages(work: Work, stages: list[tuple[str, Stage]], services: Any,
               on_stage: Callable[[str], None] | None = None) -> Work:
    """Run the stages in order, turning every failure into a recorded outcome.

    `on_stage` is told each stage's name before it starts (the worker pool times each stage).
    """
    for name, stage in stages:
        if work.held or work.discarded:
            break
        if on_stage is not None:
            on_stage(name)
        try:
            stage(work, services)
        except Discard as outcome:
            work.discarded = outcome.reason
            log.info("%s stage=%s discard: %s", work.label, name, outcome.reason)
            break
        except UserError:
            raise  # a setup problem (missing catalogue, bad model): stop the run, hold nothing
        except Hold as outcome:
            work.held = (name, outcome.reason)
            log.warning("%s stage=%s hold: %s", work.label, name, outcome.reason)
            break
        except Exception as exc:
            reason = f"{exc.__class__.__name__}: {exc}"
            work.held = (name, reason)
            log.error("%s stage=%s crashed: %s\n%s", work.label, name, reason, traceback.format_exc())
            break
    return work
