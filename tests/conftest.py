"""Shared fixtures: a database per test (SQLite, or PostgreSQL when UWAGI_TEST_DATABASE_URL is set),
a config file pointing at it, and the real CLI run as a child process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"

pytest_plugins = ["tests.fixtures_imap"]


def _pg_schema_url(base: str) -> Iterator[str]:
    """A fresh schema per test on the shared PostgreSQL: isolation without CREATE DATABASE."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    base = os.environ.get("UWAGI_TEST_DATABASE_URL")
    if base:
        yield from _pg_schema_url(base)
    else:
        yield f"sqlite:///{tmp_path / 'uwagi.db'}"


@dataclass
class Installation:
    """A config file in a temporary directory, and ways to run uwagi against it."""

    root: Path
    config: Path
    database_url: str

    def write_config(self, text_: str) -> None:
        self.config.write_text(text_, encoding="utf-8")

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 120,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        """The real `uwagi` command in a child process."""
        full_env = {**os.environ, "UWAGI_CONFIG": str(self.config), **(env or {})}
        proc = subprocess.run([sys.executable, "-m", "intake", *args], cwd=self.root, env=full_env,
                              capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"uwagi {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def settings(self):
        from intake.settings import load_settings

        return load_settings(self.config)

    def engine(self):
        from storage.db import make_engine

        return make_engine(self.settings().database_url)


def toml_section(name: str, **options: object) -> str:
    """A TOML table from keyword options (strings quoted, dates and numbers as they are)."""
    def value(v: object) -> str:
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, (str, Path)):
            return json.dumps(str(v))
        return str(v)

    return f"[{name}]\n" + "".join(f"{k} = {value(v)}\n" for k, v in options.items())


def imap_mailbox(server, password_env: str, **options: object) -> str:
    """The [mailbox] table for a private Dovecot (plain on loopback unless told otherwise)."""
    base: dict[str, object] = dict(source="imap", host=server.host, port=server.port, security="plain",
                                   username=server.user, password_env=password_env, idle=False)
    return toml_section("mailbox", **{**base, **options})


def config_text(database_url: str, mailbox: str = "", extra: str = "") -> str:
    box = mailbox or '[mailbox]\nsource = "maildir"\npath = "inbox"\n'
    return (f'catalogue = "projects.toml"\n\n[database]\nurl = "{database_url}"\n\n{box}\n'
            f'[paths]\noutbox = "outbox"\nmodels = "models"\ncache = "{REPO / "var" / "cache"}"\n{extra}')


@pytest.fixture
def install(tmp_path: Path, database_url: str) -> Installation:
    inst = Installation(root=tmp_path, config=tmp_path / "config.toml", database_url=database_url)
    shutil.copy(REPO / "projects.toml", tmp_path / "projects.toml")  # tests may replace their own copy
    inst.write_config(config_text(database_url))
    return inst


def corpus_file(name: str) -> Path:
    path = SHARED_CORPUS / "mail" / name
    if not path.exists():
        pytest.skip(f"shared corpus not available at {SHARED_CORPUS}")
    return path
