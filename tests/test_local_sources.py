"""The embedded default source (a Maildir) and `uwagi import` of .eml files, Maildirs and mbox."""

from __future__ import annotations

import json
import mailbox
import os
import shutil
from pathlib import Path

from tests.conftest import Installation, corpus_file
from tests.mailmaker import BROKEN_MIME, make_mail


def maildir_with(root: Path, messages: list[bytes]) -> Path:
    box = root / "inbox"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True, exist_ok=True)
    for n, raw in enumerate(messages):
        (box / "new" / f"1763600000.M{n}P1.host").write_bytes(raw)
    return box


def exported(install: Installation, what: str = "messages") -> list[dict]:
    proc = install.run("export", "--what", what, "--format", "jsonl", check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_maildir_poll_stores_each_message_once_and_a_second_poll_nothing(install: Installation) -> None:
    box = maildir_with(install.root, [make_mail(subject=f"uwaga {n}") for n in range(5)])
    install.run("init", check=True)
    names_before = sorted(p.name for p in (box / "new").iterdir())
    first = install.run("poll", "--once", check=True)
    assert "fetched 5 new message(s)" in first.stdout
    second = install.run("poll", "--once", check=True)
    assert "fetched 0 new message(s)" in second.stdout
    assert len(exported(install)) == 5
    assert sorted(p.name for p in (box / "new").iterdir()) == names_before, "the Maildir must not be touched"


def test_a_broken_mime_message_is_kept_and_does_not_block_the_next(install: Installation) -> None:
    maildir_with(install.root, [BROKEN_MIME, make_mail(subject="po zepsutej")])
    install.run("init", check=True)
    install.run("poll", "--once", check=True)
    rows = exported(install)
    assert len(rows) == 2
    assert {r["subject"] for r in rows} == {"uwagi", "po zepsutej"}
    assert all(r["state"] in ("processed", "held") for r in rows)


def test_a_message_over_the_size_limit_is_kept_and_held_with_the_reason(install: Installation) -> None:
    maildir_with(install.root, [make_mail(body="x" * 300_000), make_mail(subject="mała")])
    install.write_config(install.config.read_text() + "\n[limits]\nmax_message_mb = 0.1\n")
    install.run("init", check=True)
    install.run("poll", "--once", check=True)
    rows = {r["subject"] or "": r for r in exported(install)}
    held = [r for r in exported(install) if r["state"] == "held"]
    assert len(held) == 1 and "limit" in held[0]["hold_reason"]
    assert rows["mała"]["state"] == "processed"


def test_import_takes_eml_files_maildirs_and_mbox_and_keeps_duplicates_once(install: Installation) -> None:
    files = install.root / "files"
    files.mkdir()
    (files / "a.eml").write_bytes(make_mail(subject="a"))
    shutil.copy(corpus_file("m012.eml"), files / "b.eml")
    box = mailbox.mbox(install.root / "box.mbox")
    box.add(make_mail(subject="c"))
    box.add((files / "a.eml").read_bytes())  # the same message again
    box.close()
    maildir = maildir_with(install.root / "md", [make_mail(subject="d")])
    proc = install.run("import", "--no-ack", str(files), str(install.root / "box.mbox"), str(maildir), check=True)
    assert "imported 4 new message(s), 1 duplicate(s)" in proc.stdout
    subjects = {r["subject"] for r in exported(install)}
    assert {"a", "c", "d"} <= subjects and len(subjects) == 4


def test_import_of_a_missing_path_is_one_plain_line(install: Installation) -> None:
    proc = install.run("import", str(install.root / "nope.eml"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"uwagi: {install.root / 'nope.eml'}: no such file or directory"


def test_import_of_an_unreadable_file_is_one_plain_line(install: Installation) -> None:
    if os.geteuid() == 0:
        import pytest

        pytest.skip("root can read any file")
    path = install.root / "secret.eml"
    path.write_bytes(make_mail())
    path.chmod(0)
    proc = install.run("import", str(path))
    assert proc.returncode == 1 and "not readable" in proc.stderr


def test_reprocess_rebuilds_from_the_raw_bytes(install: Installation) -> None:
    maildir_with(install.root, [make_mail(subject="Zażółć gęślą jaźń")])
    install.run("init", check=True)
    install.run("poll", "--once", check=True)
    proc = install.run("reprocess", check=True)
    assert "reprocessed 1 message(s)" in proc.stdout
    assert exported(install)[0]["subject"] == "Zażółć gęślą jaźń"
