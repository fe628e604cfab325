"""Catalogue loading: projects.toml format, aliases, one-line validation errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from classifiers.catalogue import CatalogueError, load_catalogue, parse_catalogue
from tests.classifiers.nlp_fixtures import CATALOGUE_TOML


def test_loads_projects_goals_and_extra_keys(tmp_path: Path):
    path = tmp_path / "projects.toml"
    path.write_text(CATALOGUE_TOML, encoding="utf-8")
    cat = load_catalogue(path)
    assert cat.ids == ["R1", "R2", "R3", "R4"]
    assert cat.goals[0].id == "G1"
    assert cat.project("R1").extra == {"kind": "strategiczny"}
    assert "ścieżka rowerowa" in cat.project("R1").keywords
    assert cat.general is not None and cat.general.keywords  # default meaning of OGOLNA


def test_everyday_words_are_matched_but_stay_out_of_the_description():
    """Residents' words for a project ("eternit") are read in remarks; the description the encoder compares
    remarks with keeps the planners' wording only."""
    data = tomllib.loads(CATALOGUE_TOML)
    data["project"][0]["everyday"] = ["rowerzyści", "trasa rowerowa"]
    project = parse_catalogue(data).project("R1")
    assert project.everyday == ("rowerzyści", "trasa rowerowa")
    assert project.phrases == (*project.keywords, "rowerzyści", "trasa rowerowa")
    assert "rowerzyści" not in project.description
    assert "everyday" not in project.extra


def test_matters_outside_the_strategy_come_with_the_catalogue_or_the_generic_list():
    data = tomllib.loads(CATALOGUE_TOML)
    default = parse_catalogue(data).outside
    assert default is not None and default.id == "POZA" and "cmentarz" in default.keywords
    data["outside"] = {"title": "Poza", "keywords": ["przychodnia"]}
    assert parse_catalogue(data).outside.keywords == ("przychodnia",)
    data["outside"] = ["przychodnia"]
    with pytest.raises(CatalogueError, match="outside: must be a table"):
        parse_catalogue(data)


def test_aliases_resolve_to_current_id():
    cat = parse_catalogue(tomllib.loads(CATALOGUE_TOML))
    assert cat.resolve("R9") == "R3"
    assert cat.resolve("R3") == "R3"
    assert cat.resolve("OGOLNA") == "OGOLNA"
    assert cat.project("R9").id == "R3"
    with pytest.raises(KeyError):
        cat.resolve("R7")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["project"][1].pop("title"), "project R2: key 'title'"),
        (lambda d: d["project"][1].update(goal="G7"), "project R2: key 'goal'"),
        (lambda d: d["project"][1].update(aliases=["R1"]), "project R2: key 'aliases'"),
        (lambda d: d["project"][1].update(keywords="żłobek"), "project R2: key 'keywords'"),
        (lambda d: d["project"][1].update(everyday=[3]), "project R2: key 'everyday'"),
        (lambda d: d["project"][1].update(id="POZA"), "key 'id'"),
    ],
)
def test_validation_errors_name_project_and_key(change, message):
    data = tomllib.loads(CATALOGUE_TOML)
    change(data)
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(data)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_unreadable_or_broken_file(tmp_path: Path):
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[project]\nid=", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue(bad)


def test_shipped_catalogue_loads():
    shared = Path(__file__).resolve().parents[3] / "shared" / "strategy" / "projects.toml"
    if not shared.exists():
        pytest.skip("shared catalogue not present")
    cat = load_catalogue(shared)
    assert len(cat.projects) == 15
