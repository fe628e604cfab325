"""The classifiers' quality and learning: eval, train, confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from intake.cli.base import app, out, progress_bar, scores_text, settings


@app.command(name="eval")
def eval_(labels: Annotated[Path, typer.Argument(help="labels.jsonl (SPEC format)")],
          mail: Annotated[Path | None, typer.Option("--mail", help="folder of the e-mails (default: mail/ "
                                                    "beside the labels)")] = None,
          as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Classification quality on a labelled corpus (temporary database, nothing sent)."""
    import json

    from classifiers.evaluate import format_table
    from intake.jobs.evaluation import run_eval

    with progress_bar("eval") as bar:
        task = bar.add_task("eval", total=None)
        result, _ = run_eval(settings(required=False), labels, mail, progress=lambda n: bar.advance(task, n))
    print(json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_table(result))


@app.command()
def train() -> None:
    """Retrain on staff-confirmed remarks; switch models only when the new one is better."""
    from classifiers.learned_weights import FOLDS
    from intake import jobs
    from intake.jobs.learning import sort_example_counts, train_sort
    from intake.jobs.learning import train as train_job

    ctx = jobs.open_context(settings())
    sorted_by_hand = sort_example_counts(ctx)
    out.print(f"sorting: {sum(sorted_by_hand.values())} triage decision(s) stored as examples "
              f"({sorted_by_hand.get('remark', 0)} remark, {sorted_by_hand.get('not_remark', 0)} not a remark)")
    sort_report = train_sort(ctx)
    if sort_report is None:
        out.print("sorting: no triage decision to learn from; the shipped sort model stays")
    else:
        at = sort_report.cv.get("at_threshold", {})
        out.print(f"sorting: refitted {sort_report.version} with {sort_report.weighed} weighed triage decision(s); "
                  f"5-fold precision {at.get('precision', 0):.3f}, recall {at.get('recall', 0):.3f}")
    r = train_job(ctx)
    if r.unchanged:
        out.print(f"the current model {r.current} already learned from these {r.examples} confirmed remark(s); "
                  "nothing changed")
        return
    out.print(f"trained {r.candidate} on {r.examples} confirmed remark(s), tested on {r.held_out}: "
              f"{scores_text(r.candidate_scores)}")
    out.print(f"learned signals weighed by {FOLDS}-fold cross-validation: neighbours x{r.neighbour_weight:g}, "
              f"textcat x{r.textcat_weight:g}")
    shifts = sorted(r.label_bias.items(), key=lambda kv: -abs(kv[1]))
    out.print("each label's shift learned from the confirmations: "
              + (", ".join(f"{label} {value:+.2f}" for label, value in shifts) if shifts else "none"))
    out.print(f"rules and embeddings alone: {scores_text(r.rules_scores or {})}")
    if r.current:
        out.print(f"current {r.current}: {scores_text(r.current_scores or {})}")
    out.print("switched to the new model" if r.switched else "kept the current model (the new one is not as good)")


@app.command()
def confirm(reference: Annotated[str, typer.Argument(help="remark reference, e.g. STR/2026/0042/2")],
            projects: Annotated[str, typer.Option(help="comma-separated ids (P1.1,P4.1, OGOLNA, POZA)")] = "",
            type_: Annotated[str | None, typer.Option("--type", help="pytanie, propozycja, poparcie, sprzeciw "
                                                      "or uwaga")] = None,
            by: Annotated[str, typer.Option("--by", help="who decides (logged)")] = "admin") -> None:
    """Confirm or correct a remark's projects and type (training data for the next model)."""
    from intake import jobs
    from intake.jobs.learning import confirm_remark

    ids = [p.strip() for p in projects.split(",") if p.strip()]
    remark = confirm_remark(jobs.open_context(settings()), reference, ids, type_, by)
    out.print(f"{reference}: confirmed as {', '.join(remark.projects)} / {remark.remark_type}")
