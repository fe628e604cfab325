"""What staff do to remarks and held or set-aside mail. Each action is one transaction with one event
per remark changed (actor, before, after) in the hash-chained log, which is the remark's history.

Corrections of projects and type go through `intake.jobs.learning.confirm_remark`, the same path as
`uwagi confirm`, so they become training data for the next model.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from intake.errors import UserError
from intake.jobs.context import Context
from intake.jobs.learning import confirm_remark
from storage import sort_examples
from storage.db import session_scope
from storage.events import append_event
from storage.models import Message, Remark, utcnow
from storage.references import next_reference
from storage.review import RemarkNote, RemarkOffice, refresh_search

STANCES = ("uwzgledniona", "czesciowo", "nieuwzgledniona", "wyjasnienie")
MAX_TEXT = 10_000


def _remark(session: Session, remark_id: int) -> Remark:
    remark = session.get(Remark, remark_id)
    if remark is None:
        raise UserError("Nie ma takiej uwagi.")
    return remark


def _log(session: Session, actor: str, action: str, remark: Remark, before: Any, after: Any) -> None:
    remark.touched_by = actor  # any staff action: reprocess keeps the remark as it is
    session.add(remark)
    append_event(session, actor=actor, action=action, entity="remark", entity_id=remark.id or 0, before=before,
                 after=after)


def confirm(ctx: Context, remark_id: int, projects: list[str], remark_type: str | None, actor: str) -> None:
    """Confirm or correct projects and type (training data through the learning path)."""
    with session_scope(ctx.engine) as session:
        reference = _remark(session, remark_id).reference
    if not reference:
        raise UserError("Uwaga nie ma sygnatury; nie można jej potwierdzić.")
    if not projects:
        raise UserError("Wybierz co najmniej jeden projekt.")
    confirm_remark(ctx, reference, projects, remark_type or None, actor)


def not_a_remark(ctx: Context, remark_id: int, actor: str) -> None:
    with session_scope(ctx.engine) as session:
        remark = _remark(session, remark_id)
        before = {"status": remark.status}
        remark.status, remark.confirmed_by, remark.confirmed_at, remark.updated_at = "not_remark", actor, utcnow(), \
            utcnow()
        session.add(remark)
        _log(session, actor, "remark.not_a_remark", remark, before, {"status": "not_remark"})


def set_stance(ctx: Context, remark_ids: list[int], stance: str, justification: str, actor: str) -> int:
    """The office's answer; one call answers a whole campaign (one event per remark)."""
    justification = justification.strip()
    if stance not in STANCES:
        raise UserError("Wybierz stanowisko.")
    if not justification:
        raise UserError("Wpisz uzasadnienie stanowiska.")
    if len(justification) > MAX_TEXT:
        raise UserError("Uzasadnienie jest za długie (najwyżej 10 000 znaków).")
    with session_scope(ctx.engine) as session:
        for remark_id in remark_ids:
            remark = _remark(session, remark_id)
            before = {"stance": remark.stance, "justification": remark.justification}
            remark.stance, remark.justification, remark.updated_at = stance, justification, utcnow()
            session.add(remark)
            _log(session, actor, "remark.stance", remark, before, {"stance": stance, "justification": justification,
                                                                   "campaign": len(remark_ids) > 1})
    return len(remark_ids)


def campaign_members(session: Session, campaign: str) -> list[int]:
    return [int(i) for i in session.exec(select(Remark.id).where(Remark.campaign == campaign)) if i is not None]


def _office(session: Session, remark_id: int) -> RemarkOffice:
    return session.get(RemarkOffice, remark_id) or RemarkOffice(remark_id=remark_id)


def assign(ctx: Context, remark_id: int, username: str | None, actor: str) -> None:
    with session_scope(ctx.engine) as session:
        remark = _remark(session, remark_id)
        office = _office(session, remark_id)
        before = {"assigned_to": office.assigned_to}
        office.assigned_to = username or None
        session.add(office)
        _log(session, actor, "remark.assigned", remark, before, {"assigned_to": office.assigned_to})


