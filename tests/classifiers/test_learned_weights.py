"""The weights of the staff-trained signals: chosen by cross-validation, zero when they do not help."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from classifiers.learned_weights import LearnedWeights, choose_weights, whole_scores, with_weights, without_examples
from classifiers.projects import ProjectClassifier
from classifiers.training import Example, TrainedModel, train_models
from tests.classifiers.nlp_fixtures import catalogue, nlp  # noqa: F401

PLACES = ("w Klukowie", "w Kaliskach", "przy szkole", "koło kościoła", "na osiedlu", "w Trojanówce")

# Everyday words the test catalogue does not use; the staff file them under one project each.
PITCH = ("Potrzebne nowe boisko do piłki nożnej {p}, bramki są połamane.",
         "Orlik {p} nie ma oświetlenia, chłopcy grają w piłkę po ciemku.",
         "Trener drużyny piłkarskiej {p} prosi o szatnię przy boisku.")
HALL = ("Świetlica wiejska {p} potrzebuje remontu, koło gospodyń nie ma gdzie się spotykać.",
        "Zajęcia dla seniorów w świetlicy {p} odbywają się w zimnej sali.",
        "Koło gospodyń wiejskich {p} prosi o nowe krzesła do świetlicy.")
# Remarks the catalogue's own words already decide.
PLAIN = (("Ścieżka rowerowa {p} byłaby bezpieczniejsza dla dzieci.", "R1"),
         ("Brakuje miejsc w żłobku {p}.", "R2"),
         ("Kanalizacja {p} jest potrzebna, szamba się przelewają.", "R3"),
         ("Fotowoltaika na dachu szkoły {p} obniży rachunki.", "R4"))


def learned_examples() -> list[Example]:
    out = []
    for i, place in enumerate(PLACES):
        for j, template in enumerate(PITCH):
            out.append(Example(template.format(p=place), ("R2",), "uwaga", f"pitch{i}{j}"))
        for j, template in enumerate(HALL):
            out.append(Example(template.format(p=place), ("R4",), "uwaga", f"hall{i}{j}"))
    return out


def test_signals_that_help_out_of_fold_get_weight(catalogue, nlp):  # noqa: F811
    examples = learned_examples()
    classifier = ProjectClassifier(catalogue, nlp)
    weights = choose_weights(classifier, examples, seed=0, nlp=nlp, vectors=None, folds=4)
    assert weights.neighbours + weights.textcat > 0, weights.cv
    assert weights.cv["examples"] == len(examples)
    point = f"{weights.neighbours}/{weights.textcat}"
    assert weights.cv["grid"][point]["micro_f1"] > weights.cv["rules_only"]["micro_f1"] + 0.3


def test_signals_that_add_nothing_get_none(catalogue, nlp):  # noqa: F811
    examples = [Example(t.format(p=p), (label,), "uwaga", f"plain{i}{j}")
                for i, p in enumerate(PLACES) for j, (t, label) in enumerate(PLAIN)]
    classifier = ProjectClassifier(catalogue, nlp)
    assert whole_scores(classifier, examples)["micro_f1"] == 1.0  # the rules already answer
    weights = choose_weights(classifier, examples, seed=0, nlp=nlp, vectors=None, folds=3)
    assert (weights.neighbours, weights.textcat) == (0.0, 0.0)


def test_a_model_answers_with_its_weights_and_keeps_them(tmp_path: Path, catalogue, nlp):  # noqa: F811
    examples = learned_examples()
    model = train_models(examples[:-2], seed=0, nlp=nlp)
    remark = examples[-1].text
    silent = ProjectClassifier(catalogue, nlp, model=with_weights(model, LearnedWeights(0.0, 0.0))).classify(remark)
    cold = ProjectClassifier(catalogue, nlp).classify(remark)
    assert silent.labels == cold.labels and silent.scores == cold.scores
    assert "model_disagrees" not in " ".join(silent.review_reasons)
    heard = ProjectClassifier(catalogue, nlp, model=with_weights(model, LearnedWeights(1.0, 1.0))).classify(remark)
    assert heard.scores["R4"] > cold.scores["R4"]
    weighted = with_weights(model, LearnedWeights(0.3, 1.0, {"folds": 3}))
    silent_model = with_weights(model, LearnedWeights(0.0, 0.0))
    assert weighted.version != silent_model.version  # saved as another model
    assert with_weights(weighted, LearnedWeights(0.0, 0.0)).version == silent_model.version
    weighted.save(tmp_path / "m")
    assert LearnedWeights.from_meta(TrainedModel.load(tmp_path / "m").meta["learned_weights"]) == \
        LearnedWeights(0.3, 1.0, {"folds": 3})
    assert LearnedWeights.from_meta(None) == LearnedWeights(1.0, 1.0)  # a model from before keeps its weights


def test_a_model_is_tested_without_the_remarks_it_would_simply_recall(catalogue, nlp):  # noqa: F811
    examples = learned_examples()
    vectors = np.eye(len(examples))
    model = train_models(examples, seed=0, nlp=nlp, vectors=vectors)
    tested = {examples[0].id, examples[5].id}
    fair = without_examples(model, tested)
    assert not tested & set(fair.example_ids)
    assert len(fair.example_labels) == len(fair.example_keys) == len(fair.meta["example_lemmas"]) == len(examples) - 2
    assert fair.example_vectors is not None and fair.example_vectors.shape == (len(examples) - 2, len(examples))
    recalled = ProjectClassifier(catalogue, nlp, model=model).classify(examples[0].text)
    assert recalled.evidence["confirmed_example"] == examples[0].id
    assert "confirmed_example" not in ProjectClassifier(catalogue, nlp, model=fair).classify(examples[0].text).evidence
