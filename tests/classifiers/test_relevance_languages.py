"""Closeness to the catalogue for mail not written in Polish (issue 7: remarks in Ukrainian, Belarusian and English).

The static lemma vectors know Polish words only: a Ukrainian or Belarusian remark scored ~0 whatever it said, so
the sorter had no topic signal for it and most such remarks of the blind sets ended as ``other``. Such text is
measured by the multilingual encoder against neutral office mail of its own language. Every text is written here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from classifiers.catalogue import load_catalogue
from classifiers.embeddings import Embedder
from classifiers.matching import KeywordMatcher
from classifiers.relevance import MultilingualRelevance, static_relevance
from classifiers.sorting import sort_message
from tests.classifiers.conftest import HINTS, _mail
from tests.classifiers.nlp_fixtures import nlp  # noqa: F401

SHIPPED = Path(__file__).resolve().parents[2] / "projects.toml"
DURING = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

# (a remark on a catalogue topic, a neutral office letter) per language
BY_LANGUAGE = {
    "uk": ("Добрий день! Прошу, щоб у нашому селі збудували каналізацію, бо влітку вода в колодязях зникає.",
           "Дякую за відповідь. У додатку надсилаю підписані документи, прошу підтвердити отримання."),
    "be": ("Добры дзень. Просім, каб у вёсцы адрамантавалі святліцу і зладзілі заняткі для моладзі.",
           "Дзякую за адказ. У дадатку дасылаю падпісаныя дакументы, прашу пацвердзіць атрыманне."),
    "be-latn": ("U našaj viosce niama kanalizacyi, letam vada ŭ kalodziežach znikaje. Prašu pabudavać kanalizacyju.",
                "Dziakuj za adkaz. Dasyłaju padpisanyja dakumienty ŭ dadatku, prašu pacvierdzić atrymannie."),
    "en": ("Hello, I live in Klukowo and there is no bus to Białystok in the evening. Please add a late service "
           "for shift workers.",
           "Thank you for your reply. Please find the signed documents attached and confirm receipt."),
}


@pytest.fixture(scope="module")
def relevances(nlp):  # noqa: F811
    catalogue = load_catalogue(SHIPPED)
    static = static_relevance(catalogue, nlp)
    return catalogue, static, MultilingualRelevance(catalogue, static, Embedder())


@pytest.mark.parametrize("language", sorted(BY_LANGUAGE))
def test_a_remark_in_another_language_is_closer_to_the_catalogue_than_office_mail(relevances, language):
    _, static, relevance = relevances
    remark, neutral = BY_LANGUAGE[language]
    assert static(remark) < 0.02  # the Polish lemma vectors cannot read it
    assert relevance(remark) > relevance(neutral) + 0.04
    assert abs(relevance(neutral)) < 0.1  # office mail of its language is the baseline


def test_polish_text_keeps_the_static_vectors(relevances):
    _, static, relevance = relevances
    text = "Proszę o ścieżkę rowerową wzdłuż Nurca i wypożyczalnię kajaków w Klukowie."
    assert relevance(text) == static(text)


def test_a_belarusian_remark_that_names_no_consultation_is_sorted_as_a_remark(relevances, nlp):  # noqa: F811
    catalogue, static, relevance = relevances
    period = (datetime(2026, 11, 13, tzinfo=UTC), datetime(2026, 12, 11, 23, 0, tzinfo=UTC))
    hints = replace(HINTS, topics=KeywordMatcher(catalogue, nlp).topics, relevance=relevance, period=period)
    # a need ("трэба"), not a request outright ("Просім, каб ..." is a request whatever the relevance says)
    remark = "Добры дзень. Тут трэба адрамантаваць святліцу і зладзіць заняткі для моладзі."
    neutral = BY_LANGUAGE["be"][1]
    decision = sort_message(_mail(remark, subject="Святліца", date=DURING), hints)
    assert decision.kind == "remark", decision.reason
    assert sort_message(_mail(remark, subject="Святліца", date=DURING), replace(hints, relevance=static)).kind \
        == "other"  # what the static vectors alone made of it
    assert sort_message(_mail(neutral, subject="Re: дакументы", date=DURING), hints).kind == "other"


@pytest.mark.parametrize(("subject", "remark"), [
    ("Вечірній автобус", "Чи буде в гміні автобус до Високого-Мазовецького ввечері і у вихідні? Зараз автобус їздить "
                         "тільки зранку, а люди працюють до пізна."),
    ("Автобус", "Чи буде автобусне сполучення між селами гміни і станцією в Чижеві? Без машини туди не доїхати."),
])
def test_a_question_about_a_catalogue_matter_in_another_language_is_a_remark(relevances, nlp, subject,  # noqa: F811
                                                                             remark):
    """The keywords cannot read it; its closeness in meaning to the catalogue names the matter for the rules."""
    catalogue, _, relevance = relevances
    period = (datetime(2026, 11, 13, tzinfo=UTC), datetime(2026, 12, 11, 23, 0, tzinfo=UTC))
    hints = replace(HINTS, topics=KeywordMatcher(catalogue, nlp).topics, relevance=relevance, period=period)
    decision = sort_message(_mail(remark, subject=subject, date=DURING), hints)
    assert (decision.kind, decision.needs_review) == ("remark", True), decision.reason
