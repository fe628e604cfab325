"""classify: projects (multi-label, with scores and evidence) and the remark type, per remark."""

from __future__ import annotations

from intake.pipeline import Work


def classify_stage(work: Work, services) -> None:
    if not work.remarks:
        return
    projects = services.project_classifier()
    types = services.type_classifier()
    texts = [r.text for r in work.remarks]
    for remark, decision in zip(work.remarks, projects.classify_many(texts), strict=True):
        kind = types.classify(remark.text)
        remark.projects = list(decision.labels)
        remark.project_scores = {k: round(float(v), 4) for k, v in decision.scores.items()}
        remark.remark_type = kind.type
        remark.review_reasons = list(decision.review_reasons)
        if work.extra.get("needs_review"):
            remark.review_reasons.append("sorted as a remark on weak evidence")
        remark.needs_review = bool(remark.review_reasons) or decision.needs_review
        remark.evidence = {**decision.evidence, "type": {"score": kind.score, **kind.evidence}}
        remark.model_version = services.model_version()
