"""digest: record the council's weekly digest once per week (unique outbox key), then deliver it.

Which week is due is computed from the clock and the configured send time, not remembered by
the scheduler: after downtime the first run finds the week still unsent and sends it once; a
second daemon finds the row and does nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from intake.consultations import scope_of
from intake.errors import UserError
from intake.jobs.acknowledge import office_of
from intake.jobs.context import Context
from intake.settings import Settings
from reports import digest as report
from reports.mailer import new_message_id
from storage import outbox
from storage.db import session_scope

log = logging.getLogger("uwagi.jobs.digest")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def last_send_time(now: datetime, settings: Settings) -> datetime:
    """The latest scheduled send moment at or before `now` (weekday + time in the digest's zone)."""
    d = settings.digest
    local = now.astimezone(d.zone)
    day = local.date() - timedelta(days=(local.weekday() - WEEKDAYS.index(d.weekday)) % 7)
    moment = datetime.combine(day, d.at, d.zone)
    return moment if moment <= local else moment - timedelta(days=7)


def due_week(now: datetime, settings: Settings, key: str | None = None) -> str | None:
    """The week whose digest should have gone out by now, if still within the misfire grace and the
    consultation (a week entirely before it opened, or starting after it closed, has no digest)."""
    sent_at = last_send_time(now, settings)
    if now - sent_at > timedelta(hours=settings.digest.misfire_grace_hours):
        return None
    week = report.week_of(sent_at.date() - timedelta(days=7))
    start, end = report.week_bounds(week, settings.digest.zone)
    c = settings.consultation_for(key)
    if end.date() <= c.opens or start.date() > c.closes:
        return None
    return week


def parse_week(value: str) -> str:
    try:
        year, _, number = value.partition("-W")
        date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise UserError(f"--week {value!r}: use an ISO week like 2026-W48") from None
    return f"{int(year)}-W{int(number):02d}"


def digest_key(settings: Settings, week: str, key: str | None = None) -> str:
    """One digest per consultation and week (the prefix tells the consultations apart)."""
    return f"digest:{settings.consultation_for(key).reference_prefix}:{week}"


def build_data(ctx: Context, week: str, now: datetime | None = None, key: str | None = None) -> report.DigestData:
    s = ctx.settings
    now = now or datetime.now(UTC)
    catalog = catalog_of(ctx, key)
    c = s.consultation_for(key)
    consultation = report.Consultation(c.name, c.opens, c.closes, s.review.base_url)
    _, end = report.week_bounds(week, s.digest.zone)
    sent_on = max(now.astimezone(s.digest.zone).date(), end.date())
    scope = scope_of(s, key)
    with Session(ctx.engine) as session:
        return report.collect(session, week, s.digest.zone, catalog, consultation, sent_on, s.digest.excerpts,
                              scope=scope)


def catalog_of(ctx: Context, key: str | None = None) -> report.Catalog:
    cat = ctx.services.catalogue_for(key)
    return report.Catalog([(g.id, g.title, [(p.id, p.title) for p in cat.projects if p.goal == g.id])
                           for g in cat.goals])


def queue_digest(ctx: Context, week: str, now: datetime | None = None, consultation: str | None = None) -> bool:
    """True when this call recorded the week's digest; False when it was recorded before."""
    s = ctx.settings
    key = digest_key(s, week, consultation)
    if not s.digest.recipients:
        raise UserError("[digest] recipients is empty; add the council's addresses to send a digest")
    with session_scope(ctx.engine) as session:
        if outbox.exists(session, key):
            return False
    data = build_data(ctx, week, now, consultation)
    office = office_of(s)
    sender = (office.email, office.name)
    mid = new_message_id(sender[0])
    subject, raw = report.digest_message(data, sender, list(s.digest.recipients), mid, now=now)
    with session_scope(ctx.engine) as session:
        row = outbox.OutboxMessage(key=key, purpose="digest", recipients=list(s.digest.recipients),
                                   subject=subject, message_id=mid.strip("<>"), raw=raw)
        added = outbox.add_once(session, row)
        if added:
            from storage.events import append_events

            append_events(session, [dict(actor="digest", action="digest.queued", entity="digest", entity_id=week,
                                         before=None, after={"outbox": key, "consultation": consultation,
                                                             "remarks_new": data.new, "remarks_total": data.total,
                                                             "message_id": mid})])
    if added:
        log.warning("job=digest recorded %s (%d new, %d total)", week, data.new, data.total)
    return added


def digest_job(ctx: Context, now: datetime | None = None) -> str | None:
    """Scheduled run (and its catch-up at start): record the due week's digest of every consultation
    running that week, if missing. Returns the week when any consultation had one due."""
    now = now or datetime.now(UTC)
    if not ctx.settings.digest.recipients:
        return None
    found = None
    for key in ctx.settings.all_consultations:
        week = due_week(now, ctx.settings, key)
        if week is not None:
            queue_digest(ctx, week, now, key)
            found = week
    return found


def preview(ctx: Context, week: str, target: Path, consultation: str | None = None) -> list[Path]:
    """Write the HTML (chart beside it as a file) and the text for a person to look at."""
    data = build_data(ctx, week, key=consultation)
    subject, text, html = report.render_digest(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    chart = target.with_suffix(".png")
    chart.write_bytes(data.chart)
    target.write_text(html.replace(f"cid:{report.CHART_CID}", chart.name), encoding="utf-8")
    text_path = target.with_suffix(".txt")
    text_path.write_text(f"Temat: {subject}\n\n{text}", encoding="utf-8")
    return [target, text_path, chart]
