"""Imported once in the multiprocessing fork server: it dies with the command, and it preloads the
parser so every worker forked from it starts with those modules already in memory."""

from intake import orphans
from intake.stages import parse as _parse  # noqa: F401

orphans.forkserver_guard()
