"""classify: projects (multi-label, with scores and evidence) and the remark type, per remark."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intake.pipeline import Work


@dataclass
class Classification:
    projects: list[str]
    project_scores: dict[str, float]
    remark_type: str | None
    remark_types: list[str]
    needs_review: bool
    review_reasons: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    model_version: str | None = None
    language: str | None = None

    def apply_to(self, target: Any) -> None:
        """Copy onto a RemarkDraft or a stored Remark (same attribute names)."""
        for name in ("projects", "project_scores", "remark_type", "remark_types", "review_reasons", "evidence",
                     "model_version", "language"):
            setattr(target, name, getattr(self, name))


def best_project_score(classifier: Any, text: str) -> float:
    """How well a catalogue fits a text: the best score among its own projects (not OGOLNA/POZA)."""
    from classifiers.catalogue import RESERVED

    decision = classifier.classify_many([text])[0]
    return max((float(v) for k, v in decision.scores.items() if k not in RESERVED), default=0.0)


def classify_texts(services: Any, texts: list[str], weak_sort: bool = False,
                   consultation: str | None = None, extra_reason: str | None = None) -> list[Classification]:
    """Every signal for a batch of remark texts, against the consultation's catalogue (batched embeddings)."""
    if not texts:
        return []
    from classifiers.language import detect_language

    projects, types = services.project_classifier(consultation), services.type_classifier()
    limit = services.settings.limits.max_classified_chars  # a 500,000-character remark is read by its start
    texts = [text[:limit] for text in texts]
    out = []
    for text, decision in zip(texts, projects.classify_many(texts), strict=True):
        kind = types.classify(text)
        reasons = list(decision.review_reasons)
        if weak_sort:
            reasons.append("sorted as a remark on weak evidence")
        if extra_reason:
            reasons.append(extra_reason)
        out.append(Classification(
            projects=list(decision.labels),
            project_scores={k: round(float(v), 4) for k, v in decision.scores.items()},
            remark_type=kind.type,
            remark_types=list(kind.all_types),
            needs_review=bool(reasons) or decision.needs_review,
            review_reasons=reasons,
            evidence={**decision.evidence, "type": {"score": kind.score, **kind.evidence}},
            model_version=services.model_version(),
            language=detect_language(text),
        ))
    return out


def settle_context(results: list[Classification]) -> None:
    """An opening or closing remark about nothing (POZA, no signal) beside remarks with a topic is
    their context (an introduction, a closing line): it takes the labels of the nearest remark with
    a topic, for review, rather than calling the e-mail "outside the strategy". ``results`` are the
    remarks of one e-mail in order; a POZA remark between others is left alone."""
    from classifiers.catalogue import OUTSIDE

    def topical(r: Classification) -> bool:
        return OUTSIDE not in r.projects and "weak_topic" not in r.review_reasons

    if len(results) < 2 or not any(topical(r) for r in results):
        return
    for i, order in ((0, results[1:]), (len(results) - 1, results[-2::-1])):
        r = results[i]
        if r.projects != [OUTSIDE] or "no_signal" not in r.review_reasons:
            continue
        donor = next(o for o in order if topical(o))
        r.projects = list(donor.projects)
        r.review_reasons = [x for x in r.review_reasons if x != "no_signal"] + ["context_of_remark"]
        r.needs_review = True


def classify_stage(work: Work, services: Any) -> None:
    texts = [r.text for r in work.remarks]
    if not texts:
        return
    assignment = services.assign(work)  # settles a tie between open consultations by the text
    uncertain = assignment.review_reason if assignment.uncertain else None
    results = classify_texts(services, texts, work.needs_review, assignment.key, uncertain)
    settle_context(results)
    for remark, result in zip(work.remarks, results, strict=True):
        result.apply_to(remark)
        remark.needs_review = result.needs_review
