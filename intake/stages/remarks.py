"""Write a message's remarks: case reference, remark rows, campaign links; staff decisions survive.

Re-running the stages (reprocess) replaces the remarks of a message only while no person has
touched any of them (any review action: confirm, correct, not-a-remark, split, merge, triage,
stance, note, assignment, case number). Once someone has, the remarks stay and only the untouched
ones get their scores refreshed; a message whose remarks staff reshaped (split, merged, made in
triage) or sorted by hand keeps its remarks and its sorting exactly as they are.
"""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, col, func, select

from intake.pipeline import Work
from intake.stages.split import RemarkDraft
from storage.models import Message, Remark, utcnow
from storage.outbox import reference_for_message_ids
from storage.references import next_reference
from storage.review import RemarkNote, RemarkOffice

Event = dict[str, Any]


STAFF_STATUSES = ("confirmed", "not_remark", "merged")
STAFF_ORIGINS = ("split", "triage")


def _is_decided(remark: Remark) -> bool:
    return (remark.status in STAFF_STATUSES or bool(remark.stance) or bool(remark.touched_by)
            or remark.origin in STAFF_ORIGINS)


def _with_office_marks(session: Session, remarks: list[Remark]) -> set[int]:
    """Remarks with a note or an office mark (also those made before `touched_by` existed)."""
    ids = [r.id for r in remarks if r.id is not None]
    if not ids:
        return set()
    query = select(RemarkNote.remark_id).where(col(RemarkNote.remark_id).in_(ids)).union_all(
        select(RemarkOffice.remark_id).where(col(RemarkOffice.remark_id).in_(ids)))
    return {int(i) for (i,) in session.execute(query)}


def _reshaped(remarks: list[Remark]) -> bool:
    return any(r.origin in STAFF_ORIGINS or r.status == "merged" for r in remarks)


def _snapshot(r: Remark | RemarkDraft) -> dict[str, Any]:
    return {"projects": list(r.projects), "remark_type": r.remark_type,
            "status": getattr(r, "status", None), "campaign": r.campaign}


def store_remarks(session: Session, msg: Message, work: Work, services: Any) -> list[Event]:
    existing = list(session.exec(select(Remark).where(Remark.message_pk == msg.id).order_by(col(Remark.ordinal))))
    marked = _with_office_marks(session, existing)
    decided = [r for r in existing if _is_decided(r) or r.id in marked]
    kept = {id(r) for r in decided}
    if msg.triaged_by or _reshaped(existing):
        return _keep_staff_sorting(msg, existing)
    if work.kind != "remark":
        events = [_withdraw(session, r, services) for r in existing if id(r) not in kept]
        msg.remark_count = len(decided)
        return events
    if msg.reference is None:
        msg.reference = case_reference(session, msg, work, services)
    if decided:
        return _refresh(session, [r for r in existing if id(r) not in kept], work.remarks, services)
    old_refs = {r.ordinal: r.reference for r in existing}  # references stay stable across reprocess
    events = [_withdraw(session, r, services) for r in existing]
    session.flush()
    offset = _earlier_in_case(session, msg)
    author = work.author or (msg.sender_name or "", msg.sender_email or "")
    assert msg.id is not None  # a stored message
    for draft in work.remarks:
        remark = Remark(message_pk=msg.id, consultation=msg.consultation, ordinal=draft.ordinal,
                        author_name=author[0] or None,
                        author_email=(author[1] or "").lower() or None, text=draft.text, origin=draft.origin,
                        fields=draft.fields, signature=draft.signature)
        _classify(remark, draft)
        n = offset + draft.ordinal
        remark.reference = old_refs.get(draft.ordinal) or (
            msg.reference if offset == 0 and len(work.remarks) == 1 else f"{msg.reference}/{n}")
        session.add(remark)
        session.flush()
        events.append(_event(services, "remark.created", remark, None, {**_snapshot(remark),
                                                                        "reference": remark.reference}))
        if draft.campaign:
            _link_campaign_head(session, draft.campaign)
    msg.remark_count = len(work.remarks)
    return events


