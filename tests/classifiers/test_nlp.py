"""Lemmas and folded norms from the pl_lemma component, with and without diacritics."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.foldtable import FoldTable, _apply, _script, fold
from classifiers.nlp import PolishLemmatizer, lemmatizer
from tests.classifiers.nlp_fixtures import nlp  # noqa: F401


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("sciezek", "ścieżka"),
        ("zlobkow", "żłobek"),
        ("ścieżek", "ścieżka"),
        ("żłobków", "żłobek"),
        ("polaczen", "połączenie"),
        ("przedsiebiorcy", "przedsiębiorca"),
        ("dróg", "droga"),
        ("kanalizacji", "kanalizacja"),
        ("Seniorom", "senior"),
    ],
)
def test_lemmas_with_and_without_diacritics(nlp, word, lemma):  # noqa: F811
    token = nlp(word)[0]
    assert token.lemma_.lower() == lemma
    assert token.norm_ == fold(lemma)


def test_doc_lemma_text_is_folded_and_drops_punctuation(nlp):  # noqa: F811
    doc = nlp("Brakuje ścieżek rowerowych!")
    assert doc._.lemma_text == "brakowac sciezka rowerowy"
    assert nlp("brakuje sciezek rowerowych")._.lemma_text == doc._.lemma_text


def test_known_forms_cover_words_missing_from_the_lexicon(nlp):  # noqa: F811
    comp = lemmatizer(nlp)
    comp.add_known_forms({"testówkę": "testówka"})
    assert nlp("testowke")[0].lemma_ == "testówka"


def test_runs_without_fold_table():
    comp = PolishLemmatizer(None)
    assert comp.lemma("ścieżek") == "ścieżka"
    assert comp.lemma("xyzzy").startswith("xyzz")  # lemmagen3 guesses for unknown words


def test_fold_table_edit_scripts_roundtrip():
    for form, lemma in [
        ("sciezek", "ścieżka"),
        ("zlobkow", "żłobek"),
        ("drog", "droga"),
        ("zrodel", "źródło"),
    ]:
        assert _apply(form, _script(form, lemma)) == lemma


def test_fold_table_builds_from_small_tables(tmp_path: Path):
    import gzip
    import json

    src = tmp_path / "tables"
    src.mkdir()
    tables = {
        "noun": {"łąkach": "łąka", "łąki": "łąka"},
        "adj": {"zielonej": "zielony"},
        "verb": {"będą": "być"},
        "adv": {},
        "num": {},
    }
    for pos, table in tables.items():
        with gzip.open(src / f"pl_lemma_lookup_{pos}.json.gz", "wt", encoding="utf-8") as fh:
            json.dump(table, fh)
    info = FoldTable  # keep the import used when the build below fails
    from classifiers.foldtable import build

    stats = build(tmp_path / "t.sqlite", src)
    assert stats["entries"] >= 3
    table = info(tmp_path / "t.sqlite")
    assert table.get("lakach") == "łąka"
    assert table.get("laka") == "łąka"
    assert table.get("zielonej") is None  # no diacritics: Morfeusz handles it directly
    assert table.get("nieznane") is None


def test_no_token_is_longer_than_a_word_and_offsets_stay(nlp):  # noqa: F811
    """spaCy splits punctuation off one character at a time: a 7,000-character run of ':' would
    cost seconds; cut into short tokens, the text keeps its length and every word its offset."""
    import time

    from classifiers.nlp import LONG_RUN, break_long_runs

    text = "Proszę o chodnik " + ":" * 7000 + " przy szkole."
    assert len(break_long_runs(text)) == len(text)
    start = time.perf_counter()
    doc = nlp(text)
    assert time.perf_counter() - start < 1.0
    assert max(len(t.text) for t in doc) <= LONG_RUN
    assert doc[-2].text == "szkole" and text[doc[-2].idx:doc[-2].idx + 6] == "szkole"
