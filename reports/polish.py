"""Polish plural forms and dates for everything a resident or the council reads (babel's CLDR rules)."""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_datetime

PL = Locale("pl")


def plural(n: int, one: str, few: str, many: str) -> str:
    """`n` with the right form: 1 uwaga, 2 uwagi, 5 uwag, 22 uwagi, 112 uwag."""
    return f"{n} {form(n, one, few, many)}"


def form(n: int, one: str, few: str, many: str) -> str:
    """Only the word, for agreeing verbs: został 1 dzień, zostały 3 dni, zostało 5 dni."""
    kind = PL.plural_form(n)
    return one if kind == "one" else few if kind == "few" else many


def long_date(value: date | datetime) -> str:
    """11 grudnia 2026 (the genitive month name, as Polish dates are written)."""
    return format_date(value, format="d MMMM y", locale=PL)


def date_time(value: datetime) -> str:
    """2 grudnia 2026, 14:05 in the value's own zone (convert to Europe/Warsaw first)."""
    return format_datetime(value, format="d MMMM y, HH:mm", locale=PL)


def period(start: date, end: date) -> str:
    """23–29 listopada 2026; 30 listopada – 6 grudnia 2026; across years both dates in full."""
    if start.year != end.year:
        return f"{long_date(start)} – {long_date(end)}"
    if start.month != end.month:
        return f"{format_date(start, format='d MMMM', locale=PL)} – {long_date(end)}"
    return f"{start.day}–{long_date(end)}"
