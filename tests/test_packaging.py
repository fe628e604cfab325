"""The four top-level package names also exist on PyPI: make sure ours are the ones imported."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["intake", "classifiers", "storage", "reports", "review"])
def test_top_level_package_resolves_to_this_repository(name: str) -> None:
    module = __import__(name)
    assert Path(module.__file__).resolve().parent == REPO / name


def test_readme_documents_every_command() -> None:
    from intake.cli import app

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"uwagi {name}" in readme, f"README does not mention 'uwagi {name}'"


def test_uwagi_init_writes_the_repository_catalogue() -> None:
    """`uwagi init` outside this checkout writes the packaged catalogue: the same keywords and everyday words as
    the repository's `projects.toml`, which every figure in the notes was measured with."""
    assert (REPO / "intake" / "projects.default.toml").read_bytes() == (REPO / "projects.toml").read_bytes()
