"""RODO: after `forget` no trace of the person is left in the database, the raw messages or any
export, and the chain still verifies; subject access gives everything; retention anonymises all."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select
from sqlmodel import SQLModel

from tests.conftest import Installation
from tests.mailmaker import make_mail
from tests.reports.support import SOME, import_mail, jsonl, prepared

EMAIL = "jan.zapominanski@example.org"
TRACES = ("zapominańsk", "zapominansk", "jan.zapominanski", "601 777 888", "85010112345")


def person_mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Jan Zapominański <{EMAIL}>"
    msg["To"] = "ug@klukowo.pl"
    msg["Subject"] = "Uwagi Jana Zapominańskiego do strategii"
    msg["Date"] = "Fri, 20 Nov 2026 10:00:00 +0100"
    msg["Message-ID"] = "<jan.zapominanski.1@example.org>"
    msg.set_content("Proponuję budowę chodnika przy drodze do Gródka w ramach strategii terytorialnej.\n"
                    "Mieszkam przy ul. Polnej 12, tel. 601 777 888, PESEL 85010112345.\n\n"
                    "Z poważaniem\nJan Zapominański")
    msg.add_attachment("Uwagi: chodnik do Gródka. Jan Zapominański".encode(), maintype="text", subtype="plain",
                       filename="uwagi-Zapominanski.txt")
    return msg.as_bytes()


QUOTING = make_mail(subject="Popieram sąsiada", sender="Anna Sąsiadka <anna.s@example.org>",
                    body=f"Popieram uwagę pana {EMAIL} o chodniku do Gródka w ramach strategii terytorialnej.")


def dump_database(install: Installation) -> str:
    """Every value of every table as text; raw bytes also parsed, so encoded words are read too."""
    import storage.models  # noqa: F401

    engine = install.engine()
    parts = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    if isinstance(value, bytes):
                        parts.append(readable(value))
                    else:
                        parts.append(json.dumps(value, ensure_ascii=False, default=str))
    engine.dispose()
    return "\n".join(parts)


def readable(raw: bytes) -> str:
    msg = message_from_bytes(raw, policy=policy.default)
    parts = [raw.decode("latin-1"), *(str(v) for v in msg.values())]
    for part in msg.walk():
        if not part.is_multipart():
            parts.append(str(part.get_filename() or ""))
            try:
                parts.append(str(part.get_content()))
            except (LookupError, KeyError):
                parts.append(part.get_payload(decode=True).decode("latin-1"))
    return "\n".join(parts)


def index_for_search(install: Installation) -> None:
    from sqlmodel import Session
    from sqlmodel import select as select_models

    from storage.models import Remark
    from storage.review import refresh_search

    engine = install.engine()
    with Session(engine) as session:
        for remark in session.exec(select_models(Remark)):
            refresh_search(session, remark)
        session.commit()
    engine.dispose()


def assert_no_trace(text: str, where: str) -> None:
    low = text.lower()
    found = [t for t in TRACES if t.lower() in low]
    assert not found, f"{where} still holds {found}"


@pytest.fixture
def with_person(install: Installation) -> Installation:
    prepared(install)
    import_mail(install, SOME[:3], raws=[person_mail(), QUOTING])
    assert any(r["sender_email"] == EMAIL for r in jsonl(install, "--what", "remarks"))
    return install


def test_forget_leaves_no_trace_in_the_database_raw_mail_or_any_export(with_person: Installation) -> None:
    inst = with_person
    index_for_search(inst)  # the review UI's folded copy of every remark must be erased too
    proc = inst.run("forget", EMAIL.upper(), check=True)
    assert "anonymised 2 message(s)" in proc.stdout
    assert_no_trace(dump_database(inst), "the database")
    out = inst.root / "after"
    out.mkdir()
    for what in ("remarks", "messages"):
        for fmt in ("jsonl", "csv", "xlsx"):
            target = out / f"{what}.{fmt}"
            inst.run("export", "--what", what, "--format", fmt, "-o", str(target), check=True)
            data = target.read_bytes()
            if fmt == "xlsx":
                from openpyxl import load_workbook

                data = json.dumps([[c.value for c in r] for r in load_workbook(target).active.iter_rows()],
                                  ensure_ascii=False).encode()
            assert_no_trace(data.decode("utf-8-sig"), f"{what}.{fmt}")
    inst.run("report", "--format", "docx", "-o", str(out / "r.docx"), check=True)
    doc = Document(str(out / "r.docx"))
    assert_no_trace("\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells), "the report")
    inst.run("export", "--raw", str(out / "raw"), check=True)
    for eml in (out / "raw").glob("*.eml"):
        assert_no_trace(readable(eml.read_bytes()), eml.name)
    remarks = jsonl(inst, "--what", "remarks")
    assert any("chodnik" in r["text"] for r in remarks if r["sender_email"] is None)  # the remark stays
    assert inst.run("audit", "verify").returncode == 0


def test_forget_leaves_no_trace_in_the_sqlite_file(with_person: Installation) -> None:
    """Erased data must not linger in SQLite's free pages, its write-ahead log or the search index's
    segments, where a copy of the file would still show it."""
    inst = with_person
    if not inst.database_url.startswith("sqlite:///"):
        pytest.skip("the database file is SQLite's")
    index_for_search(inst)
    path = inst.database_url.removeprefix("sqlite:///")
    if not path.startswith("/"):
        path = str(inst.root / path)
    wal = Path(path + "-wal")
    before = Path(path).read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"601 777 888" in before  # the check can see plain text in the file
    inst.run("forget", EMAIL, check=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = Path(path).read_bytes()
    for trace in ("601 777 888", "85010112345", "zapominansk", "Zapominańsk", "jan.zapominanski"):
        assert trace.encode() not in data, trace


def test_forget_is_logged_without_the_address_and_keeps_the_original_digest(with_person: Installation) -> None:
    import hashlib

    from sqlmodel import Session

    from storage.models import Event, Message, RawMessage

    inst = with_person
    original = hashlib.sha256((inst.root / "mail" / "made-0.eml").read_bytes()).hexdigest()
    inst.run("forget", EMAIL, check=True)
    after = {m["message_sha256"]: m for m in jsonl(inst, "--what", "messages")}
    assert original in after and after[original]["sender_email"] is None
    engine = inst.engine()
    with Session(engine) as s:
        ev = s.exec(select(Event).where(Event.action == "person.forgotten")).scalars().one()
        assert EMAIL not in json.dumps(ev.after) and ev.after["messages"] == 2
        msg = s.exec(select(Message).where(Message.sha256 == original)).scalars().one()
        raw = s.get(RawMessage, msg.id).raw
        assert msg.redacted_at is not None
        assert ev.after["redacted_sha256"][str(msg.id)] == hashlib.sha256(raw).hexdigest()
        note = message_from_bytes(raw, policy=policy.default)["X-Uwagi-Redacted"]
        assert f"original sha256 {original}" in str(note)
    engine.dispose()


def test_subject_access_gives_everything_held_with_the_original_messages(with_person: Installation) -> None:
    inst = with_person
    target = inst.root / "dostep.zip"
    inst.run("subject-access", EMAIL, "-o", str(target), check=True)
    with zipfile.ZipFile(target) as zf:
        record = json.loads(zf.read("person.json"))
        emls = [zf.read(n) for n in zf.namelist() if n.endswith(".eml")]
    assert record["email"] == EMAIL and len(record["messages"]) == 2 and record["remarks"]
    assert (inst.root / "mail" / "made-0.eml").read_bytes() in emls and record["events"]


def test_retention_anonymises_everyone_once_the_date_has_come(install: Installation) -> None:
    prepared(install, "[consultation]\ncloses = 2026-11-30\n[retention]\ndays_after_close = 0\n")
    import_mail(install, SOME[:3], raws=[person_mail()])
    proc = install.run("retention", "--run", check=True)
    assert "anonymised 4 message(s)" in proc.stdout
    assert all(m["sender_email"] is None for m in jsonl(install, "--what", "messages"))
    assert_no_trace(dump_database(install), "the database")
    assert "anonymised 0 message(s)" in install.run("retention", "--run", check=True).stdout
    assert install.run("audit", "verify").returncode == 0


def test_retention_does_nothing_before_its_date(install: Installation) -> None:
    prepared(install, "[retention]\ndays_after_close = 3650\n")
    import_mail(install, raws=[person_mail()])
    assert "not yet" in install.run("retention", "--run", check=True).stdout
    assert jsonl(install, "--what", "messages")[0]["sender_email"] == EMAIL
