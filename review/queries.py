"""The queue's filters, sort and counts as SQL that runs the same on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Any

from sqlalchemy import ARRAY, Integer, and_, any_, case, cast, func, literal, or_, union_all
from sqlmodel import Session, col, select

from storage.models import Message, Remark
from storage.remark_projects import LINKS
from storage.review import (
    RemarkOffice,
    RemarkSearch,
    add_search_rows,
    like_escape,
    search_ids,
    search_text,
)
from storage.review import fold as fold  # the UI's folding, checked against the classifiers' by a test

PAGE_SIZE = 50
SORTS = {"priorytet": "najpierw do sprawdzenia", "najnowsze": "najnowsze", "najstarsze": "najstarsze",
         "sygnatura": "sygnatura"}
_SYNC_EVERY = 5.0
_last_sync: dict[str, float] = {}


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    project: str = ""
    goal: str = ""
    type: str = ""
    late: str = ""
    campaign: str = ""
    sender: str = ""
    od: str = ""
    do: str = ""
    assigned: str = ""
    konsultacja: str = ""  # a consultation's key, when the installation runs several
    sort: str = "priorytet"
    page: int = 1

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        values = {f.name: str(params.get(f.name, "")).strip()[:200] for f in fields(cls) if f.name in params}
        page = values.pop("page", "1")
        out = cls(**values)  # type: ignore[arg-type]
        out.page = max(1, int(page)) if page.isdigit() else 1
        out.sort = out.sort if out.sort in SORTS else "priorytet"
        return out

    def query_string(self, **override: Any) -> str:
        from urllib.parse import urlencode

        data = {f.name: getattr(self, f.name) for f in fields(self)} | override
        return urlencode({k: v for k, v in data.items() if v not in ("", None) and not (k == "page" and v == 1)
                          and not (k == "sort" and v == "priorytet")})

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name not in ("sort", "page"))


def _day(value: str, zone: Any, end: bool) -> datetime | None:
    """The start (or end) of a day in the office's zone, in UTC: SQLite compares the stored UTC wall time, so a
    Warsaw wall time would shift the day by an hour."""
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(d, dtime.max if end else dtime.min, zone).astimezone(UTC)


def _about(projects: list[str]) -> Any:
    """The remark is about one of the projects: an index lookup in remark_projects, not a JSON scan."""
    return col(Remark.id).in_(select(LINKS.c.remark_id).where(LINKS.c.project_id.in_(projects)))


def conditions(f: Filters, goal_projects: dict[str, list[str]], zone: Any, user: str,
               with_status: bool = True, default_consultation: str = "") -> list[Any]:
    where: list[Any] = []
    if f.konsultacja:  # rows without one (stored before consultations had keys) are the default's
        where.append(or_(col(Remark.consultation) == f.konsultacja, col(Remark.consultation).is_(None))
                     if f.konsultacja == default_consultation else col(Remark.consultation) == f.konsultacja)
    if with_status and f.status:
        where.append(Remark.status == f.status)
    if f.project:
        where.append(_about([f.project]))
    if f.goal:
        where.append(_about(goal_projects.get(f.goal, ["-"])))
    if f.type:
        where.append(Remark.remark_type == f.type)
    if f.late in ("tak", "nie"):
        where.append(Message.late == (f.late == "tak"))
    if f.campaign == "tak":
        where.append(col(Remark.campaign).is_not(None))
    elif f.campaign:
        where.append(Remark.campaign == f.campaign)
    if f.sender:
        where.append(func.lower(col(Remark.author_email)).like(f"%{like_escape(f.sender.lower())}%", escape="\\"))
    if f.od and (start := _day(f.od, zone, False)):
        where.append(Message.received_at >= start)
    if f.do and (end := _day(f.do, zone, True)):
        where.append(Message.received_at <= end)
    if f.assigned == "moje":
        where.append(RemarkOffice.assigned_to == user)
    elif f.assigned == "nikt":
        where.append(col(RemarkOffice.assigned_to).is_(None))
    return where


FEW = 5000


def _matching(session: Session, q: str) -> Any:
    """The search as a condition. The matches are looked up first: a few thousand ids go to the
    database as a list (PostgreSQL cannot guess how many rows a text test keeps and would otherwise
    hash-join every remark); more than that stay a subquery."""
    ids = list(session.scalars(_search(session, q).limit(FEW + 1)))
    if len(ids) > FEW:
        return col(Remark.id).in_(_search(session, q))
    if session.get_bind().dialect.name == "postgresql":  # one array parameter, not thousands
        return col(Remark.id) == any_(cast(ids, ARRAY(Integer)))
    return col(Remark.id).in_(ids)


def _search(session: Session, q: str) -> Any:
    """Ids whose folded text holds the query (through the trigram index), and the reference too when
    the query could be one (a digit or '/'); only the matches are looked up in remarks."""
    found = search_ids(session, q)
    if any(ch.isdigit() or ch == "/" for ch in q):
        found = found.union_all(select(Remark.id).where(col(Remark.reference).like(f"%{like_escape(q)}%", escape="\\")))
    return found




def _joined(query: Any, f: Filters) -> Any:
    """Only the joins the filters and sort need: each one costs a lookup per remark scanned."""
    if f.late or f.od or f.do or f.sort in ("najnowsze", "najstarsze"):
        query = query.join(Message, col(Message.id) == Remark.message_pk)
    if f.assigned:
        query = query.outerjoin(RemarkOffice, col(RemarkOffice.remark_id) == Remark.id)
    return query


def _order(sort: str) -> list[Any]:
    if sort == "najnowsze":
        return [col(Message.received_at).desc(), col(Remark.id).desc()]
    if sort == "najstarsze":
        return [col(Message.received_at), col(Remark.id)]
    if sort == "sygnatura":
        return [col(Remark.reference), col(Remark.id)]
    status = col(Remark.status)
    first = case((status == "needs_review", 0), (status == "new", 1), (status == "classified", 2), else_=3)
    return [first, col(Remark.id)]


@dataclass
class Page:
    rows: list[tuple[Remark, Message]]
    total: int
    by_status: dict[str, int]
    pages: int


def queue_page(session: Session, f: Filters, goal_projects: dict[str, list[str]], zone: Any, user: str,
               default_consultation: str = "") -> Page:
    """Counts per status and one page of remarks. A text search finds its matches once and counts and
    pages them in the same statement; otherwise the counts say where each status bucket is cut."""
    sync_search(session)
    where = conditions(f, goal_projects, zone, user, with_status=False, default_consultation=default_consultation)
    if f.q:
        where.append(_matching(session, f.q))
        by_status, ids = _searched(session, f, where, f.page)
        total = by_status.get(f.status, 0) if f.status else sum(by_status.values())
        pages = max(1, -(-total // PAGE_SIZE))
        if f.page > pages and total:  # past the last page (the matches changed): show the last one
            by_status, ids = _searched(session, f, where, pages)
    else:
        counts = _joined(select(Remark.status, func.count()).select_from(Remark), f).where(and_(True, *where))
        by_status = {s: int(n) for s, n in session.execute(counts.group_by(Remark.status))}
        total = by_status.get(f.status, 0) if f.status else sum(by_status.values())
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(f.page, pages)
        ids = _page_ids(session, f, where, by_status, (page - 1) * PAGE_SIZE)
    found = {r.id: (r, m) for r, m in session.execute(
        select(Remark, Message).join(Message, col(Message.id) == Remark.message_pk).where(col(Remark.id).in_(ids)))}
    return Page(rows=[found[i] for i in ids if i in found], total=total, by_status=by_status, pages=pages)


def _searched(session: Session, f: Filters, where: list[Any], page: int) -> tuple[dict[str, int], list[int]]:
    """Counts per status and one page of a search in one statement: the matches are found once (a
    common word matches half the remarks, and scanning the texts is the cost) into a table that both
    the counts and the page read, so no list of matches comes back to Python."""
    keys = _order(f.sort)
    found = _joined(select(Remark.id, Remark.status, *(k.label(f"k{i}") for i, k in enumerate(keys))), f)
    matches = found.where(and_(True, *where)).cte("matches")
    order = [matches.c[f"k{i}"] for i in range(len(keys))]
    shown = select(matches).order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    if f.status:
        shown = shown.where(matches.c.status == f.status)
    top = shown.subquery()  # a top-N sort; only its rows are numbered, in the same order
    one_page = select(top.c.status, top.c.id,
                      func.row_number().over(order_by=[top.c[f"k{i}"] for i in range(len(keys))]).label("pos")
                      ).subquery()
    rows = session.execute(union_all(
        select(literal(0), matches.c.status, func.count(), literal(0)).group_by(matches.c.status),
        select(literal(1), one_page.c.status, one_page.c.id, one_page.c.pos))).all()
    by_status = {status: int(n) for kind, status, n, _ in rows if kind == 0}
    return by_status, [int(i) for _, i in sorted((pos, i) for kind, _, i, pos in rows if kind == 1)]


PRIORITY = ("needs_review", "new", "classified")


def _page_ids(session: Session, f: Filters, where: list[Any], by_status: dict[str, int], offset: int) -> list[int]:
    """One page of ids. In priority order the page is cut bucket by bucket (status, then id), so each
    query follows the status index instead of sorting every remark; the counts say where to cut."""
    if f.sort != "priorytet" or f.status:
        status = [col(Remark.status) == f.status] if f.status else []
        order = [col(Remark.id)] if f.sort == "priorytet" else _order(f.sort)  # one status: id order is priority
        return list(session.scalars(_joined(select(Remark.id), f).where(and_(True, *where, *status))
                                    .order_by(*order).offset(offset).limit(PAGE_SIZE)))
    rest = sum(n for s, n in by_status.items() if s not in PRIORITY)
    buckets: list[tuple[Any, int]] = [(col(Remark.status) == s, by_status.get(s, 0)) for s in PRIORITY]
    buckets.append((col(Remark.status).not_in(PRIORITY), rest))
    ids: list[int] = []
    for condition, size in buckets:
        if offset >= size:
            offset -= size
            continue
        want = PAGE_SIZE - len(ids)
        ids += session.scalars(_joined(select(Remark.id), f).where(and_(condition, *where))
                               .order_by(col(Remark.id)).offset(offset).limit(want))
        offset = 0
        if len(ids) >= PAGE_SIZE:
            break
    return ids


def sync_search(session: Session, force: bool = False) -> int:
    """Fold the text of remarks not yet in the search table (new mail since the last look)."""
    key = str(session.get_bind().engine.url)
    if not force and time.monotonic() - _last_sync.get(key, 0.0) < _SYNC_EVERY:
        return 0
    remarks = session.execute(select(func.count()).select_from(Remark)).scalar_one()
    folded = session.execute(select(func.count()).select_from(RemarkSearch)).scalar_one()
    if remarks == folded:  # deletions cascade, so equal counts mean nothing is missing (two index scans)
        _last_sync[key] = time.monotonic()
        return 0
    missing = session.execute(
        select(Remark.id, Remark.text, Remark.author_name, Remark.author_email)
        .outerjoin(RemarkSearch, col(RemarkSearch.remark_id) == Remark.id)
        .where(col(RemarkSearch.remark_id).is_(None))).all()
    if missing:
        add_search_rows(session, [{"remark_id": i, "folded": search_text(" ".join(filter(None, (t, n, e))))}
                                  for i, t, n, e in missing])
        session.commit()
    _last_sync[key] = time.monotonic()
    return len(missing)


