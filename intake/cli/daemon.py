"""The daemon: `uwagi run`."""

from __future__ import annotations

from intake.cli.base import app, settings


@app.command()
def run() -> None:
    """The daemon: scheduled fetch (IMAP IDLE where offered) and the other jobs."""
    from intake import jobs
    from intake.scheduler import run_daemon

    run_daemon(jobs.open_context(settings(required=False), create=True))
