"""The jobs behind the CLI and the scheduler: plain functions, one module per job, each runnable once."""

from intake.jobs.context import Context, mailbox_source, open_context
from intake.jobs.poll import fetch, import_files, plan, poll_once, process, reprocess

__all__ = ["Context", "fetch", "import_files", "mailbox_source", "open_context", "plan", "poll_once", "process",
           "reprocess"]
