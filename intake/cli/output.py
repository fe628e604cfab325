"""What leaves the service for auditors: export."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from intake.cli.base import app, err, settings
from intake.errors import UserError


@app.command()
def export(what: Annotated[str, typer.Option(help="remarks or messages")] = "remarks",
           format: Annotated[str, typer.Option("--format", help="jsonl, csv or xlsx")] = "jsonl",
           output: Annotated[str, typer.Option("--output", "-o", help="file, or - for stdout")] = "-") -> None:
    """Export the comment log."""
    from intake import jobs
    from reports.exports import write_export

    if what not in ("remarks", "messages"):
        raise UserError(f"--what {what!r}: use 'remarks' or 'messages'")
    if format not in ("jsonl", "csv", "xlsx"):
        raise UserError(f"--format {format!r}: use 'jsonl', 'csv' or 'xlsx'")
    ctx = jobs.open_context(settings())
    zone = ctx.settings.consultation.zone
    if output == "-":
        if format == "xlsx":
            raise UserError("--format xlsx needs --output FILE (it is not text)")
        n = write_export(ctx.engine, what, format, sys.stdout.buffer, zone)  # type: ignore[arg-type]
        sys.stdout.flush()
    else:
        try:
            with open(output, "wb") as fh:
                n = write_export(ctx.engine, what, format, fh, zone)  # type: ignore[arg-type]
        except OSError as exc:
            raise UserError(f"{output}: cannot write ({exc.strerror})") from None
        err.print(f"wrote {n} {what} to {output}")
