"""RODO duties towards the people who wrote: erasure, access, restriction, retention."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from intake.cli.base import app, err, out, settings
from intake.errors import UserError


def _actor(actor: str | None) -> str:
    from reports.exports import actor_name

    return actor_name(actor)


def _email(value: str) -> str:
    value = value.strip().lower()
    if "@" not in value or len(value) > 320 or any(c.isspace() for c in value):
        raise UserError(f"{value!r}: give the person's e-mail address, e.g. jan@example.org")
    return value


@app.command()
def forget(email: Annotated[str, typer.Argument(help="the person's e-mail address")],
           actor: Annotated[str | None, typer.Option(help="who erases (default: the system user)")] = None) -> None:
    """RODO erasure: anonymise the person everywhere, keep the redacted remark (logged without the address)."""
    from intake import jobs
    from storage.db import session_scope
    from storage.erasure import forget as erase

    address = _email(email)
    ctx = jobs.open_context(settings())
    with session_scope(ctx.engine) as session:
        report = erase(session, address, _actor(actor))
    if not report.messages and not report.remarks:
        err.print("nothing held for that address (the request is logged)")
    out.print(f"anonymised {report.messages} message(s) and {report.remarks} remark(s); "
              f"{report.raw_replaced} raw message(s) replaced by a redacted copy")


@app.command("subject-access")
def subject_access(email: Annotated[str, typer.Argument(help="the person's e-mail address")],
                   output: Annotated[Path, typer.Option("--output", "-o", help="ZIP file to write")],
                   actor: Annotated[str | None, typer.Option(help="who answers the request")] = None) -> None:
    """RODO art. 15: everything held about the person, as a ZIP (person.json + the original e-mails)."""
    from intake import jobs
    from reports.subject_access import subject_access as collect

    address = _email(email)
    ctx = jobs.open_context(settings())
    try:
        counts = collect(ctx.engine, address, output, ctx.settings.consultation.zone, _actor(actor))
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror})") from None
    out.print(f"wrote {output}: {counts['messages']} message(s), {counts['remarks']} remark(s)")


@app.command()
def restrict(reference: Annotated[str, typer.Argument(help="remark or case reference, e.g. STR/2026/0042")],
             lift: Annotated[bool, typer.Option("--lift", help="lift the restriction")] = False,
             actor: Annotated[str | None, typer.Option(help="who decides")] = None) -> None:
    """RODO art. 18: keep a remark (or every remark of a case) out of digests, exports and reports."""
    from sqlmodel import col, or_, select

    from intake import jobs
    from storage.db import session_scope
    from storage.events import append_events
    from storage.models import Remark

    ctx = jobs.open_context(settings())
    with session_scope(ctx.engine) as session:
        remarks = list(session.exec(select(Remark).where(or_(Remark.reference == reference,
                                                             col(Remark.reference).startswith(reference + "/")))))
        if not remarks:
            raise UserError(f"no remark with reference {reference}")
        changed = [r for r in remarks if r.restricted == lift]
        for r in changed:
            r.restricted = not lift
            session.add(r)
        append_events(session, [dict(actor=_actor(actor), action="remark.restriction_lifted" if lift
                                     else "remark.restricted", entity="remark", entity_id=r.id,
                                     before={"restricted": lift}, after={"restricted": not lift}) for r in changed])
    out.print(f"{'lifted the restriction on' if lift else 'restricted'} {len(changed)} remark(s)")


@app.command()
def retention(run: Annotated[bool, typer.Option("--run", help="anonymise now if the retention date has come")]
              = False) -> None:
    """Show when personal data are due for anonymisation; --run does it once (the daemon does it nightly)."""
    from intake import jobs
    from intake.jobs.retention import due_at, run_retention

    ctx = jobs.open_context(settings())
    several = len(ctx.settings.all_consultations) > 1
    if not run:
        for key in ctx.settings.all_consultations:
            label = f"{key}: " if several else ""
            out.print(f"{label}personal data are anonymised from {due_at(ctx, key):%Y-%m-%d %H:%M %Z} "
                      f"({ctx.settings.retention.days_after_close} days after the consultation closes)")
        return
    result = run_retention(ctx, actor=_actor(None))
    for key, (due, when, messages, remarks) in result.consultations.items():
        label = f"{key}: " if several else ""
        if not due:
            out.print(f"{label}not yet: retention starts {when:%Y-%m-%d}; nothing changed")
        else:
            out.print(f"{label}anonymised {messages} message(s) and {remarks} remark(s)")
