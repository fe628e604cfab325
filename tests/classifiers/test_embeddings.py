"""The embedding signal is bounded (tokens the model sees) and paid once per distinct text."""

from __future__ import annotations

import time

import numpy as np
import pytest

from classifiers.embeddings import MAX_TOKENS, Embedder, normalise
from classifiers.nlp import lemmatizer
from classifiers.projects import ProjectClassifier
from classifiers.static_vectors import StaticEmbedder
from tests.classifiers.nlp_fixtures import catalogue, embedder, nlp  # noqa: F401

SENTENCE = "Proponuję budowę ścieżki rowerowej wzdłuż drogi powiatowej do szkoły w Klukowie. "


def test_a_64000_character_remark_is_cut_to_three_model_windows(embedder):  # noqa: F811
    text = (SENTENCE * 800)[:64_000]
    model = embedder._get_model()
    assert model.token_count(text, True) > 10_000
    cut = embedder.bound(text)
    fed = model.token_count(cut, True)
    assert 2 * (MAX_TOKENS - 2) < fed <= 3 * (MAX_TOKENS - 2) + 2
    assert text.startswith(cut.rstrip())


def test_a_long_remark_is_embedded_in_bounded_time_and_tokens():
    one = Embedder(max_chunks=1)
    text = (SENTENCE * 800)[:64_000]
    start = time.perf_counter()
    vec = one.queries([text])[0]
    assert time.perf_counter() - start < 10
    assert one.tokens_fed <= MAX_TOKENS
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3


def test_a_thousand_identical_remarks_cost_one_model_call():
    fresh = Embedder()
    texts = [SENTENCE] * 500 + [SENTENCE.replace(" ", "  \n")] * 500  # whitespace is not a new text
    vecs = fresh.queries(texts)
    assert (fresh.model_calls, fresh.texts_embedded) == (1, 1)
    assert vecs.shape == (1000, 384) and np.allclose(vecs[0], vecs[-1])
    fresh.queries([SENTENCE])
    assert fresh.model_calls == 1


def test_distinct_texts_are_embedded_in_batches():
    fresh = Embedder(batch_size=4)
    texts = [f"Uwaga numer {i} o drodze." for i in range(10)]
    batched = fresh.queries(texts)
    assert (fresh.model_calls, fresh.texts_embedded) == (3, 10)
    single = Embedder(max_cache=1)
    assert np.allclose(batched[7], single.queries([texts[7]])[0], atol=1e-4)


def test_the_in_process_cache_is_bounded_lru():
    fresh = Embedder(max_cache=2)
    fresh.queries(["a b c", "d e f"])
    fresh.queries(["a b c"])  # now the most recent
    fresh.queries(["g h i"])  # evicts "d e f"
    assert fresh.model_calls == 2
    fresh.queries(["a b c"])
    assert fresh.model_calls == 2
    fresh.queries(["d e f"])
    assert fresh.model_calls == 3


def test_query_and_passage_sides_do_not_share_vectors():
    fresh = Embedder()
    q, p = fresh.queries([SENTENCE])[0], fresh.passages([SENTENCE])[0]
    assert fresh.model_calls == 2 and not np.allclose(q, p)


@pytest.mark.parametrize("raw,clean", [(" a\n\tb  ", "a b"), ("", "."), ("e\u0301", "\u00e9")])
def test_normalise(raw, clean):
    assert normalise(raw) == clean


def test_static_vectors_place_a_remark_near_its_project(catalogue, nlp):  # noqa: F811
    fast = StaticEmbedder(lemmatizer(nlp).lemma)
    projects = fast.passages([p.description for p in catalogue.projects])
    remark = fast.queries(["Dzieci nie mają gdzie się podziać, brakuje miejsc w żłobku."])[0]
    assert catalogue.projects[int(np.argmax(projects @ remark))].id == "R2"
    assert fast.lemmas("Sciezki rowerowe") == fast.lemmas("ścieżka rowerowa")
    assert not fast.queries(["qqqzzz"]).any()  # no known word: a zero vector, no signal


def test_the_encoder_runs_only_for_remarks_the_fast_signal_leaves_unsure(catalogue, nlp):  # noqa: F811
    full = Embedder()
    clf = ProjectClassifier(catalogue, nlp, StaticEmbedder(lemmatizer(nlp).lemma), fallback=full)
    clear = "Proszę o budowę ścieżki rowerowej między wsiami i oznakowanie szlaków dla rowerów."
    decision = clf.classify(clear)
    assert decision.labels == ["R1"] and not ProjectClassifier._unsure(decision)
    assert full.texts_embedded == 0 and decision.evidence["embedder"].startswith("static-")
    fast_only = ProjectClassifier(catalogue, nlp, StaticEmbedder(lemmatizer(nlp).lemma))
    vague = [t for t in CANDIDATES if ProjectClassifier._unsure(fast_only.classify(t))]
    assert vague, "no candidate is unsure any more: add one whose fast score is near 0.5"
    assert clf.classify(vague[0]).evidence["embedder"] == full.model_version
    assert full.texts_embedded > 0


CANDIDATES = [
    "Turystów przyciągną szlaki, ale brakuje wody pitnej.",
    "Rowerem do przedszkola.",
    "Mam pytanie dotyczące tej sprawy, proszę o odpowiedź.",
    "Na dachu szkoły przydałoby się coś, co obniży rachunki.",
    "Dojazd do przedszkola rowerem jest niebezpieczny.",
    "Szambo przy przedszkolu cieknie do rowu.",
]
