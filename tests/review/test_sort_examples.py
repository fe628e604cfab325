"""Triage decisions become labelled examples for the sorting; counted on the learning page and by train."""

from __future__ import annotations

from sqlmodel import Session

from storage.sort_examples import SortExample, counts, examples
from tests.review.conftest import csrf_of


def test_triage_records_examples_and_the_learning_page_counts_them(review, client_for):
    ctx, ids = review
    client = client_for("ala")
    page = client.get("/przeglad")
    token = csrf_of(page.text)
    client.post(f"/przeglad/{ids['glance']}/uwagi", data={"csrf": token, "text": "Kanalizacja w Zalesiu."})
    client.post(f"/przeglad/{ids['held']}/odrzuc", data={"csrf": token})
    with Session(ctx.engine) as session:
        glance = session.get(SortExample, ids["glance"])
        assert glance is not None and glance.label == "remark" and glance.decided_by == "ala"
        assert glance.machine_kind == "other" and glance.machine_needs_glance is True
        held = session.get(SortExample, ids["held"])
        assert held is not None and held.label == "not_remark" and held.machine_kind is None
        assert counts(session) == {"remark": 1, "not_remark": 1}
        texts = dict((label, text) for text, label in examples(session))
        assert "kanalizacja w Zalesiu" in texts["remark"]
    learning = client_for("ewa").get("/uczenie").text
    assert "2 przykłady" in learning and "uznane za uwagi: 1" in learning
    assert "model sortowania" in learning and "wersja dostarczona z programem" in learning
    from storage.events import append_event

    with Session(ctx.engine) as session:
        append_event(session, actor="nightly", action="sort_model.trained", entity="model", entity_id="s2",
                     before={"version": "s1"}, after={"version": "s2", "triage_examples": 2, "weighed": 2,
                                                      "cv": {"at_threshold": {"precision": 0.99, "recall": 0.975}}})
        session.commit()
    learning = client_for("ewa").get("/uczenie").text
    assert "z 2 decyzjami" in learning and "precyzja 0.990, czułość 0.975" in learning


def test_migration_fills_examples_from_triage_events(review, client_for):
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import delete

    from storage.db import MIGRATIONS

    ctx, ids = review
    client = client_for("ala")
    token = csrf_of(client.get("/przeglad").text)
    client.post(f"/przeglad/{ids['glance']}/odrzuc", data={"csrf": token})
    (path,) = (MIGRATIONS / "versions").glob("0010_*.py")
    spec = importlib.util.spec_from_file_location("m0010", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with ctx.engine.begin() as conn:
        conn.execute(delete(SortExample.__table__))
        with Operations.context(MigrationContext.configure(conn)):
            module._fill_sort_examples()
    with Session(ctx.engine) as session:
        row = session.get(SortExample, ids["glance"])
        assert row is not None and row.label == "not_remark" and row.decided_by == "ala"
        assert row.machine_needs_glance is True


def test_train_says_how_many_sorting_examples_it_has(install):
    install.run("init", check=True)
    proc = install.run("train")
    assert "sorting: 0 triage decision(s) stored as examples" in proc.stdout
    assert "no triage decision to learn from; the shipped sort model stays" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_train_refits_the_sort_model_with_triage_decisions_deterministically(review, client_for):
    from intake.jobs.learning import train_sort
    from intake.models import current_sort_model
    from storage.models import RawMessage

    ctx, ids = review
    with Session(ctx.engine) as session:  # the seed keeps no raw bytes for these two; the pipeline does
        for key, body in (("glance", "Przydałaby się kanalizacja w Zalesiu, szamba się przelewają."),
                          ("held", "W załączeniu faktura za dostawę papieru.")):
            if session.get(RawMessage, ids[key]) is None:
                raw = (f"From: a@example.pl\r\nTo: ug@klukowo.pl\r\nSubject: {key}\r\n"
                       f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()
                session.add(RawMessage(message_pk=ids[key], raw=raw))
        session.commit()
    client = client_for("ala")
    token = csrf_of(client.get("/przeglad").text)
    client.post(f"/przeglad/{ids['glance']}/uwagi", data={"csrf": token, "text": "Kanalizacja w Zalesiu."})
    client.post(f"/przeglad/{ids['held']}/odrzuc", data={"csrf": token})
    first = train_sort(ctx)
    assert first is not None and first.examples == 2
    model = current_sort_model(ctx.settings)
    assert model is not None and model.version == first.version
    assert model.train_y is not None and len(model.train_y) == model.cv["rows"]
    again = train_sort(ctx)
    assert again is not None and again.version == first.version  # same data, same model
