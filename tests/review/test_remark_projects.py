"""remark_projects follows remarks.projects on every write, so the queue's goal filter stays right."""

from __future__ import annotations

from sqlmodel import Session, select

from review import reshape
from storage.db import session_scope
from storage.models import Remark
from storage.remark_projects import RemarkProject
from tests.review.conftest import csrf_of
from tests.review.test_routes import _refs


def _links(engine, remark_id: int) -> set[str]:
    with Session(engine) as session:
        return {r.project_id for r in session.exec(select(RemarkProject).where(RemarkProject.remark_id == remark_id))}


def test_links_follow_corrections_split_and_deletion(review, client_for):
    ctx, ids = review
    r2 = ids["r2"]  # P3.3 (goal C3)
    assert _links(ctx.engine, r2) == {"P3.3"}
    client = client_for("ala")
    assert "STR/2026/0002" in _refs(client.get("/kolejka?goal=C3").text)
    page = client.get(f"/uwaga/{r2}")
    r = client.post(f"/uwaga/{r2}/potwierdz", data={"csrf": csrf_of(page.text), "projects": ["P1.1", "P1.2"],
                                                    "remark_type": "propozycja"}, follow_redirects=False)
    assert r.status_code == 303
    assert _links(ctx.engine, r2) == {"P1.1", "P1.2"}
    assert "STR/2026/0002" not in _refs(client.get("/kolejka?goal=C3").text)
    assert "STR/2026/0002" in _refs(client.get("/kolejka?goal=C1").text)
    assert "STR/2026/0002" in _refs(client.get("/kolejka?project=P1.2").text)
    new_ids = reshape.split(ctx, r2, "Rowy melioracyjne.\n---\nWoda stoi na polach.", "ala")
    assert _links(ctx.engine, new_ids[1]) == {"P1.1", "P1.2"}
    with session_scope(ctx.engine) as session:
        session.delete(session.get(Remark, new_ids[1]))
    assert _links(ctx.engine, new_ids[1]) == set()


def test_search_by_words_and_by_reference(review, client_for):
    client = client_for("ewa")
    assert _refs(client.get("/kolejka?q=DACHU").text) == {"STR/2026/0001"}
    assert _refs(client.get("/kolejka?q=0003").text) == {"STR/2026/0003"}
    assert _refs(client.get("/kolejka?status=classified&q=rowy").text) == {"STR/2026/0002"}


def test_migration_fills_links_of_remarks_stored_before(review):
    """The data step of migration 0010, run over remarks that have no link rows yet."""
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import delete

    from storage.db import MIGRATIONS
    from storage.remark_projects import LINKS

    ctx, ids = review
    (path,) = (MIGRATIONS / "versions").glob("0010_*.py")
    spec = importlib.util.spec_from_file_location("m0010", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with ctx.engine.begin() as conn:
        conn.execute(delete(LINKS))
        with Operations.context(MigrationContext.configure(conn)):
            module._fill_links()
    assert _links(ctx.engine, ids["r2"]) == {"P3.3"}
    assert _links(ctx.engine, ids["c0"]) == {"P2.1"}


def test_search_with_many_matches_uses_a_subquery(review, client_for, monkeypatch):
    from review import queries

    monkeypatch.setattr(queries, "FEW", 1)
    client = client_for("ewa")
    assert _refs(client.get("/kolejka?q=swietlic").text) == {"STR/2026/0001", "STR/2026/0020"}
    assert _refs(client.get("/kolejka?q=STR/2026/0002").text) == {"STR/2026/0002"}
