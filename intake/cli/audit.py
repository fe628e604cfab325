"""For auditors: verify the tamper-evident log, print its head, and write the statutory report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from intake.cli.base import app, err, settings
from intake.errors import UserError

if TYPE_CHECKING:
    from intake.settings import Settings
    from reports.statutory import ConsultationInfo

audit_app = typer.Typer(help="The tamper-evident event log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 0, or name the first broken link and exit 1."""
    from intake import jobs
    from reports.audit import verify

    ctx = jobs.open_context(settings())
    result = verify(ctx.engine)
    if result.broken is None:
        print(f"chain intact: {result.events} event(s), head {result.head}")
        return
    err.print(f"uwagi: chain broken at event {result.broken.event_id}: {result.broken.reason}")
    raise typer.Exit(1)


@audit_app.command("head")
def audit_head() -> None:
    """Print the latest hash, for the auditor to write down (a later deletion of the tail then shows)."""
    from intake import jobs
    from reports.audit import verify

    ctx = jobs.open_context(settings())
    print(verify(ctx.engine, walk=False).head)


@app.command()
def report(format: Annotated[str, typer.Option("--format", help="docx or xlsx")] = "docx",
           output: Annotated[Path, typer.Option("--output", "-o", help="file to write")] = Path("sprawozdanie.docx"),
           public: Annotated[bool, typer.Option("--public", help="pseudonymise private persons, redact details")]
           = False,
           consultation: Annotated[str | None, typer.Option(help="consultation key (default: the [consultation] "
                                                             "one)")] = None,
           actor: Annotated[str | None, typer.Option(help="who writes it (default: the system user)")] = None) -> None:
    """The statutory report: Sprawozdanie z przebiegu i wyników konsultacji (art. 6 ust. 6 UZPPR).

    One report per consultation: its own facts, catalogue and remarks only.
    """
    from intake import jobs
    from intake.consultations import scope_of
    from reports.exports import actor_name
    from reports.statutory import write_report

    if format not in ("docx", "xlsx"):
        raise UserError(f"--format {format!r}: use 'docx' or 'xlsx'")
    s = settings()
    scope = scope_of(s, consultation)
    ctx = jobs.open_context(s)
    info = consultation_info(ctx.settings, scope.key)
    try:
        summary = write_report(ctx.engine, info, format, output, public=public, actor=actor_name(actor),
                               scope=scope)
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror})") from None
    err.print(f"wrote the report to {output}: {summary.rows} row(s) for {summary.remarks} remark(s), "
              f"{summary.late} late, {summary.undecided} without a decision")


def consultation_info(s: Settings, key: str | None = None) -> ConsultationInfo:
    from reports.statutory import ConsultationInfo

    c = s.consultation_for(key)
    projects, goals = _catalogue(s, key)
    return ConsultationInfo(name=c.name, legal_basis=c.legal_basis, opens=c.opens, closes=c.closes, zone=c.zone,
                            channels=list(c.channels), office=c.office_name, unit_code=c.unit_code,
                            jrwa_symbol=c.jrwa_symbol, anonymous_rule=c.anonymous_remarks, projects=projects,
                            goals=goals)


def _catalogue(s: Settings, key: str | None = None) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    from classifiers.catalogue import CatalogueError, load_catalogue

    try:
        cat = load_catalogue(s.catalogue_path_of(key))
    except (CatalogueError, OSError):
        return {}, {}  # the report still names project ids when the catalogue cannot be read
    return {p.id: (p.title, p.goal) for p in cat.projects}, {g.id: g.title for g in cat.goals}