def _keep_staff_sorting(msg: Message, existing: list[Remark]) -> list[Event]:
    """Staff sorted the message by hand or reshaped its remarks: the machine changes nothing of it."""
    if msg.triaged_by:
        msg.needs_glance = False
        msg.kind = "other" if msg.kind == "remark" and not existing else msg.kind
    if existing:
        msg.kind, msg.needs_glance = "remark", False
    msg.remark_count = len(existing)
    return []


def _classify(remark: Remark, draft: RemarkDraft) -> None:
    for name in ("projects", "project_scores", "remark_type", "remark_types", "review_reasons", "evidence",
                 "model_version", "campaign", "language"):
        setattr(remark, name, getattr(draft, name))
    remark.status = "needs_review" if draft.needs_review else "classified"
    remark.updated_at = utcnow()


def _refresh(session: Session, existing: list[Remark], drafts: list[RemarkDraft], services: Any) -> list[Event]:
    by_ordinal = {d.ordinal: d for d in drafts}
    events = []
    for remark in existing:
        draft = by_ordinal.get(remark.ordinal)
        if draft is None:
            continue
        before = _snapshot(remark)
        _classify(remark, draft)
        session.add(remark)
        if _snapshot(remark) != before:
            events.append(_event(services, "remark.reclassified", remark, before, _snapshot(remark)))
    return events


def _withdraw(session: Session, remark: Remark, services: Any) -> Event:
    event = _event(services, "remark.withdrawn", remark, _snapshot(remark), None)
    event["personal"] = {"text": remark.text[:200]}  # beside the chain: erasable without breaking it
    session.delete(remark)
    return event


def _event(services: Any, action: str, remark: Remark, before: Any, after: Any) -> Event:
    return dict(actor=services.actor, action=action, entity="remark", entity_id=remark.id, before=before,
                after=after)


def _link_campaign_head(session: Session, campaign: str) -> None:
    """The campaign key is its first remark ("pk.ordinal"): mark that remark as a member too."""
    pk, _, ordinal = campaign.partition(".")
    if not (pk.isdigit() and ordinal.isdigit()):
        return
    head = session.exec(select(Remark).where(Remark.message_pk == int(pk), Remark.ordinal == int(ordinal))).first()
    if head is not None and head.campaign is None:
        head.campaign = campaign
        session.add(head)


def case_reference(session: Session, msg: Message, work: Work, services: Any) -> str:
    """A follow-up joins its case (reply to a remark, or our reference quoted); else a new case."""
    parsed = work.parsed
    consultation = services.settings.consultation_for(msg.consultation)  # its own prefix and sequence
    prefix = consultation.reference_prefix
    if parsed is not None:
        ids = [i for i in (parsed.in_reply_to, *parsed.references) if i]
        if ids:
            found = session.exec(select(Message.reference).where(col(Message.message_id).in_(ids),
                                                                 col(Message.reference).is_not(None))).first()
            if found:
                return found
            ours = reference_for_message_ids(session, ids)  # a reply to our acknowledgement
            if ours:
                return ours
        quoted = re.search(rf"\b{re.escape(prefix)}/(\d{{4}})/(\d{{4,}})\b", f"{parsed.subject}\n{parsed.body_text}")
        if quoted:
            ref = quoted.group(0)
            known = session.exec(select(Message.id).where(Message.reference == ref, Message.id != msg.id)).first()
            if known is not None:
                return ref
    zone = consultation.zone
    received = msg.received_at
    year = (received.astimezone(zone) if received.tzinfo else received).year
    return next_reference(session, prefix, year)


def _earlier_in_case(session: Session, msg: Message) -> int:
    """How many remarks of the same case came in earlier messages (a follow-up continues the count)."""
    return session.exec(select(func.count()).select_from(Remark).where(
        Remark.message_pk == Message.id, Message.reference == msg.reference, Message.id != msg.id)).one()
