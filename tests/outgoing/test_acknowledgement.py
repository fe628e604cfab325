"""Acknowledgements: one per remark-carrying message, none for automatic mail, RFC 3834 headers,
rate limit, late remarks, and a reply to our acknowledgement joining its case."""

from __future__ import annotations

import json
from email.utils import make_msgid
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.models import Message, Remark
from storage.outbox import OutboxMessage
from tests.conftest import SHARED_CORPUS, Installation
from tests.mailmaker import make_mail
from tests.smtpserver import SmtpServer

REMARK = ("Proponuję, aby w projekcie ścieżek rowerowych uwzględnić połączenie Klukowa z Ciechanowcem "
          "wzdłuż rzeki Nurzec. Obecnie rowerzyści jeżdżą drogą wojewódzką, co jest niebezpieczne.")


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def outbox_rows(install: Installation) -> list[OutboxMessage]:
    with Session(install.engine()) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_remark_gets_one_polish_acknowledgement_with_rfc3834_headers(mail_install: Installation,
                                                                        smtp: SmtpServer) -> None:
    mid = make_msgid(domain="example.org")
    path = write(mail_install.root / "in", "remark.eml", make_mail(body=REMARK, msgid=mid,
                                                                    sender="Zofia Żak <zofia@example.org>"))
    mail_install.run("import", str(path), check=True)
    mail_install.run("acknowledge", check=True)  # a second run decides nothing new
    assert len(smtp.received) == 1
    got = smtp.received[0]
    msg = got.message
    assert got.recipients == ["zofia@example.org"]
    assert msg["Subject"].startswith("Potwierdzenie przyjęcia uwagi STR/2026/")
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["In-Reply-To"] == mid and mid in msg["References"]
    assert "Żak" in str(msg["To"])
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "rozpoznane uwagi: 1 uwaga" in text and "Prezesa Urzędu Ochrony Danych Osobowych" in text
    assert "11 grudnia 2026" in text and "Inspektor ochrony danych" in html
    with Session(mail_install.engine()) as session:
        ref = session.exec(select(Message.reference)).one()
    assert ref in msg["Subject"]


def test_no_acknowledgement_for_no_ack_import_own_address_or_no_reply(mail_install: Installation,
                                                                      smtp: SmtpServer) -> None:
    folder = mail_install.root / "in"
    quiet = write(folder, "quiet.eml", make_mail(body=REMARK, sender="Ala <ala@example.org>"))
    mail_install.run("import", "--no-ack", str(quiet), check=True)
    own = write(folder, "own.eml", make_mail(body=REMARK + " Sekretariat.", sender="Urząd <ug@klukowo.pl>"))
    noreply = write(folder, "noreply.eml", make_mail(body=REMARK + " Dziękuję.", sender="Portal <no-reply@portal.pl>"))
    mail_install.run("import", str(own), str(noreply), check=True)
    assert smtp.received == []
    reasons = [r.last_error for r in outbox_rows(mail_install)]
    assert all(r for r in reasons)  # every decision not to answer is recorded with its reason


def test_at_most_n_acknowledgements_per_sender_per_day(mail_install: Installation, smtp: SmtpServer) -> None:
    text = mail_install.config.read_text()
    mail_install.write_config(text + "[acknowledgement]\nmax_per_sender_per_day = 2\n")
    folder = mail_install.root / "in"
    paths = [write(folder, f"r{i}.eml", make_mail(body=f"{REMARK} Punkt {i}.", sender="Jan <jan@example.org>"))
             for i in range(3)]
    mail_install.run("import", *map(str, paths), check=True)
    assert len(smtp.received) == 2
    skipped = [r for r in outbox_rows(mail_install) if r.status == "skipped"]
    assert len(skipped) == 1 and "limit" in (skipped[0].last_error or "")


def test_a_late_remark_is_told_it_arrived_after_the_deadline(mail_install: Installation, smtp: SmtpServer) -> None:
    text = mail_install.config.read_text()
    mail_install.write_config(text.replace("[delivery]", '[consultation]\nopens = 2026-10-01\ncloses = 2026-10-31\n\n'
                                                         "[delivery]"))
    path = write(mail_install.root / "in", "late.eml", make_mail(body=REMARK))
    mail_install.run("import", str(path), check=True)
    msg = smtp.received[0].message
    assert "(po terminie)" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    assert "wpłynęła po terminie konsultacji, który upłynął 31 października 2026" in text


