"""Evaluation: the figures of `uwagi eval`, computed from label lines and predictions."""

from __future__ import annotations

import json

import pytest

from classifiers.evaluate import evaluate, format_table, set_scores


def rec(file, kind, remarks=0, projects=(), types=()):
    return {"file": file, "kind": kind, "remarks": remarks, "projects": list(projects), "types": list(types)}


GOLD = [
    rec("a.eml", "remark", 2, ["P1.1", "P2.2"], ["propozycja"]),
    rec("b.eml", "remark", 1, ["OGOLNA"], ["uwaga"]),
    rec("c.eml", "other"),
    rec("d.eml", "automatic"),
    rec("e.eml", "automatic"),
]
PRED = [
    rec("a.eml", "remark", 2, ["P1.1"], ["propozycja", "pytanie"]),
    rec("b.eml", "remark", 2, ["POZA"], ["uwaga"]),
    rec("c.eml", "remark", 1, ["P3.1"], ["uwaga"]),
    rec("d.eml", "automatic"),
    # e.eml has no prediction: counted as "other"
]


def test_remark_precision_and_recall_count_files():
    result = evaluate(GOLD, PRED)
    assert result["remark"]["precision"] == pytest.approx(2 / 3)
    assert result["remark"]["recall"] == 1.0


def test_automatic_recognised_is_the_share_of_gold_automatic_files():
    assert evaluate(GOLD, PRED)["automatic_recognised"] == 0.5


def test_remark_count_accuracy_is_exact_match_on_gold_remark_files():
    assert evaluate(GOLD, PRED)["remark_count_accuracy"] == 0.5


def test_project_micro_f1_pools_all_files_including_false_remarks():
    projects = evaluate(GOLD, PRED)["projects"]
    # tp P1.1; fp POZA, P3.1; fn P2.2, OGOLNA
    assert projects["micro_precision"] == pytest.approx(1 / 3)
    assert projects["micro_recall"] == pytest.approx(1 / 3)
    assert projects["micro_f1"] == pytest.approx(1 / 3)


def test_macro_f1_averages_over_labels_in_gold_or_predictions():
    scores = set_scores([{"A"}, {"B"}], [{"A"}, {"C"}])
    assert set(scores["labels"]) == {"A", "B", "C"}
    assert scores["macro_f1"] == pytest.approx(1 / 3)


def test_exact_sets_are_counted_on_gold_remark_files():
    result = evaluate(GOLD, PRED)
    assert (result["projects_exact"], result["types_exact"]) == (0.0, 0.5)


def test_types_are_scored_like_projects():
    types = evaluate(GOLD, PRED)["types"]
    assert types["labels"]["pytanie"] == {"tp": 0, "fp": 1, "fn": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert types["micro_recall"] == 1.0


def test_misses_list_wrong_kinds_and_wrong_counts():
    misses = {m["file"] for m in evaluate(GOLD, PRED)["misses"]}
    assert misses == {"b.eml", "c.eml", "e.eml"}


def test_the_result_is_json_and_has_a_table():
    result = evaluate(GOLD, PRED)
    assert json.loads(json.dumps(result)) == result
    table = format_table(result)
    assert "remark precision" in table and " 66.7%" in table
    assert any(line.startswith("automatic ") for line in table.splitlines())  # the confusion of kinds
    assert any(line.startswith("POZA ") for line in table.splitlines())  # per-project precision/recall


def test_the_language_mix_of_predicted_remarks_is_counted_and_printed():
    pred = [{**p, "languages": ["pl", "uk"] if p["kind"] == "remark" else []} for p in PRED]
    result = evaluate(GOLD, pred)
    assert result["languages"]["uk"] == result["languages"]["pl"] > 0
    assert "remark languages  pl" in format_table(result)


def test_empty_input_scores_zero_without_dividing_by_zero():
    result = evaluate([], [])
    assert result["remark"]["precision"] == 0.0 and result["projects"]["macro_f1"] == 0.0


def test_remark_count_errors_say_over_or_under_without_naming_files():
    gold = [{"file": f"g{i}", "kind": "remark", "remarks": n, "projects": [], "types": []}
            for i, n in enumerate([1, 2, 3, 1])]
    pred = [{"file": "g0", "kind": "remark", "remarks": 2, "projects": [], "types": []},
            {"file": "g1", "kind": "remark", "remarks": 1, "projects": [], "types": []},
            {"file": "g2", "kind": "remark", "remarks": 3, "projects": [], "types": []},
            {"file": "g3", "kind": "other", "remarks": 0, "projects": [], "types": []}]
    errors = evaluate(gold, pred)["remark_count_errors"]
    assert errors == {"over": 1, "under": 1, "gold_single_over": 1, "gold_multi_under": 1}
