"""Every charset of the corpus decodes to real Polish letters, mislabelled ones included."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.parsing import parse_message
from intake.parsing.charsets import decode_bytes, repair_mojibake

DATA = Path(__file__).resolve().parents[1] / "data"
MOJIBAKE = ("Ä", "Ĺ", "Ă", "Ã", "Å", "\ufffd", "³", "¹", "¿")


def parse(name: str):
    return parse_message((DATA / name).read_bytes())


def assert_clean(text: str) -> None:
    for bad in MOJIBAKE:
        assert bad not in text, f"mojibake {bad!r} in {text[:200]!r}"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "charset_windows1250_mislabelled_latin1.eml",
            ["Dzień dobry", "załączeniu", "płatności", "Sprzedaży"],
        ),
        ("charset_windows1250_8bit_encoded_words.eml", ["Dzień dobry", "przeliczyć", "Kozłowski"]),
        ("quote_wiadomosc_oryginalna_cp1250.eml", ["Gminna Spółka Wodna", "śródpolnych", "Szymański"]),
        ("html_only_outlook_cp1250.eml", ["Przedsiębiorczości", "działki", "Sokołowski"]),
        ("charset_iso8859_2_flowed.eml", ["chciałbym wymienić", "piec węglowy", "Józef Kowalczyk"]),
        ("charset_iso8859_2_quoted_printable.eml", ["zgłaszam dwie uwagi", "śmieciowa", "Wojciechowski"]),
        ("body_base64_utf8_mobile_footer.eml", ["PSZOK", "przyjmuja"]),
        ("ukrainian_base64_alternative.eml", ["Добрий день", "стратегії"]),
        ("raw_utf8_subject_header.eml", ["Tylko do końca miesiąca", "PROWIZJĘ"]),
    ],
)
def test_each_corpus_charset_decodes_to_correct_polish_words(name: str, words: list[str]) -> None:
    mail = parse(name)
    for word in words:
        assert word in mail.body_text
    assert_clean(mail.body_text)
    assert_clean(mail.subject)
    assert_clean(mail.sender_name)


def test_latin1_label_on_windows1250_bytes_is_detected_and_reported() -> None:
    mail = parse("charset_windows1250_mislabelled_latin1.eml")
    assert "Dziękujemy za zamówienie." in mail.body_text
    assert any("iso-8859-1" in defect and "windows-1250" in defect for defect in mail.defects)


def test_us_ascii_text_without_diacritics_stays_as_written() -> None:
    mail = parse("charset_us_ascii_no_diacritics.eml")
    assert "jestem przeciwny temu zeby w naszej gminie budowac biogazownie" in mail.body_text
    assert not mail.defects


def test_utf8_declared_as_latin1_is_read_as_utf8() -> None:
    data = "Proszę o chodnik w Gródku".encode()
    defects: list[str] = []
    assert decode_bytes(data, "iso-8859-1", defects) == "Proszę o chodnik w Gródku"
    assert defects


def test_iso8859_2_bytes_labelled_as_windows1250_are_swapped_on_a_clear_win() -> None:
    text = "Świętość źródła ąśź, żółć, gęś, jaźń, Łódź, ścieżka, źdźbło"
    defects: list[str] = []
    assert decode_bytes(text.encode("iso-8859-2"), "windows-1250", defects) == text
    assert defects


def test_unknown_charset_label_falls_back_to_scoring() -> None:
    text = "Zażółć gęślą jaźń"
    defects: list[str] = []
    assert decode_bytes(text.encode("cp1250"), "x-made-up-charset", defects) == text
    assert defects


def test_german_latin1_text_is_not_mistaken_for_polish() -> None:
    text = "Grüße aus München, schöne Straße"
    assert decode_bytes(text.encode("latin-1"), "iso-8859-1") == text


def test_utf8_with_one_broken_byte_keeps_the_rest_readable() -> None:
    data = "Proszę o lampę przy świetlicy".encode() + b"\xff"
    text = decode_bytes(data, "utf-8", [])
    assert text.startswith("Proszę o lampę przy świetlicy")


def test_double_encoded_utf8_is_repaired() -> None:
    broken = "Zażółć gęślą jaźń".encode().decode("cp1250")
    defects: list[str] = []
    assert repair_mojibake(broken, defects) == "Zażółć gęślą jaźń"
    assert defects


def test_plain_polish_text_is_not_touched_by_mojibake_repair() -> None:
    assert repair_mojibake("Ćma i Ółtarz – Ästhetik") == "Ćma i Ółtarz – Ästhetik"
