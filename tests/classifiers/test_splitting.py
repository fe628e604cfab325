"""Splitting: one remark per list item or form row, from the body, attachments and forwarded mail."""

from __future__ import annotations

import pytest

from classifiers.record import Attachment
from classifiers.splitting import inner_sender, split_remarks

FILES = [
    ("split_numbered_list_reply_to_circular", 3),
    ("split_uwaga_1_uwaga_2", 2),
    ("split_bullets", 3),
    ("split_docx_form_rows", 3),
    ("split_pdf_numbered_points", 2),
    ("split_odt_numbered_points", 4),
    ("split_forwarded_rfc822_remark", 1),
    ("split_follow_up_reply", 1),
    ("split_prose_ordinals_without_count", 1),
    ("split_prose_ordinals_with_announced_count", 2),
    ("split_body_remark_with_photo", 1),
    ("split_short_bullets_one_proposal", 1),
    ("split_inline_forward", 1),
    ("split_body_and_attachment_both_carry_remarks", 2),
    ("split_docx_form_other_header_wording", 2),
    ("split_forward_of_office_circular_with_comment", 1),
]


@pytest.mark.parametrize(("name", "count"), FILES)
def test_each_form_of_several_remarks_is_split_into_the_right_number(eml, name, count):
    mail, _ = eml(name)
    parts = split_remarks(mail)
    assert len(parts) == count, [p.text[:60] for p in parts]
    assert [p.ordinal for p in parts] == list(range(1, count + 1))


def test_numbered_items_lose_their_marker_and_the_intro_and_signature(eml):
    parts = split_remarks(eml("split_numbered_list_reply_to_circular")[0])
    assert parts[0].text.startswith("Świetlica w Gródku")
    assert parts[0].fields["lp"] == "1"
    assert not any("Wierzbicki" in p.text or "przesyłam nasze uwagi" in p.text for p in parts)


def test_a_reply_contributes_only_its_new_text(eml):
    (part,) = split_remarks(eml("split_follow_up_reply")[0])
    assert "parking dla rowerów" in part.text
    assert "Informacja o przetwarzaniu" not in part.text


def test_form_rows_carry_their_fields_and_the_attachment_name(eml):
    parts = split_remarks(eml("split_docx_form_rows")[0])
    assert {p.origin for p in parts} == {"formularz_uwag_SP_Klukowo.docx"}
    first = parts[0].fields
    assert first["lp"] == "1"
    assert first["part"].startswith("Cel 2, projekt „Kompetencje przyszłości")
    assert first["current"].startswith("Doradztwo zawodowe")
    assert first["proposal"].startswith("Objąć doradztwem")
    assert first["justification"].startswith("Wybór szkoły")


def test_form_headers_are_recognised_whatever_their_wording(eml):
    parts = split_remarks(eml("split_docx_form_other_header_wording")[0])
    assert parts[0].fields["part"] == "Rozdział 4, projekt P2.2"
    assert parts[0].fields["current"] == "Dzienny dom seniora w Wysokiem Mazowieckiem"
    assert parts[0].fields["proposal"] == "Kluby seniora w każdej gminie Partnerstwa"
    assert "current" not in parts[1].fields  # a dash is an empty cell


def test_a_covering_note_is_not_a_remark(eml):
    parts = split_remarks(eml("split_pdf_numbered_points")[0])
    assert all(p.origin.endswith(".pdf") for p in parts)
    assert parts[1].text.startswith("Projekt „Turystyka aktywna")
    assert "Z poważaniem" not in parts[1].text


def test_body_and_attachment_both_count_when_both_carry_remarks(eml):
    parts = split_remarks(eml("split_body_and_attachment_both_carry_remarks")[0])
    assert [p.origin for p in parts] == ["body", "uwaga.docx"]
    assert parts[1].text.startswith("Sprzeciwiam się lokalizacji")


def test_a_forwarded_remark_is_read_as_the_inner_senders(eml):
    mail, _ = eml("split_forwarded_rfc822_remark")
    (part,) = split_remarks(mail)
    assert inner_sender(mail) == ("Władysław Kurek", "wladyslaw.kurek@onet.pl")
    assert "teleopiece" in part.text
    assert "Referat Rozwoju" not in part.text


