"""A campaign of near-identical remarks costs about one embedding per distinct text.

Generates N remark texts from V distinct variants of one campaign letter (a few sentences
chosen per variant; each message also differs in whitespace and line breaks, which
normalisation removes), shuffled, and embeds them in poll-sized batches through the product's
``Embedder`` (in-process LRU + the database cache on a scratch SQLite file). Prints model calls,
texts the model saw and the time; then a second "process" (new Embedder, same database) to show
that the persisted vectors are not paid again. ``--classify M`` also runs the first M texts
through the ProjectClassifier (segments and whole texts are embedded too).

    .venv/bin/python bench/campaign_embeddings.py                  # 300,000 texts, 300 variants
    .venv/bin/python bench/campaign_embeddings.py -n 30000 --classify 3000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OPENINGS = ["Szanowni Państwo,", "Dzień dobry,", "Szanowny Panie Wójcie,", "Witam,", "Szanowna Rado Gminy,"]
BODIES = [
    "sprzeciwiam się likwidacji połączenia autobusowego z Klukowa do Wysokiego Mazowieckiego.",
    "proszę o utrzymanie kursu autobusu szkolnego o godzinie 7:10 przez Kaskę i Klukowo.",
    "jako mieszkanka wsi bez samochodu nie dojadę bez autobusu do lekarza ani do pracy.",
    "w strategii brakuje zapisu o transporcie na żądanie dla osób starszych.",
    "popieram projekt wspólnego biletu dla wszystkich gmin partnerstwa.",
    "postuluję wiatę przystankową i oświetlenie przystanku przy szkole.",
]
CLOSINGS = ["Z poważaniem", "Pozdrawiam", "Z wyrazami szacunku", "Łączę pozdrowienia"]
NAMES = ["Anna", "Jan", "Maria", "Piotr", "Krystyna", "Tomasz", "Zofia", "Marek", "Ewa", "Adam"]


def variants(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct campaign letters (the template with small changes)."""
    out: set[str] = set()
    while len(out) < count:
        body = " ".join(rng.sample(BODIES, 3))
        out.add(f"{rng.choice(OPENINGS)}\n{body}\n{rng.choice(CLOSINGS)}\n{rng.choice(NAMES)} z Klukowa "
                f"{rng.randint(1, 60)}")
    return sorted(out)


def messages(n: int, distinct: list[str], rng: random.Random) -> list[str]:
    """N texts; each a variant with its own whitespace (as mail clients wrap it differently)."""
    return [rng.choice(distinct).replace(" ", rng.choice([" ", "  ", "\n"]), rng.randint(0, 3)) for _ in range(n)]


def run(texts: list[str], db: Path, batch: int) -> dict[str, float]:
    from classifiers.embeddings import Embedder
    from storage.db import make_engine, migrate
    from storage.embedding_cache import DatabaseVectorStore

    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    embedder = Embedder(store=DatabaseVectorStore(engine))
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        embedder.queries(texts[i:i + batch])
    return {"texts": len(texts), "model_calls": embedder.model_calls, "texts_embedded": embedder.texts_embedded,
            "seconds": round(time.perf_counter() - start, 1)}


def classify(texts: list[str], db: Path) -> dict[str, float]:
    from bench.kfold_projects import CATALOGUE
    from classifiers.catalogue import load_catalogue
    from classifiers.embeddings import Embedder
    from classifiers.nlp import get_nlp
    from classifiers.projects import ProjectClassifier
    from storage.db import make_engine
    from storage.embedding_cache import DatabaseVectorStore

    embedder = Embedder(store=DatabaseVectorStore(make_engine(f"sqlite:///{db}")))
    clf = ProjectClassifier(load_catalogue(CATALOGUE), get_nlp(), embedder)
    calls, seen = embedder.model_calls, embedder.texts_embedded
    start = time.perf_counter()
    for i in range(0, len(texts), 200):
        clf.classify_many(texts[i:i + 200])
    return {"texts": len(texts), "model_calls": embedder.model_calls - calls,
            "texts_embedded": embedder.texts_embedded - seen, "seconds": round(time.perf_counter() - start, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300_000, help="messages in the campaign")
    parser.add_argument("--variants", type=int, default=300, help="distinct texts among them")
    parser.add_argument("--batch", type=int, default=1000, help="texts per classify batch (a poll's worth)")
    parser.add_argument("--classify", type=int, default=0, help="also classify the first M texts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    distinct = variants(args.variants, rng)
    texts = messages(args.n, distinct, rng)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "campaign.db"
        first = run(texts, db, args.batch)
        print("first run ", json.dumps(first))
        again = run(texts[: args.n // 10], db, args.batch)
        print("next process, same database", json.dumps(again))
        if args.classify:
            print("classifier", json.dumps(classify(texts[: args.classify], db)))
    print(f"distinct texts {len(distinct)}; embeddings per distinct text "
          f"{first['texts_embedded'] / len(distinct):.2f}; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
