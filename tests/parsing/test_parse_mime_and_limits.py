"""MIME shapes, inner messages, reports; broken input parses with defects; only limits raise."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from intake.parsing import ParsedMail, ParseLimits, ParseRejected, parse_message

DATA = Path(__file__).resolve().parents[1] / "data"


def parse(name: str) -> ParsedMail:
    return parse_message((DATA / name).read_bytes())


def nested_multipart(levels: int) -> bytes:
    body = "Content-Type: text/plain; charset=utf-8\r\n\r\nGłęboko.\r\n".encode()
    for level in range(levels):
        boundary = f"b{level}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + boundary
            + b'"\r\n\r\n--'
            + boundary
            + b"\r\n"
            + body
            + b"\r\n--"
            + boundary
            + b"--\r\n"
        )
    return b"From: a@example.pl\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + body


def test_multipart_alternative_prefers_the_plain_text_part() -> None:
    mail = parse("quote_gmail_napisal_a_alternative.eml")
    assert mail.content_type == "multipart/alternative"
    assert "> Szanowni Państwo" in mail.body_text  # only the plain part quotes with ">"


def test_an_html_stub_plain_part_loses_to_the_html_part() -> None:
    raw = (
        b"From: a@example.pl\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n"
        b"--A\r\nContent-Type: text/plain\r\n\r\nThis is an HTML message.\r\n--A\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>Proponuj\xc4\x99 budow\xc4\x99 boiska w Kaliskach, "
        b"bo dzieci graj\xc4\x85 na drodze i jest to bardzo niebezpieczne dla wszystkich.</p>\r\n--A--\r\n"
    )
    assert parse_message(raw).body_text.startswith("Proponuję budowę boiska w Kaliskach")


def test_forwarded_message_rfc822_is_parsed_recursively() -> None:
    mail = parse("forwarded_rfc822_remark.eml")
    assert mail.sender_email == "j.pietrzak@klukowo.pl"
    (inner,) = mail.forwarded
    assert inner.sender_name == "Władysław Kurek"
    assert inner.sender_email == "wladyslaw.kurek@onet.pl"
    assert inner.subject == "uwaga w sprawie samotnych starszych ludzi"
    assert "opaski z przyciskiem SOS" in inner.new_text
    assert inner.date is not None
    assert "opaski" not in mail.body_text
    assert mail.attachments == ()


def test_postfix_bounce_is_a_delivery_status_report() -> None:
    mail = parse("bounce_postfix_delivery_status.eml")
    assert (mail.content_type, mail.report_type) == ("multipart/report", "delivery-status")
    assert "User unknown" in mail.body_text
    status = next(a for a in mail.attachments if a.content_type == "message/delivery-status")
    assert "Status: 5.1.1" in status.text
    (original,) = mail.forwarded  # text/rfc822-headers: the returned headers, no body
    assert original.subject.startswith("Konsultacje społeczne projektu Strategii")
    assert original.body_text == ""


def test_gmail_bounce_returns_the_original_message() -> None:
    mail = parse("bounce_gmail_returned_original.eml")
    assert mail.report_type == "delivery-status"
    (original,) = mail.forwarded
    assert original.sender_email == "ug@klukowo.pl"
    assert "spotkanie konsultacyjne" in original.body_text


def test_read_receipt_is_a_disposition_notification_report() -> None:
    mail = parse("read_receipt_disposition_notification.eml")
    assert (mail.content_type, mail.report_type) == ("multipart/report", "disposition-notification")
    assert any("displayed" in a.text for a in mail.attachments)


def test_truncated_multipart_keeps_the_body_and_notes_the_defect() -> None:
    mail = parse("truncated_multipart_no_close_boundary.eml")
    assert mail.new_text == "Proszę o budowę ścieżki rowerowej do Gródka."
    assert any("close boundary" in defect for defect in mail.defects)
    (pdf,) = mail.attachments
    assert pdf.filename == "uwagi.pdf" and pdf.note and pdf.text == ""


def test_bad_base64_body_still_gives_the_readable_part() -> None:
    mail = parse("bad_base64_body_and_header_word.eml")
    assert mail.body_text.startswith("Proszę o lampy na ulicy Głównej.")
    assert mail.subject.startswith("Zażółć gęślą jaźń")
    assert mail.sender_name == "Zófia"
    assert mail.date is None
    assert any("base64" in defect for defect in mail.defects)


def test_missing_boundary_parameter_is_recovered_from_the_body() -> None:
    mail = parse("multipart_missing_boundary_parameter.eml")
    assert mail.body_text == "Proszę o więcej autobusów do Wysokiego Mazowieckiego."
    assert any("recovered" in defect for defect in mail.defects)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \x80\x81",
        b"no headers at all, just words",
        b"Subject: only a header",
        b"From: \r\nTo: ,,,<<>>\r\nDate: 99 Foo 99999\r\nContent-Type: multipart/mixed\r\n\r\n--\r\n--\r\n",
        b"Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n",
        b'Content-Type: text/plain; charset="\xff\xfe"\r\n\r\n\xe9\xe8\r\n',
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<<<<>>>><!-- <div <p </",
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n",
    ],
)
def test_broken_input_never_raises_anything_but_a_parsed_mail(raw: bytes) -> None:
    assert isinstance(parse_message(raw), ParsedMail)


def test_random_garbage_and_damaged_corpus_mail_never_raise() -> None:
    rng = random.Random(20261126)
    samples = [path.read_bytes() for path in sorted(DATA.glob("*.eml"))]
    for _ in range(150):
        raw = bytearray(rng.choice(samples))
        for _ in range(rng.randrange(1, 30)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        parse_message(bytes(raw[: rng.randrange(1, len(raw) + 1)]))
        parse_message(os.urandom(rng.randrange(1, 3000)))


def test_a_message_over_the_size_limit_is_rejected_with_a_reason() -> None:
    with pytest.raises(ParseRejected) as caught:
        parse_message(b"x" * 31_200_000)
    assert caught.value.reason == "message is 31.2 MB, over the 25 MB limit"


def test_mime_nesting_deeper_than_the_limit_is_rejected_with_a_reason() -> None:
    assert "Głęboko." in parse_message(nested_multipart(19)).body_text
    with pytest.raises(ParseRejected) as caught:
        parse_message(nested_multipart(21))
    assert caught.value.reason == "MIME nesting deeper than 20 levels"


def test_absurdly_deep_nesting_is_rejected_not_a_recursion_error() -> None:
    with pytest.raises(ParseRejected):
        parse_message(nested_multipart(1500))


def test_nested_forwarded_messages_count_towards_the_depth_limit() -> None:
    raw = b"From: a@example.pl\r\nSubject: inner\r\n\r\nTekst.\r\n"
    for _ in range(5):
        raw = b"From: a@example.pl\r\nSubject: fw\r\nContent-Type: message/rfc822\r\n\r\n" + raw
    with pytest.raises(ParseRejected):
        parse_message(raw, ParseLimits(max_mime_depth=3))
    assert parse_message(raw).forwarded[0].forwarded[0].subject == "fw"


def test_body_text_over_max_text_chars_is_cut_with_a_defect() -> None:
    raw = b"From: a@example.pl\r\nSubject: long\r\n\r\n" + b"Uwaga. " * 1_000
    mail = parse_message(raw, ParseLimits(max_text_chars=500))
    assert len(mail.body_text) == 500 and len(mail.new_text) <= 500
    assert any("body text cut at 500 characters" in defect for defect in mail.defects)


def test_text_is_normalised() -> None:
    raw = (
        "From: a@example.pl\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Zażółć\u00a0gęślą   \r\n\r\n\r\n\r\n\r\njaźń\u200b\r\n"
    ).encode()
    assert parse_message(raw).body_text == "Zażółć gęślą\n\njaźń"


def test_limits_are_a_frozen_dataclass_with_the_documented_defaults() -> None:
    limits = ParseLimits()
    assert (limits.max_message_bytes, limits.max_attachment_bytes) == (25_000_000, 10_000_000)
    assert (limits.max_mime_depth, limits.max_text_chars) == (20, 200_000)
    with pytest.raises(AttributeError):
        limits.max_mime_depth = 5  # type: ignore[misc]
