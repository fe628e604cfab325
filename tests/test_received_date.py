"""The date that counts for imported mail is its own delivery time (newest Received:, else Date:),
not the file's; lateness is decided on it in Europe/Warsaw; the import time is kept apart."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime

from intake.sources.dates import delivery_time
from tests.conftest import Installation
from tests.mailmaker import make_mail
from tests.reports.support import jsonl, prepared


def received(moment: str, raw: bytes) -> bytes:
    """A delivery line as the office's server adds it on top."""
    return f"Received: from mx.example.org by mail.klukowo.pl; {moment}\n".encode() + raw


def test_the_topmost_received_header_wins_over_date_and_older_hops() -> None:
    raw = make_mail(date=datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
    raw = received("Mon, 16 Nov 2026 10:00:00 +0100", raw)
    raw = received("Tue, 17 Nov 2026 12:30:00 +0100", raw)
    assert delivery_time(raw) == datetime(2026, 11, 17, 11, 30, tzinfo=UTC)


def test_without_received_the_date_header_counts_and_without_both_nothing() -> None:
    assert delivery_time(make_mail(date=datetime(2026, 11, 3, 7, 0, tzinfo=UTC))) == \
        datetime(2026, 11, 3, 7, 0, tzinfo=UTC)
    assert delivery_time(b"Subject: x\n\nbody") is None
    assert delivery_time(b"Received: garbage; not a date\nDate: also not\n\nx") is None


def test_an_mbox_of_several_days_is_dated_per_message_and_late_in_warsaw_time(install: Installation) -> None:
    prepared(install, "[consultation]\ncloses = 2026-11-30\n")
    box = mailbox.mbox(install.root / "box.mbox")
    cases = {
        "early": "Fri, 20 Nov 2026 10:00:00 +0100",
        "last minute": "Mon, 30 Nov 2026 22:30:00 +0000",  # 23:30 in Warsaw: still on time
        "just late": "Mon, 30 Nov 2026 23:30:00 +0000",  # 00:30 on 1 December in Warsaw
    }
    for subject, moment in cases.items():
        box.add(received(moment, make_mail(subject=subject, date=datetime(2026, 11, 10, tzinfo=UTC))))
    box.add(make_mail(subject="no received", date=datetime(2026, 11, 25, 9, 0, tzinfo=UTC)))
    box.close()
    started = datetime.now(UTC)
    install.run("import", "--no-ack", str(install.root / "box.mbox"), check=True)
    rows = {m["subject"]: m for m in jsonl(install, "--what", "messages")}
    assert {s: rows[s]["late"] for s in rows} == {"early": False, "last minute": False, "just late": True,
                                                  "no received": False}
    assert rows["early"]["received_at"] == "2026-11-20T10:00:00+01:00"
    assert rows["just late"]["received_at"] == "2026-12-01T00:30:00+01:00"
    assert rows["no received"]["received_at"] == "2026-11-25T10:00:00+01:00"
    assert all(datetime.fromisoformat(m["kept_at"]) >= started.replace(microsecond=0) for m in rows.values())
