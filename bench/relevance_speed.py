"""What the sorter's closeness-to-the-catalogue signal costs per e-mail, by language.

Polish mail is read by the static lemma vectors (``static_relevance``); mail in another language by the
multilingual encoder against neutral office mail of its language (``MultilingualRelevance``). Texts: the
e-mails of ``bench/data/splitdev`` (a readable development set with Ukrainian and English remarks), each
measured once after a warm-up; the ratio is to the static vectors on the same Polish texts in the same run.

    .venv/bin/python bench/relevance_speed.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers.catalogue import load_catalogue  # noqa: E402
from classifiers.embeddings import Embedder  # noqa: E402
from classifiers.language import detect_language  # noqa: E402
from classifiers.nlp import get_nlp  # noqa: E402
from classifiers.relevance import MultilingualRelevance, static_relevance  # noqa: E402
from intake.parsing import parse_message  # noqa: E402

MAIL = REPO / "bench" / "data" / "splitdev" / "mail"


def per_text(fn, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds per text, one call each (as the sorter calls it)."""
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return (time.perf_counter() - start) * 1000 / max(1, len(texts))


def main() -> int:
    catalogue = load_catalogue(REPO / "projects.toml")
    static = static_relevance(catalogue, get_nlp())
    multilingual = MultilingualRelevance(catalogue, static, Embedder())
    texts = []
    for path in sorted(MAIL.glob("*.eml")):
        mail = parse_message(path.read_bytes())
        texts.append(mail.subject + "\n" + (mail.new_text or mail.body_text))
    polish = [t for t in texts if detect_language(t) == "pl"]
    other = [t for t in texts if detect_language(t) != "pl"]
    multilingual(other[0] if other else "Hello")  # loads the encoder and the baselines
    per_text(static, polish)  # warm: lemmas of repeated words are cached after the first pass
    static_ms = per_text(static, polish)
    print(f"{len(polish)} Polish e-mails: static vectors {static_ms:.2f} ms each")
    ms = per_text(multilingual, polish)
    print(f"  through MultilingualRelevance (language detection first): {ms:.2f} ms ({ms / static_ms:.1f}x)")
    if other:
        ms = per_text(multilingual, other)
        print(f"{len(other)} e-mails in other languages: multilingual encoder {ms:.1f} ms each "
              f"({ms / static_ms:.0f}x the static vectors)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