def test_an_inline_forward_names_its_inner_sender(eml):
    mail, _ = eml("split_inline_forward")
    (part,) = split_remarks(mail)
    assert inner_sender(mail) == ("Anna Nowak", "anna.nowak@example.pl")
    assert part.text.startswith("popieram budowę ścieżki")


def test_a_forwarded_office_circular_is_not_read_as_a_remark(eml):
    mail, _ = eml("split_forward_of_office_circular_with_comment")
    (part,) = split_remarks(mail)
    assert part.text.startswith("mieszkańcy Kalisk proszą")
    assert inner_sender(mail) == (mail.sender_name, mail.sender_email)


def test_the_sender_is_the_inner_sender_when_nothing_was_forwarded(make_mail):
    assert inner_sender(make_mail("Popieram.")) == ("Jan Kowalski", "jan.kowalski@example.pl")


@pytest.mark.parametrize(
    ("body", "count"),
    [
        (
            "Ad 1. Popieram budowę basenu dla całego powiatu.\n"
            "Ad 2. Sprzeciwiam się likwidacji filii biblioteki.",
            2,
        ),
        ("I. Transport trzeba zgrać z rozkładem pociągów.\nII. Schronisko nie może stać przy domach.", 2),
        ("Uwaga nr 1: autobusy także w soboty i niedziele.\nUwaga nr 2: ścieżka rowerowa do Wysokiego.", 2),
        (
            "Mam uwagi:\na) dom seniora powinien być w każdej gminie, nie tylko w mieście\n"
            "b) kursy komputerowe dla seniorów powinny być w bibliotekach blisko domu",
            2,
        ),
        (
            "1. Transport: proponuję\n- kurs o 6:00,\n- kurs o 15:30.\n"
            "2. Odpady: zbiórka folii raz w roku w każdej wsi.",
            2,
        ),
        (
            "Mam dwie uwagi.\n\nPierwsza: autobusy w wakacje też muszą jeździć.\n\n"
            "Druga: schronisko z dala od domów.",
            2,
        ),
        ("Proponuję w strategii:\n1. basen\n2. skatepark\n3. siłownię", 1),
        ("Popieram całą strategię. Powodzenia!", 1),
    ],
)
def test_hand_made_lists(make_mail, body, count):
    assert len(split_remarks(make_mail(body))) == count


def test_bullets_inside_a_numbered_point_stay_in_that_point(make_mail):
    body = "1. Transport: proponuję\n- kurs o 6:00,\n- kurs o 15:30.\n2. Odpady: zbiórka folii raz w roku."
    first = split_remarks(make_mail(body))[0]
    assert "kurs o 15:30" in first.text


def test_nested_bullets_belong_to_their_outer_bullet(make_mail):
    body = (
        "Uwagi do strategii:\n- autobusy powinny jeździć także w soboty i w niedziele, bo nie da się"
        " dojechać\n"
        "  - kurs rano o szóstej\n  - kurs wieczorem po drugiej zmianie\n"
        "- ścieżka rowerowa z Klukowa do Wysokiego Mazowieckiego wzdłuż drogi powiatowej"
    )
    parts = split_remarks(make_mail(body))
    assert len(parts) == 2
    assert parts[0].text.endswith("- kurs wieczorem po drugiej zmianie")


def test_a_remark_email_always_yields_at_least_one_part(make_mail):
    unreadable = Attachment("skan.jpg", "image/jpeg", 10, "0" * 64)
    parts = split_remarks(make_mail("", subject="Uwagi do strategii", attachments=(unreadable,)))
    assert [p.text for p in parts] == ["Uwagi do strategii"]


def test_a_free_text_remark_gets_its_proposal_sentence(make_mail):
    (part,) = split_remarks(make_mail("Autobus jeździ za rzadko. Proponuję kurs o 6:00 do Wysokiego."))
    assert part.fields == {"proposal": "Proponuję kurs o 6:00 do Wysokiego."}
