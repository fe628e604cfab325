"""Score predictions against a labelled corpus (SPEC "Labelled corpus format"). Pure: dicts in, dicts out.

Both sides are lists of ``{"file", "kind", "remarks", "projects", "types"}``; a file without a
prediction counts as predicted ``other`` with nothing in it.

How the figures are computed:
- kind == remark: precision and recall of the label "remark" over all files.
- automatic recognised: share of gold-automatic files predicted automatic.
- remark count: share of gold-remark files whose predicted count equals the gold count (a
  remark predicted as another kind has count 0). ``projects_exact``/``types_exact``: share of
  gold-remark files whose predicted label set equals the gold set.
- projects and types: each file is a multi-label example (the union over its remarks; OGOLNA and
  POZA are ordinary labels). **Micro** F1 pools true/false positives and false negatives of every
  label over every file (gold non-remark files have empty sets, so labels predicted for them are
  false positives). **Macro** F1 is the mean of per-label F1 over the labels present in the gold
  labels *or* the predictions: a label only ever predicted scores 0 and pulls the mean down, a
  label never seen on either side does not count.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

Record = dict[str, Any]
KINDS = ("remark", "other", "automatic")


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return _ratio(2 * p * r, p + r)


def set_scores(gold: list[set[str]], pred: list[set[str]]) -> dict[str, Any]:
    """Micro and macro precision/recall/F1 of per-file label sets, and per-label counts."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall = _ratio(t, t + f_p), _ratio(t, t + f_n)
    per_label = {}
    for label in sorted(set(tp) | set(fp) | set(fn)):
        lp, lr = _ratio(tp[label], tp[label] + fp[label]), _ratio(tp[label], tp[label] + fn[label])
        per_label[label] = {"tp": tp[label], "fp": fp[label], "fn": fn[label], "precision": lp, "recall": lr,
                            "f1": _f1(lp, lr)}
    macro = _ratio(sum(v["f1"] for v in per_label.values()), len(per_label))
    return {
        "micro_precision": precision,
        "micro_recall": recall,
        "micro_f1": _f1(precision, recall),
        "macro_f1": macro,
        "labels": per_label,
    }


def evaluate(labels: list[Record], predictions: list[Record]) -> dict[str, Any]:
    """All figures as a JSON-able dict (see the module docstring for definitions)."""
    by_file = {p["file"]: p for p in predictions}
    empty: Record = {"kind": "other", "remarks": 0, "projects": [], "types": []}
    pairs = [(g, by_file.get(g["file"], {**empty, "file": g["file"]})) for g in labels]
    confusion = {gk: {pk: 0 for pk in KINDS} for gk in KINDS}
    for g, p in pairs:
        confusion.setdefault(g["kind"], {pk: 0 for pk in KINDS})
        confusion[g["kind"]][p["kind"]] = confusion[g["kind"]].get(p["kind"], 0) + 1
    tp = sum(1 for g, p in pairs if g["kind"] == p["kind"] == "remark")
    pred_remark = sum(1 for _, p in pairs if p["kind"] == "remark")
    gold_remark = [(g, p) for g, p in pairs if g["kind"] == "remark"]
    gold_auto = [(g, p) for g, p in pairs if g["kind"] == "automatic"]
    precision, recall = _ratio(tp, pred_remark), _ratio(tp, len(gold_remark))
    counts_ok = sum(1 for g, p in gold_remark if p["kind"] == "remark" and p["remarks"] == g["remarks"])

    def exact(key: str) -> float:
        return _ratio(sum(1 for g, p in gold_remark if set(g[key]) == set(p[key])), len(gold_remark))

    return {
        "files": len(pairs),
        "kind_accuracy": _ratio(sum(1 for g, p in pairs if g["kind"] == p["kind"]), len(pairs)),
        "remark": {
            "precision": precision,
            "recall": recall,
            "f1": _f1(precision, recall),
            "tp": tp,
            "fp": pred_remark - tp,
            "fn": len(gold_remark) - tp,
        },
        "automatic_recognised": _ratio(
            sum(1 for _, p in gold_auto if p["kind"] == "automatic"), len(gold_auto)
        ),
        "remark_count_accuracy": _ratio(counts_ok, len(gold_remark)),
        "projects_exact": exact("projects"),
        "types_exact": exact("types"),
        "projects": set_scores(
            [set(g["projects"]) for g, _ in pairs], [set(p["projects"]) for _, p in pairs]
        ),
        "types": set_scores([set(g["types"]) for g, _ in pairs], [set(p["types"]) for _, p in pairs]),
        "confusion": confusion,
        "remark_count_errors": _count_errors(gold_remark),
        "languages": dict(Counter(lang for _, p in pairs for lang in p.get("languages", [])).most_common()),
        "misses": [
            {
                "file": g["file"],
                "gold": g["kind"],
                "predicted": p["kind"],
                "gold_remarks": g["remarks"],
                "predicted_remarks": p["remarks"],
            }
            for g, p in pairs
            if g["kind"] != p["kind"] or (g["kind"] == "remark" and g["remarks"] != p["remarks"])
        ],
    }


