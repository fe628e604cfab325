"""Exports for auditors: the SPEC's fields, three formats with the same rows, spreadsheet safety,
streamed filters, manifests recorded in the log, and the original .eml files by reference."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from email import message_from_bytes, policy

import pytest
from openpyxl import load_workbook

from reports.exports import MESSAGE_FIELDS, REMARK_FIELDS
from tests.conftest import Installation
from tests.mailmaker import make_mail
from tests.reports.support import SOME, import_mail, jsonl, prepared

HOSTILE = make_mail(subject="=HYPERLINK(\"http://evil.example/?x\",\"Kliknij\")",
                    sender="\"@SUM(1+1)*cmd|' /C calc'!A0\" <zly@example.org>",
                    body="=cmd|' /C calc'!A0\n\nProponuję budowę ścieżki rowerowej z Klukowa do Gródka w ramach "
                         "strategii, bo dzieci jeżdżą do szkoły poboczem.")
CONTROL = make_mail(subject="Uwagi\x01 do strategii", sender="Jan\x01 Kontrolny <kontrolny@example.org>",
                    body="Proponuję remont świetlicy w Gródku w ramach strategii terytorialnej.")


@pytest.fixture
def corpus(install: Installation) -> Installation:
    prepared(install)
    import_mail(install, SOME)
    return install


def test_every_remark_carries_the_spec_fields_with_correct_values(corpus: Installation) -> None:
    rows = jsonl(corpus, "--what", "remarks")
    assert rows and all(list(r) == REMARK_FIELDS for r in rows)
    raws = {hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes() for p in (corpus.root / "mail").iterdir()}
    for r in rows:
        original = message_from_bytes(raws[r["message_sha256"]], policy=policy.default)
        assert r["sender_email"] == original["From"].addresses[0].addr_spec
        assert r["received_at"].endswith(("+01:00", "+02:00")) and r["history"][0]["action"] == "remark.created"
        assert isinstance(r["projects"], list) and isinstance(r["project_scores"], dict)
        assert r["late"] is False and "language" in r


def test_csv_has_a_bom_and_xlsx_the_same_rows_as_jsonl(corpus: Installation) -> None:
    rows = jsonl(corpus, "--what", "remarks")
    corpus.run("export", "--format", "csv", "-o", str(corpus.root / "r.csv"), check=True)
    data = (corpus.root / "r.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [t["reference"] for t in table] == [r["reference"] for r in rows]
    assert any("ą" in t["text"] or "ę" in t["text"] for t in table)
    corpus.run("export", "--format", "xlsx", "-o", str(corpus.root / "r.xlsx"), check=True)
    sheet = load_workbook(corpus.root / "r.xlsx").active
    assert [c.value for c in sheet[1]] == REMARK_FIELDS
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [r["reference"] for r in rows]
    assert [row[7].value for row in sheet.iter_rows(min_row=2)] == [r["text"] for r in rows]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")


def test_formulas_in_the_mail_are_text_in_csv_and_xlsx_and_raw_in_jsonl(install: Installation) -> None:
    prepared(install)
    import_mail(install, raws=[HOSTILE])
    for what in ("remarks", "messages"):
        raw = jsonl(install, "--what", what)
        assert raw and raw[0]["subject"].startswith("=HYPERLINK")
        install.run("export", "--what", what, "--format", "csv", "-o", str(install.root / f"{what}.csv"), check=True)
        cells = [c for row in csv.reader(io.StringIO((install.root / f"{what}.csv").read_text("utf-8-sig")))
                 for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert "'=HYPERLINK(\"http://evil.example/?x\",\"Kliknij\")" in cells
        install.run("export", "--what", what, "--format", "xlsx", "-o", str(install.root / f"{what}.xlsx"),
                    check=True)
        book = load_workbook(install.root / f"{what}.xlsx")
        all_cells = [c for row in book.active.iter_rows() for c in row]
        assert not [c.coordinate for c in all_cells if c.data_type == "f"]
        assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in all_cells)


def test_control_characters_in_subject_and_sender_never_break_the_xlsx(install: Installation) -> None:
    prepared(install)
    import_mail(install, raws=[CONTROL])
    for what in ("remarks", "messages"):
        out = install.root / f"{what}.xlsx"
        install.run("export", "--what", what, "--format", "xlsx", "-o", str(out), check=True)
        assert load_workbook(out).active.max_row == 2


def test_the_sheet_writer_takes_control_characters_and_broken_text() -> None:
    from reports.sheets import write_xlsx

    out = io.BytesIO()
    rec = {"a": "Uwagi\x01\x02\x0b", "b": "Jan\udcff Kowalski", "c": "\x00=1+1", "d": ["x\x1f"]}
    assert write_xlsx([rec], list(rec), out, "t") == 1
    values = [c.value for c in next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(min_row=2))]
    assert values[0] == "Uwagi\ufffd\ufffd\ufffd" and values[1].startswith("Jan") and values[2] == "\ufffd=1+1"


def test_a_failed_export_leaves_no_file_behind(corpus: Installation, monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.exports as exports

    def boom(engine, what, fmt, out, zone, flt):
        out.write(b"half a file")
        raise RuntimeError("disk gone")

    monkeypatch.setattr(exports, "write_export", boom)
    target = corpus.root / "out" / "r.csv"
    target.parent.mkdir()
    with pytest.raises(RuntimeError):
        exports.export_file(corpus.engine(), "remarks", "csv", target, corpus.settings().consultation.zone,
                            exports.Filters())
    assert list(target.parent.iterdir()) == []


def test_a_manifest_beside_the_export_is_recorded_in_the_log(corpus: Installation) -> None:
    head_before = corpus.run("audit", "head", check=True).stdout.strip()
    out = corpus.root / "messages.jsonl"
    corpus.run("export", "--what", "messages", "-o", str(out), "--actor", "audytor", check=True)
    manifest = json.loads((corpus.root / "messages.jsonl.manifest.json").read_text())
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["rows"] == len(out.read_text().splitlines()) == len(SOME)
    assert manifest["chain_head"] == head_before and manifest["by"] == "audytor" and manifest["file"] == out.name
    assert all(list(json.loads(line))[:8] == MESSAGE_FIELDS[:8] for line in out.read_text().splitlines())
    assert corpus.run("audit", "head", check=True).stdout.strip() != head_before
    assert corpus.run("audit", "verify").returncode == 0


def local_jsonl(install: Installation, **filters: object) -> list[dict]:
    """In-process export (the CLI path is covered above; this keeps the filter test quick)."""
    from reports.exports import Filters, write_export

    out = io.BytesIO()
    write_export(install.engine(), "remarks", "jsonl", out, install.settings().consultation.zone, Filters(**filters))
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_filters_select_by_project_status_and_dates(corpus: Installation) -> None:
    from intake.cli.output import parse_day

    rows = jsonl(corpus, "--what", "remarks")
    project = rows[0]["projects"][0]
    assert {r["reference"] for r in jsonl(corpus, "--project", project)} == \
        {r["reference"] for r in rows if project in r["projects"]}
    shas = {r["message_sha256"] for r in rows if project in r["projects"]}
    assert {m["message_sha256"] for m in jsonl(corpus, "--what", "messages", "--project", project)} == shas
    status = rows[0]["status"]
    assert len(local_jsonl(corpus, status=status)) == sum(r["status"] == status for r in rows)
    zone = corpus.settings().consultation.zone
    day = rows[0]["received_at"][:10]
    same_day = [r for r in rows if r["received_at"][:10] == day]
    since, until = parse_day(day, "--since", zone), parse_day(day, "--until", zone, end=True)
    assert len(local_jsonl(corpus, since=since, until=until)) == len(same_day)
    assert local_jsonl(corpus, since=parse_day("2027-01-01", "--since", zone)) == []


def test_raw_export_writes_the_original_eml_files_named_by_reference(corpus: Installation) -> None:
    target = corpus.root / "ezd"
    corpus.run("export", "--raw", str(target), check=True)
    refs = {r["reference"].rsplit("/", 1)[0] if r["reference"].count("/") == 3 else r["reference"]
            for r in jsonl(corpus, "--what", "remarks")}
    names = {p.name for p in target.glob("*.eml")}
    assert {re.sub(r"-\d+\.eml$", ".eml", n) for n in names} == {ref.replace("/", "_") + ".eml" for ref in refs}
    originals = {p.read_bytes() for p in (corpus.root / "mail").iterdir()}
    assert all(p.read_bytes() in originals for p in target.glob("*.eml"))
    listing = json.loads((target / "MANIFEST.json").read_text())
    assert set(listing["files"]) == names


def test_a_restricted_remark_leaves_every_export(corpus: Installation) -> None:
    rows = jsonl(corpus, "--what", "remarks")
    ref = rows[0]["reference"]
    corpus.run("restrict", ref, check=True)
    assert ref not in {r["reference"] for r in jsonl(corpus, "--what", "remarks")}
    corpus.run("restrict", ref, "--lift", check=True)
    assert ref in {r["reference"] for r in jsonl(corpus, "--what", "remarks")}
