"""OGOLNA for remarks on the document or the consultation; confirmed remarks teach projects as neighbours.

Texts written for the test; the catalogue is the test one of nlp_fixtures (R1 bicycles, R2 nurseries,
R3 water and sewers, R4 solar panels).
"""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.general import document_remark
from classifiers.neighbours import lemma_similarities, neighbour_lift, neighbour_votes
from classifiers.projects import ProjectClassifier
from classifiers.training import Example, train_models
from tests.classifiers.nlp_fixtures import catalogue, nlp  # noqa: F401


@pytest.mark.parametrize("text", [
    "Dane w diagnozie są nieaktualne, pochodzą sprzed dziesięciu lat.",
    "Konsultacje były słabo nagłośnione, mało kto we wsi o nich wiedział.",
    "Dokument jest napisany trudnym językiem, zwykły mieszkaniec go nie zrozumie.",
    "Strategia jest zbyt ogólna, brakuje harmonogramu i źródeł finansowania.",
])
def test_a_judgement_of_the_document_or_the_consultation_is_recognised(text):
    assert document_remark(text)


@pytest.mark.parametrize("text", [
    "Przydałaby się ścieżka rowerowa do Lipnik.", "Mam mapę działki z 1998 roku od geodety.",
    "W strategii proszę uwzględnić żłobek w Nowej Wsi.",
])
def test_a_remark_on_a_topic_is_not_a_judgement_of_the_document(text):
    assert document_remark(text) == ""


def test_ogolna_is_given_beside_the_project_the_remark_names(catalogue, nlp):  # noqa: F811
    decision = ProjectClassifier(catalogue, nlp).classify(
        "Diagnoza ma nieaktualne dane. W naszej wsi wciąż nie ma kanalizacji ani wodociągu, "
        "a oczyszczalnia ścieków jest za daleko.")
    assert {"OGOLNA", "R3"} <= set(decision.labels) and "POZA" not in decision.labels
    assert decision.evidence["general_cue"]


def test_a_confirmed_remark_in_everyday_words_lifts_its_project_for_a_similar_one(catalogue, nlp):  # noqa: F811
    """No catalogue keyword: only the staff's confirmations can tell that "dojazd dwoma kółkami" is R1."""
    remark = "Dojazd dwoma kółkami do szkoły w Lipnikach jest niebezpieczny, potrzebny osobny pas dla dwóch kółek."
    confirmed = [
        Example("Dwoma kółkami do pracy nie da się dojechać bezpiecznie, potrzebny osobny pas.", ("R1",), "uwaga",
                "c1"),
        Example("Pas dla dwóch kółek wzdłuż szosy do szkoły, dzieci jeżdżą między autami.", ("R1",),
                "propozycja", "c2"),
        Example("Przedszkole w Lipnikach jest za małe, dzieci czekają w kolejce.", ("R2",), "uwaga", "c3"),
        Example("Woda w kranie jest brązowa po deszczu.", ("R3",), "uwaga", "c4"),
        Example("Panele na dachu szkoły obniżą rachunki.", ("R4",), "poparcie", "c5"),
    ]
    cold = ProjectClassifier(catalogue, nlp).classify(remark)
    model = train_models(confirmed, seed=0, nlp=nlp)
    taught = ProjectClassifier(catalogue, nlp, model=model).classify(remark)
    assert taught.scores["R1"] > 1.5 * cold.scores["R1"]  # five confirmations nudge; hundreds decide
    assert taught.evidence["neighbours"]["R1"] > 0.5
    again = ProjectClassifier(catalogue, nlp, model=train_models(confirmed, seed=0, nlp=nlp)).classify(remark)
    assert again.scores == taught.scores  # deterministic


def test_the_neighbour_vote_weighs_more_with_more_examples():
    vote = neighbour_votes(np.array([0.9, 0.2, 0.1]), [["R1"], ["R2"], ["R3"]], ["R1", "R2", "R3"])
    assert vote[0] > 0.9
    few, many = neighbour_lift(vote, 5), neighbour_lift(vote, 500)
    assert 0 < few[0] < many[0] and many[1] < 0
    assert lemma_similarities("sciezka rowerowy szkola", ["sciezka rowerowy", "woda kran"]).argmax() == 0
