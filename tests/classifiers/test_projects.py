"""Project classification: keywords through inflection, OGOLNA vs POZA, review routing."""

from __future__ import annotations

import json

import pytest

from classifiers.projects import ProjectClassifier
from classifiers.signals import segments
from tests.classifiers.nlp_fixtures import catalogue, embedder, nlp  # noqa: F401


@pytest.fixture(scope="module")
def plain(catalogue, nlp):  # noqa: F811
    return ProjectClassifier(catalogue, nlp)


@pytest.mark.parametrize(("text", "label"), [
    ("Brakuje nam ścieżek rowerowych między wsiami, dzieci jeżdżą rowerami po szosie.", "R1"),
    ("brakuje nam sciezek rowerowych miedzy wsiami, dzieci jezdza rowerami po szosie", "R1"),
    ("Prosimy o budowę żłobka i więcej miejsc w przedszkolach.", "R2"),
    ("prosimy o budowe zlobka i wiecej miejsc w przedszkolach", "R2"),
    ("Nasza wieś nie ma kanalizacji ani porządnego wodociągu.", "R3"),
    ("Chcielibyśmy fotowoltaike na szkole i panele słoneczne na urzędzie.", "R4"),
])
def test_keywords_match_through_inflection_and_folding(plain, text, label):
    decision = plain.classify(text)
    assert label in decision.labels
    assert label in decision.evidence["keywords"]


def test_two_projects_in_one_remark(plain):
    decision = plain.classify("1. Potrzebna jest ścieżka rowerowa do szkoły i szlak dla rowerów.\n"
                              "2. Kanalizacja i oczyszczalnia ścieków, bo szamba się przelewają.")
    assert {"R1", "R3"} <= set(decision.labels)


def test_explicit_project_id_and_alias(plain):
    assert "R3" in plain.classify("Uwaga do projektu R9: to ważne dla nas.").labels
    assert "R2" in plain.classify("W sprawie R2 – proszę o dłuższe godziny.").labels


def test_whole_strategy_is_ogolna(plain):
    decision = plain.classify("Strategia nie ma wskaźników ani planu finansowego, a diagnoza jest "
                              "zbyt ogólna. Proszę o harmonogram realizacji.")
    assert decision.labels == ["OGOLNA"]


def test_nothing_in_the_strategy_is_poza_and_reviewed(plain):
    decision = plain.classify("Sąsiad przestawił płot na moją działkę, proszę o interwencję geodety.")
    assert decision.labels == ["POZA"]
    assert decision.needs_review
    assert decision.scores["POZA"] > 0.5


def test_single_generic_word_does_not_decide_alone(plain):
    decision = plain.classify("W piwnicy po deszczu stoi woda.")
    assert decision.labels != ["R3"] or decision.needs_review


def test_decision_is_json_serialisable_and_scores_in_range(plain):
    decision = plain.classify("Popieram budowę ścieżek rowerowych.")
    json.dumps(decision.__dict__, ensure_ascii=False)
    assert set(decision.scores) == {"R1", "R2", "R3", "R4", "OGOLNA", "POZA"}
    assert all(0.0 <= v <= 1.0 for v in decision.scores.values())
    hit = decision.evidence["keywords"]["R1"][0]
    assert hit["text"].lower().startswith("ścieżek")


def test_batch_equals_single(plain):
    texts = ["Więcej żłobków.", "Kanalizacja w Nowej Wsi.", "Nie wiem."]
    assert [d.labels for d in plain.classify_many(texts)] == [plain.classify(t).labels for t in texts]


def test_segments_split_numbered_points():
    text = "Uwagi:\n1. Pierwsza sprawa dotyczy dróg i chodników.\n2. Druga sprawa to żłobek w centrum."
    parts = [text[s:e] for s, e in segments(text)]
    assert any("Pierwsza" in p for p in parts) and any("Druga" in p for p in parts)
    assert not any("Pierwsza" in p and "Druga" in p for p in parts)


def test_embeddings_find_a_project_described_in_own_words(catalogue, nlp, embedder):  # noqa: F811
    clf = ProjectClassifier(catalogue, nlp, embedder)
    decision = clf.classify("Gdy oboje pracujemy, nie mamy z kim zostawić rocznego synka – "
                            "w gminie brakuje miejsc dla maluchów.")
    assert max(decision.scores, key=lambda k: decision.scores[k] if k != "POZA" else -1) == "R2"
    assert "embedding" in decision.evidence


def test_similar_confirmed_examples_are_evidence(catalogue, nlp, embedder):  # noqa: F811
    from classifiers.training import Example, train_models

    clf = ProjectClassifier(catalogue, nlp, embedder)
    examples = [Example("Więcej miejsc w żłobku dla maluchów.", ("R2",), "propozycja", "x1"),
                Example("Kanalizacja w naszej wsi.", ("R3",), "uwaga", "x2")]
    model = train_models(examples, nlp=nlp, vectors=clf.example_vectors([e.text for e in examples]))
    decision = clf.with_model(model).classify("Brakuje miejsc w żłobkach.")
    similar = decision.evidence["similar_examples"]
    assert similar[0]["id"] == "x1" and similar[0]["labels"] == ["R2"]
    assert decision.evidence["model_version"] == model.version


@pytest.mark.parametrize(("top", "expected", "reason"), [(0.25, "R1", "weak_topic"), (0.05, "POZA", "no_signal")])
def test_weak_topic_names_the_best_label_for_review_not_poza(plain, monkeypatch, top, expected, reason):
    """A remark in everyday words scores its project weakly: that is a reviewed guess, not 'outside'."""
    import numpy as np

    probs = np.full(len(plain.labels), 0.01)
    probs[plain.labels.index("R1")] = top
    monkeypatch.setattr(plain, "logits", lambda f, w=None: np.log(probs / (1 - probs)))
    decision = plain.classify("Wieczorem dzieci wracaja po ciemku, a auta jezdza szybko.")
    assert decision.labels == [expected]
    assert decision.needs_review and reason in decision.review_reasons


@pytest.mark.parametrize(("text", "label"), [
    ("Pojemniki na smieci sa za male, a odbior smieci jest raz w miesiacu.", "P3.1"),
    ("Przydalby sie film promocyjny i reklama naszej okolicy w internecie.", "P4.3"),
    ("Starsze osoby mieszkajace samotnie potrzebuja dowozu do lekarza.", "P2.2"),
])
def test_the_shipped_catalogue_knows_everyday_words(nlp, text, label):  # noqa: F811
    from pathlib import Path

    from classifiers.catalogue import load_catalogue

    shipped = load_catalogue(Path(__file__).resolve().parents[2] / "projects.toml")
    assert label in ProjectClassifier(shipped, nlp).classify(text).labels
