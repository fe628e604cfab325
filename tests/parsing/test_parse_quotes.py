"""new_text keeps what the sender wrote now: quoted replies, signatures, mobile footers go."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.parsing import parse_message
from intake.parsing.quotes import is_forward_subject, new_text

DATA = Path(__file__).resolve().parents[1] / "data"
OFFICE_TEXT = "uprzejmie informuję"


def parse(name: str):
    return parse_message((DATA / name).read_bytes())


def test_thunderbird_w_dniu_pisze_quote_is_removed_and_the_numbered_remarks_stay() -> None:
    mail = parse("quote_w_dniu_pisze_flowed.eml")
    assert "W dniu 12.11.2026" in mail.body_text and OFFICE_TEXT in mail.body_text
    assert "W dniu" not in mail.new_text and OFFICE_TEXT not in mail.new_text
    for point in ("1. Świetlica w Gródku", "2. Rowy melioracyjne", "3. Przy drodze do kościoła"):
        assert point in mail.new_text
    # format=flowed soft breaks are joined back into whole sentences
    assert "okna stare." in mail.new_text


def test_gmail_napisal_a_quote_is_removed_from_plain_text() -> None:
    mail = parse("quote_gmail_napisal_a_alternative.eml")
    assert "napisał(a):" not in mail.new_text and OFFICE_TEXT not in mail.new_text
    assert "3) plac zabaw i siłownia" in mail.new_text
    assert mail.new_text.endswith("Bogdan Jabłoński\nsołtys")


def test_reply_to_the_acknowledgement_keeps_only_the_new_remark() -> None:
    mail = parse("quote_gmail_reply_with_references.eml")
    assert "parking dla rowerów" in mail.new_text
    assert "STR/2026/0031" not in mail.new_text
    assert "STR/2026/0031" in mail.body_text


def test_outlook_wiadomosc_oryginalna_block_is_cut() -> None:
    mail = parse("quote_wiadomosc_oryginalna_cp1250.eml")
    assert "odbudowa starych zastawek" in mail.new_text
    for gone in ("Wiadomość oryginalna", "Wysłano:", "serdecznie zapraszam"):
        assert gone not in mail.new_text
        assert gone in mail.body_text


def test_dnia_napisal_blockquote_in_html_is_removed_only_from_new_text() -> None:
    mail = parse("quote_dnia_napisal_blockquote_html.eml")
    assert "nadpłata w kwocie" in mail.body_text
    assert "nadpłata" not in mail.new_text and "Dnia 3 grudnia" not in mail.new_text
    assert "pieniądze wpłynęły" in mail.new_text


@pytest.mark.parametrize(
    ("name", "footer", "kept"),
    [
        ("mobile_footer_iphone.eml", "Wysłane z iPhone'a", "Wielu z nas by wróciło"),
        ("mobile_footer_poczta_app.eml", "Wysłano z aplikacji Poczta", "brakuje basenu"),
        ("body_base64_utf8_mobile_footer.eml", "Wysłane z mojego smartfona", "PSZOK"),
    ],
)
def test_mobile_footers_are_dropped(name: str, footer: str, kept: str) -> None:
    mail = parse(name)
    assert footer in mail.body_text
    assert footer not in mail.new_text
    assert kept in mail.new_text


def test_dash_dash_signature_and_closing_formula_are_dropped() -> None:
    mail = parse("signature_dash_dash_separator.eml")
    assert "Z poważaniem" not in mail.new_text and "Joanna Baranowska" not in mail.new_text
    assert mail.new_text.endswith("Większość lokalnych organizacji nie ma księgowej.")


@pytest.mark.parametrize(
    "text",
    [
        "Proszę o chodnik.\n\n> stary tekst\n> więcej starego\n",
        "Proszę o chodnik.\n\nOn Thu, 12 Nov 2026 at 10:15, Office <ug@klukowo.pl> wrote:\n\n> old\n> old\n",
        "Proszę o chodnik.\n\n-----Original Message-----\nFrom: ug@klukowo.pl\nSent: Thursday\nTo: me\n"
        "Subject: x\n\nold text",
        "Proszę o chodnik.\n\n________________________________\nOd: Urząd <ug@klukowo.pl>\n"
        "Wysłane: czwartek\nDo: Jan\nTemat: Konsultacje\n\nold text",
        "Proszę o chodnik.\n\nOd: Urząd Gminy <ug@klukowo.pl>\nData: 12.11.2026\nDo: Jan\nTemat: x\n\nold",
        "Proszę o chodnik.\n\nczw., 12 lis 2026 o 10:15 Urząd Gminy Klukowo <ug@klukowo.pl>\n"
        "napisał(a):\n\n> old",
        "Proszę o chodnik.\n\nWiadomość napisana przez Urząd <ug@klukowo.pl> w dniu 12.11.2026, "
        "o godz. 10:15:\n\nold",
        "Proszę o chodnik.\n\nSent from my iPhone",
        "Proszę o chodnik.\n\nPobierz aplikację Poczta WP na Androida",
        "Proszę o chodnik.\n\nWysłano z mojego smartfona Samsung Galaxy.",
        "Proszę o chodnik.\n\n-- \nJan Kowalski\ntel. 600 000 000",
        "Proszę o chodnik.\n\nZ wyrazami szacunku\nJan Kowalski\nsołtys Gródka",
        "Proszę o chodnik.\n\nŁączę pozdrowienia,\nAnna",
        "Proszę o chodnik.\n\nDziękuję\nJan",
    ],
)
def test_every_quote_and_signature_style_is_removed(text: str) -> None:
    assert new_text(text) == "Proszę o chodnik."


def test_a_closing_formula_followed_by_a_real_paragraph_is_kept() -> None:
    text = (
        "Proszę o chodnik.\n\nPozdrawiam\nJan\n\nPS. Jeszcze jedno: przystanek w Gródku nie ma wiaty, "
        "a dzieci czekają na deszczu po pół godziny, proszę to też dopisać do strategii, bardzo ważne?"
    )
    assert new_text(text) == text


def test_a_sign_off_name_without_a_closing_formula_is_kept() -> None:
    text = "Proszę o chodnik.\n\nJan Kowalski\nGródek"
    assert new_text(text) == text


def test_pisze_inside_a_remark_is_not_mistaken_for_a_reply_header() -> None:
    text = "W strategii ktoś pisze:\n„budowa świetlic”\nProponuję dopisać Gródek."
    assert new_text(text) == text


def test_bottom_posted_reply_below_the_quote_is_kept() -> None:
    text = "W dniu 12.11.2026 o 10:15, Urząd Gminy Klukowo pisze:\n> stary tekst\n> stary\n\nMoja uwaga: x."
    assert new_text(text) == "Moja uwaga: x."


def test_inline_forward_keeps_the_forwarded_text_without_its_header_block() -> None:
    text = (
        "Przekazuję uwagę mieszkańca.\n\n---------- Forwarded message ---------\nOd: Jan <jan@x.pl>\n"
        "Date: czw., 12 lis 2026\nSubject: uwaga\nTo: <j.pietrzak@klukowo.pl>\n\nProszę o wiatę przystankową."
    )
    result = new_text(text, forward=is_forward_subject("Fwd: uwaga"))
    assert "Proszę o wiatę przystankową." in result
    assert "Przekazuję uwagę mieszkańca." in result
    assert "Od: Jan" not in result


def test_outlook_forward_keeps_the_forwarded_text() -> None:
    text = (
        "Do wiadomości.\n\nOd: Jan <jan@x.pl>\nWysłano: czwartek\nDo: Urząd\nTemat: uwaga\n\nProszę o wiatę."
    )
    assert new_text(text, forward=True) == "Do wiadomości.\n\nProszę o wiatę."


def test_a_message_that_is_only_an_original_message_block_keeps_its_content() -> None:
    text = "-----Wiadomość oryginalna-----\nOd: Jan <jan@x.pl>\nWysłano: czw\nDo: Urząd\nTemat: x\n\nProszę."
    assert new_text(text) == "Proszę."


@pytest.mark.parametrize("subject", ["Fwd: uwaga", "FW: uwaga", "PD: uwaga", "Tr: x", "Przekaż: x"])
def test_forward_subjects_are_recognised(subject: str) -> None:
    assert is_forward_subject(subject)


def test_reply_subjects_are_not_forwards() -> None:
    assert not is_forward_subject("Re: Odp: uwaga")


def test_outlook_html_reply_header_block_is_cut_after_conversion() -> None:
    html = (
        '<div class="WordSection1"><p class="MsoNormal">Popieram budowę kanalizacji.</p>'
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal"><b>Od:</b> Urząd '
        "&lt;ug@klukowo.pl&gt;<br><b>Wysłano:</b> czwartek, 12 listopada 2026 10:15<br><b>Do:</b> Jan<br>"
        '<b>Temat:</b> Konsultacje</p></div><p class="MsoNormal">Szanowni Państwo, stary tekst.</p></div>'
    )
    head = "From: Jan <jan@example.pl>\r\nSubject: RE: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    raw = (head + html).encode()
    mail = parse_message(raw)
    assert mail.new_text == "Popieram budowę kanalizacji."
    assert "stary tekst" in mail.body_text


def test_a_footer_like_sentence_inside_the_remark_is_kept() -> None:
    text = (
        "Pobierz aplikację gminną – tak powinno brzmieć ogłoszenie w strategii.\n"
        "Druga uwaga.\nTrzecia.\nCzwarta.\nPiąta.\nSzósta.\nSiódma."
    )
    assert new_text(text) == text