def _count_errors(gold_remark: list[tuple[Record, Record]]) -> dict[str, int]:
    """How remark counts go wrong on gold-remark files sorted as remarks: too many, too few (aggregate only)."""
    sorted_right = [(g["remarks"], p["remarks"]) for g, p in gold_remark if p["kind"] == "remark"]
    return {"over": sum(1 for g, p in sorted_right if p > g), "under": sum(1 for g, p in sorted_right if p < g),
            "gold_single_over": sum(1 for g, p in sorted_right if g == 1 and p > 1),
            "gold_multi_under": sum(1 for g, p in sorted_right if g > 1 and p < g)}


def format_table(result: dict[str, Any]) -> str:
    """A plain-text table of the headline figures (for the terminal and the bench)."""
    pct = "{:6.1%}".format
    rows = [
        ("files", str(result["files"])),
        ("kind accuracy", pct(result["kind_accuracy"])),
        ("remark precision", pct(result["remark"]["precision"])),
        ("remark recall", pct(result["remark"]["recall"])),
        ("automatic recognised", pct(result["automatic_recognised"])),
        ("remark count exact", pct(result["remark_count_accuracy"])),
        ("projects micro F1", pct(result["projects"]["micro_f1"])),
        ("projects macro F1", pct(result["projects"]["macro_f1"])),
        ("projects exact set", pct(result["projects_exact"])),
        ("types micro F1", pct(result["types"]["micro_f1"])),
        ("types macro F1", pct(result["types"]["macro_f1"])),
        ("types exact set", pct(result["types_exact"])),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value:>7}" for name, value in rows]
    header = "gold \\ predicted  " + "  ".join(f"{k:>9}" for k in KINDS)
    lines += ["", header]
    for gold, row in result["confusion"].items():
        lines.append(f"{gold:<16}  " + "  ".join(f"{row.get(k, 0):>9}" for k in KINDS))
    lines += ["", "project     precision  recall      F1   tp  fp  fn"]
    for label, v in result["projects"]["labels"].items():
        lines.append(f"{label:<10}  {pct(v['precision'])}  {pct(v['recall'])}  {pct(v['f1'])}  "
                     f"{v['tp']:>3} {v['fp']:>3} {v['fn']:>3}")
    errors = result.get("remark_count_errors")
    if errors:
        lines += ["", "remark counts wrong  " + ", ".join(f"{k} {n}" for k, n in errors.items())]
    mix = result.get("languages") or {}
    total = sum(mix.values())
    if total:
        lines += ["", "remark languages  " + ", ".join(f"{k} {n} ({n / total:.0%})" for k, n in mix.items())]
    return "\n".join(lines)
