"""One row per (remark, project): the queue's project and goal filters use an index instead of a
text search through every remark's JSON list.

The rows follow `Remark.projects` on every ORM flush (the store stage, corrections, split, rescore),
so no writer has to remember them; the migration fills them for remarks stored before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, delete, event, insert, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from storage.models import Remark


class RemarkProject(SQLModel, table=True):
    """A remark is about this project (a copy of one entry of `remarks.projects`)."""

    __tablename__ = "remark_projects"
    __table_args__ = (Index("ix_remark_projects_project", "project_id", "remark_id"),)

    remark_id: int = Field(sa_column=Column(Integer, ForeignKey("remarks.id", ondelete="CASCADE"), primary_key=True))
    project_id: str = Field(primary_key=True, max_length=40)


LINKS = RemarkProject.metadata.tables["remark_projects"]


def link_rows(remark_id: int, projects: list[str] | None) -> list[dict[str, Any]]:
    return [{"remark_id": remark_id, "project_id": p} for p in dict.fromkeys(projects or []) if p]


def _changed(session: OrmSession) -> list[Remark]:
    out = [obj for obj in session.new if isinstance(obj, Remark)]
    for obj in session.dirty:
        if isinstance(obj, Remark) and inspect(obj).attrs.projects.history.has_changes():
            out.append(obj)
    return [r for r in out if r.id is not None]


@event.listens_for(OrmSession, "after_flush")
def _sync_links(session: OrmSession, _context: Any) -> None:
    """Rewrite the link rows of every remark inserted or whose projects changed in this flush."""
    remarks = _changed(session)
    if not remarks:
        return
    conn = session.connection()
    ids = [r.id for r in remarks]
    for start in range(0, len(ids), 500):
        conn.execute(delete(LINKS).where(LINKS.c.remark_id.in_(ids[start:start + 500])))
    rows = [row for r in remarks for row in link_rows(int(r.id or 0), r.projects)]
    if rows:
        conn.execute(insert(LINKS), rows)
