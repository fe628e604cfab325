"""With several consultations the queue shows and filters by consultation, and a remark page names
its consultation and offers its own catalogue's projects; with one, nothing changes."""

from __future__ import annotations

import re

from sqlalchemy import text

from intake.jobs.context import Context
from intake.settings import parse_settings
from tests.review.conftest import login
from tests.test_consultations import BUDGET_CATALOGUE


def _refs(html: str) -> set[str]:
    return set(re.findall(r"data-open>((?:STR|BO)/\d{4}/\d{4})", html))


def test_queue_filters_and_shows_the_consultation(review, tmp_path) -> None:
    from starlette.testclient import TestClient

    from review.app import create_app

    ctx, _ids = review
    (tmp_path / "budzet.toml").write_text(BUDGET_CATALOGUE, encoding="utf-8")
    data = ctx.settings.model_dump(mode="python", by_alias=True, exclude={"base_dir", "consultations"})
    data["consultations"] = {"budzet": {"name": "Budżet obywatelski 2027", "opens": ctx.settings.consultation.opens,
                                        "closes": ctx.settings.consultation.closes, "reference_prefix": "BO",
                                        "catalogue": str(tmp_path / "budzet.toml")}}
    settings = parse_settings(data, tmp_path / "config.toml")
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE remarks SET consultation = 'budzet', reference = 'BO/2026/0001' "
                          "WHERE reference = 'STR/2026/0004'"))
        conn.execute(text("UPDATE remarks SET consultation = NULL WHERE reference = 'STR/2026/0001'"))
        budget_id = conn.execute(text("SELECT id FROM remarks WHERE reference = 'BO/2026/0001'")).scalar_one()
    client = TestClient(create_app(Context(settings, ctx.engine)), base_url="http://testserver")
    assert login(client, "ala").status_code == 303
    everything = client.get("/kolejka").text
    assert 'name="konsultacja"' in everything and "<th scope=\"col\">Konsultacja</th>" in everything
    assert "BO/2026/0001" in _refs(everything) and "Budżet obywatelski 2027" in everything
    budget = client.get("/kolejka?konsultacja=budzet").text
    assert _refs(budget) == {"BO/2026/0001"}
    assert "BO1 Teren rekreacyjny przy szkole" in budget  # the project filter lists the budget's catalogue
    strategy = _refs(client.get("/kolejka?konsultacja=strategia").text)
    assert "BO/2026/0001" not in strategy and "STR/2026/0001" in strategy  # no key yet: the default's
    assert len(strategy) == len(_refs(everything)) - 1
    page = client.get(f"/uwaga/{budget_id}").text
    assert "Konsultacja" in page and "Budżet obywatelski 2027" in page and "Teren rekreacyjny" in page
    # the dashboard counts one consultation at a time
    default_board = client.get("/pulpit").text
    budget_board = client.get("/pulpit?konsultacja=budzet").text
    assert 'name="konsultacja"' in budget_board and "Teren rekreacyjny przy szkole" in budget_board
    assert "Razem 1 uwaga" in budget_board
    total = len(_refs(everything))
    assert f"Razem {total - 1} uwag" in default_board and "Teren rekreacyjny" not in default_board


def test_one_consultation_shows_no_consultation_column(review, client_for) -> None:
    html = client_for("ala").get("/kolejka").text
    assert 'name="konsultacja"' not in html and "Konsultacja</th>" not in html
