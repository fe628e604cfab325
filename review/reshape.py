"""Split one remark into several, or merge a remark into another of the same e-mail.

The clerk marks the cuts with lines holding only '---'. The first part keeps the remark (and its
reference); the others become new remarks of the same message, waiting for review. A merged remark
is not deleted: it keeps its text and gets the status 'merged', pointing at the remark it joined.
"""

from __future__ import annotations

from sqlmodel import col, select

from intake.errors import UserError
from intake.jobs.context import Context
from review.decisions import split_marked
from storage.db import session_scope
from storage.events import append_event
from storage.models import Message, Remark, utcnow
from storage.review import refresh_search


def split(ctx: Context, remark_id: int, marked_text: str, actor: str) -> list[int]:
    parts = split_marked(marked_text)
    if len(parts) < 2:
        raise UserError("Zaznacz miejsce podziału wierszem zawierającym tylko „---”.")
    with session_scope(ctx.engine) as session:
        remark = session.get(Remark, remark_id)
        if remark is None:
            raise UserError("Nie ma takiej uwagi.")
        msg = session.get(Message, remark.message_pk)
        last = max(session.exec(select(Remark.ordinal).where(Remark.message_pk == remark.message_pk)))
        base = (msg.reference if msg and msg.reference else remark.reference or "").rstrip("/")
        before = {"text": remark.text}
        remark.text, remark.updated_at, remark.touched_by = parts[0], utcnow(), actor
        if remark.reference == base:
            remark.reference = f"{base}/{remark.ordinal}"
        session.add(remark)
        refresh_search(session, remark)
        ids = [remark_id]
        for n, part in enumerate(parts[1:], start=last + 1):
            new = Remark(message_pk=remark.message_pk, consultation=remark.consultation,
                         ordinal=n, reference=f"{base}/{n}", text=part, origin="split",
                         author_name=remark.author_name, author_email=remark.author_email, status="needs_review",
                         projects=list(remark.projects), remark_type=remark.remark_type,
                         review_reasons=["split by staff"], campaign=remark.campaign, touched_by=actor)
            session.add(new)
            session.flush()
            refresh_search(session, new)
            append_event(session, actor=actor, action="remark.created", entity="remark", entity_id=new.id or 0,
                         after={"reference": new.reference, "origin": "split", "from": remark_id})
            ids.append(new.id or 0)
        append_event(session, actor=actor, action="remark.split", entity="remark", entity_id=remark_id,
                     before=before, after={"text": parts[0], "reference": remark.reference, "new": ids[1:]})
        return ids


def merge(ctx: Context, remark_id: int, into_id: int, actor: str) -> None:
    """Append this remark's text to another remark of the same e-mail."""
    with session_scope(ctx.engine) as session:
        remark, target = session.get(Remark, remark_id), session.get(Remark, into_id)
        if remark is None or target is None or remark_id == into_id:
            raise UserError("Wybierz inną uwagę z tej samej wiadomości.")
        if remark.message_pk != target.message_pk:
            raise UserError("Scalać można tylko uwagi z tej samej wiadomości.")
        before = {"text": target.text}
        target.text, target.updated_at, target.touched_by = f"{target.text}\n\n{remark.text}", utcnow(), actor
        remark.status, remark.updated_at, remark.touched_by = "merged", utcnow(), actor
        session.add_all([target, remark])
        refresh_search(session, target)
        append_event(session, actor=actor, action="remark.merged", entity="remark", entity_id=into_id,
                     before=before, after={"text": target.text, "from": remark_id})
        append_event(session, actor=actor, action="remark.merged", entity="remark", entity_id=remark_id,
                     before={"status": "needs_review"}, after={"status": "merged", "into": into_id})


def merge_targets(session: object, remark: Remark) -> list[Remark]:
    return list(session.exec(select(Remark).where(  # type: ignore[attr-defined]
        Remark.message_pk == remark.message_pk, Remark.id != remark.id, Remark.status != "merged")
        .order_by(col(Remark.ordinal))))
