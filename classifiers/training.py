"""Learning from staff-confirmed remarks: spaCy textcat models, versioned and reproducible.

The projects model is ``textcat_multilabel`` (bag of words) over the folded lemma string, not
the raw text: spaCy's BOW model reads ORTH, and with only dozens of examples per project the
lemma string roughly doubles its F1 (POLISH-NLP.md section 4). Training is deterministic
(fixed seed, single thread, fixed order) so a version hash names a reproducible model, and a
new model replaces the current one only when the whole classifier with it does at least as well
on held-out confirmed remarks (``learned_weights``).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.training import Example as SpacyExample
from spacy.util import fix_random_seed, minibatch  # type: ignore[attr-defined]

from classifiers.foldtable import fold
from classifiers.nlp import get_nlp, lemma_texts

TYPES = ("pytanie", "propozycja", "poparcie", "sprzeciw", "uwaga")
EPOCHS = 30
_BOW = {"@architectures": "spacy.TextCatBOW.v3", "length": 262144, "ngram_size": 2, "no_output_layer": False}


@dataclass(frozen=True)
class Example:
    """A remark as confirmed by staff: its text, project ids (or OGOLNA/POZA) and type."""

    text: str
    projects: tuple[str, ...]
    remark_type: str | None = None
    id: str = ""


@dataclass
class TrainedModel:
    """Textcat models plus what is needed to explain and compare them."""

    version: str
    labels: list[str]
    projects_nlp: Language
    types_nlp: Language | None = None
    example_ids: list[str] = field(default_factory=list)
    example_labels: list[list[str]] = field(default_factory=list)
    example_vectors: np.ndarray | None = None
    trained_at: str = ""
    # text_key of each example: a remark staff already decided keeps its labels.
    example_keys: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def predict_projects(self, lemma_strings: Sequence[str]) -> list[dict[str, float]]:
        """Per text: label -> probability from the projects textcat."""
        return [{k: float(v) for k, v in d.cats.items()} for d in self.projects_nlp.pipe(lemma_strings)]

    def predict_types(self, lemma_strings: Sequence[str]) -> list[dict[str, float]]:
        """Per text: type -> probability ({} when no types model was trained)."""
        if self.types_nlp is None:
            return [{} for _ in lemma_strings]
        return [{k: float(v) for k, v in d.cats.items()} for d in self.types_nlp.pipe(lemma_strings)]

    def save(self, directory: str | Path) -> None:
        """Write the model to ``directory`` (created); :meth:`load` reads it back."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        self.projects_nlp.to_disk(out / "projects")
        if self.types_nlp is not None:
            self.types_nlp.to_disk(out / "types")
        if self.example_vectors is not None:
            np.save(out / "example_vectors.npy", self.example_vectors)
        meta = {"version": self.version, "labels": self.labels, "trained_at": self.trained_at,
                "example_keys": self.example_keys,
                "example_ids": self.example_ids, "example_labels": self.example_labels, "meta": self.meta}
        (out / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> TrainedModel:
        """Read a model written by :meth:`save`."""
        src = Path(directory)
        meta = json.loads((src / "model.json").read_text(encoding="utf-8"))
        vectors = np.load(src / "example_vectors.npy") if (src / "example_vectors.npy").exists() else None
        types_nlp = spacy.load(src / "types") if (src / "types").exists() else None
        return cls(meta["version"], meta["labels"], spacy.load(src / "projects"), types_nlp,
                   meta["example_ids"], meta["example_labels"], vectors, meta["trained_at"],
                   meta.get("example_keys", []), meta["meta"])


def text_key(text: str) -> str:
    """Identity of a remark for "already decided by staff": sha1 of its folded, spaced text."""
    return hashlib.sha1(" ".join(fold(text).split()).encode()).hexdigest()


def _version(lemmas: Sequence[str], examples: Sequence[Example], seed: int) -> str:
    digest = hashlib.sha256()
    digest.update(f"{spacy.about.__version__}|{EPOCHS}|{seed}|{json.dumps(_BOW, sort_keys=True)}".encode())
    for lemma, ex in zip(lemmas, examples, strict=True):
        digest.update(json.dumps([lemma, sorted(ex.projects), ex.remark_type]).encode())
    return "tc-" + digest.hexdigest()[:16]


def _train(pipe: str, cats: list[dict[str, float]], texts: Sequence[str], exclusive: bool,
           seed: int) -> Language:
    fix_random_seed(seed)
    nlp = spacy.blank("pl")
    nlp.add_pipe(pipe, config={"model": {**_BOW, "exclusive_classes": exclusive}})
    examples = [SpacyExample.from_dict(nlp.make_doc(t), {"cats": c})
                for t, c in zip(texts, cats, strict=True)]
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)
    for _ in range(EPOCHS):
        batch_order = examples[:]
        order.shuffle(batch_order)
        for batch in minibatch(batch_order, size=8):  # type: ignore[no-untyped-call]
            nlp.update(list(batch), sgd=optimizer, drop=0.1)
    return nlp


def train_models(examples: Sequence[Example], seed: int = 0, nlp: Language | None = None,
                 vectors: np.ndarray | None = None, vector_version: str | None = None) -> TrainedModel:
    """Train on confirmed examples; same examples and seed give the same model and scores.

    ``vectors`` (optional) are the examples' embeddings, kept for the neighbour vote and the
    similar-example evidence; ``vector_version`` names the encoder that made them (another
    encoder's vectors live in another space and are not compared with them).
    """
    if not examples:
        raise ValueError("no confirmed examples to train on")
    nlp = nlp or get_nlp()
    lemmas = lemma_texts(nlp, [e.text for e in examples])
    labels = sorted({label for e in examples for label in e.projects})
    cats = [{label: float(label in e.projects) for label in labels} for e in examples]
    projects_nlp = _train("textcat_multilabel", cats, lemmas, False, seed)
    typed = [(lemma, e.remark_type) for lemma, e in zip(lemmas, examples, strict=True)
             if e.remark_type in TYPES]
    types_nlp = None
    if len({t for _, t in typed}) >= 2:
        present = sorted({t for _, t in typed if t})
        types_nlp = _train("textcat", [{t: float(t == rt) for t in present} for _, rt in typed],
                           [lemma for lemma, _ in typed], True, seed)
    return TrainedModel(_version(lemmas, examples, seed), labels, projects_nlp, types_nlp,
                        [e.id for e in examples], [list(e.projects) for e in examples], vectors,
                        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), [text_key(e.text) for e in examples],
                        {"examples": len(examples), "seed": seed, "epochs": EPOCHS, "example_lemmas": list(lemmas),
                         "vector_version": vector_version if vectors is not None else None,
                         "label_share": {label: sum(c[label] for c in cats) / len(cats) for label in labels}})


def f1_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]],
              labels: Sequence[str] | None = None) -> dict[str, float]:
    """Micro and macro F1 of multi-label predictions (macro over labels seen in gold or pred)."""
    labels = sorted(set(labels or []) | {x for g in gold for x in g} | {x for p in pred for x in p})
    tp = fp = fn = 0
    per = []
    for label in labels:
        a = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label in p)
        b = sum(1 for g, p in zip(gold, pred, strict=True) if label not in g and label in p)
        c = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label not in p)
        tp, fp, fn = tp + a, fp + b, fn + c
        per.append(2 * a / (2 * a + b + c) if a + b + c else 1.0)
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return {"micro_f1": micro, "macro_f1": float(np.mean(per)) if per else 1.0}
