"""What residents and the council read: Polish plural forms, dates, and excerpts without personal data."""

from __future__ import annotations

from datetime import date

import pytest

from reports.polish import form, long_date, period, plural
from reports.pseudonymise import excerpt, pseudonymise


@pytest.mark.parametrize(("n", "text"), [(0, "0 uwag"), (1, "1 uwaga"), (2, "2 uwagi"), (4, "4 uwagi"),
                                         (5, "5 uwag"), (12, "12 uwag"), (22, "22 uwagi"), (112, "112 uwag")])
def test_remark_counts_take_the_polish_plural_form(n: int, text: str) -> None:
    assert plural(n, "uwaga", "uwagi", "uwag") == text


def test_verbs_agree_with_the_number_of_days() -> None:
    assert [form(n, "został", "zostały", "zostało") for n in (1, 3, 5, 24)] == ["został", "zostały", "zostało",
                                                                                 "zostały"]


def test_dates_use_the_genitive_month_and_weeks_span_months() -> None:
    assert long_date(date(2026, 12, 11)) == "11 grudnia 2026"
    assert period(date(2026, 11, 23), date(2026, 11, 29)) == "23–29 listopada 2026"
    assert period(date(2026, 11, 30), date(2026, 12, 6)) == "30 listopada – 6 grudnia 2026"
    assert period(date(2026, 12, 28), date(2027, 1, 3)) == "28 grudnia 2026 – 3 stycznia 2027"


def test_excerpts_drop_the_authors_name_contacts_addresses_and_signature() -> None:
    text = ("Jestem Anna Wiśniewska z ul. Polnej 12/3, tel. +48 600 123 456, anna.w@o2.pl, PESEL 85010112345. "
            "Proszę o chodnik do szkoły.\n\nZ poważaniem\nAnna Wiśniewska\nKlukowo")
    clean = pseudonymise(text, "Anna Wiśniewska")
    for private in ("Wiśniewsk", "Anna", "600", "anna.w@o2.pl", "85010112345", "Polnej 12", "Klukowo"):
        assert private not in clean
    assert "Proszę o chodnik do szkoły." in clean


def test_long_excerpts_end_at_a_word_with_an_ellipsis() -> None:
    short = excerpt("słowo " * 100, limit=50)
    assert len(short) <= 52 and short.endswith(" …") and "słow " not in short
