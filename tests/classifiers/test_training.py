"""Training: determinism, save/load, the switch rule, and staff corrections taking effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.learned_weights import switch_wanted
from classifiers.projects import ProjectClassifier
from classifiers.training import Example, TrainedModel, train_models
from tests.classifiers.nlp_fixtures import catalogue, nlp  # noqa: F401

EXAMPLES = [
    Example("Potrzebna ścieżka rowerowa do szkoły.", ("R1",), "propozycja", "e1"),
    Example("Szlak rowerowy wzdłuż rzeki przyciągnie turystów.", ("R1",), "propozycja", "e2"),
    Example("popieram sciezki rowerowe miedzy wsiami", ("R1",), "poparcie", "e3"),
    Example("Brakuje miejsc w żłobku dla dzieci pracujących rodziców.", ("R2",), "uwaga", "e4"),
    Example("Czy przedszkole będzie otwarte do 17?", ("R2",), "pytanie", "e5"),
    Example("prosimy o nowy zlobek w centrum", ("R2",), "propozycja", "e6"),
    Example("Nasza ulica nie ma kanalizacji, szamba się przelewają.", ("R3",), "uwaga", "e7"),
    Example("Woda z wodociągu jest brązowa, trzeba wymienić rury.", ("R3",), "propozycja", "e8"),
    Example("Nie zgadzam się na oczyszczalnię przy mojej działce.", ("R3",), "sprzeciw", "e9"),
    Example("Panele fotowoltaiczne na szkole obniżą rachunki.", ("R4",), "poparcie", "e10"),
    Example("Fotowoltaika na urzędzie to dobry pomysł.", ("R4",), "poparcie", "e11"),
    Example("Sąsiad zastawia mi wjazd samochodem.", ("POZA",), "uwaga", "e12"),
]


@pytest.fixture(scope="module")
def model(nlp):  # noqa: F811
    return train_models(EXAMPLES, seed=0, nlp=nlp)


def test_same_seed_same_scores(nlp, model):  # noqa: F811
    again = train_models(EXAMPLES, seed=0, nlp=nlp)
    texts = ["lemma test sciezka rowerowy", "zlobek dziecko"]
    assert again.version == model.version
    assert again.predict_projects(texts) == model.predict_projects(texts)
    assert again.predict_types(texts) == model.predict_types(texts)


def test_save_and_load(tmp_path: Path, model):
    model.save(tmp_path / "m")
    loaded = TrainedModel.load(tmp_path / "m")
    assert loaded.version == model.version
    assert loaded.example_ids == model.example_ids
    assert loaded.predict_projects(["sciezka rowerowy"]) == model.predict_projects(["sciezka rowerowy"])


def test_the_switch_rule_compares_whole_classifiers():
    rules = {"micro_f1": 0.80, "macro_f1": 0.70}
    assert switch_wanted({"micro_f1": 0.80, "macro_f1": 0.70}, rules, None)  # a tie: it learned more
    assert not switch_wanted({"micro_f1": 0.75, "macro_f1": 0.90}, rules, None)  # worse than no model
    assert not switch_wanted({"micro_f1": 0.85, "macro_f1": 0.80}, rules, {"micro_f1": 0.90, "macro_f1": 0.8})
    assert switch_wanted({"micro_f1": 0.90, "macro_f1": 0.81}, rules, {"micro_f1": 0.90, "macro_f1": 0.8})


def test_correction_changes_the_next_answer(catalogue, nlp, model):  # noqa: F811
    remark = "Woda z wodociągu jest brązowa, trzeba wymienić rury."
    before = ProjectClassifier(catalogue, nlp, model=model).classify(remark)
    assert before.labels == ["R3"]
    corrected = [Example(e.text, ("R4",), e.remark_type, e.id) if e.id == "e8" else e for e in EXAMPLES]
    new_model = train_models(corrected, seed=0, nlp=nlp)
    assert new_model.version != model.version
    after = ProjectClassifier(catalogue, nlp, model=new_model).classify(remark)
    assert after.labels == ["R4"]
    assert after.evidence["confirmed_example"] == "e8"
    lemma = nlp(remark)._.lemma_text
    old_p, new_p = model.predict_projects([lemma])[0], new_model.predict_projects([lemma])[0]
    assert new_p["R4"] > old_p["R4"] and new_p["R3"] < old_p["R3"]
