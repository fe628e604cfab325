"""Headers: RFC 2047 words in every charset, raw 8-bit bytes, addresses, dates, message ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from intake.parsing import parse_message
from intake.parsing.headers import addresses, decode_words, message_ids, parse_date

DATA = Path(__file__).resolve().parents[1] / "data"
WARSAW_WINTER = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=?utf-8?Q?Urz=C4=85d_Gminy_Klukowo?=", "Urząd Gminy Klukowo"),
        ("=?UTF-8?B?WmHFvMOzxYLEhyBnxJnFm2zEhSBqYcW6xYQ=?=", "Zażółć gęślą jaźń"),
        ("=?iso-8859-2?Q?=A3=F3d=BC?=", "Łódź"),
        ("=?ISO-8859-2?B?o/Nk?=", "Łód"),
        ("=?windows-1250?Q?Pytanie_=96_lokalna_=BFywno=9C=E6?=", "Pytanie – lokalna żywność"),
        ("=?windows-1250?B?o7Nr?=", "Łłk"),
        ("Re: =?utf-8?Q?uwaga?= do strategii", "Re: uwaga do strategii"),
        ("=?utf-8?Q?a?=\r\n =?utf-8?Q?b?=", "ab"),
        ("=?utf-8*pl?Q?Zaz=C3=B3?=", "Zazó"),
    ],
)
def test_encoded_words_decode_in_every_corpus_charset(raw: str, expected: str) -> None:
    assert decode_words(raw) == expected


def test_a_character_split_between_two_base64_words_is_joined() -> None:
    assert decode_words("=?utf-8?B?xQ==?= =?utf-8?B?mw==?=") == "ś"


def test_a_bad_encoded_word_stays_as_written_and_spoils_nothing_else() -> None:
    defects: list[str] = []
    text = decode_words("=?utf-8?B?WmHFvMOzxYLEhw==?= =?utf-8?B?!!!bad!!!?=", defects)
    assert text == "Zażółć =?utf-8?B?!!!bad!!!?="
    assert defects


def test_raw_8bit_utf8_subject_is_read_as_utf8() -> None:
    mail = parse_message((DATA / "raw_utf8_subject_header.eml").read_bytes())
    assert mail.subject.startswith("!!! Fotowoltaika i pompy ciepła ZA 0 ZŁ")
    assert mail.header("Subject") == mail.subject


def test_raw_8bit_windows1250_header_is_guessed() -> None:
    raw = "Subject: Uwaga o świetlicy w Gródku\r\nFrom: a@b.pl\r\n\r\nx\r\n".encode("cp1250")
    assert parse_message(raw).subject == "Uwaga o świetlicy w Gródku"


def test_sender_name_and_address_are_split_and_decoded() -> None:
    mail = parse_message((DATA / "charset_windows1250_8bit_encoded_words.eml").read_bytes())
    assert mail.sender_name == "Ryszard Kozłowski"
    assert mail.sender_email == "ryszard.kozlowski.rolnik@wp.pl"


def test_to_and_cc_lists_hold_addresses() -> None:
    mail = parse_message((DATA / "pdf_numbered_remarks_encoded_filename.eml").read_bytes())
    assert mail.to == ("ug@klukowo.pl",)
    assert mail.cc == ("sekretariat@gminabransk.pl",)
    assert "Sekretariat UG Brańsk" in mail.header("cc")


def test_encoded_display_name_with_a_comma_is_one_mailbox() -> None:
    found = addresses('=?utf-8?Q?Kowalski=2C_Jan?= <JAN@Example.PL>, "Nowak, Anna" <anna@x.pl>')
    assert found == [("Kowalski, Jan", "jan@example.pl"), ("Nowak, Anna", "anna@x.pl")]


def test_undisclosed_recipients_is_an_empty_list_not_a_defect() -> None:
    defects: list[str] = []
    assert addresses("undisclosed-recipients:;", defects) == []
    assert defects == []


def test_message_id_in_reply_to_and_references_lose_their_brackets() -> None:
    mail = parse_message((DATA / "quote_gmail_reply_with_references.eml").read_bytes())
    assert mail.message_id and "<" not in mail.message_id
    assert mail.in_reply_to == "ack.STR-2026-0031@klukowo.pl"
    assert len(mail.references) == 2
    assert "ack.STR-2026-0031@klukowo.pl" in mail.references


def test_missing_message_id_is_an_empty_string() -> None:
    assert parse_message(b"From: a@b.pl\r\nSubject: x\r\n\r\nbody\r\n").message_id == ""
    assert message_ids("  bare-id@host  ") == ["bare-id@host"]


def test_date_is_an_aware_datetime_with_its_own_offset() -> None:
    mail = parse_message((DATA / "quote_w_dniu_pisze_flowed.eml").read_bytes())
    assert mail.date == datetime(2026, 11, 14, 9, 20, 24, tzinfo=WARSAW_WINTER)
    assert mail.date.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tue, 24 Nov 2026 16:10:33 +0100", datetime(2026, 11, 24, 15, 10, 33, tzinfo=UTC)),
        ("24 Nov 2026 16:10:33 GMT", datetime(2026, 11, 24, 16, 10, 33, tzinfo=UTC)),
        ("Tue, 24 Nov 2026 16:10:33 -0000", datetime(2026, 11, 24, 16, 10, 33, tzinfo=UTC)),
    ],
)
def test_dates_in_other_forms_are_aware(raw: str, expected: datetime) -> None:
    parsed = parse_date(raw, [])
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed == expected


def test_an_unreadable_date_is_none_with_a_defect() -> None:
    defects: list[str] = []
    assert parse_date("wczoraj po południu", defects) is None
    assert defects


def test_headers_map_lower_case_names_to_all_decoded_values() -> None:
    mail = parse_message((DATA / "html_only_outlook_cp1250.eml").read_bytes())
    assert mail.headers["subject"] == (mail.subject,)
    assert len(mail.headers["received"]) >= 1
    assert mail.header("X-MAILER") == "Microsoft Outlook 16.0"
    assert mail.subject == "Konsultacje – strategia terytorialna – Centrum Wsparcia Przedsiębiorczości"
