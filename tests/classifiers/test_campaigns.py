"""Campaigns: near-identical remarks from different senders share a campaign; signatures survive storage."""

from __future__ import annotations

import random

from classifiers.campaigns import CampaignIndex, signature, similarity

TEMPLATE = (
    "Szanowni Państwo, jako mieszkaniec gminy popieram budowę krytej pływalni w Klukowie w ramach strategii "
    "Partnerstwa. Dzieci z naszych wsi nie umieją pływać, a najbliższy basen jest w Wysokiem Mazowieckiem, "
    "gdzie na naukę pływania czeka się miesiącami. Wnoszę o wpisanie pływalni do projektu kultury, sportu "
    "i rekreacji jako zadania priorytetowego."
)
OTHERS = [
    "Proponuję, żeby autobus do Wysokiego Mazowieckiego jeździł także w soboty i w wakacje, bo teraz w "
    "weekend nie da się dojechać do lekarza ani do pracy na zmianę.",
    "Jestem przeciwny budowie biogazowni w Malinowie. Smród i ciężarówki z gnojowicą zniszczą drogi i "
    "spokój mieszkańców, a zyski wezmą inwestorzy z zewnątrz.",
    "Wspólne schronisko dla zwierząt powinno powstać z dala od zabudowań i mieć program adopcji prowadzony "
    "z organizacjami i wolontariuszami z całego powiatu.",
]


def variant(text: str, rng: random.Random, name: str) -> str:
    """A campaign copy as people send it: own greeting and name, a typo, no diacritics, a changed word."""
    words = text.split()
    i = rng.randrange(len(words))
    words[i] = words[i][:-1] if len(words[i]) > 4 else words[i]  # typo
    body = " ".join(words)
    if rng.random() < 0.5:
        body = body.translate(str.maketrans("ąćęłńóśźż", "acelnoszz"))
    body = body.replace("Szanowni Państwo,", rng.choice(["Dzień dobry,", "Szanowni Państwo,", "Witam,"]))
    return f"{body}\n{name}"


def test_generated_copies_of_one_text_join_one_campaign():
    rng = random.Random(7)
    index = CampaignIndex()
    assert index.add("r0", TEMPLATE, sender="a0@example.pl") is None  # the first of a kind starts nothing
    keys = [
        index.add(f"r{i}", variant(TEMPLATE, rng, f"Osoba {i}"), sender=f"a{i}@example.pl")
        for i in range(1, 21)
    ]
    assert keys == ["r0"] * 20
    assert index.members("r0") == [f"r{i}" for i in range(21)]


def test_different_remarks_on_the_same_topics_are_not_a_campaign():
    index = CampaignIndex()
    assert [index.add(f"o{i}", text, sender=f"o{i}@example.pl") for i, text in enumerate(OTHERS)] == [
        None
    ] * 3
    assert index.add("t", TEMPLATE) is None


def test_the_same_sender_twice_is_a_duplicate_not_a_campaign():
    index = CampaignIndex()
    index.add("a", TEMPLATE, sender="jan@example.pl")
    assert index.add("b", TEMPLATE + " Dziękuję.", sender="JAN@example.pl") is None


def test_very_short_remarks_never_form_a_campaign():
    index = CampaignIndex()
    index.add("a", "Popieram strategię.", sender="a@example.pl")
    assert index.add("b", "Popieram strategię.", sender="b@example.pl") is None


def test_stored_signatures_rebuild_the_same_campaigns():
    rng = random.Random(3)
    texts = [TEMPLATE, *OTHERS, variant(TEMPLATE, rng, "Anna"), variant(TEMPLATE, rng, "Piotr")]
    live = CampaignIndex()
    first = [live.add(f"k{i}", t, sender=f"s{i}@example.pl") for i, t in enumerate(texts)]
    stored = [(f"k{i}", bytes(signature(t)), f"s{i}@example.pl") for i, t in enumerate(texts)]
    rebuilt = CampaignIndex()
    assert [rebuilt.add_signature(k, sig, s) for k, sig, s in stored] == first
    assert first[-2:] == ["k0", "k0"]


def test_signatures_are_bytes_and_compare_by_estimated_jaccard():
    sig = signature(TEMPLATE)
    assert isinstance(sig, bytes) and len(sig) in {128 * 4, 128 * 8}
    assert similarity(sig, signature(TEMPLATE.upper())) == 1.0
    assert similarity(sig, signature(OTHERS[0])) < 0.2


def test_the_index_bands_are_datasketchs_own_and_scipy_integrate_stays_unloaded():
    """LSH_BANDS is what datasketch computes for the threshold (so the index finds what it found);
    given, it spares every process that groups remarks loading scipy.integrate (~27 MB)."""
    import subprocess
    import sys

    from datasketch.lsh import _optimal_param

    from classifiers.campaigns import LSH_BANDS, NUM_PERM, THRESHOLD

    assert _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5) == LSH_BANDS
    code = ("import sys; from classifiers.campaigns import CampaignIndex; CampaignIndex().add('a', 'x ' * 20); "
            "assert 'scipy.integrate' not in sys.modules; CampaignIndex(threshold=0.5); "
            "assert 'scipy.integrate' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_large_campaign_costs_the_same_per_remark():
    """Every member of a campaign shares its band buckets; each new member is compared with a bounded
    number of earlier ones (the newest of each bucket), so the thousandth copy costs what the tenth
    did: it was quadratic (10,000 copies of one text took 247 s)."""
    import numpy as np

    from classifiers.campaigns import _DTYPE, BUCKET_ROWS

    index = CampaignIndex()
    sig = index.signature("Prosimy o budowę chodnika wzdłuż drogi powiatowej do szkoły, dzieci chodzą poboczem.")
    for i in range(4000):
        index.add_signature(f"r{i}", sig, f"osoba{i}@example.pl")
    candidates = index._candidates(np.frombuffer(sig, dtype=_DTYPE))
    assert len(candidates) == BUCKET_ROWS and candidates[-1] == 3999  # the newest, not all 4,000
    assert {index.campaign_of(f"r{i}") for i in range(4000)} == {"r0"}
