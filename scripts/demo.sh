#!/usr/bin/env bash
# Install, then run uwagi on its embedded defaults: SQLite under var/, the Maildir var/inbox seeded
# with example e-mails, outgoing mail written to var/outbox. Ctrl-C stops the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/uwagi init
.venv/bin/uwagi poll --once
exec .venv/bin/uwagi run
