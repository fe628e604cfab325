"""Hostile mail at the parser: linear time on long runs, caps with notes, clean header values.

Every message is built here (tests/hostile.py), never stored. Bounds are generous (a slow, shared
2-core machine): before the fixes these inputs took from half a minute to "never finished".
"""

from __future__ import annotations

import re
import time

import pytest

from intake.parsing import ParseLimits, ParseRejected, parse_message
from intake.parsing.headers import decode_words, unfold
from intake.parsing.limits import MB, megabytes
from intake.parsing.message import parse_headline
from intake.parsing.text import normalise
from tests import hostile

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def test_80000_spaces_inside_a_body_line_are_trimmed_in_linear_time() -> None:
    mail, seconds = timed(parse_message, hostile.WORST["spaces in body"](1))
    assert seconds < 5
    assert mail.body_text.startswith("Uwaga do strategii") and mail.body_text.endswith("koniec")


def test_trailing_space_trim_is_linear_on_two_megabytes_of_spaces() -> None:
    text, seconds = timed(normalise, "a" + " " * 2_000_000 + "b\n" + " " * 100_000)
    assert seconds < 2 and text == "a" + " " * 2_000_000 + "b"


def test_40000_spaces_in_a_header_are_unfolded_in_linear_time() -> None:
    mail, seconds = timed(parse_message, hostile.WORST["spaces in header"](1))
    assert seconds < 5 and mail.subject.startswith("Uwagi") and mail.subject.endswith("x")
    assert unfold("a  \r\n\t b \n c") == "a b c"
    _, seconds = timed(decode_words, "x" + " " * 200_000 + "y")
    assert seconds < 2


@pytest.mark.parametrize("name", ["2 MB single line", "2 MB line of spaces", "numbered items", "deep > quotes",
                                  "Uwaga N: lines", "bullets"])
def test_big_plain_bodies_parse_within_seconds_and_are_cut_with_a_defect(name: str) -> None:
    mail, seconds = timed(parse_message, hostile.WORST[name](1))
    assert seconds < 5
    assert len(mail.body_text) <= ParseLimits().max_text_chars


def test_500000_nested_divs_give_a_body_and_a_defect() -> None:
    mail, seconds = timed(parse_message, hostile.WORST["nested divs"](1))
    assert seconds < 5
    assert mail.body_text == "Uwaga do strategii."
    assert any("HTML body could not be parsed" in d for d in mail.defects)


def test_html_deeper_than_the_parser_allows_keeps_the_text_past_the_limit() -> None:
    markup = "<p>Wstęp</p>" + "<div>" * 300 + "Uwaga &amp; wniosek" + "</div>" * 300
    mail = parse_message(hostile.html(markup))
    assert "Wstęp" in mail.body_text and "Uwaga & wniosek" in mail.body_text


def test_5000_tiny_attachments_are_listed_but_only_the_first_are_read() -> None:
    limits = ParseLimits()
    mail, seconds = timed(parse_message, hostile.WORST["tiny attachments"](1))
    assert seconds < 5
    assert len(mail.attachments) == 5_000
    read = [a for a in mail.attachments if a.text]
    assert len(read) == limits.max_attachments
    assert mail.attachments[-1].note.startswith("text not read: over the limit of 50 attachments")
    assert all(a.sha256 for a in mail.attachments)


def test_attachments_share_one_text_budget() -> None:
    files = [(f"u{i}.txt", "text/plain", b"Uwaga o drogach. " * 1_000) for i in range(10)]
    mail = parse_message(hostile.with_attachments(files), ParseLimits(max_text_chars=40_000))
    assert sum(len(a.text) for a in mail.attachments) <= 40_000
    assert "text not read" in mail.attachments[-1].note


def test_a_20000_page_pdf_is_read_up_to_the_page_limit_with_a_note() -> None:
    mail, seconds = timed(parse_message, hostile.WORST["20,000-page PDF"](1))
    assert seconds < 5
    (pdf,) = mail.attachments
    assert pdf.text.count("Uwaga do strategii") == ParseLimits().max_pdf_pages
    assert pdf.note == "text read from the first 100 of 20000 pages"


def test_a_small_pdf_is_read_whole_without_a_note() -> None:
    mail = parse_message(hostile.with_attachments([("u.pdf", "application/pdf", hostile.pdf_pages(3))]))
    assert mail.attachments[0].text.count("Uwaga do strategii") == 3 and not mail.attachments[0].note


def test_a_docx_unpacking_over_the_limit_is_not_read_and_says_why() -> None:
    raw = hostile.with_attachments([("uwagi.docx", hostile.DOCX, hostile.docx_unpacking_to(30_000_000))])
    mail, seconds = timed(parse_message, raw)
    assert seconds < 5
    (docx,) = mail.attachments
    assert not docx.text and "over the 5 MB limit" in docx.note


def test_a_docx_under_the_limit_is_still_read() -> None:
    raw = hostile.with_attachments([("uwagi.docx", hostile.DOCX, hostile.docx_unpacking_to(20_000))])
    assert "proszę o zmianę zapisu" in parse_message(raw).attachments[0].text


def test_header_values_never_keep_control_characters() -> None:
    raw = (b"From: =?utf-8?q?Jan=0D=0ABcc=3A_x=40evil=2Epl?= <jan@example.org>\r\n"
           b"To: =?utf-8?q?Ala=00=07?= <ug@klukowo.pl>\r\n"
           b"Subject: =?utf-8?q?Uwagi=0D=0ABcc=3A_victim=40example=2Epl?= \x01raw\x85\r\n"
           b"Message-ID: <ctl@example.org>\r\n\r\nTre\xc5\x9b\xc4\x87\r\n")
    mail = parse_message(raw)
    assert mail.subject.startswith("Uwagi  Bcc: victim@example.pl")
    values = [mail.subject, mail.sender_name, mail.sender_email, *mail.to]
    values += [v for vs in mail.headers.values() for v in vs]
    assert not [v for v in values if CONTROL.search(v)]


def test_invalid_8bit_bytes_in_a_display_name_keep_the_ascii_address() -> None:
    raw = b"From: \xc3\x28\xa0\xa1 <jan.kowalski@example.org>\r\nSubject: x\r\n\r\nUwaga.\r\n"
    mail = parse_message(raw)
    assert mail.sender_email == "jan.kowalski@example.org"
    assert any("unreadable display name" in d for d in mail.defects)


def test_a_25_mb_limit_is_reported_as_25_mb() -> None:
    raw = hostile.plain("x" * 26_000_000)
    with pytest.raises(ParseRejected) as caught:
        parse_message(raw, ParseLimits(max_message_bytes=25 * MB))
    assert caught.value.reason.endswith("over the 25 MB limit")
    assert megabytes(100_000) == "0.1 MB"


def test_the_default_service_limits_are_decimal_megabytes(tmp_path) -> None:
    from intake.services import Services

    limits = Services(hostile.settings_for_stages(tmp_path)).parse_limits
    assert (limits.max_message_bytes, limits.max_attachment_bytes) == (25_000_000, 10_000_000)


def test_the_headline_of_a_message_too_large_to_parse_is_read_cheaply() -> None:
    raw = hostile.plain("x" * 3_000_000, subject="=?utf-8?q?Uwagi_o_drogach?=")
    (subject, name, address, date), seconds = timed(parse_headline, raw)
    assert seconds < 1
    assert (subject, name, address) == ("Uwagi o drogach", "Anna Nowak", "anna@example.org") and date
