"""The jobs behind the CLI and the scheduler: plain functions, one module per job, each runnable once."""

from intake.jobs.context import Context, mailbox_source, open_context
from intake.jobs.poll import import_files, poll_once, reprocess

__all__ = ["Context", "import_files", "mailbox_source", "open_context", "poll_once", "reprocess"]
