"""Sort and split the labelled corpus and print how close it comes to the labels.

    .venv/bin/python bench/sort_split_eval.py [--corpus DIR] [--catalogue projects.toml] [--json]

Goals: kind==remark precision and recall >= 0.97, automatic recognised 100 %, remark count exact on
remark e-mails >= 90 %. Projects and types are not predicted here (that is classify's job), so
only the sorting and splitting figures of ``classifiers.evaluate`` are printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers.evaluate import evaluate  # noqa: E402
from classifiers.sorting import ConsultationHints, sort_message  # noqa: E402
from classifiers.splitting import split_remarks  # noqa: E402
from intake.parsing import parse_message  # noqa: E402

SHARED = REPO.parent / "shared"
NAME = "Strategia Terytorialna Partnerstwa „Ziemia wysokomazowiecka”"


def hints_from(catalogue: Path) -> ConsultationHints:
    data = tomllib.loads(catalogue.read_text(encoding="utf-8")) if catalogue.exists() else {}
    projects = tuple((p["id"], p["title"]) for p in data.get("project", []))
    topics = relevance = None
    if catalogue.exists():  # the catalogue's topics and relevance, as the pipeline gives them (services.hints)
        from classifiers.catalogue import load_catalogue
        from classifiers.embeddings import Embedder
        from classifiers.matching import KeywordMatcher
        from classifiers.nlp import get_nlp
        from classifiers.relevance import MultilingualRelevance, static_relevance

        loaded, nlp = load_catalogue(catalogue), get_nlp()
        topics = KeywordMatcher(loaded, nlp).topics
        relevance = MultilingualRelevance(loaded, static_relevance(loaded, nlp), Embedder(enabled=True))
    from intake.settings import Consultation

    c = Consultation()
    return ConsultationHints(
        name=NAME, office_addresses=("ug@klukowo.pl",), reference_prefix="STR", projects=projects,
        topics=topics, relevance=relevance, period=(c.opens_at, c.deadline),
    )


def run(corpus: Path, hints: ConsultationHints) -> tuple[list[dict], list[dict], list[str]]:
    labels = [json.loads(line) for line in (corpus / "labels.jsonl").read_text().splitlines() if line.strip()]
    predictions, notes = [], []
    for label in labels:
        raw = (corpus / "mail" / label["file"]).read_bytes()
        mail = parse_message(raw)
        decision = sort_message(mail, hints, raw)
        count = len(split_remarks(mail)) if decision.kind == "remark" else 0
        predictions.append(
            {"file": label["file"], "kind": decision.kind, "remarks": count, "projects": [], "types": []}
        )
        flags = [f for f, on in (("glance", decision.needs_glance), ("review", decision.needs_review)) if on]
        if flags or decision.kind != label["kind"]:
            notes.append(
                f"{label['file']} {label['kind']:>9} -> {decision.kind:<9} {','.join(flags):<7} "
                f"{decision.reason}"
            )
    return labels, predictions, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--catalogue", type=Path, default=SHARED / "strategy" / "projects.toml")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    labels, predictions, notes = run(args.corpus, hints_from(args.catalogue))
    result = evaluate(labels, predictions)
    elapsed = time.perf_counter() - started
    if args.json:
        print(
            json.dumps(
                {
                    k: result[k]
                    for k in (
                        "remark",
                        "automatic_recognised",
                        "remark_count_accuracy",
                        "confusion",
                        "misses",
                    )
                },
                indent=2,
            )
        )
        return 0
    remark = result["remark"]
    print(f"{result['files']} e-mails in {elapsed:.1f} s")
    print(
        f"kind==remark precision   {remark['precision']:.3f}  "
        f"(tp {remark['tp']}, fp {remark['fp']})  goal 0.97"
    )
    print(f"kind==remark recall      {remark['recall']:.3f}  (fn {remark['fn']})  goal 0.97")
    print(f"automatic recognised     {result['automatic_recognised']:.1%}  goal 100 %")
    print(f"remark count exact       {result['remark_count_accuracy']:.1%}  goal 90 %")
    print("\nmisses:" if result["misses"] else "\nmisses: none")
    for miss in result["misses"]:
        print(
            f"  {miss['file']}: {miss['gold']} ({miss['gold_remarks']}) -> "
            f"{miss['predicted']} ({miss['predicted_remarks']})"
        )
    print("\nflagged or missed (file, gold -> predicted, flags, reason):")
    for note in notes:
        print("  " + note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
