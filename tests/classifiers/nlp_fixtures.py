"""Fixtures for the NLP classifier tests: the shared pipeline (loaded once) and a small catalogue.

Imported by the test modules that need them (the package conftest belongs to the sorting tests).
"""

from __future__ import annotations

import tomllib

import pytest
from spacy.language import Language

from classifiers.catalogue import Catalogue, parse_catalogue
from classifiers.embeddings import Embedder
from classifiers.nlp import get_nlp

# A made-up catalogue for the tests, not the consultation's one.
CATALOGUE_TOML = """
[meta]
partnership = "Partnerstwo „Dolina Testowa”"

[[goal]]
id = "G1"
title = "Lepsze życie w gminie"

[[project]]
id = "R1"
goal = "G1"
title = "Rowerem przez gminę – ścieżki rowerowe i szlaki"
summary = "Budowa ścieżek rowerowych między wsiami i oznakowanie szlaków turystycznych."
keywords = ["ścieżka rowerowa", "szlak", "rower", "turystyka"]
kind = "strategiczny"

[[project]]
id = "R2"
goal = "G1"
title = "Opieka nad małymi dziećmi – żłobki i przedszkola"
summary = "Nowe miejsca w żłobkach i przedszkolach, dłuższe godziny otwarcia dla pracujących rodziców."
keywords = ["żłobek", "przedszkole", "opieka nad dziećmi"]

[[project]]
id = "R3"
goal = "G1"
title = "Czysta woda – wodociągi i kanalizacja"
summary = "Rozbudowa kanalizacji i modernizacja wodociągów oraz stacji uzdatniania wody."
keywords = ["kanalizacja", "wodociąg", "woda", "oczyszczalnia ścieków"]
aliases = ["R9"]

[[project]]
id = "R4"
goal = "G1"
title = "Słońce na dachach – fotowoltaika na budynkach publicznych"
summary = "Panele fotowoltaiczne na szkołach i urzędach, by obniżyć rachunki za energię."
keywords = ["fotowoltaika", "panele słoneczne", "energia"]
"""


@pytest.fixture(scope="session")
def nlp() -> Language:
    return get_nlp()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return parse_catalogue(tomllib.loads(CATALOGUE_TOML))


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="module")
def full_hints(nlp, catalogue):
    """Hints as the pipeline builds them: topics, semantic relevance and the consultation period."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from classifiers.matching import KeywordMatcher
    from classifiers.relevance import static_relevance
    from tests.classifiers.conftest import HINTS

    period = (datetime(2026, 11, 13, tzinfo=UTC), datetime(2026, 12, 11, 23, 0, tzinfo=UTC))
    return replace(
        HINTS, topics=KeywordMatcher(catalogue, nlp).topics, relevance=static_relevance(catalogue, nlp), period=period
    )
