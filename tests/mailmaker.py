"""Small, real RFC 5322 messages built in tests (unique Message-IDs, Polish text)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def make_mail(subject: str = "Uwaga do strategii", body: str = "Proponuję ścieżkę rowerową do Klukowa.",
              sender: str = "Jan Kowalski <jan.kowalski@example.org>", msgid: str | None = None,
              date: datetime | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "ug@klukowo.pl"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    msg["Message-ID"] = msgid or make_msgid(domain="example.org")
    msg.set_content(body)
    return msg.as_bytes()


BROKEN_MIME = (
    b"From: Anna Nowak <anna@example.org>\r\nTo: ug@klukowo.pl\r\nSubject: uwagi\r\n"
    b"Message-ID: <broken-mime-1@example.org>\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
    b"--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"!!!not base64 at all@@@\r\n--XYZ\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJ"
)
