#!/usr/bin/env bash
# Install everything (Python packages into .venv, Dovecot and isync from Debian), lint, run the tests.
# Set UWAGI_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the same
# suite on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/mypy classifiers storage
# the processing path of intake (the whole of intake is not clean yet: other modules still have untyped code)
.venv/bin/mypy --follow-imports=silent intake/processing.py intake/workers.py intake/orphans.py intake/fetchlock.py \
  intake/health.py intake/metrics.py intake/shutdown.py intake/jobs/poll.py intake/stages/registry.py \
  intake/pipeline.py intake/scheduler.py intake/stages/store.py
# two workers: the machine has two cores (pytest-xdist; each test has its own database or schema)
.venv/bin/python -m pytest -q -n 2 "$@"
