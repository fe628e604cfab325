"""Mail written for these tests (not the corpus) through the real CLI: sort, split, language, export."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import DATA, Installation, config_text

NO_EMBEDDINGS = "[classification]\nembeddings = false\n"


@pytest.fixture
def imported(install: Installation) -> Installation:
    install.write_config(config_text(install.database_url, extra=NO_EMBEDDINGS))
    install.run("init", check=True)
    folder = install.root / "mail"
    folder.mkdir()
    for name in ("unseen_topical_wish_never_names_strategy", "unseen_ukrainian_numbered_list",
                 "unseen_press_enquiry_names_strategy"):
        shutil.copy(DATA / f"{name}.eml", folder / f"{name}.eml")
    install.run("import", "--no-ack", str(folder), check=True, timeout=600)
    return install


def _export(install: Installation, what: str) -> list[dict]:
    proc = install.run("export", "--what", what, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_unseen_mail_is_sorted_split_and_its_language_exported(imported: Installation) -> None:
    messages = {m["subject"]: m for m in _export(imported, "messages")}
    assert messages["Polna"]["kind"] == "remark"
    assert "names no consultation" in messages["Polna"]["kind_reason"]
    press = messages["Prośba o komentarz"]
    assert (press["kind"], press["needs_glance"]) == ("other", True)
    remarks = _export(imported, "remarks")
    by_subject: dict[str, list[dict]] = {}
    for r in remarks:
        by_subject.setdefault(r["subject"], []).append(r)
    assert [r["language"] for r in by_subject["Пропозиції до стратегії"]] == ["uk", "uk"]
    wish = by_subject["Polna"]
    assert [r["language"] for r in wish] == ["pl"] and wish[0]["status"] == "needs_review"
    assert "propozycja" in _stored_types(imported, wish[0]["reference"])  # every type shown, kept in the database


def _stored_types(install, reference: str) -> list[str]:
    from sqlmodel import Session, select

    from storage.models import Remark

    engine = install.engine()
    with Session(engine) as session:
        remark = session.exec(select(Remark).where(Remark.reference == reference)).one()
        types = list(remark.remark_types)
    engine.dispose()
    return types
