"""Shared helpers for the classifier tests: parsed .eml files from tests/data and consultation hints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from classifiers.record import ParsedMail
from classifiers.sorting import ConsultationHints
from intake.parsing import parse_message

DATA = Path(__file__).resolve().parents[1] / "data"

HINTS = ConsultationHints(
    name="Strategia Terytorialna Partnerstwa „Ziemia wysokomazowiecka”",
    office_addresses=("ug@klukowo.pl",),
    reference_prefix="STR",
    projects=(
        ("P1.3", "Lokalna żywność – przetwórstwo rolno-spożywcze i krótkie łańcuchy dostaw"),
        ("P2.3", "Aktywni mieszkańcy – wsparcie organizacji społecznych i młodzieży"),
        ("P3.4", "Wspólne schronisko i opieka nad zwierzętami bezdomnymi"),
        ("P4.1", "Dostępna Ziemia Wysokomazowiecka – transport publiczny i połączenia"),
        ("P4.2", "Wspólne biuro Partnerstwa i wspólne usługi samorządów"),
    ),
)


@pytest.fixture
def hints() -> ConsultationHints:
    return HINTS


@pytest.fixture
def eml() -> Callable[[str], tuple[ParsedMail, bytes]]:
    """Parse tests/data/<name>.eml; returns the ParsedMail and the raw bytes."""

    def load(name: str) -> tuple[ParsedMail, bytes]:
        raw = (DATA / f"{name}.eml").read_bytes()
        return parse_message(raw), raw

    return load


def _mail(body: str, subject: str = "uwagi", **fields: object) -> ParsedMail:
    """A hand-made ParsedMail whose new text is the whole body unless given."""
    values: dict[str, object] = {
        "message_id": "hand@example.pl",
        "sender_name": "Jan Kowalski",
        "sender_email": "jan.kowalski@example.pl",
        "subject": subject,
        "date": None,
        "to": ("ug@klukowo.pl",),
        "body_text": body,
        "new_text": body,
    }
    values.update(fields)
    return ParsedMail(**values)  # type: ignore[arg-type]


@pytest.fixture
def make_mail() -> Callable[..., ParsedMail]:
    """Build a ParsedMail by hand: make_mail(body, subject=..., attachments=..., ...)."""
    return _mail
