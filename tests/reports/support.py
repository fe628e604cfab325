"""Installations with mail imported through the real CLI, for the auditor-facing tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import DATA, SHARED_CORPUS, Installation, config_text

FAST = "[classification]\nembeddings = false\n"
SOME = ["m004.eml", "m012.eml", "m025.eml", "m029.eml", "m031.eml", "m036.eml", "m047.eml", "m050.eml"]


def prepared(install: Installation, extra: str = "") -> Installation:
    install.write_config(config_text(install.database_url, extra=FAST + extra))
    install.run("init", check=True)
    return install


def import_mail(install: Installation, names: list[str] | None = None, raws: list[bytes] | None = None) -> Path:
    folder = install.root / "mail"
    folder.mkdir(exist_ok=True)
    for name in names or []:
        source = DATA / "corpus" / name
        shutil.copy(source if source.exists() else SHARED_CORPUS / "mail" / name, folder / name)
    for n, raw in enumerate(raws or []):
        (folder / f"made-{n}.eml").write_bytes(raw)
    install.run("import", "--no-ack", str(folder), check=True)
    return folder


def jsonl(install: Installation, *args: str) -> list[dict]:
    proc = install.run("export", *args, "--format", "jsonl", check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def sql(install: Installation, statement: str, **params: object) -> None:
    from sqlalchemy import text

    engine = install.engine()
    with engine.begin() as conn:
        conn.execute(text(statement), params)
    engine.dispose()
