"""Group near-identical remarks from different senders into a campaign (one answer, counted together).

A campaign is a text circulated for others to send ("Popieram budowę basenu, bo ..."), usually
with a changed name, a greeting, a typo or one added sentence. Word 3-shingles of the folded text
catch that and ignore letter case, diacritics and punctuation; MinHash + LSH keeps lookup cost
flat as remarks accumulate. Signatures are bytes, so they can be kept in the database and the
index rebuilt from them at start-up without re-reading any text.
"""

from __future__ import annotations

import re
import sys
import types
from collections import deque
from typing import Any

import numpy as np


def _quad(*args: Any, **kwargs: Any) -> Any:
    from scipy import integrate  # the real one, for an index whose bands must be computed

    return integrate.quad(*args, **kwargs)


def _import_datasketch() -> Any:
    """datasketch imports scipy.integrate (~27 MB in every process that groups remarks: the
    command's main process and the fork server) only to choose an LSH index's bands by numerical
    integration; ours are given (LSH_BANDS). So while datasketch loads, scipy.integrate is a
    stand-in whose `quad` imports the real one if it is ever called; then the stand-in goes."""
    if "scipy.integrate" in sys.modules:
        import datasketch

        return datasketch
    stand_in = types.ModuleType("scipy.integrate")
    stand_in.quad = _quad  # type: ignore[attr-defined]
    sys.modules["scipy.integrate"] = stand_in
    try:
        import datasketch
    finally:
        if sys.modules.get("scipy.integrate") is stand_in:
            del sys.modules["scipy.integrate"]
    return datasketch


_datasketch = _import_datasketch()
MinHash, MinHashLSH = _datasketch.MinHash, _datasketch.MinHashLSH

from classifiers.mailtext import fold  # noqa: E402

NUM_PERM = 128
THRESHOLD = 0.7
# datasketch's optimal (bands, rows) for THRESHOLD and NUM_PERM (false positives and negatives
# weighted equally), as its MinHashLSH would compute them; tests check that it still does
LSH_BANDS = (14, 9)
BUCKET_ROWS = 64  # newest rows kept per LSH bucket (see CampaignIndex)
MIN_WORDS = 8  # shorter remarks ("Popieram.") coincide by chance, not by campaign
# datasketch >= 2 needs the permutation scheme named when a MinHash is rebuilt from stored values;
# stored signatures are only comparable within one scheme, so it is fixed here.
SCHEME = "affine32"
_DTYPE = MinHash(num_perm=1, scheme=SCHEME).hashvalues.dtype


def normalise(text: str) -> list[str]:
    """Folded words without punctuation: "Popieram, BUDOWĘ!" -> ["popieram", "budowe"]."""
    return re.findall(r"[^\W_]+", fold(text))


def shingles(text: str, size: int = 3) -> set[str]:
    """Word n-grams of the normalised text (the words themselves for very short texts)."""
    tokens = normalise(text)
    if len(tokens) < size:
        return set(tokens)
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def signature(text: str, num_perm: int = NUM_PERM) -> bytes:
    """The MinHash of a remark as bytes (num_perm hash values), to store beside the remark."""
    minhash = MinHash(num_perm=num_perm, scheme=SCHEME)
    for shingle in shingles(text):
        minhash.update(shingle.encode("utf-8"))
    return bytes(minhash.hashvalues.astype(_DTYPE).tobytes())


def _minhash(sig: bytes, num_perm: int) -> Any:
    values = np.frombuffer(sig, dtype=_DTYPE).copy()
    return MinHash(num_perm=num_perm, hashvalues=values, scheme=SCHEME)


def similarity(a: bytes, b: bytes, num_perm: int = NUM_PERM) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(_minhash(a, num_perm).jaccard(_minhash(b, num_perm)))


