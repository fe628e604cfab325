"""Developer tool: autogenerate an Alembic revision from the SQLModel tables.

Usage: .venv/bin/python scripts/new_migration.py "what changed" [REV_ID]
It builds a scratch SQLite database at the current head and diffs the models against it.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from storage.db import alembic_config, make_engine

with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
    cfg = alembic_config(engine)
    command.upgrade(cfg, "head")
    command.revision(cfg, message=sys.argv[1], autogenerate=True, rev_id=sys.argv[2] if len(sys.argv) > 2 else None)
