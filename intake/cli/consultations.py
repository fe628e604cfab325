"""`uwagi consultations`: the consultations this installation runs, with what each has received."""

from __future__ import annotations

from datetime import datetime

from intake.cli.base import app, out, settings


@app.command()
def consultations() -> None:
    """List the consultations (key, reference prefix, period, catalogue) with their message and remark counts."""
    from sqlalchemy import func
    from sqlmodel import Session, select

    from intake import jobs
    from storage.models import Message, Remark

    s = settings()
    ctx = jobs.open_context(s)
    with Session(ctx.engine) as session:
        messages = dict(session.exec(select(Message.consultation, func.count()).group_by(Message.consultation)).all())
        remarks = dict(session.exec(select(Remark.consultation, func.count()).group_by(Remark.consultation)).all())
    for counts in (messages, remarks):  # not assigned yet: the default consultation's
        counts[s.default_key] = counts.get(s.default_key, 0) + counts.pop(None, 0)
    rows = [("KEY", "PREFIX", "PERIOD", "NOW", "MESSAGES", "REMARKS", "CATALOGUE", "NAME")]
    for key, c in s.all_consultations.items():
        now = datetime.now(c.zone)
        state = "open" if c.is_open(now) else ("closed" if now > c.deadline else "not yet open")
        rows.append((key + (" (default)" if key == s.default_key else ""), c.reference_prefix,
                     f"{c.opens:%Y-%m-%d}..{c.closes:%Y-%m-%d}", state, str(messages.get(key, 0)),
                     str(remarks.get(key, 0)), str(s.catalogue_path_of(key).name), c.name))
    unknown = sorted(k for k in {*messages, *remarks} if k is not None and k not in s.all_consultations)
    for key in unknown:  # rows of a consultation since removed from the config: shown, not lost
        rows.append((key, "?", "?", "not in config", str(messages.get(key, 0)), str(remarks.get(key, 0)), "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        out.print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) + "  " + row[-1],
                  highlight=False, markup=False, soft_wrap=True)