def test_a_reply_to_our_acknowledgement_joins_its_case_with_its_new_text(mail_install: Installation,
                                                                         smtp: SmtpServer) -> None:
    path = write(mail_install.root / "in", "first.eml", make_mail(body=REMARK, sender="Ewa <ewa@example.org>"))
    mail_install.run("import", str(path), check=True)
    ack = smtp.received[0].message
    quoted = "\n".join("> " + line for line in ack.get_body(("plain",)).get_content().splitlines()[:6])
    reply = make_mail(subject="Re: dopisek", sender="Ewa <ewa@example.org>",
                      body="Chciałabym jeszcze dodać: proszę o oświetlenie tej ścieżki rowerowej przy szkole.\n\n"
                           f"W dniu 20.11.2026 Urząd Gminy Klukowo pisze:\n{quoted}\n")
    reply = reply.replace(b"Subject: Re: dopisek", b"Subject: Re: dopisek\nIn-Reply-To: " +
                          ack["Message-ID"].encode() + b"\nReferences: " + ack["Message-ID"].encode())
    second = write(mail_install.root / "in", "reply.eml", reply)
    mail_install.run("import", str(second), check=True)
    with Session(mail_install.engine()) as session:
        messages = list(session.exec(select(Message).order_by(Message.id)))
        remarks = list(session.exec(select(Remark).where(Remark.message_pk == messages[1].id)))
    assert messages[1].kind == "remark"
    assert messages[1].reference == messages[0].reference
    assert remarks and all("Szanowni" not in r.text and "RODO" not in r.text for r in remarks)
    assert "oświetlenie" in remarks[0].text


@pytest.mark.slow
def test_the_corpus_gets_one_acknowledgement_per_remark_message_and_none_for_automatic_mail(
        mail_install: Installation, smtp: SmtpServer) -> None:
    mail = SHARED_CORPUS / "mail"
    if not mail.exists():
        pytest.skip("shared corpus not available")
    labels = {d["file"]: d for d in map(json.loads, (SHARED_CORPUS / "labels.jsonl").read_text().splitlines())}
    mail_install.run("import", str(mail), check=True, timeout=600)
    with Session(mail_install.engine()) as session:
        rows = session.exec(select(Message.message_id, Message.kind, Message.sender_email)).all()
    remark_ids = {mid for mid, kind, _ in rows if kind == "remark"}
    answered = [r.message["In-Reply-To"].strip("<>") for r in smtp.received]
    assert len(answered) == len(set(answered))  # never twice for one message
    assert set(answered) <= remark_ids
    automatic_files = [f for f, d in labels.items() if d["kind"] == "automatic"]
    automatic_senders = {_sender(mail / f) for f in automatic_files}
    assert not {r.recipients[0] for r in smtp.received} & automatic_senders
    # every remark message got one, except those a rule (own address, no-reply, limit) declined with a reason
    declined = [r for r in outbox_rows(mail_install) if r.status == "skipped"]
    assert len(answered) + len(declined) == len(remark_ids)
    assert all(r.last_error for r in declined)


def _sender(path: Path) -> str:
    from email import message_from_bytes, policy
    from email.utils import parseaddr

    return parseaddr(str(message_from_bytes(path.read_bytes(), policy=policy.default)["From"]))[1].lower()


def test_backlog_and_old_mail_are_never_acknowledged(mail_install: Installation, smtp: SmtpServer) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from intake.jobs import import_files, open_context
    from intake.jobs.acknowledge import acknowledge_pending

    folder = mail_install.root / "in"
    paths = [write(folder, f"b{i}.eml", make_mail(body=f"{REMARK} Punkt {i}.", sender=f"Os {i} <o{i}@example.org>"))
             for i in range(2)]
    ctx = open_context(mail_install.settings(), create=True)
    import_files(ctx, paths, acknowledge=True)
    with ctx.engine.begin() as conn:
        conn.execute(update(Message).where(Message.id == 1).values(backlog=True))  # found on first connection
    assert acknowledge_pending(ctx, now=datetime.now(UTC) + timedelta(days=8)).queued == 0  # kept too long ago
    assert acknowledge_pending(ctx).queued == 1
    assert [r.message_pk for r in outbox_rows(mail_install)] == [2]
