"""Profile the worker stages (parse..classify) in-process under cProfile on N messages of a Maildir or a
directory of *.eml, with the default config given; prints msg/s, seconds per stage, e5 calls, the top costs.

    .venv/bin/python bench/profile_stages.py ../shared/corpus/mail 200 CONFIG.toml
"""
import cProfile
import io
import os
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, os.getcwd())
from intake.pipeline import Work, run_stages
from intake.services import Services
from intake.settings import load_settings
from intake.stages import registry
from storage.db import make_engine

src, n = Path(sys.argv[1]), int(sys.argv[2])
cfgpath = Path(sys.argv[3])
settings = load_settings(cfgpath)
engine = make_engine(settings.database_url)
services = Services(settings, engine=engine)
from intake.workers import _warm_up  # noqa: E402

t = time.perf_counter()
_warm_up(services, registry.plan().names)
print("warm-up", round(time.perf_counter() - t, 2), "s")
files = sorted(p for sub in ("cur", "new") if (src / sub).is_dir() for p in (src / sub).iterdir())
files = files or sorted(src.glob("*.eml"))
files = (files * (n // len(files) + 1))[:n]
stages = registry.plan().worker
times = {}
def timed(name, fn):
    def wrap(work, services):
        t = time.perf_counter()
        try:
            fn(work, services)
        finally:
            times[name] = times.get(name, 0) + time.perf_counter() - t
    return wrap
stages = [(nm, timed(nm, fn)) for nm, fn in stages]
prof = cProfile.Profile()
kinds = {}
t = time.perf_counter()
prof.enable()
for i, f in enumerate(files):
    w = Work(pk=i + 1, raw=f.read_bytes(), received_at=datetime.now(UTC))
    run_stages(w, stages, services)
    k = (w.held and "held") or w.kind or "?"
    kinds[k] = kinds.get(k, 0) + 1
prof.disable()
el = time.perf_counter() - t
print(f"{n} msgs in {el:.1f}s = {n/el:.1f} msg/s; kinds {kinds}")
print({k: round(v, 2) for k, v in times.items()})
pc = services.cache.get("projects")
if pc is not None and getattr(pc, "fallback", None) is not None:
    fb = pc.fallback
    print("e5 calls", fb.model_calls, "texts", fb.texts_embedded, "tokens", fb.tokens_fed)
s = io.StringIO()
pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(60)
print(s.getvalue()[:14000])
