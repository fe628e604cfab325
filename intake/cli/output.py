"""What leaves the service for auditors: export of the comment log and of the original e-mails."""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Annotated

import typer

from intake.cli.base import app, err, settings
from intake.errors import UserError


def parse_day(value: str | None, option: str, zone: tzinfo, end: bool = False) -> datetime | None:
    """A day (YYYY-MM-DD) in the consultation's zone; --until includes the whole day."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} {value!r}: use a date like 2026-11-30") from None
    moment = datetime.combine(day, time.min, zone)
    return moment + timedelta(days=1) if end else moment


@app.command()
def export(what: Annotated[str, typer.Option(help="remarks or messages")] = "remarks",
           format: Annotated[str, typer.Option("--format", help="jsonl, csv or xlsx")] = "jsonl",
           output: Annotated[str, typer.Option("--output", "-o", help="file, or - for stdout")] = "-",
           since: Annotated[str | None, typer.Option(help="received on or after this day (YYYY-MM-DD)")] = None,
           until: Annotated[str | None, typer.Option(help="received on or before this day (YYYY-MM-DD)")] = None,
           project: Annotated[str | None, typer.Option(help="only remarks on this project id")] = None,
           status: Annotated[str | None, typer.Option(help="remark status (messages: state)")] = None,
           raw: Annotated[Path | None, typer.Option("--raw", help="write the original .eml files to DIR")] = None,
           consultation: Annotated[str | None, typer.Option(help="consultation key (default: the [consultation] "
                                                             "one); 'all' for every consultation")] = None,
           actor: Annotated[str | None, typer.Option(help="who exports (default: the system user)")] = None) -> None:
    """Export the comment log (a manifest is written beside a file and recorded in the log)."""
    from intake import jobs
    from reports.exports import Filters, export_file, export_stream

    if what not in ("remarks", "messages"):
        raise UserError(f"--what {what!r}: use 'remarks' or 'messages'")
    if format not in ("jsonl", "csv", "xlsx"):
        raise UserError(f"--format {format!r}: use 'jsonl', 'csv' or 'xlsx'")
    from intake.consultations import scope_of

    s = settings()
    scope = None if consultation == "all" else scope_of(s, consultation)
    ctx = jobs.open_context(s)
    zone = s.consultation_for(scope.key if scope else None).zone  # days are the consultation's days
    flt = Filters(since=parse_day(since, "--since", zone), until=parse_day(until, "--until", zone, end=True),
                  project=project, status=status, consultation=scope)
    if raw is not None:
        from reports.rawfiles import export_raw

        try:
            manifest = export_raw(ctx.engine, raw, zone, flt, actor)
        except OSError as exc:
            raise UserError(f"{raw}: cannot write ({exc.strerror})") from None
        err.print(f"wrote {manifest.rows} .eml file(s) to {raw} (MANIFEST.json beside them)")
        return
    if output == "-":
        if format == "xlsx":
            raise UserError("--format xlsx needs --output FILE (it is not text)")
        export_stream(ctx.engine, what, format, sys.stdout.buffer, zone, flt, actor)  # type: ignore[arg-type]
        sys.stdout.flush()
        return
    try:
        manifest = export_file(ctx.engine, what, format, Path(output), zone, flt, actor)  # type: ignore[arg-type]
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror})") from None
    err.print(f"wrote {manifest.rows} {what} to {output} (sha256 {manifest.sha256[:16]}…, manifest beside it)")
