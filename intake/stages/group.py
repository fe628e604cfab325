"""group: near-identical remarks from different senders form a campaign (answered once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake.pipeline import Work

if TYPE_CHECKING:
    from intake.services import Services


def group_stage(work: Work, services: Services) -> None:
    from classifiers.campaigns import MIN_WORDS, normalise  # datasketch pulls in SciPy: load on first use

    index = services.campaign_index(getattr(work.assignment, "key", None))  # campaigns stay within a consultation
    author = work.author or ("", "")
    for remark in work.remarks:
        key = f"{work.pk}.{remark.ordinal}"
        if len(normalise(remark.text)) < MIN_WORDS:
            continue  # too short to tell a campaign from a coincidence
        remark.signature = index.signature(remark.text)
        remark.campaign = index.add_signature(key, remark.signature, sender=author[1])
