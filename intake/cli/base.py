"""What every command shares: the typer app, the chosen config, consoles, progress bars and summaries.

Every user error (bad config, unreachable server, unreadable file) is one line on stderr and a
non-zero exit code; tracebacks are for bugs only.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from intake.settings import Settings, config_path, load_settings

if TYPE_CHECKING:
    from intake.processing import Processor
    from intake.sources.base import FetchReport

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="uwagi: e-mail consultation intake of Urząd Gminy Klukowo.")
out = Console()
err = Console(stderr=True)


class _State:
    config: Path = Path("config.toml")


STATE = _State()


@app.callback()
def _root(config: Annotated[Path | None, typer.Option("--config", "-c", help="config.toml to use "
                                                      "(default: $UWAGI_CONFIG or ./config.toml)")] = None,
          verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log each stage")] = False) -> None:
    STATE.config = config_path(config)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")


def settings(required: bool = True) -> Settings:
    return load_settings(STATE.config, required=required)


def progress_bar(label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                    transient=True, disable=not err.is_terminal)


def scores_text(scores: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in scores.items())


def kinds_text(by_kind: dict[str, int]) -> str:
    return "(" + ", ".join(f"{k}: {v}" for k, v in sorted(by_kind.items())) + ")" if by_kind else ""


def print_fetch(verb: str, report: FetchReport) -> None:
    """The fetch half alone (processing stopped on a setup error; the mail is kept)."""
    for note in report.notes:
        out.print(note)
    out.print(f"{verb} {report.kept} new message(s), {report.duplicates} duplicate(s)")


def print_summary(verb: str, report: FetchReport, proc: Processor) -> None:
    r = proc.report
    for note in report.notes:
        out.print(note)
    if report.unchanged and not report.notes:
        out.print(f"{report.source}: no new mail")
    out.print(f"{verb} {report.kept} new message(s), {report.duplicates} duplicate(s); "
              f"processed {r.processed}, on hold {r.held} {kinds_text(r.by_kind)}")
