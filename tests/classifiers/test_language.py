"""Each remark's language, detected offline (sentences written for the test)."""

from __future__ import annotations

import pytest

from classifiers.language import detect_language


@pytest.mark.parametrize(("text", "code"), [
    ("Przydałaby się ścieżka rowerowa wzdłuż drogi do szkoły, dzieci jeżdżą poboczem.", "pl"),
    ("przydalaby sie sciezka rowerowa wzdluz drogi do szkoly, dzieci jezdza poboczem", "pl"),
    ("Просимо додати до стратегії курси польської мови для дорослих у бібліотеці.", "uk"),
    ("Просім дадаць у стратэгію курсы польскай мовы для дарослых у бібліятэцы.", "be"),
    ("Prosim dadać u stratehiju kursy polskaj movy dla darosłych, dzieci chodziać u škołu ŭ Klukavie.", "be"),
    ("We would welcome a bus connection on Saturdays for the workers of the dairy.", "en"),
])
def test_the_language_of_a_remark_is_detected(text, code):
    assert detect_language(text) == code


def test_too_short_a_text_counts_as_polish():
    assert detect_language("OK, tak.") == "pl"
