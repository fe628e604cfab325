"""Poczta wychodząca: counts, failures and skipped acknowledgements in Polish; retry for the admin only."""

from __future__ import annotations

from sqlmodel import Session, select

from review.routes.outgoing import reason_pl
from storage import outbox
from storage.db import session_scope
from storage.models import Event
from tests.review.conftest import csrf_of


def add_rows(engine) -> dict[str, int]:
    with session_scope(engine) as session:
        rows = {
            "failed": outbox.OutboxMessage(key="ack:f", purpose="ack", reference="STR/2026/0001",
                                           recipients=["jan@example.org"], recipient="jan@example.org",
                                           status=outbox.FAILED, attempts=5,
                                           last_error="gave up after 5 attempts: 550 mailbox unavailable"),
            "skipped": outbox.OutboxMessage(key="ack:s", purpose="ack", reference="STR/2026/0002",
                                            recipient="noreply@example.org", status=outbox.SKIPPED,
                                            last_error="no-reply sender noreply@example.org"),
            "sent": outbox.OutboxMessage(key="ack:ok", purpose="ack", recipients=["a@example.org"],
                                         status=outbox.SENT),
        }
        for row in rows.values():
            session.add(row)
        session.flush()
        return {k: int(r.id or 0) for k, r in rows.items()}


def test_reasons_in_polish():
    assert reason_pl("no usable sender address") == "brak poprawnego adresu nadawcy"
    assert reason_pl("limit of 3 acknowledgements per sender per day reached").endswith("(3)")
    assert reason_pl("gave up after 5 attempts: 550 mailbox unavailable") == \
        "zaniechano po 5 próbach: 550 mailbox unavailable"
    assert reason_pl("Auto-Submitted: auto-replied") == "wiadomość automatyczna (Auto-Submitted: auto-replied)"
    assert reason_pl(None) == "—"


def test_admin_sees_failures_and_retries_one(review, client_for):
    ctx, _ = review
    ids = add_rows(ctx.engine)
    client = client_for("admin")
    page = client.get("/poczta")
    assert page.status_code == 200 and "Poczta wychodząca" in page.text
    assert "zaniechano po 5 próbach: 550 mailbox unavailable" in page.text
    assert "nadawca nie przyjmuje odpowiedzi (noreply@example.org)" in page.text
    assert "Wyślij ponownie" in page.text and 'href="/poczta"' in page.text
    assert page.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in page.headers[
        "content-security-policy"]
    assert client.post(f"/poczta/{ids['failed']}/ponow", data={"csrf": "zly"}).status_code == 403
    r = client.post(f"/poczta/{ids['failed']}/ponow", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/poczta"
    after = client.get("/poczta").text
    assert "Wiadomość czeka na ponowną wysyłkę." in after and "Brak nieudanych wysyłek." in after
    with Session(ctx.engine) as session:
        row = session.get(outbox.OutboxMessage, ids["failed"])
        assert row is not None and row.status == outbox.PENDING and row.attempts == 0
        event = session.exec(select(Event).where(Event.action == "outbox.requeued")).one()
        assert event.actor == "admin" and event.entity_id == str(ids["failed"])
    again = client.post(f"/poczta/{ids['skipped']}/ponow", data={"csrf": csrf_of(after)}, follow_redirects=False)
    assert again.status_code == 303
    assert "nie można już ponowić" in client.get("/poczta").text


def test_auditor_reads_staff_cannot(review, client_for):
    ctx, _ = review
    ids = add_rows(ctx.engine)
    auditor = client_for("ewa")
    page = auditor.get("/poczta")
    assert page.status_code == 200 and "550 mailbox unavailable" in page.text and "Wyślij ponownie" not in page.text
    assert 'href="/poczta"' in page.text
    r = auditor.post(f"/poczta/{ids['failed']}/ponow", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 403
    staff = client_for("ala")
    assert staff.get("/poczta").status_code == 403
    assert 'href="/poczta"' not in staff.get("/kolejka").text
    with Session(ctx.engine) as session:
        assert session.get(outbox.OutboxMessage, ids["failed"]).status == outbox.FAILED
    anonymous = client_for(None)
    assert anonymous.get("/poczta", follow_redirects=False).headers["location"].startswith("/logowanie")
    assert anonymous.post(f"/poczta/{ids['failed']}/ponow", data={"csrf": "x"}).status_code == 401
