"""All 120 sample e-mails parse without errors, with text and without mojibake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake.parsing import ParsedMail, parse_message

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MOJIBAKE = ("Ä", "Ĺ", "Ă", "Ã", "Å", "\ufffd", "Â")

pytestmark = pytest.mark.skipif(not (CORPUS / "mail").is_dir(), reason="shared corpus not available")


def labels() -> dict[str, dict]:
    lines = (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["file"]: row for row in map(json.loads, filter(None, lines))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedMail]:
    return {path.name: parse_message(path.read_bytes()) for path in sorted((CORPUS / "mail").glob("*.eml"))}


def all_text(mail: ParsedMail) -> str:
    parts = [mail.subject, mail.sender_name, mail.body_text, mail.new_text]
    parts += [a.text + a.filename for a in mail.attachments]
    parts += [all_text(inner) for inner in mail.forwarded]
    return "\n".join(parts)


def test_every_corpus_file_parses(parsed: dict[str, ParsedMail]) -> None:
    assert len(parsed) == 120


def test_every_message_has_a_sender_a_date_and_a_message_id(parsed: dict[str, ParsedMail]) -> None:
    for name, mail in parsed.items():
        assert "@" in mail.sender_email, name
        assert mail.date is not None and mail.date.tzinfo is not None, name
        assert mail.message_id and "<" not in mail.message_id, name


def test_every_non_automatic_message_has_text(parsed: dict[str, ParsedMail]) -> None:
    for name, label in labels().items():
        if label["kind"] == "automatic":
            continue
        mail = parsed[name]
        text = mail.new_text + "".join(a.text for a in mail.attachments)
        text += "".join(inner.new_text for inner in mail.forwarded)
        assert text.strip(), name


def test_no_corpus_message_shows_mojibake(parsed: dict[str, ParsedMail]) -> None:
    for name, mail in parsed.items():
        text = all_text(mail)
        for bad in MOJIBAKE:
            assert bad not in text, f"{name}: {bad!r}"


def test_new_text_never_holds_the_offices_quoted_circular(parsed: dict[str, ParsedMail]) -> None:
    for name, mail in parsed.items():
        assert "> " not in mail.new_text, name
        assert "-----Wiadomość oryginalna-----" not in mail.new_text, name
        assert "napisał(a):" not in mail.new_text, name


def test_new_text_is_a_part_of_body_text_for_plain_replies(parsed: dict[str, ParsedMail]) -> None:
    for name in ("m004.eml", "m005.eml", "m036.eml", "m039.eml"):
        mail = parsed[name]
        assert mail.new_text and mail.new_text in mail.body_text, name


def test_remarks_in_attachments_are_readable(parsed: dict[str, ParsedMail]) -> None:
    expected = {
        "m041.eml": "Objąć doradztwem zawodowym",
        "m093.eml": "Wiata przystankowa z ławką",
        "m096.eml": "Popieramy utworzenie inkubatora NGO",
        "m108.eml": "Bezpłatne czipowanie psów i kotów",
        "m080.eml": "klasy branżowe tworzone na zamówienie",
        "m050.eml": "porozumienia międzygminnego",
        "m100.eml": "klub seniora z prawdziwego zdarzenia",
        "m058.eml": "boiska",
        "m078.eml": "mobilny PSZOK",
        "m066.eml": "LED z możliwością ściemniania",
    }
    for name, phrase in expected.items():
        assert any(phrase in a.text for a in parsed[name].attachments), name


def test_reports_carry_their_report_type(parsed: dict[str, ParsedMail]) -> None:
    reports = {
        name: mail.report_type for name, mail in parsed.items() if mail.content_type == "multipart/report"
    }
    assert sorted(reports.values()) == ["delivery-status"] * 4 + ["disposition-notification"]
