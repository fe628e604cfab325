"""Fixtures for outgoing mail: a real SMTP server and an installation wired to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Installation, config_text
from tests.smtpserver import SmtpServer

QUIET = "[classification]\nembeddings = false\n"
DIGEST = '[digest]\nrecipients = ["rada@partnerstwo.example", "sekretariat@partnerstwo.example"]\n'
DELIVERY = "[delivery]\nretry_after = 1\nmax_attempts = 3\n"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def mail_install(install: Installation, smtp: SmtpServer) -> Installation:
    install.write_config(config_text(install.database_url, extra=QUIET + DIGEST + DELIVERY + smtp.config()))
    return install
