"""The process's one Morfeusz 2 instance, shared by the lemmatizer, the keyword matcher and the
wish detector.

Why one: each `morfeusz2.Morfeusz()` loads its own copy of the SGJP dictionaries, ~18 MB. Three
instances per worker process (lemmas, catalogue keyword forms, wish forms) cost ~55 MB per worker
that the fork server could not share; one instance, loaded in the fork server with the lemmatizer,
is shared by every worker. Morfeusz instances are not thread-safe: hold `LOCK` around each call.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

LOCK = threading.RLock()


@lru_cache(maxsize=1)
def morfeusz() -> Any:
    """The shared instance (analysis and generation, default options)."""
    import morfeusz2

    return morfeusz2.Morfeusz()
