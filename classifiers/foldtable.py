"""Folded-form -> lemma table for Polish words typed without diacritics.

Morfeusz returns ``ign`` for ``sciezek`` or ``zlobkow``. This table maps every diacritic-folded
inflected form of the SGJP/PoliMorf lexicon (shipped in ``spacy-lookups-data``) to its lemma,
so such words still get a real lemma. It holds ~2.1 M keys, far too many for a Python dict
(1 GB), so it is stored as zlib-compressed blocks of sorted, front-coded entries in SQLite:
one block is decompressed per lookup. Only forms whose spelling changes when folded are kept
(the others are found by Morfeusz directly); noun beats adjective beats verb on collisions.

Build (needs ``spacy-lookups-data`` only at build time)::

    python -m classifiers.foldtable classifiers/data/pl_folded_lemmas.sqlite
"""

from __future__ import annotations

import bisect
import gzip
import json
import sqlite3
import sys
import time
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.lang.pl.stop_words import STOP_WORDS

FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
BLOCK = 256
FORMAT = "fold-v1"
DEFAULT_PATH = Path(__file__).parent / "data" / "pl_folded_lemmas.sqlite"


def fold(text: str) -> str:
    """Lower-case and strip Polish diacritics (ą->a, ł->l, ż->z ...)."""
    return text.lower().translate(FOLD)


def _script(key: str, lemma: str) -> str:
    """Encode ``lemma`` as an edit of ``key``: strip count, diacritic marks, new suffix."""
    folded = fold(lemma)
    n = 0
    while n < min(len(key), len(folded)) and key[n] == folded[n]:
        n += 1
    marks = "".join(f"{i}{lemma[i]}" for i in range(n) if lemma[i] != key[i])
    return f"{len(key) - n};{marks}|{lemma[n:]}"


def _apply(key: str, script: str) -> str:
    head, suffix = script.split("|", 1)
    strip, marks = head.split(";", 1)
    kept = list(key[: len(key) - int(strip)])
    i = 0
    while i < len(marks):
        j = i
        while marks[j].isdigit():
            j += 1
        kept[int(marks[i:j])] = marks[j]
        i = j + 1
    return "".join(kept) + suffix


def build(out: Path, tables_dir: Path | None = None) -> dict[str, float]:
    """Build the table from spacy-lookups-data's Polish tables; returns size and timing."""
    start = time.perf_counter()
    if tables_dir is None:
        import spacy_lookups_data

        tables_dir = Path(spacy_lookups_data.__file__).parent / "data"
    entries: dict[str, str] = {}

    def add(form: str, lemma: str) -> None:
        key = fold(form)
        if key != form.lower() and key not in entries:
            entries[key] = lemma.lower()

    # Function words first: without diacritics "zeby" is far more often "żeby" than "zęby".
    from lemmagen3 import Lemmatizer

    lemmagen = Lemmatizer("pl")
    for word in sorted(STOP_WORDS):
        add(word, lemmagen.lemmatize(word))
    for pos in ("noun", "adj", "verb", "adv", "num"):
        with gzip.open(tables_dir / f"pl_lemma_lookup_{pos}.json.gz", "rt", encoding="utf-8") as fh:
            table: dict[str, str] = json.load(fh)
        for form, lemma in table.items():
            add(form, lemma)
        for lemma in sorted(set(table.values())):  # the tables list only forms that differ
            add(lemma, lemma)
    keys = sorted(entries)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)")
    db.execute("CREATE TABLE blocks (first TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID")
    for b in range(0, len(keys), BLOCK):
        chunk, prev, lines = keys[b : b + BLOCK], "", []
        for key in chunk:
            n = 0
            while n < min(len(prev), len(key)) and prev[n] == key[n]:
                n += 1
            lines.append(f"{n}\t{key[n:]}\t{_script(key, entries[key])}")
            prev = key
        blob = zlib.compress("\n".join(lines).encode(), 9)
        db.execute("INSERT INTO blocks VALUES (?, ?)", (chunk[0], blob))
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("entries", str(len(keys)))])
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    return {"entries": len(keys), "bytes": out.stat().st_size, "seconds": time.perf_counter() - start}


class FoldTable:
    """Read-only lookup ``folded form -> lemma`` over a table made by :func:`build`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._firsts = [row[0] for row in self._db.execute("SELECT first FROM blocks ORDER BY first")]
        self.get = lru_cache(maxsize=20000)(self._get)

    def reopen(self) -> None:
        """A connection of this process's own: after a fork, SQLite's must not be shared."""
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def _block(self, first: str) -> dict[str, str]:
        (data,) = self._db.execute("SELECT data FROM blocks WHERE first = ?", (first,)).fetchone()
        out, prev = {}, ""
        for line in zlib.decompress(data).decode().split("\n"):
            n, rest, script = line.split("\t")
            key = prev[: int(n)] + rest
            out[key] = script
            prev = key
        return out

    def _get(self, word: str) -> str | None:
        key = fold(word)
        i = bisect.bisect_right(self._firsts, key) - 1
        if i < 0:
            return None
        script = self._block(self._firsts[i]).get(key)
        return None if script is None else _apply(key, script)


def open_default() -> FoldTable | None:
    """The table shipped in ``classifiers/data``, or None when it is missing."""
    path = Path(str(resources.files("classifiers") / "data" / DEFAULT_PATH.name))
    return FoldTable(path) if path.exists() else None


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    print(build(target))
