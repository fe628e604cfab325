"""The statutory report (art. 6 ust. 6 UZPPR): one row per remark or campaign, counts that add up,
late remarks apart, undecided ones flagged, an accessible DOCX, and a public version without
private persons' names or contact details."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from reports.statutory import is_organisation
from tests.conftest import Installation
from tests.mailmaker import make_mail
from tests.reports.support import SOME, import_mail, jsonl, prepared, sql

CAMPAIGN = ("Popieram budowę krytego basenu w Klukowie w ramach strategii terytorialnej, bo dzieci z całej gminy "
            "nie mają gdzie uczyć się pływać i muszą jeździć do Ostrowi Mazowieckiej.")
SIGNERS = [("Zofia Wiśniewska", "zofia.w@example.org"), ("Tomasz Zieliński", "t.zielinski@example.org"),
           ("Ewa Dąbrowska", "ewa.dab@example.org")]
LATE = make_mail(subject="Uwaga po terminie", sender="Piotr Spóźniony <piotr.spozniony@example.org>",
                 body="Proponuję nową świetlicę w Gródku w ramach strategii, dzwońcie 600 123 456, ul. Polna 7.",
                 date=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))  # closes 2026-11-30 here


def campaign_mail(name: str, email: str) -> bytes:
    return make_mail(subject="Basen", sender=f"{name} <{email}>",
                     body=f"{CAMPAIGN}\n\nZ poważaniem\n{name}\ntel. 601 222 333")


@pytest.fixture
def consulted(install: Installation) -> Installation:
    prepared(install, "[consultation]\ncloses = 2026-11-30\n")
    import_mail(install, SOME, raws=[campaign_mail(*s) for s in SIGNERS] + [LATE])
    sql(install, "UPDATE remarks SET stance = 'uwzględniona', justification = 'Zapis dodano do projektu.' "
                 "WHERE id IN (SELECT MIN(id) FROM remarks)")
    return install


def document_text(doc) -> str:
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def remark_tables(doc) -> list:
    return [t for t in doc.tables if t.rows[0].cells[0].text == "Lp."]


def overview(doc) -> dict[str, str]:
    return {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}


def test_the_docx_has_one_row_per_remark_and_one_per_campaign(consulted: Installation) -> None:
    remarks = jsonl(consulted, "--what", "remarks")
    out = consulted.root / "sprawozdanie.docx"
    consulted.run("report", "--format", "docx", "-o", str(out), check=True)
    doc = Document(str(out))
    on_time, late = remark_tables(doc)
    campaign = [r for r in remarks if r["campaign"]]
    assert len(campaign) == 3
    assert len(on_time.rows) - 1 == sum(not r["late"] for r in remarks) - (len(campaign) - 1)
    assert len(late.rows) - 1 == 1 and "świetlicę" in late.rows[1].cells[3].text
    assert "świetlicę w Gródku w ramach strategii, dzwońcie" not in "\n".join(c.text for r in on_time.rows
                                                                               for c in r.cells)
    assert [r.cells[1].text for r in on_time.rows if "basenu" in r.cells[3].text] == \
        ["3 zgłaszających (uwagi jednobrzmiące, 3)"]
    decisions = [r.cells[4].text for r in on_time.rows[1:]]
    assert decisions.count("uwzględniona") == 1 and "brak rozstrzygnięcia" in decisions


def test_the_counts_add_up(consulted: Installation) -> None:
    remarks = jsonl(consulted, "--what", "remarks")
    out = consulted.root / "r.docx"
    consulted.run("report", "--format", "docx", "-o", str(out), check=True)
    doc = Document(str(out))
    facts = overview(doc)
    assert int(facts["Uwagi zgłoszone"]) == len(remarks)
    assert int(facts["w tym po terminie"]) == 1
    by_decision = next(t for t in doc.tables[1:4] if any("uwzględniona" in r.cells[0].text for r in t.rows))
    assert sum(int(r.cells[1].text) for r in by_decision.rows[1:]) == len(remarks)
    assert int(facts["Uwagi bez rozstrzygnięcia"]) == len(remarks) - 1


def test_the_docx_is_accessible_polish_with_repeated_header_rows(consulted: Installation) -> None:
    out = consulted.root / "r.docx"
    consulted.run("report", "--format", "docx", "-o", str(out), check=True)
    doc = Document(str(out))
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "pl-PL" and doc.core_properties.language == "pl-PL"
    for table in remark_tables(doc):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [p.style.name for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_the_public_report_names_no_private_person_and_no_contact_details(consulted: Installation) -> None:
    from email import message_from_bytes, policy

    out = consulted.root / "public.docx"
    consulted.run("report", "--format", "docx", "--public", "-o", str(out), check=True)
    text = document_text(Document(str(out)))
    people = []
    for path in (consulted.root / "mail").iterdir():
        sender = message_from_bytes(path.read_bytes(), policy=policy.default)["From"].addresses[0]
        people.append((sender.display_name, sender.addr_spec))
    for name, email in people:
        assert email not in text
        if not is_organisation(name):
            for part in name.split():
                assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text), (name, part)
    assert "Osoba fizyczna nr 1" in text
    assert "600 123 456" not in text and "Polna 7" not in text and "601 222 333" not in text


def test_the_xlsx_report_has_the_same_table(consulted: Installation) -> None:
    docx, xlsx = consulted.root / "r.docx", consulted.root / "r.xlsx"
    consulted.run("report", "--format", "docx", "-o", str(docx), check=True)
    consulted.run("report", "--format", "xlsx", "-o", str(xlsx), check=True)
    on_time = remark_tables(Document(str(docx)))[0]
    sheet = load_workbook(xlsx)["Uwagi w terminie"]
    assert [c.value for c in sheet[1]] == [c.text for c in on_time.rows[0].cells]
    assert sheet.max_row == len(on_time.rows)
    assert [r[3].value for r in sheet.iter_rows(min_row=2)] == [r.cells[3].text for r in on_time.rows[1:]]


def test_restricted_remarks_are_left_out_of_the_report(consulted: Installation) -> None:
    ref = jsonl(consulted, "--what", "remarks")[0]["reference"]
    consulted.run("restrict", ref, check=True)
    out = consulted.root / "r.docx"
    consulted.run("report", "--format", "docx", "-o", str(out), check=True)
    facts = overview(Document(str(out)))
    assert int(facts["Uwagi zgłoszone"]) == len(jsonl(consulted, "--what", "remarks"))
