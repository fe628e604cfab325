"""Splitting where residents made separate points, in any language, and only there (own e-mails)."""

from __future__ import annotations

from classifiers.splitting import split_remarks
from tests.classifiers.conftest import _mail


def test_a_ukrainian_numbered_list_splits():
    body = ("Добрий день, маю дві пропозиції до стратегії.\n\n"
            "1. Потрібні безкоштовні курси польської мови для дорослих у бібліотеці, ввечері після роботи.\n"
            "2. Автобус до міста має їздити також у неділю, бо багато людей працює на змінах.\n\n"
            "З повагою, Олена")
    assert len(split_remarks(_mail(body))) == 2


def test_ukrainian_prose_ordinals_split_when_the_points_are_announced():
    body = ("Маю дві пропозиції.\n\nПо-перше, потрібні курси польської мови для дорослих у бібліотеці ввечері.\n"
            "По-друге, автобус до міста має їздити також у неділю, люди працюють на змінах.")
    parts = split_remarks(_mail(body))
    assert len(parts) == 2 and "неділю" in parts[1].text


def test_bare_ordinals_in_lacinka_split_when_the_points_are_announced():
    body = ("Maju dźvie prapanovy da stratehii.\n\n"
            "Pieršaje – u bibliatecy patrebny kursy polskaj movy dla darosłych, asabliva viečaram.\n\n"
            "Druhoje – na darozie da škoły niama chodnika, dzieci chodziać pa ŭzbočynie, treba jaho zrabić.")
    parts = split_remarks(_mail(body))
    assert len(parts) == 2 and parts[1].text.startswith("na darozie")


def test_belarusian_remarks_numbered_by_word_split():
    body = ("Заўвага 1: трэба пабудаваць ходнік уздоўж дарогі да школы, дзеці ходзяць па праезнай частцы.\n"
            "Заўвага 2: у бібліятэцы патрэбны курсы польскай мовы для дарослых, асабліва для жанчын.")
    assert len(split_remarks(_mail(body))) == 2


def test_an_english_list_splits():
    body = ("Dear Sir or Madam, we have three suggestions for the strategy.\n\n"
            "1. A Saturday bus to the town would help the workers of the dairy plant.\n"
            "2. Polish language classes for adults should be offered in the evening.\n"
            "3. The bicycle path along the river should continue to the next village.\n")
    assert len(split_remarks(_mail(body))) == 3


def test_a_context_paragraph_before_the_list_stays_out_of_the_remarks():
    body = ("Mieszkam w tej wsi od czterdziestu lat i widzę, jak bardzo zmieniła się okolica, młodzi "
            "wyjeżdżają, a we wsi brakuje wielu rzeczy, o których piszę poniżej, bo powinno się o nich "
            "pamiętać przy planowaniu na kolejne lata.\n\n"
            "1. Przydałby się chodnik wzdłuż drogi do szkoły, dzieci chodzą poboczem.\n"
            "2. Autobus powinien jeździć także w soboty, bo nie ma jak dojechać do lekarza.\n\n"
            "Dziękuję i pozdrawiam.")
    parts = split_remarks(_mail(body))
    assert [p.text[:10] for p in parts] == ["Przydałby ", "Autobus po"]


def test_one_paragraph_with_greeting_and_closing_is_one_remark():
    body = ("Dzień dobry,\n\nprzydałoby się w końcu oświetlenie na ulicy Polnej, wieczorem dzieci wracają "
            "po ciemku.\n\nZ poważaniem\nAnna")
    assert len(split_remarks(_mail(body))) == 1
