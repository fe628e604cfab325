"""The council's weekly digest: counts per goal and project, changes, a chart, pseudonymised excerpts.

One read of the non-restricted remarks (a few narrow columns) feeds every count, so 100,000
remarks build in well under two seconds; the week is an ISO week in the digest's zone. The
catalogue arrives as plain data: `reports` does not import the classifiers.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Text, and_, case, cast, func, select
from sqlmodel import Session

from reports.chart import weekly_chart
from reports.mailer import InlineImage, OutgoingMail, address, build
from reports.pseudonymise import excerpt
from reports.rendering import render
from storage.consultations import Scope
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
            sent_on: date, excerpts: int = 10, chart_weeks: int = 6, scope: Scope | None = None) -> DigestData:
    """Counts come grouped from the database (one row per combination, not per remark).

    With a `scope`, one consultation's remarks only (each consultation has its own digest)."""
    start, end = week_bounds(week, zone)
    week_starts = [start - timedelta(days=7 * i) for i in range(chart_weeks)]  # newest first
    received = MESSAGES.c.received_at
    period = case((received >= _utc(start), "new"), (received >= _utc(week_starts[1]), "previous"), else_="old")
    bucket = case(*[(received >= _utc(ws), week_of(ws)) for ws in week_starts], else_="")
    projects = cast(REMARKS.c.projects, Text)
    visible = and_(REMARKS.c.restricted.is_(False), received < _utc(end),
                   *([scope.where(MESSAGES.c.consultation)] if scope is not None else []))
    grouped = session.execute(
        select(projects, REMARKS.c.remark_type, REMARKS.c.stance, period, bucket, func.count())
        .join(MESSAGES, MESSAGES.c.id == REMARKS.c.message_pk).where(visible)
        .group_by(projects, REMARKS.c.remark_type, REMARKS.c.stance, period, bucket)).all()
    tally = _Tally(catalog)
    for raw_projects, rtype, stance, when, week_label, n in grouped:
        tally.add(json.loads(raw_projects or "[]"), rtype, stance, when, week_label, n)
    in_week = and_(visible, received >= _utc(start))
    base = select(REMARKS.c.id, REMARKS.c.reference).join(MESSAGES, MESSAGES.c.id == REMARKS.c.message_pk)
    late = [ref or str(rid) for rid, ref in session.execute(
        base.where(in_week, MESSAGES.c.late.is_(True)).order_by(received, REMARKS.c.id).limit(200))]
    new_ids = [rid for rid, _ in session.execute(base.where(in_week).order_by(received, REMARKS.c.id)
                                                 .limit(excerpts))] if excerpts else []
    groups = tally.groups()
    weeks = sorted({w for _, w in tally.weekly})
    chart_projects = [r.id for g in groups for r in g.projects if r.total]
    return DigestData(
        week=week, start=start.date(), end=(end - timedelta(days=1)).date(), sent_on=sent_on,
        consultation=consultation, groups=groups, new=tally.totals.new, previous=tally.totals.previous,
        total=tally.totals.total, types_new=tally.types_new, types_total=tally.totals.types,
        stances_new=tally.stances_new, stances_total=tally.totals.stances, late=late,
        excerpts=_excerpts(session, new_ids),
        chart=weekly_chart([p or "brak" for p in chart_projects], weeks, dict(tally.weekly)))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


class _Tally:
    """Adds grouped counts to project, goal and overall rows."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.project_goal = {pid: gid for gid, _, projects in catalog.goals for pid, _ in projects}
        self.titles = {pid: title for _, _, projects in catalog.goals for pid, title in projects}
        self.by_id: dict[str, Row] = {}
        self.goals: dict[str, Row] = {gid: Row(gid, title) for gid, title, _ in catalog.goals}
        self.totals = Row("", "")
        self.weekly: Counter[tuple[str, str]] = Counter()
        self.types_new: Counter[str] = Counter()
        self.stances_new: Counter[str] = Counter()

    def add(self, projects: list[str], rtype: str | None, stance: str | None, when: str, week: str, n: int) -> None:
        keys = {p if p in self.project_goal or p in OTHER_GROUPS else "" for p in projects} or {""}
        goals = {self.project_goal.get(k, "_other") for k in keys}
        kind, position = rtype or "nieokreślony", stance or "bez rozstrzygnięcia"
        rows = [self.by_id.setdefault(k, Row(k, self.titles.get(k) or OTHER_GROUPS.get(k, k))) for k in keys]
        rows += [self.goals.setdefault(g, Row(g, "Pozostałe")) for g in goals]
        for row in [*rows, self.totals]:
            row.total += n
            row.types[kind] += n
            row.stances[position] += n
            row.new += n if when == "new" else 0
            row.previous += n if when == "previous" else 0
        if when == "new":
            self.types_new[kind] += n
            self.stances_new[position] += n
        if week:
            for k in keys:
                self.weekly[(k, week)] += n

    def groups(self) -> list[Group]:
        groups = [Group(gid, title, self.goals[gid], [self.by_id.get(pid) or Row(pid, t) for pid, t in projects])
                  for gid, title, projects in self.catalog.goals]
        others = [self.by_id[k] for k in OTHER_GROUPS if k in self.by_id]
        if others:
            groups.append(Group("_other", "Pozostałe", self.goals.get("_other") or Row("_other", "Pozostałe"), others))
        return groups


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
