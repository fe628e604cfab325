"""A seeded review database and a logged-in test client per role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.review.seed import PASSWORDS, make_context


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """Argon2 at its lowest cost: the tests check the flow, not the hash strength."""
    from review import accounts

    fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", fast)
    monkeypatch.setattr(accounts, "_DUMMY", fast.hash("x"))


@pytest.fixture
def review(database_url: str, tmp_path: Path):
    from review import queries

    queries._last_sync.clear()
    return make_context(database_url, tmp_path)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def login(client, username: str, password: str | None = None):
    page = client.get("/logowanie")
    return client.post("/logowanie", data={"csrf": csrf_of(page.text), "username": username,
                                           "password": password or PASSWORDS[username], "next": "/kolejka"},
                       follow_redirects=False)


@pytest.fixture
def client_for(review):
    from starlette.testclient import TestClient

    from review.app import create_app

    ctx, _ = review
    app = create_app(ctx)

    def make(username: str | None):
        client = TestClient(app, base_url="http://testserver")
        if username:
            assert login(client, username).status_code == 303
        return client
    return make
