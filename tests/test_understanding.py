"""The remark pipeline end to end through the real CLI: sort, split, classify, group, learn, export."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.conftest import DATA, REPO, SHARED_CORPUS, Installation, config_text
from tests.mailmaker import make_mail

NO_EMBEDDINGS = "[classification]\nembeddings = false\n"


@pytest.fixture
def fast(install: Installation) -> Installation:
    """An installation without the embedding signal (keeps these tests quick)."""
    install.write_config(config_text(install.database_url, extra=NO_EMBEDDINGS))
    install.run("init", check=True)
    return install


def remarks(install: Installation) -> list[dict]:
    proc = install.run("export", "--what", "remarks", check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def messages(install: Installation) -> list[dict]:
    proc = install.run("export", "--what", "messages", check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()]


def import_files(install: Installation, *names: str) -> None:
    folder = install.root / "mail"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(DATA / "corpus" / name, folder / name)
    install.run("import", "--no-ack", str(folder), check=True)


def test_a_multi_remark_email_becomes_numbered_classified_remarks(fast: Installation) -> None:
    import_files(fast, "m012.eml")
    rows = remarks(fast)
    assert [r["reference"] for r in rows] == ["STR/2026/0001/1", "STR/2026/0001/2", "STR/2026/0001/3"]
    for r in rows:
        assert r["projects"] and r["remark_type"] in {"pytanie", "propozycja", "poparcie", "sprzeciw", "uwaga"}
        assert r["status"] in {"classified", "needs_review"}
        assert set(r["project_scores"]) >= set(r["projects"]) - {"POZA"}
        assert r["history"] and r["history"][0]["action"] == "remark.created"


def test_automatic_and_other_mail_get_no_remarks_and_keep_their_reason(fast: Installation) -> None:
    import_files(fast, "m001.eml", "m002.eml", "m007.eml")
    kinds = {m["subject"]: m["kind"] for m in messages(fast)}
    assert sorted(kinds.values()) == ["automatic", "automatic", "other"]
    assert remarks(fast) == []


def test_a_docx_form_gives_one_remark_per_row_with_its_fields(fast: Installation) -> None:
    import_files(fast, "m041.eml")
    rows = remarks(fast)
    assert len(rows) == 3
    assert all(r["origin"].lower().endswith(".docx") for r in rows)


def test_a_follow_up_reply_joins_the_case_of_the_remark_it_answers(fast: Installation) -> None:
    import_files(fast, "m012.eml", "m036.eml")
    refs = [r["reference"] for r in remarks(fast)]
    assert refs[:3] == ["STR/2026/0001/1", "STR/2026/0001/2", "STR/2026/0001/3"]
    assert refs[3:] == ["STR/2026/0001/4"]


def test_near_identical_remarks_from_different_senders_form_a_campaign(fast: Installation) -> None:
    text = ("Jako mieszkańcy Klukowa popieramy budowę kanalizacji w naszej wsi, bo szamba przepełniają się "
            "po każdym deszczu i zanieczyszczają rowy melioracyjne oraz studnie.")
    folder = fast.root / "campaign"
    folder.mkdir()
    for n, who in enumerate(["Anna Nowak <anna@example.org>", "Piotr Lis <piotr@example.org>",
                             "Ewa Kos <ewa@example.org>"]):
        body = f"Szanowni Państwo,\n\nuwaga do projektu strategii: {text}\n"
        (folder / f"{n}.eml").write_bytes(make_mail(subject="Uwaga do strategii", body=body, sender=who))
    fast.run("import", "--no-ack", str(folder), check=True)
    campaigns = {r["campaign"] for r in remarks(fast)}
    assert len(campaigns) == 1 and None not in campaigns


def test_reprocess_keeps_what_staff_decided(fast: Installation) -> None:
    import_files(fast, "m031.eml")
    ref = remarks(fast)[0]["reference"]
    fast.run("confirm", ref, "--projects", "P2.2", "--type", "sprzeciw", "--by", "jan.referent", check=True)
    fast.run("reprocess", check=True)
    fast.run("reprocess", "--classify", check=True)
    (row,) = remarks(fast)
    assert row["projects"] == ["P2.2"] and row["remark_type"] == "sprzeciw" and row["status"] == "confirmed"
    actions = [h["action"] for h in row["history"]]
    assert "remark.corrected" in actions
    assert any(h["actor"] == "jan.referent" for h in row["history"])


def test_a_corrected_label_changes_the_next_models_answer(fast: Installation) -> None:
    import_files(fast, "m004.eml", "m012.eml", "m031.eml", "m050.eml", "m059.eml", "m078.eml", "m100.eml")
    rows = remarks(fast)
    assert len(rows) >= 6
    target = rows[0]
    wrong_on_purpose = "P3.4" if "P3.4" not in target["projects"] else "P1.1"
    for r in rows:
        projects = [wrong_on_purpose] if r is target else r["projects"]
        fast.run("confirm", r["reference"], "--projects", ",".join(projects), "--by", "test", check=True)
    proc = fast.run("train", check=True)
    assert "switched to the new model" in proc.stdout
    assert "weighed by 5-fold cross-validation" in proc.stdout and "rules and embeddings alone" in proc.stdout
    # a project confirmed against the rules' answer is shifted towards it (P3.4 or P1.1: +)
    shifts = " ".join(proc.stdout.split()).split("learned from the confirmations:")[1].split("rules and")[0]
    assert f"{wrong_on_purpose} +" in shifts, shifts
    again = fast.run("train", check=True)  # no new confirmation: the same model, nothing to re-score
    assert "nothing changed" in again.stdout
    # the corrected remark arrives again (say, re-sent): the new model answers with the correction
    folder = fast.root / "again"
    folder.mkdir()
    (folder / "again.eml").write_bytes(make_mail(subject="Uwagi do projektu strategii (ponownie)",
                                                 body=target["text"], sender="Inny <inny@example.org>"))
    fast.run("import", "--no-ack", str(folder), check=True)
    again = [r for r in remarks(fast) if "ponownie" in r["subject"]]
    assert again and wrong_on_purpose in again[0]["projects"]


def test_training_needs_confirmed_remarks_and_says_so(fast: Installation) -> None:
    proc = fast.run("train")
    assert proc.returncode == 1 and "confirm at least 5" in proc.stderr


def test_loading_a_catalogue_with_aliases_keeps_remark_links(fast: Installation) -> None:
    import_files(fast, "m012.eml")
    before = remarks(fast)
    linked = before[0]["projects"][0]
    text = (REPO / "projects.toml").read_text(encoding="utf-8")
    renamed = text.replace(f'id = "{linked}"', f'id = "X{linked}"\naliases = ["{linked}"]')
    new_file = fast.root / "nowy.toml"
    new_file.write_text(renamed, encoding="utf-8")
    proc = fast.run("catalogue", "load", str(new_file), "--no-rescore", check=True)
    assert "relinked" in proc.stdout
    after = remarks(fast)
    assert f"X{linked}" in after[0]["projects"] and linked not in after[0]["projects"]


def test_a_catalogue_that_drops_a_linked_id_is_refused(fast: Installation) -> None:
    import_files(fast, "m012.eml")
    linked = remarks(fast)[0]["projects"][0]
    text = (REPO / "projects.toml").read_text(encoding="utf-8").replace(f'id = "{linked}"', 'id = "NEW9"')
    new_file = fast.root / "zly.toml"
    new_file.write_text(text, encoding="utf-8")
    proc = fast.run("catalogue", "load", str(new_file))
    assert proc.returncode == 1 and linked in proc.stderr and "aliases" in proc.stderr


def test_remarks_export_as_csv_and_xlsx_has_the_spec_fields(fast: Installation) -> None:
    from reports.exports import REMARK_FIELDS

    import_files(fast, "m012.eml")
    proc = fast.run("export", "--what", "remarks", "--format", "csv", check=True)
    table = list(csv.DictReader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    assert list(table[0]) == REMARK_FIELDS and len(table) == 3
    out = fast.root / "uwagi.xlsx"
    fast.run("export", "--what", "remarks", "--format", "xlsx", "--output", str(out), check=True)
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == REMARK_FIELDS and sheet.max_row == 4


@pytest.mark.slow
def test_eval_on_the_public_corpus_meets_the_goals(install: Installation) -> None:
    labels = SHARED_CORPUS / "labels.jsonl"
    if not labels.exists():
        pytest.skip("shared corpus not available")
    proc = install.run("eval", str(labels), "--json", timeout=900, check=True)
    result = json.loads(proc.stdout)
    report = json.dumps(result, indent=1)
    assert result["remark"]["precision"] >= 0.97, report
    assert result["remark"]["recall"] >= 0.97, report
    assert result["automatic_recognised"] == 1.0, report
    assert result["projects"]["micro_f1"] >= 0.85, report
    assert result["projects"]["macro_f1"] >= 0.80, report
    assert result["remark_count_accuracy"] >= 0.90, report
    assert result["types"]["micro_f1"] >= 0.80, report


def test_mail_written_after_the_rules_is_understood_too(install: Installation) -> None:
    """Ten e-mails written after sorting and classification were built (none of their words were
    used to tune anything): a small guard that the pipeline generalises beyond the public corpus."""
    labels = DATA / "unseen" / "labels.jsonl"
    proc = install.run("eval", str(labels), "--json", timeout=600, check=True)
    result = json.loads(proc.stdout)
    report = json.dumps(result, indent=1)
    assert result["kind_accuracy"] == 1.0, report
    assert result["remark_count_accuracy"] == 1.0, report
    assert result["projects"]["micro_f1"] >= 0.85, report
    assert result["types"]["micro_f1"] >= 0.80, report