class CampaignIndex:
    """Remarks seen so far; ``add`` says which campaign a new remark joins, if any.

    The campaign key is the key of the campaign's first remark, so rebuilding the index from
    stored signatures in the original order gives the same keys.

    Memory: the index lives in the command's main process and holds every remark of the
    consultation. datasketch's MinHashLSH with a MinHash object per remark took ~8.6 KB a remark
    (86 MB for 10,000); here the signatures are rows of one array and each LSH band maps its exact
    bytes to row numbers (the same candidates as MinHashLSH with the same bands), ~2 KB a remark.

    Time: in a campaign every member shares the same band buckets, so a bucket that kept every row
    made each new member score all earlier ones (5,000 copies of one text took 61 s, 10,000 took
    247 s: quadratic). A bucket keeps only its newest BUCKET_ROWS rows: the members of a campaign are
    near-identical to each other, so the newest of them are as good a match as any, and a new
    remark costs at most bands x BUCKET_ROWS comparisons, scored at once.
    """

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        if (threshold, num_perm) == (THRESHOLD, NUM_PERM):
            bands, rows = LSH_BANDS
        else:
            lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)  # datasketch's optimum for these
            bands, rows = lsh.b, lsh.r
        self._bands = [slice(i * rows, (i + 1) * rows) for i in range(bands)]
        self._tables: list[dict[bytes, int | deque[int]]] = [{} for _ in range(bands)]
        self._values = np.zeros((64, num_perm), dtype=_DTYPE)  # one signature per row, grown by doubling
        self._keys: list[str] = []  # row -> remark key, in the order added
        self._rows: dict[str, int] = {}
        self._senders: list[str] = []
        self._campaign: dict[str, str] = {}

    def signature(self, text: str) -> bytes:
        """Serialisable signature of ``text`` (see module ``signature``)."""
        return signature(text, self.num_perm)

    def add(self, remark_key: str, text: str, sender: str = "") -> str | None:
        """Index a remark; returns its campaign key, or None when it is not (yet) part of one."""
        if len(normalise(text)) < MIN_WORDS:
            return None
        return self.add_signature(remark_key, self.signature(text), sender)

    def _candidates(self, values: Any) -> list[int]:
        """Rows sharing at least one band with ``values`` exactly (MinHashLSH.query), in added order;
        of each band bucket only its newest BUCKET_ROWS rows (see the class docstring)."""
        found: set[int] = set()
        for band, table in zip(self._bands, self._tables, strict=True):
            hit = table.get(values[band].tobytes())
            if hit is not None:
                found.update(hit if isinstance(hit, deque) else (hit,))
        return sorted(found)

    def add_signature(self, remark_key: str, sig: bytes, sender: str = "") -> str | None:
        """Same as ``add`` from a stored signature (rebuilding the index after a restart)."""
        if remark_key in self._rows:
            return self._campaign.get(remark_key)
        values = np.frombuffer(sig, dtype=_DTYPE)
        if len(values) != self.num_perm:
            raise ValueError(f"a signature of {len(values)} values, not {self.num_perm}")
        best, best_score = None, self.threshold
        rows = self._candidates(values)
        if sender:  # the same person twice is a duplicate, not a campaign
            rows = [row for row in rows if self._senders[row] != sender.lower()]
        if rows:  # MinHash.jaccard of every candidate at once; a tie goes to the newest
            scores = np.count_nonzero(self._values[rows] == values, axis=1) / self.num_perm
            top = len(rows) - 1 - int(np.argmax(scores[::-1]))
            if scores[top] >= best_score:
                best = self._keys[rows[top]]
        self._insert(remark_key, values, sender.lower())
        if best is None:
            return None
        campaign: str = self._campaign.get(best, best)
        self._campaign[best] = campaign
        self._campaign[remark_key] = campaign
        return campaign

    def _insert(self, remark_key: str, values: Any, sender: str) -> None:
        row = len(self._keys)
        if row == len(self._values):
            grown = np.zeros((2 * row, self.num_perm), dtype=_DTYPE)
            grown[:row] = self._values
            self._values = grown
        self._values[row] = values
        self._keys.append(remark_key)
        self._rows[remark_key] = row
        self._senders.append(sender)
        for band, table in zip(self._bands, self._tables, strict=True):
            key = values[band].tobytes()
            hit = table.get(key)
            if hit is None:
                table[key] = row
            elif isinstance(hit, deque):
                hit.append(row)  # the oldest row leaves a full bucket
            else:
                table[key] = deque((hit, row), maxlen=BUCKET_ROWS)

    def campaign_of(self, remark_key: str) -> str | None:
        """The campaign a remark belongs to (its first member also belongs), or None."""
        return self._campaign.get(remark_key)

    def members(self, campaign_key: str) -> list[str]:
        """Every remark of a campaign, in the order they were added."""
        return [key for key in self._keys if self._campaign.get(key) == campaign_key]

    def __len__(self) -> int:
        return len(self._keys)
