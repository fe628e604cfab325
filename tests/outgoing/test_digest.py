"""The weekly digest: due Monday 07:30 Europe/Warsaw, sent once per week (after downtime, with two
daemons), Outlook-safe HTML + text + inline chart, pseudonymised, restricted remarks left out."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlmodel import Session, select

from intake.jobs import open_context
from intake.jobs.deliver import deliver_pending
from intake.jobs.digest import digest_job, due_week
from intake.mail_schedule import digest_trigger
from storage.outbox import OutboxMessage
from tests.conftest import Installation
from tests.outgoing.seed import seed
from tests.smtpserver import SmtpServer

WAW = ZoneInfo("Europe/Warsaw")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WAW)  # type: ignore[misc]


def seed_weeks(ctx) -> None:
    seed(ctx.engine, [
        dict(received_at=at(2026, 11, 18, 12), text="Wcześniejsza uwaga o transporcie.", projects=["P4.1"]),
        dict(received_at=at(2026, 11, 24, 9), text="Proszę o autobus do Czyżewa rano. Pozdrawiam, Jan Kowalski",
             projects=["P4.1"], remark_type="propozycja", author_name="Jan Kowalski"),
        dict(received_at=at(2026, 11, 25, 9), text="Mój telefon 600 123 456, e-mail jan.k@wp.pl; popieram biuro.",
             projects=["P4.2"], remark_type="poparcie", stance="uwzględniona"),
        dict(received_at=at(2026, 11, 26, 9), text="Sprzeciw wobec lokalizacji schroniska.", projects=["P3.4"],
             remark_type="sprzeciw"),
        dict(received_at=at(2026, 11, 27, 9), text="TAJNE-ZASTRZEŻONE sprawa prywatna", projects=["P3.4"],
             restricted=True),
    ])


def test_the_digest_is_due_on_monday_at_0730_warsaw_time(install: Installation) -> None:
    settings = install.settings()
    assert due_week(at(2026, 11, 24, 10), settings) == "2026-W47"
    assert due_week(at(2026, 11, 30, 7, 29), settings) is None  # W47's grace (144 h) is over, W48 not yet due
    assert due_week(at(2026, 11, 30, 7, 30), settings) == "2026-W48"
    ctx = open_context(settings, create=True)
    fire = digest_trigger(ctx).get_next_fire_time(None, at(2026, 11, 26, 15))
    assert fire == at(2026, 11, 30, 7, 30) and fire.utcoffset().total_seconds() == 3600


def test_no_digest_for_weeks_outside_the_consultation(install: Installation) -> None:
    settings = install.settings()
    assert due_week(at(2026, 11, 9, 8), settings) is None  # covers 2–8 November, before it opened
    assert due_week(at(2026, 12, 21, 8), settings) is None  # covers 14–20 December, after it closed


def test_a_week_missed_while_down_is_sent_once_when_the_service_returns(mail_install: Installation,
                                                                       smtp: SmtpServer) -> None:
    ctx = open_context(mail_install.settings(), create=True)
    seed_weeks(ctx)
    with time_machine.travel(at(2026, 12, 2, 10), tick=False):  # down on Monday, back on Wednesday
        assert digest_job(ctx) == "2026-W48"
        assert digest_job(ctx) == "2026-W48"  # a restart, or the next run: recorded already
        deliver_pending(ctx)
    with time_machine.travel(at(2026, 12, 7, 7, 30), tick=False):
        assert digest_job(ctx) == "2026-W49"
        deliver_pending(ctx)
    assert len(smtp.received) == 2
    assert smtp.received[0].recipients == ["rada@partnerstwo.example", "sekretariat@partnerstwo.example"]


def test_the_digest_has_text_html_and_an_inline_chart_without_personal_data(mail_install: Installation,
                                                                          smtp: SmtpServer) -> None:
    text = mail_install.config.read_text()
    mail_install.write_config(text + '[review]\nbase_url = "https://uwagi.klukowo.example"\n')
    ctx = open_context(mail_install.settings(), create=True)
    seed_weeks(ctx)
    with time_machine.travel(at(2026, 11, 30, 7, 30), tick=False):
        digest_job(ctx)
        deliver_pending(ctx)
    msg = smtp.received[0].message
    assert msg["Subject"] == "Zestawienie uwag do Strategii, 23–29 listopada 2026: 3 nowe uwagi"
    assert msg["Auto-Submitted"] == "auto-generated"
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "TAJNE" not in body  # restricted remarks are left out
        assert "jan.k@wp.pl" not in body and "600 123 456" not in body and "Kowalski" not in body
        assert "Do końca konsultacji (11 grudnia 2026) zostało" in body and "11 dni" in body
        assert "Dostępna Ziemia Wysokomazowiecka" in body  # Polish letters intact
    assert "https://uwagi.klukowo.example" in html and "https://uwagi.klukowo.example" in plain
    assert "3 nowe uwagi" in plain and "4 uwagi" in plain  # 3 new this week, 4 in total
    image = next(p for p in msg.walk() if p.get_content_type() == "image/png")
    assert image["Content-ID"] == "<wykres-uwag@uwagi>" and "cid:wykres-uwag@uwagi" in html
    assert image.get_content().startswith(b"\x89PNG")


def test_two_daemons_sending_the_same_week_send_one_digest(mail_install: Installation, smtp: SmtpServer) -> None:
    ctx = open_context(mail_install.settings(), create=True)
    seed_weeks(ctx)
    env = {**os.environ, "UWAGI_CONFIG": str(mail_install.config)}
    procs = [subprocess.Popen([sys.executable, "-m", "intake", "digest", "--send", "--week", "2026-W48"],
                              cwd=mail_install.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len(smtp.received) == 1
    with Session(ctx.engine) as session:
        assert len(session.exec(select(OutboxMessage)).all()) == 1
    assert sum("already recorded" in out for out, _ in outputs) == 1


def test_preview_writes_the_html_and_the_text(mail_install: Installation) -> None:
    ctx = open_context(mail_install.settings(), create=True)
    seed_weeks(ctx)
    target = mail_install.root / "podglad.html"
    mail_install.run("digest", "--preview", str(target), "--week", "2026-W48", check=True)
    assert "<table" in target.read_text() and 'src="podglad.png"' in target.read_text()
    assert "Temat: Zestawienie uwag" in (mail_install.root / "podglad.txt").read_text()


def test_utc_storage_does_not_move_a_sunday_evening_remark_into_the_next_week(mail_install: Installation) -> None:
    from intake.jobs.digest import build_data

    ctx = open_context(mail_install.settings(), create=True)
    seed(ctx.engine, [dict(received_at=datetime(2026, 11, 29, 22, 30, tzinfo=UTC), text="Niedziela wieczór.",
                           projects=["P1.1"])])  # 23:30 on Sunday in Warsaw
    assert build_data(ctx, "2026-W48", now=at(2026, 11, 30, 8)).new == 1
    assert build_data(ctx, "2026-W49", now=at(2026, 12, 7, 8)).new == 0
