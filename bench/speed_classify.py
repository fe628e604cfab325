"""Classification speed and memory, with and without the embedding signal.

Each mode runs in its own process so peak memory is that mode's alone. Units are the corpus
remarks as the splitter cuts them (one remark each), classified in one batch, then one by one.

    .venv/bin/python bench/speed_classify.py            # both modes
    .venv/bin/python bench/speed_classify.py --mode embed      # or plain, fast, fast+full
("embed" is the full e5 encoder for every remark, "fast" static lemma vectors, "fast+full" the
encoder only for the remarks the fast signals leave unsure.)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def measure(mode: str) -> dict[str, float]:
    t = time.perf_counter()
    from classifiers.nlp import get_nlp

    nlp = get_nlp()
    out = {"nlp_load_s": time.perf_counter() - t}
    from bench.corpus import load_remarks
    from bench.kfold_projects import CATALOGUE
    from classifiers.catalogue import load_catalogue
    from classifiers.embeddings import Embedder
    from classifiers.projects import ProjectClassifier
    from classifiers.types import TypeClassifier

    remarks = [p for item in load_remarks() for p in (item.parts or (item.text,))]
    t = time.perf_counter()
    if mode in ("fast", "fast+full"):
        from bench.kfold_projects import embedding_mode

        _, emb, fallback = embedding_mode(mode, nlp)
        clf = ProjectClassifier(load_catalogue(CATALOGUE), nlp, emb, fallback=fallback)
    else:
        clf = ProjectClassifier(load_catalogue(CATALOGUE), nlp, Embedder() if mode == "embed" else None)
    out["classifier_init_s"] = time.perf_counter() - t
    t = time.perf_counter()
    clf.classify_many(remarks)
    out["remarks_per_s_batch"] = len(remarks) / (time.perf_counter() - t)
    for emb in (clf.embedder, clf.fallback):
        if isinstance(emb, Embedder):
            out["encoder_texts"] = emb.texts_embedded
            emb._cache.clear()  # no help from the batch run above
    t = time.perf_counter()
    for text in remarks:
        clf.classify(text)
    out["remarks_per_s_single"] = len(remarks) / (time.perf_counter() - t)
    types = TypeClassifier(nlp)
    t = time.perf_counter()
    for text in remarks:
        types.classify(text)
    out["types_per_s"] = len(remarks) / (time.perf_counter() - t)
    out["remarks"] = len(remarks)
    out["mean_chars"] = sum(map(len, remarks)) / len(remarks)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {k: round(v, 2) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["plain", "embed", "fast", "fast+full"])
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode)))
        return
    for mode in ("plain", "embed", "fast", "fast+full"):
        line = subprocess.run([sys.executable, __file__, "--mode", mode], check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]
        print(f"{mode:6} {line}")


if __name__ == "__main__":
    main()
