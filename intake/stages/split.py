"""split: one e-mail, several remarks (numbered lists, rows of the remarks form, attachments)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from intake.pipeline import Work

if TYPE_CHECKING:
    from intake.services import Services


@dataclass
class RemarkDraft:
    """A remark on its way to the database: split, then classified, then grouped."""

    ordinal: int
    text: str
    origin: str
    fields: dict[str, str]
    projects: list[str] = field(default_factory=list)
    project_scores: dict[str, float] = field(default_factory=dict)
    remark_type: str | None = None
    remark_types: list[str] = field(default_factory=list)
    needs_review: bool = False
    review_reasons: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    model_version: str | None = None
    language: str | None = None
    signature: bytes | None = None
    campaign: str | None = None


def split_stage(work: Work, services: Services) -> None:
    from classifiers.splitting import inner_sender, split_remarks  # loaded on first use

    assert work.parsed is not None
    work.author = inner_sender(work.parsed)
    parts = split_remarks(work.parsed, services.settings.limits.max_remarks)
    work.remarks = [RemarkDraft(p.ordinal, p.text, p.origin, dict(p.fields)) for p in parts]
