"""Imported once in the multiprocessing fork server: it dies with the command, and it preloads the
parser and the read-only language models, so every worker forked from it starts with them in memory.

Why: each worker loading its own spaCy pipeline, Morfeusz dictionary, lingua's language models
(trigrams, ~13 MB) and static vectors costs hundreds of MB per worker; forked from here, the workers share
those pages (copy-on-write; `gc.freeze` keeps the collector from touching, hence copying, them).
What to load is handed over by the command in `PRELOAD_ENV` (`intake.workers.preload_spec`); when
a model cannot be loaded here the worker loads it itself and reports the problem in one line.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from intake import orphans
from intake.stages import parse as _parse  # noqa: F401
from intake.workers import PRELOAD_ENV  # the workers' own code, loaded once here too

MODEL_STAGES = ("sort", "split", "classify")  # the stages that read text with the language models
# what every worker imports, on start (its services, the stages) or with the first attachment (the
# document libraries the parser imports lazily, so that a command that never parses does not pay)
WORKER_IMPORTS = (
    "intake.services",
    "intake.stages.registry",
    "intake.models",
    "storage.db",
    "storage.embedding_cache",
    "pypdf",
    "pypdf.generic",
    "docx",
    "docx.table",
    "odf.opendocument",
    "odf.teletype",
    "striprtf.striprtf",
)

log = logging.getLogger("uwagi.workers")


def preload(spec: dict[str, Any]) -> None:
    """Load the code and the read-only models the chosen stages use (never raises: workers retry)."""
    stages = [str(name) for name in spec.get("stages", ())]
    for module in WORKER_IMPORTS if stages else ():
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    if not any(name in MODEL_STAGES for name in stages):
        return
    try:
        import classifiers.sorting
        import classifiers.splitting
        from classifiers.nlp import get_nlp, lemmatizer

        nlp = get_nlp(Path(str(spec["cache"])))
        nlp("Proszę o ścieżkę rowerową.")  # the first call loads what the components load lazily
        table = lemmatizer(nlp).fold_table
        if table is not None:
            os.register_at_fork(after_in_child=table.reopen)  # an SQLite connection must not cross a fork
        if "classify" in stages:
            import classifiers.campaigns
            import classifiers.projects
            import classifiers.types  # noqa: F401
            from classifiers import language

            language.preload()  # the trigram models of both scripts (the full ones load when needed)
            if spec.get("static"):
                from classifiers.static_vectors import load_static

                load_static()
    except Exception as exc:  # the worker loads it again and says what is wrong
        log.debug("fork server preload stopped: %s: %s", exc.__class__.__name__, exc)


def _boot() -> None:
    orphans.forkserver_guard()
    preload(json.loads(os.environ.get(PRELOAD_ENV) or "{}"))
    gc.collect()
    gc.freeze()  # what is loaded so far stays out of the collector's reach: its pages stay shared
    with contextlib.suppress(OSError, AttributeError):  # freed heap goes back: workers do not fill (copy) it
        ctypes.CDLL("libc.so.6").malloc_trim(0)


_boot()
