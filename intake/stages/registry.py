"""The pipeline as data: stage names in order, looked up here (Mailman's builtin pipeline)."""

from __future__ import annotations

from intake.pipeline import Stage
from intake.stages.classify import classify_stage
from intake.stages.group import group_stage
from intake.stages.parse import parse_stage
from intake.stages.sort import sort_stage
from intake.stages.split import split_stage

PIPELINE: tuple[str, ...] = ("parse", "sort", "split", "classify", "group")

_STAGES: dict[str, Stage] = {
    "parse": parse_stage,
    "sort": sort_stage,
    "split": split_stage,
    "classify": classify_stage,
    "group": group_stage,
}


def stages(which: str = "all") -> list[tuple[str, Stage]]:
    """The named stages in pipeline order; `which` is "all" or a comma-separated list of names."""
    names = PIPELINE if which == "all" else tuple(n.strip() for n in which.split(","))
    unknown = [n for n in names if n not in _STAGES]
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(PIPELINE)}")
    return [(name, _STAGES[name]) for name in PIPELINE if name in names]
