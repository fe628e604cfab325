"""HTML bodies become readable text: lists, paragraphs, no styles or scripts, quotes only in body_text."""

from __future__ import annotations

from pathlib import Path

from intake.parsing import parse_message
from intake.parsing.html import html_to_text

DATA = Path(__file__).resolve().parents[1] / "data"


def html_mail(html: str, charset: str = "utf-8") -> bytes:
    head = (
        "From: Anna <anna@example.pl>\r\nTo: ug@klukowo.pl\r\nSubject: uwagi\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/html; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + html.encode(charset)


def test_ordered_and_unordered_lists_keep_numbers_and_bullets() -> None:
    whole, _ = html_to_text(
        "<p>Uwagi:</p><ol><li>Chodnik w Gródku</li><li>Wiata</li></ol><ul><li>Lampy</li></ul>"
    )
    assert "1. Chodnik w Gródku" in whole
    assert "2. Wiata" in whole
    assert "* Lampy" in whole


def test_paragraphs_are_separated_by_a_blank_line() -> None:
    mail = parse_message(html_mail("<p>Pierwszy akapit.</p><p>Drugi akapit.</p>"))
    assert mail.body_text == "Pierwszy akapit.\n\nDrugi akapit."


def test_style_script_and_outlook_conditional_comments_are_dropped() -> None:
    html = (
        "<html><head><style>p.MsoNormal {margin:0cm; font-family:Aptos}</style>"
        "<script>alert('x')</script><!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]--></head>"
        "<body><p class=MsoNormal>Proszę o wiatę.<o:p></o:p></p>"
        "<p class=MsoListParagraph><![if !supportLists]><span>1.<span>&nbsp;&nbsp; </span></span><![endif]>"
        "Pierwsza uwaga</p><p class=MsoListParagraph><!--[if !supportLists]--><span>2.<span>&nbsp; </span>"
        "</span><!--[endif]-->Druga uwaga</p></body></html>"
    )
    whole, _ = html_to_text(html)
    assert "Proszę o wiatę." in whole
    assert "1. Pierwsza uwaga\n2. Druga uwaga" in whole
    for junk in ("margin", "alert", "shapedefaults", "supportLists", "endif"):
        assert junk not in whole


def test_word_paragraphs_with_nbsp_keep_their_empty_lines() -> None:
    html = (
        '<p class="MsoNormal">Dzień dobry,<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        '<p class="MsoNormal">Pozdrawiam<o:p></o:p></p>'
    )
    mail = parse_message(html_mail(html))
    assert mail.body_text == "Dzień dobry,\n\nPozdrawiam"


def test_gmail_quote_is_kept_in_body_text_and_dropped_from_new_text() -> None:
    html = (
        '<div dir="ltr">Popieram projekt.</div><br><div class="gmail_quote"><div class="gmail_attr">'
        "pon., 16 lis 2026 o 10:00 Urząd &lt;ug@klukowo.pl&gt; napisał(a):<br></div>"
        '<blockquote class="gmail_quote">Stary tekst urzędu.</blockquote></div>'
    )
    mail = parse_message(html_mail(html))
    assert "Stary tekst urzędu." in mail.body_text
    assert mail.new_text == "Popieram projekt."


def test_a_blockquote_inside_the_remark_is_kept_when_text_follows_it() -> None:
    html = (
        "<p>W projekcie zapisano:</p><blockquote>budowa świetlicy</blockquote><p>Proponuję dodać Gródek.</p>"
    )
    whole, new = html_to_text(html)
    assert "budowa świetlicy" in new
    assert whole == new


def test_outlook_html_only_windows1250_message_reads_cleanly() -> None:
    mail = parse_message((DATA / "html_only_outlook_cp1250.eml").read_bytes())
    assert mail.content_type == "text/html"
    assert "Prowadzę zakład stolarski (12 pracowników)" in mail.new_text
    assert "font-family" not in mail.body_text and "MsoNormal" not in mail.body_text
    assert "Z poważaniem" in mail.body_text and "Z poważaniem" not in mail.new_text


def test_html_with_an_xml_declaration_and_broken_tags_still_gives_text() -> None:
    whole, _ = html_to_text('<?xml version="1.0"?><div><p>Uwaga <b>ważna</p></span></div></td>')
    assert "Uwaga ważna" in whole


def test_empty_or_whitespace_html_gives_empty_text() -> None:
    assert html_to_text("   ") == ("", "")
    assert html_to_text("<html><body></body></html>")[0].strip() == ""
