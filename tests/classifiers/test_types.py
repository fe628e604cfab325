"""Remark types from lemma rules, with and without diacritics."""

from __future__ import annotations

import pytest

from classifiers.types import TypeClassifier
from tests.classifiers.nlp_fixtures import nlp  # noqa: F401


@pytest.mark.parametrize(("text", "kind"), [
    ("Popieram ten projekt w całości.", "poparcie"),
    ("popieramy pomysl wspolnego schroniska", "poparcie"),
    ("Czy będzie dofinansowanie do pieców", "pytanie"),
    ("Kiedy powstanie żłobek?", "pytanie"),
    ("Proponuję dodać ścieżkę rowerową do Nowej Wsi.", "propozycja"),
    ("prosze zeby autobus jezdzil tez w soboty", "propozycja"),
    ("Nie zgadzam się z budową spalarni.", "sprzeciw"),
    ("jestem przeciwny temu projektowi", "sprzeciw"),
    ("W naszej wsi od lat jest ciemno po zmroku.", "uwaga"),
])
def test_rule_types(nlp, text, kind):  # noqa: F811
    decision = TypeClassifier(nlp).classify(text)
    assert decision.type == kind
    assert 0.0 < decision.score <= 1.0


def test_all_types_lists_every_cue(nlp):  # noqa: F811
    text = "Popieram schronisko. Czy obejmie też koty? Proponuję czipowanie."
    decision = TypeClassifier(nlp).classify(text)
    assert set(decision.all_types) == {"poparcie", "pytanie", "propozycja"}
    assert decision.type == "poparcie"
    assert decision.evidence["cues"]["poparcie"] == ["Popieram"]


@pytest.mark.parametrize("text", [
    "Prosze o informacje, na jakim etapie jest projekt kanalizacji w Lipnikach.",
    "Chciałabym wiedzieć, od kiedy autobus będzie jeździł w soboty.",
    "interesuje mnie czy swietlica bedzie otwarta takze w wakacje",
    "Nie wiem, czy wspolne schronisko przyjmie tez koty z naszej gminy.",
    "Popieram remont drogi i czy da sie przy okazji zrobic chodnik.",
    "I would like to know when the cycle path to the lake will be finished.",
    "Хочу дізнатися, коли буде автобус до Замброва у суботу.",
])
def test_questions_without_a_question_mark_are_pytanie(nlp, text):  # noqa: F811
    assert "pytanie" in TypeClassifier(nlp).classify(text).all_types


def test_asking_for_information_is_not_a_proposal(nlp):  # noqa: F811
    decision = TypeClassifier(nlp).classify("Prosze o informacje, na jakim etapie jest budowa kanalizacji.")
    assert decision.type == "pytanie"
    assert "propozycja" not in decision.all_types


@pytest.mark.parametrize("text", [
    "Jestem za wspolnym schroniskiem dla psow.",
    "To bardzo dobry pomysl z tym autobusem w soboty.",
    "Dobrze, że w końcu ktoś pomyślał o seniorach.",
    "We fully support the idea of a common bus ticket.",
    "Підтримую ідею спільного притулку для тварин.",
])
def test_support_said_without_popieram_is_poparcie(nlp, text):  # noqa: F811
    assert "poparcie" in TypeClassifier(nlp).classify(text).all_types


def test_too_little_or_disagreement_is_not_support(nlp):  # noqa: F811
    types = TypeClassifier(nlp)
    assert "poparcie" not in types.classify("Jestem za malo poinformowany o tym projekcie.").all_types
    assert "poparcie" not in types.classify("Nie zgadzam sie z budowa spalarni.").all_types