def set_case(ctx: Context, remark_id: int, case_number: str, ezd_id: str, actor: str) -> None:
    """The office's case number (znak sprawy) and EZD document id."""
    with session_scope(ctx.engine) as session:
        remark = _remark(session, remark_id)
        office = _office(session, remark_id)
        before = {"case_number": office.case_number, "ezd_id": office.ezd_id}
        office.case_number, office.ezd_id = case_number.strip()[:100] or None, ezd_id.strip()[:100] or None
        session.add(office)
        _log(session, actor, "remark.case", remark, before, {"case_number": office.case_number,
                                                             "ezd_id": office.ezd_id})


def add_note(ctx: Context, remark_id: int, text: str, actor: str) -> None:
    text = text.strip()
    if not text:
        raise UserError("Notatka jest pusta.")
    with session_scope(ctx.engine) as session:
        remark = _remark(session, remark_id)
        session.add(RemarkNote(remark_id=remark_id, author=actor, text=text[:MAX_TEXT]))
        _log(session, actor, "remark.note", remark, None, {"note": text[:200]})


def split_marked(text: str) -> list[str]:
    """The clerk marks the cut with a line holding only '---'."""
    parts: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip() == "---":
            parts.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    parts.append("\n".join(current).strip())
    return [p for p in parts if p]


def message_to_remarks(ctx: Context, message_id: int, text: str, actor: str) -> list[int]:
    """Triage: the clerk says this mail holds remarks; they wait in the queue for projects and type."""
    parts = split_marked(text)
    if not parts:
        raise UserError("Wpisz treść co najmniej jednej uwagi.")
    with session_scope(ctx.engine) as session:
        msg = session.get(Message, message_id)
        if msg is None:
            raise UserError("Nie ma takiej wiadomości.")
        c = ctx.settings.consultation_for(msg.consultation)  # its own prefix and sequence
        before = {"kind": msg.kind, "state": msg.state, "needs_glance": msg.needs_glance}
        if msg.reference is None:
            msg.reference = next_reference(session, c.reference_prefix, msg.received_at.astimezone(c.zone).year)
        start = max([r.ordinal for r in session.exec(select(Remark).where(Remark.message_pk == message_id))],
                    default=0)
        ids = []
        for n, part in enumerate(parts, start=start + 1):
            ref = msg.reference if len(parts) == 1 and start == 0 else f"{msg.reference}/{n}"
            remark = Remark(message_pk=message_id, consultation=msg.consultation,
                            ordinal=n, reference=ref, text=part, origin="triage",
                            author_name=msg.sender_name, author_email=(msg.sender_email or "").lower() or None,
                            status="needs_review", review_reasons=["added by staff in triage"])
            session.add(remark)
            session.flush()
            refresh_search(session, remark)
            _log(session, actor, "remark.created", remark, None, {"reference": ref, "origin": "triage"})
            ids.append(remark.id or 0)
        sort_examples.record(session, msg, "remark", actor, str(before["kind"]), bool(before["needs_glance"]))
        msg.kind, msg.needs_glance, msg.remark_count = "remark", False, start + len(parts)
        msg.triaged_by = actor
        if msg.state == "held":
            msg.state = "processed"
        session.add(msg)
        append_event(session, actor=actor, action="message.resorted", entity="message", entity_id=message_id,
                     before=before, after={"kind": "remark", "state": msg.state, "remarks": len(parts)})
        return ids


def dismiss(ctx: Context, message_id: int, actor: str) -> None:
    """Triage: not about the consultation. Kept, just out of the list (and sorting training data)."""
    with session_scope(ctx.engine) as session:
        msg = session.get(Message, message_id)
        if msg is None:
            raise UserError("Nie ma takiej wiadomości.")
        before = {"kind": msg.kind, "state": msg.state, "needs_glance": msg.needs_glance}
        sort_examples.record(session, msg, "not_remark", actor, msg.kind, msg.needs_glance)
        msg.needs_glance, msg.triaged_by = False, actor
        if msg.state == "held":
            msg.state, msg.kind = "processed", msg.kind or "other"
        session.add(msg)
        append_event(session, actor=actor, action="message.dismissed", entity="message", entity_id=message_id,
                     before=before, after={"kind": msg.kind, "state": msg.state, "needs_glance": False})


def other_remarks_same_message(session: Session, remark: Remark) -> list[Remark]:
    return list(session.exec(select(Remark).where(Remark.message_pk == remark.message_pk, Remark.id != remark.id)
                             .order_by(col(Remark.ordinal))))
