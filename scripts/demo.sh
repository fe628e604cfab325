#!/usr/bin/env bash
# Install, then run uwagi on its embedded defaults: SQLite under var/, the Maildir var/inbox seeded
# with example e-mails, outgoing mail written to var/outbox. Ctrl-C stops the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/uwagi init
.venv/bin/uwagi poll --once
# The review web UI needs an account: make the first admin once, with a random password shown here.
if .venv/bin/uwagi users list | grep -qi "^no users yet"; then
  password=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')
  echo "$password" | .venv/bin/uwagi users add admin --role admin --name "Administrator" --password-stdin
  echo "first admin account: user 'admin', password '$password' (change it: add your own and disable this one)"
else
  echo "accounts exist; add more with: .venv/bin/uwagi users add NAME --role staff|auditor|admin"
fi
exec .venv/bin/uwagi run
