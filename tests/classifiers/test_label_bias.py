"""Each label's eagerness, learned from confirmations: small with a handful, larger as they grow, kept in the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from classifiers.label_bias import fit_label_bias, with_label_bias
from classifiers.learned_weights import LearnedWeights, with_weights
from classifiers.projects import ProjectClassifier
from classifiers.training import Example, TrainedModel, train_models
from tests.classifiers.nlp_fixtures import catalogue, nlp  # noqa: F401

LABELS = ("A", "B", "C")


def confirmations(copies: int) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """The rules call A on every remark (logit +1) but staff confirm it on one in four; B is right (positive when
    confirmed, negative otherwise); C is under-called (logit -1 where staff confirm it)."""
    rows, gold = [], []
    for _ in range(copies):
        rows += [[1.0, 2.0, -1.0], [1.0, -2.0, -3.0], [1.0, -2.0, -3.0], [1.0, 2.0, -1.0]]
        gold += [("A", "B", "C"), (), (), ("B", "C")]
    return np.array(rows), gold


def test_an_over_called_label_is_lowered_an_under_called_one_raised_a_right_one_kept():
    logits, gold = confirmations(8)
    shifts = fit_label_bias(logits, gold, LABELS)
    assert shifts["A"] < -0.5 and shifts["C"] > 0.5
    assert abs(shifts.get("B", 0.0)) < 0.5


def test_the_shift_grows_with_the_confirmations():
    few = fit_label_bias(*confirmations(1), LABELS)
    many = fit_label_bias(*confirmations(20), LABELS)
    assert abs(few["A"]) < abs(many["A"]) and abs(few["C"]) < abs(many["C"])
    assert abs(few["A"]) < 0.5 * abs(many["A"])  # four confirmations move a label a little


def test_the_classifier_applies_the_models_shifts_and_the_version_names_them(tmp_path: Path, catalogue, nlp):  # noqa: F811
    examples = [Example("Ścieżka rowerowa w Klukowie byłaby bezpieczniejsza.", ("R1",), "uwaga", "a"),
                Example("Brakuje miejsc w żłobku w Kaliskach.", ("R2",), "uwaga", "b")]
    model = with_weights(train_models(examples, seed=0, nlp=nlp), LearnedWeights(0.0, 0.0))
    remark = "Kanalizacja na osiedlu jest potrzebna, szamba się przelewają."
    plain = ProjectClassifier(catalogue, nlp, model=model)
    shifted_model = with_label_bias(model, {"R3": -3.0, "R1": 1.0})
    shifted = ProjectClassifier(catalogue, nlp, model=shifted_model)
    before, after = plain.features([remark])[0], shifted.features([remark])[0]
    delta = shifted.logits(after) - plain.logits(before)
    assert np.allclose(delta, [{"R3": -3.0, "R1": 1.0}.get(label, 0.0) for label in plain.labels])
    assert shifted.classify(remark).scores["R3"] < plain.classify(remark).scores["R3"]
    assert shifted_model.version != model.version and shifted_model.version.startswith(model.version)
    cold = ProjectClassifier(catalogue, nlp)
    assert np.allclose(shifted.base_logits([remark])[0], cold.logits(cold.features([remark])[0]))
    shifted_model.save(tmp_path / "m")
    assert TrainedModel.load(tmp_path / "m").meta["label_bias"] == {"R3": -3.0, "R1": 1.0}
