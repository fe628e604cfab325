"""The council's weekly digest: counts per goal and project, changes, a chart, pseudonymised excerpts.

One read of the non-restricted remarks (a few narrow columns) feeds every count, so 100,000
remarks build in well under two seconds; the week is an ISO week in the digest's zone. The
catalogue arrives as plain data: `reports` does not import the classifiers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from reports.chart import weekly_chart
from reports.mailer import InlineImage, OutgoingMail, address, build
from reports.pseudonymise import excerpt
from reports.rendering import render
from storage.models import Message, Remark

REMARKS = Remark.metadata.tables["remarks"]
MESSAGES = Message.metadata.tables["messages"]
CHART_CID = "wykres-uwag@uwagi"
OTHER_GROUPS = {"OGOLNA": "Strategia jako całość", "POZA": "Poza zakresem strategii", "": "Bez przypisania"}


@dataclass(frozen=True)
class Catalog:
    """goals: (goal id, goal title, [(project id, project title)])."""

    goals: list[tuple[str, str, list[tuple[str, str]]]]


@dataclass(frozen=True)
class Consultation:
    name: str
    opens: date
    closes: date
    review_url: str = ""


@dataclass
class Row:
    id: str
    title: str
    new: int = 0
    total: int = 0
    previous: int = 0
    types: Counter[str] = field(default_factory=Counter)
    stances: Counter[str] = field(default_factory=Counter)

    @property
    def change(self) -> int:
        return self.new - self.previous


@dataclass
class Group:
    id: str
    title: str
    summary: Row
    projects: list[Row]


@dataclass
class DigestData:
    week: str
    start: date
    end: date
    sent_on: date
    consultation: Consultation
    groups: list[Group]
    new: int
    previous: int
    total: int
    types_new: Counter[str]
    types_total: Counter[str]
    stances_new: Counter[str]
    stances_total: Counter[str]
    late: list[str]
    excerpts: list[tuple[str, str, str]]  # (reference, project ids, text)
    chart: bytes = b""

    @property
    def days_left(self) -> int:
        return (self.consultation.closes - self.sent_on).days


def week_bounds(week: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """'2026-W48' -> [Monday 00:00, next Monday 00:00) in the zone."""
    year, _, number = week.partition("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    start = datetime.combine(monday, time.min, zone)
    return start, datetime.combine(monday + timedelta(days=7), time.min, zone)


def week_of(moment: datetime | date) -> str:
    iso = moment.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def collect(session: Session, week: str, zone: ZoneInfo, catalog: Catalog, consultation: Consultation,
            sent_on: date, excerpts: int = 10) -> DigestData:
    start, end = week_bounds(week, zone)
    prev_start = start - timedelta(days=7)
    rows = session.execute(
        select(REMARKS.c.id, REMARKS.c.projects, REMARKS.c.remark_type, REMARKS.c.stance, MESSAGES.c.received_at,
               MESSAGES.c.late, REMARKS.c.reference)
        .join(MESSAGES, MESSAGES.c.id == REMARKS.c.message_pk)
        .where(REMARKS.c.restricted.is_(False), MESSAGES.c.received_at < end)).all()
    project_goal = {pid: gid for gid, _, projects in catalog.goals for pid, _ in projects}
    titles = {pid: title for _, _, projects in catalog.goals for pid, title in projects}
    by_id: dict[str, Row] = {}
    goal_rows: dict[str, Row] = {gid: Row(gid, title) for gid, title, _ in catalog.goals}
    weekly: Counter[tuple[str, str]] = Counter()
    totals = Row("", "")
    new_ids, late = [], []
    for rid, projects, rtype, stance, received, is_late, reference in rows:
        received = received if received.tzinfo else received.replace(tzinfo=UTC)
        period = "new" if received >= start else "previous" if received >= prev_start else "old"
        keys = [p if p in project_goal else (p if p in OTHER_GROUPS else "") for p in (projects or [""])] or [""]
        goals = {project_goal.get(k, "_other") for k in keys}
        kind, position = rtype or "nieokreślony", stance or "bez rozstrzygnięcia"
        for row in [*(by_id.setdefault(k, Row(k, titles.get(k) or OTHER_GROUPS.get(k, k))) for k in set(keys)),
                    *(goal_rows.setdefault(g, Row(g, "Pozostałe")) for g in goals), totals]:
            _count(row, period, kind, position)
        for k in set(keys):
            weekly[(k, week_of(received.astimezone(zone)))] += 1
        if period == "new":
            new_ids.append(rid)
            if is_late:
                late.append(reference or str(rid))
    groups = [Group(gid, title, goal_rows[gid], [by_id.get(pid) or Row(pid, ptitle) for pid, ptitle in projects])
              for gid, title, projects in catalog.goals]
    others = [by_id[k] for k in OTHER_GROUPS if k in by_id]
    if others:
        groups.append(Group("_other", "Pozostałe", goal_rows.get("_other") or Row("_other", "Pozostałe"), others))
    data = DigestData(
        week=week, start=start.date(), end=(end - timedelta(days=1)).date(), sent_on=sent_on,
        consultation=consultation, groups=groups, new=totals.new, previous=totals.previous, total=totals.total,
        types_new=Counter(), types_total=totals.types, stances_new=Counter(), stances_total=totals.stances,
        late=late, excerpts=_excerpts(session, new_ids[:excerpts]) if excerpts else [])
    data.types_new, data.stances_new = _new_breakdown(rows, start)
    chart_projects = [pid for g in groups for pid in (r.id for r in g.projects) if by_id.get(pid)]
    weeks = sorted({w for _, w in weekly})[-6:]
    data.chart = weekly_chart([p or "brak" for p in chart_projects], weeks, dict(weekly))
    return data


def _count(row: Row, period: str, kind: str, position: str) -> None:
    row.total += 1
    row.types[kind] += 1
    row.stances[position] += 1
    if period == "new":
        row.new += 1
    elif period == "previous":
        row.previous += 1


def _new_breakdown(rows: list, start: datetime) -> tuple[Counter[str], Counter[str]]:
    types: Counter[str] = Counter()
    stances: Counter[str] = Counter()
    for _, _, rtype, stance, received, *_ in rows:
        received = received if received.tzinfo else received.replace(tzinfo=UTC)
        if received >= start:
            types[rtype or "nieokreślony"] += 1
            stances[stance or "bez rozstrzygnięcia"] += 1
    return types, stances


def _excerpts(session: Session, ids: list[int]) -> list[tuple[str, str, str]]:
    if not ids:
        return []
    found = session.execute(select(REMARKS.c.id, REMARKS.c.reference, REMARKS.c.projects, REMARKS.c.text,
                                   REMARKS.c.author_name).where(REMARKS.c.id.in_(ids))).all()
    by_id = {r.id: r for r in found}
    return [(by_id[i].reference or "", ", ".join(by_id[i].projects or []) or "—",
             excerpt(by_id[i].text, by_id[i].author_name)) for i in ids if i in by_id]


def render_digest(data: DigestData) -> tuple[str, str, str]:
    return render("digest", d=data, cid=CHART_CID, counts=_sorted_counts)


def digest_message(data: DigestData, sender: tuple[str, str], recipients: list[str], message_id: str,
                   now: datetime | None = None) -> tuple[str, bytes]:
    """(subject, bytes) with the text part, the HTML part and the chart inline by Content-ID."""
    subject, text, html = render_digest(data)
    mail = OutgoingMail(sender=address(sender[0], sender[1]), to=[address(r) for r in recipients],
                        subject=subject, text=text, html=html, images=[InlineImage(CHART_CID, data.chart)],
                        message_id=message_id, auto_submitted="auto-generated", date=now)
    return subject, build(mail)


def _sorted_counts(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
