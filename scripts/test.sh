#!/usr/bin/env bash
# Install everything (Python packages into .venv, Dovecot and isync from Debian), lint, run the tests.
# Set UWAGI_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the same
# suite on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/mypy classifiers storage intake review
# two workers: the machine has two cores (pytest-xdist; each test has its own database or schema)
.venv/bin/python -m pytest -q -n 2 "$@"
