"""Why a label was chosen: the stored evidence turned into marked stretches of the remark's text."""

from __future__ import annotations

from typing import Any


def spans(text: str, evidence: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, label) of every keyword hit whose offsets fit the text, non-overlapping."""
    found = []
    for project, hits in (evidence.get("keywords") or {}).items():
        for hit in hits if isinstance(hits, list) else []:
            start, end = hit.get("start"), hit.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                found.append((start, end, f"{project}: {hit.get('phrase', '')}"))
    found.sort()
    out: list[tuple[int, int, str]] = []
    for start, end, label in found:
        if out and start < out[-1][1]:
            continue
        out.append((start, end, label))
    return out


def segments(text: str, evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """The text cut into (piece, label) pairs; label is '' for unmarked pieces. Escaping is the template's."""
    out, pos = [], 0
    for start, end, label in spans(text, evidence):
        if start > pos:
            out.append((text[pos:start], ""))
        out.append((text[start:end], label))
        pos = end
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def type_cues(evidence: dict[str, Any]) -> dict[str, list[str]]:
    cues = (evidence.get("type") or {}).get("cues") or {}
    return {str(k): [str(v) for v in vs] for k, vs in cues.items() if isinstance(vs, list)}
