"""Embeddings persisted in the database: a text embedded once is never embedded again (SQLite, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from classifiers.embeddings import Embedder
from storage.db import make_engine, migrate
from storage.embedding_cache import DatabaseVectorStore

REPO = Path(__file__).resolve().parents[1]
TEXTS = ["Więcej autobusów do Klukowa.", "Proszę o chodnik przy szkole.", "Więcej autobusów do Klukowa."]


def test_vectors_survive_the_process_and_are_shared(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    first = Embedder(store=DatabaseVectorStore(engine))
    vecs = first.queries(TEXTS)
    assert (first.model_calls, first.texts_embedded) == (1, 2)
    second = Embedder(store=DatabaseVectorStore(engine))  # another worker, or the next run
    again = second.queries([*TEXTS, "Proszę  o chodnik\nprzy szkole."])
    assert second.model_calls == 0
    assert np.array_equal(again[:3], vecs) and again.dtype == np.float32
    engine.dispose()


def test_a_key_stored_twice_is_kept_once(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    store = DatabaseVectorStore(engine)
    vec = np.arange(384, dtype=np.float32)
    store.put_many({"k" * 64: vec})
    store.put_many({"k" * 64: vec + 1, "m" * 64: vec})  # a concurrent worker's insert
    got = store.get_many(["k" * 64, "m" * 64, "x" * 64])
    assert set(got) == {"k" * 64, "m" * 64} and np.array_equal(got["k" * 64], vec)
    many = {f"{i:064d}": vec for i in range(1200)}  # more keys than one IN (...) query holds
    store.put_many(many)
    assert len(store.get_many(list(many))) == 1200
    engine.dispose()


@pytest.mark.parametrize("signal", ["fast+full", "fast", "full"])
def test_services_wire_the_signal_and_the_database_cache(database_url, signal):
    from classifiers.static_vectors import StaticEmbedder
    from intake.services import Services
    from intake.settings import Settings

    engine = make_engine(database_url)
    migrate(engine)
    settings = Settings(catalogue=str(REPO / "projects.toml"), classification={"embedding_signal": signal})
    clf = Services(settings, engine).project_classifier()
    full = clf.embedder if signal == "full" else clf.fallback
    assert isinstance(clf.embedder, StaticEmbedder) == (signal != "full")
    assert (full is None) == (signal == "fast")
    if full is not None:
        assert isinstance(full.store, DatabaseVectorStore)
    engine.dispose()
