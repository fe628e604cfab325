"""Each remark's language, detected offline (sentences written for the test)."""

from __future__ import annotations

import pytest

from classifiers.language import detect_language

SENTENCES = [
    ("Przydałaby się ścieżka rowerowa wzdłuż drogi do szkoły, dzieci jeżdżą poboczem.", "pl"),
    ("przydalaby sie sciezka rowerowa wzdluz drogi do szkoly, dzieci jezdza poboczem", "pl"),
    ("Просимо додати до стратегії курси польської мови для дорослих у бібліотеці.", "uk"),
    ("Просім дадаць у стратэгію курсы польскай мовы для дарослых у бібліятэцы.", "be"),
    ("Prosim dadać u stratehiju kursy polskaj movy dla darosłych, dzieci chodziać u škołu ŭ Klukavie.", "be"),
    ("We would welcome a bus connection on Saturdays for the workers of the dairy.", "en"),
]


@pytest.mark.parametrize(("text", "code"), SENTENCES)
def test_the_language_of_a_remark_is_detected(text, code):
    assert detect_language(text) == code


def test_too_short_a_text_counts_as_polish():
    assert detect_language("OK, tak.") == "pl"


def test_the_full_models_load_only_for_a_short_text_no_letter_decides():
    """Memory: the trigram models answer long texts and texts with a letter of one language only;
    the full models (~65 MB per script) load for a short text without one, and go after a while."""
    from classifiers import language

    language.release()
    for _ in range(language.KEEP_FULL_FOR):
        language.release()
    assert language._full_idle == -1
    assert detect_language("Przydałaby się ścieżka rowerowa wzdłuż drogi do szkoły, dzieci jeżdżą poboczem.") == "pl"
    assert detect_language("Просимо додати до стратегії курси польської мови для дорослих у бібліотеці, "
                           "бо багато батьків хоче вивчати мову разом із дітьми.") == "uk"
    assert language._full_idle == -1  # neither needed the full models
    assert detect_language("Please add a bus on Saturdays") == "en"
    assert language._full_idle == 0
    for _ in range(language.KEEP_FULL_FOR):
        language.release()
    assert language._full_idle == -1  # unloaded; the next short text loads them again
    assert detect_language("przydalaby sie sciezka rowerowa wzdluz drogi do szkoly") == "pl"


def test_the_answer_is_the_full_detectors():
    """The trigram shortcut changes no answer: prefixes of every length of the sentences above."""
    from classifiers import language

    full = language._build(low_accuracy=False)
    for text, _ in SENTENCES:
        words = text.split()
        for k in range(2, len(words) + 1):
            sample = " ".join(words[:k])
            if sum(ch.isalpha() for ch in sample) < 12:
                continue
            found = full.detect_language_of(sample)
            expected = str(found.iso_code_639_1.name).lower() if found is not None else "pl"
            got = language._language_of(sample)
            assert (str(got.iso_code_639_1.name).lower() if got is not None else "pl") == expected, sample
