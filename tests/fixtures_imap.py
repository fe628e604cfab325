"""pytest fixtures for a private Dovecot: import them into tests/conftest.py.

Why: one server per session is cheap (~0.1 s start) and a per-test clean INBOX (expunge
everything, drop other folders) keeps tests independent without restarting it.
Use with ``from tests.fixtures_imap import *`` (or ``pytest_plugins``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.imapserver import PrivateDovecot, dovecot_available

__all__ = ["dovecot", "dovecot_server"]

# Shared across duplicate fixture registrations (conftest + a test module importing us).
_SESSION: dict[str, PrivateDovecot] = {}


def _skip_reason() -> str | None:
    if not dovecot_available():
        return "dovecot binary not found (apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "private Dovecot needs root (to switch to the unprivileged mail user)"
    if shutil.which("useradd") is None:
        return "useradd not found (needed to create the mail OS user)"
    return None


@pytest.fixture(scope="session")
def dovecot_server():
    """A running private Dovecot for the whole session (skips if unavailable).

    Its state lives outside pytest's temporary root: another pytest session on the machine
    resets that root to mode 0700, which would lock the mail user out mid-run."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    if "server" in _SESSION:
        yield _SESSION["server"]
        return
    state = Path(tempfile.mkdtemp(prefix="uwagi-dovecot-"))
    server = PrivateDovecot(state)
    server.start()
    _SESSION["server"] = server
    try:
        yield server
    finally:
        _SESSION.pop("server", None)
        server.stop()
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server: PrivateDovecot) -> PrivateDovecot:
    """The session server with an empty INBOX and no other folders (restarted if a test
    stopped it)."""
    dovecot_server.start()
    dovecot_server.clear()
    return dovecot_server
