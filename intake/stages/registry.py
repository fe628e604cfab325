"""The pipeline as data (Mailman's builtin pipeline): every stage a message goes through, in order.

- keep: the source keeps raw bytes and SHA-256 in the same transaction as its watermark
  (`intake.stages.keep.commit_batch`); nothing else happens during a fetch.
- parse, sort, split, classify: per message, in a worker process, each within the time and memory
  budget of `[limits]` (`intake.workers`).
- group: in the runner, because the campaign index is shared by all messages.
- store: in the runner, one transaction per batch, only for messages this process still claims
  (`intake.stages.store.store_works`).
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.pipeline import Stage
from intake.stages.classify import classify_stage
from intake.stages.group import group_stage
from intake.stages.parse import parse_stage
from intake.stages.sort import sort_stage
from intake.stages.split import split_stage

PIPELINE: tuple[str, ...] = ("keep", "parse", "sort", "split", "classify", "group", "store")
ALWAYS = ("keep", "store")  # every run keeps and stores; the others can be chosen
WORKER = ("parse", "sort", "split", "classify")  # run in a worker process, under the budget
RUNNER = ("group",)  # run in the runner process over a batch

_STAGES: dict[str, Stage] = {
    "parse": parse_stage,
    "sort": sort_stage,
    "split": split_stage,
    "classify": classify_stage,
    "group": group_stage,
}
CHOOSABLE = tuple(n for n in PIPELINE if n not in ALWAYS)


@dataclass(frozen=True)
class Plan:
    """The chosen message stages; keep and store always run."""

    names: tuple[str, ...]

    @property
    def partial(self) -> bool:
        """Fewer than all stages: results stay "parsed", not "processed"."""
        return self.names != CHOOSABLE

    @property
    def worker(self) -> list[tuple[str, Stage]]:
        return [(n, _STAGES[n]) for n in self.names if n in WORKER]

    @property
    def runner(self) -> list[tuple[str, Stage]]:
        return [(n, _STAGES[n]) for n in self.names if n in RUNNER]


def plan(which: str = "all") -> Plan:
    """`which` is "all" or a comma-separated list of stage names (in any order)."""
    names = CHOOSABLE if which == "all" else tuple(n.strip() for n in which.split(",") if n.strip())
    unknown = [n for n in names if n not in PIPELINE]
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(PIPELINE)}")
    return Plan(tuple(n for n in CHOOSABLE if n in names))


def stages(which: str = "all") -> list[tuple[str, Stage]]:
    """The chosen message stages in pipeline order, as (name, function) pairs."""
    chosen = plan(which)
    return [(n, _STAGES[n]) for n in chosen.names]
