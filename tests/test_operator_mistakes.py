"""Operator mistakes and hostile mail through the real CLI: one line and the right exit code, no
password printed, nothing lost, nothing dangerous stored (issue 11, items 1 and 5-8)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from storage.models import Message
from tests import hostile
from tests.conftest import Installation, config_text
from tests.mailmaker import make_mail

NO_EMBEDDINGS = "[classification]\nembeddings = false\n"
PASSWORD = "Zupe1nieTajne"


def messages(install: Installation) -> list[dict]:
    return [json.loads(line) for line in install.run("export", "--what", "messages", check=True).stdout.splitlines()]


def import_mail(install: Installation, *raws: bytes) -> subprocess.CompletedProcess[str]:
    folder = install.root / "mail"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for n, raw in enumerate(raws):
        (folder / f"m{n:03d}.eml").write_bytes(raw)
    return install.run("import", "--no-ack", str(folder))


@pytest.fixture
def fast(install: Installation) -> Installation:
    install.write_config(config_text(install.database_url, extra=NO_EMBEDDINGS))
    install.run("init", check=True)
    return install


def one_line(proc: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


# Item 1: a reused Message-ID loses nothing.
def test_a_different_message_with_a_reused_message_id_is_kept_and_processed(fast: Installation) -> None:
    first = make_mail(msgid="<reused@example.org>", sender="Anna Nowak <anna@example.org>",
                      body="Proponuję ścieżkę rowerową z Klukowa do Wysokiego Mazowieckiego.")
    other = make_mail(msgid="<reused@example.org>", sender="Piotr Zieliński <piotr@example.com>",
                      subject="Uwaga do strategii: schronisko",
                      body="Popieram budowę wspólnego schroniska dla zwierząt w Partnerstwie.")
    resend = b"Received: from mx2.example.org by mail.klukowo.pl\r\nDelivered-To: ug@klukowo.pl\r\n" + first
    assert import_mail(fast, first, other, resend).returncode == 0
    rows = messages(fast)
    assert sorted(r["sender_email"] for r in rows) == ["anna@example.org", "piotr@example.com"]
    assert all(r["state"] == "processed" for r in rows)


# Item 5: the database password is never printed.
def test_no_output_shows_the_database_password(install: Installation) -> None:
    url = install.database_url
    if url.startswith("postgresql"):  # trust auth: the password is accepted and ignored
        url = url.replace("postgres@", f"postgres:{PASSWORD}@", 1)
    else:  # nothing listens on port 1: every command fails, and still must not print it
        url = f"postgresql+psycopg://uwagi:{PASSWORD}@127.0.0.1:1/uwagi"
    install.write_config(config_text(url, extra=NO_EMBEDDINGS))
    outputs = [install.run("poll", "--once")]  # "has no tables yet" (or cannot connect)
    outputs += [install.run(*args) for args in (("init",), ("doctor",), ("config", "show"), ("poll", "--once"),
                                                ("export", "--what", "messages"))]
    printed = [(proc.stdout + proc.stderr).replace("\n", "") for proc in outputs]  # rich wraps long lines
    for proc, text_ in zip(outputs, printed, strict=True):
        assert PASSWORD not in text_, proc.args
    if install.database_url.startswith("postgresql"):
        assert "database ready: postgresql+psycopg://postgres:***@" in printed[1]
        assert ":***@" in printed[0] and "has no tables yet" in printed[0]


# Item 6: usage errors are one line and exit 2.
@pytest.mark.parametrize("args", [("export", "--bogus"), ("import",), ("nosuchcmd",), ("--bogus",)])
def test_usage_errors_are_one_line_with_exit_code_2(fast: Installation, args: tuple[str, ...]) -> None:
    proc = fast.run(*args)
    assert proc.returncode == 2 and one_line(proc), proc.stderr
    assert "uwagi" in proc.stderr and "--help" in proc.stderr


@pytest.mark.parametrize("content", ["directory", "binary"])
def test_an_unreadable_config_file_is_one_line_with_exit_code_2(install: Installation, content: str) -> None:
    install.config.unlink()
    if content == "directory":
        install.config.mkdir()
    else:
        install.config.write_bytes(b"\xff\xfe\x00[database]\n")
    for command in (("doctor",), ("poll", "--once"), ("export",)):
        proc = install.run(*command)
        assert proc.returncode == 2 and one_line(proc), proc.stderr


# Item 7: no CR/LF (or any control character) in a stored header value.
def test_no_stored_header_value_contains_a_line_break(fast: Installation) -> None:
    raw = (b"From: =?utf-8?q?Jan_Kowalski=0D=0ABcc=3A_ofiara=40example=2Eorg?= <jan@example.org>\r\n"
           b"To: ug@klukowo.pl\r\nMessage-ID: <crlf@example.org>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0100\r\n"
           b"Subject: =?utf-8?q?Uwagi_do_strategii=0D=0ABcc=3A_ofiara=40example=2Eorg?=\x01\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nProponuj\xc4\x99 chodnik przy szkole w Klukowie.\r\n")
    assert import_mail(fast, raw).returncode == 0
    with Session(fast.engine()) as session:
        stored = session.exec(select(Message.subject, Message.sender_name, Message.sender_email)).all()
    values = [v for row in stored for v in row if v]
    assert values and not [v for v in values if re.search("[\x00-\x1f\x7f-\x9f]", v)]
    (row,) = messages(fast)
    assert row["subject"] == "Uwagi do strategii  Bcc: ofiara@example.org"


# Item 8: smaller things.
def test_doctor_does_not_create_an_empty_database_file(install: Installation) -> None:
    db = install.root / "none" / "uwagi.db"
    install.write_config(config_text(f"sqlite:///{db}"))
    proc = install.run("doctor")
    assert proc.returncode == 1 and f"database {db} does not exist; run 'uwagi init'" in proc.stderr
    poll = install.run("poll", "--once")
    assert poll.returncode == 1 and one_line(poll) and "does not exist" in poll.stderr
    assert not db.exists()


def test_doctor_and_poll_exit_2_for_an_unset_password_variable(install: Installation) -> None:
    box = ('[mailbox]\nsource = "imap"\nhost = "127.0.0.1"\nport = 1\nusername = "ug"\n'
           'password_env = "UWAGI_TEST_NO_SUCH_VAR"\n')
    install.write_config(config_text(install.database_url, mailbox=box, extra=NO_EMBEDDINGS))
    install.run("init", check=True)
    doctor, poll = install.run("doctor"), install.run("poll", "--once")
    assert (doctor.returncode, poll.returncode) == (2, 2)
    assert "UWAGI_TEST_NO_SUCH_VAR" in doctor.stderr and "UWAGI_TEST_NO_SUCH_VAR" in poll.stderr


def test_a_missing_catalogue_exits_2_in_doctor_and_poll(fast: Installation) -> None:
    (fast.root / "projects.toml").unlink()
    (fast.root / "inbox" / "new" / "late.eml").write_bytes(make_mail())
    doctor, poll = fast.run("doctor"), fast.run("poll", "--once")
    assert (doctor.returncode, poll.returncode) == (2, 2), poll.stderr
    assert "catalogue" in poll.stderr and one_line(poll)


def test_a_held_message_shows_its_subject_and_sender_and_the_limit_in_mb(install: Installation) -> None:
    install.write_config(config_text(install.database_url, extra=NO_EMBEDDINGS + "[limits]\nmax_message_mb = 0.1\n"))
    install.run("init", check=True)
    raw = hostile.plain("Uwaga o drogach. " * 10_000, subject="=?utf-8?q?Uwagi_o_drogach_gminnych?=", mid="big")
    assert import_mail(install, raw).returncode == 0
    (row,) = [r for r in messages(install) if r["state"] == "held"]
    assert (row["subject"], row["sender_email"]) == ("Uwagi o drogach gminnych", "anna@example.org")
    assert "over the 0.1 MB limit" in json.dumps(row, ensure_ascii=False)


@pytest.mark.parametrize("line", ['idle = "yes"', 'poll_interval = "60"'])
def test_strings_for_a_boolean_or_a_number_are_rejected_naming_the_key(install: Installation, line: str) -> None:
    install.write_config(config_text(install.database_url, mailbox=f'[mailbox]\nsource = "maildir"\n{line}\n'))
    proc = install.run("doctor")
    assert proc.returncode == 2 and f"[mailbox] {line.split()[0]}" in proc.stderr


def _as_unprivileged_root(install: Installation, *args: str) -> subprocess.CompletedProcess[str]:
    """Run uwagi without the capability that lets root write to read-only files."""
    env = {**os.environ, "UWAGI_CONFIG": str(install.config)}
    return subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--",
                           sys.executable, "-m", "intake", *args], cwd=install.root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_database_turned_read_only_is_one_line_not_a_traceback(fast: Installation) -> None:
    if not fast.database_url.startswith("sqlite"):
        pytest.skip("a read-only file is an SQLite matter")
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("root writes read-only files; setpriv (util-linux) is needed to drop that")
    assert import_mail(fast, make_mail()).returncode == 0  # the database works ...
    db = fast.settings().database_url.removeprefix("sqlite:///")
    os.chmod(db, 0o444)  # ... until it turns read-only
    try:
        folder = fast.root / "more"
        folder.mkdir()
        (folder / "a.eml").write_bytes(make_mail(body="Druga uwaga o chodnikach."))
        run = _as_unprivileged_root if os.geteuid() == 0 else (lambda inst, *a: inst.run(*a))
        proc = run(fast, "import", "--no-ack", str(folder))
    finally:
        os.chmod(db, 0o644)
    assert proc.returncode == 1 and one_line(proc), proc.stderr
    assert "read-only" in proc.stderr


@pytest.mark.imap
def test_a_reused_message_id_through_the_real_imap_path_keeps_both_and_records_the_redelivery(
        dovecot, install: Installation) -> None:
    from datetime import UTC, date, datetime

    from sqlalchemy import func

    from storage.models import MessageCopy
    from tests.conftest import imap_mailbox

    first = make_mail(msgid="<reused-imap@example.org>", body="Proponuję ścieżkę rowerową do Klukowa.")
    other = make_mail(msgid="<reused-imap@example.org>", sender="Piotr Zieliński <piotr@example.com>",
                      body="Sprzeciwiam się budowie spalarni w Klukowie.")
    redelivered = b"Received: from mx2.example.org by mail.klukowo.pl\r\nDelivered-To: ug@klukowo.pl\r\n" + first
    for raw in (first, other, redelivered):
        dovecot.append(raw, msg_time=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    box = imap_mailbox(dovecot, "UWAGI_TEST_IMAP_PASSWORD", since=date(2026, 11, 13))
    install.write_config(config_text(install.database_url, mailbox=box, extra=NO_EMBEDDINGS))
    env = {"UWAGI_TEST_IMAP_PASSWORD": dovecot.password}
    install.run("init", env=env, check=True)
    install.run("poll", "--once", env=env, check=True)
    rows = messages(install)
    assert sorted(r["sender_email"] for r in rows) == ["jan.kowalski@example.org", "piotr@example.com"]
    with Session(install.engine()) as session:
        assert session.exec(select(func.count()).select_from(MessageCopy)).one() == 3
