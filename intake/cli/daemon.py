"""The daemon: `uwagi run`."""

from __future__ import annotations

from intake.cli.base import app, settings


@app.command()
def run() -> None:
    """The daemon: scheduled fetch (IMAP IDLE where offered), the other jobs, and the review web UI."""
    from intake import jobs
    from intake.cli.review import start_ui_thread
    from intake.scheduler import run_daemon

    ctx = jobs.open_context(settings(required=False), create=True)
    start_ui_thread(ctx)
    run_daemon(ctx)
