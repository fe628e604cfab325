#!/usr/bin/env bash
# Install everything uwagi needs into a virtualenv that ./.venv links to (idempotent). The virtualenv
# itself lives outside the checkout (a venv records its own absolute path, and an editable install the
# checkout's): ${UWAGI_VENV_HOME:-~/.cache/uwagi}/venv-<hash of this checkout's path>. With --test also the Debian packages
# the test suite drives for real: Dovecot (IMAP server), isync (mbsync, benchmark reference) and
# openssl (the TLS tests' certificate) and chromium (the review UI's browser tests, driven by Playwright
# with executable_path: never `playwright install`; axe-core for them is vendored under tests/review/vendor).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

if (( want_test )); then
  missing=()
  command -v dovecot >/dev/null || missing+=(dovecot-imapd)
  command -v mbsync >/dev/null || missing+=(isync)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v chromium >/dev/null || missing+=(chromium)
  if (( ${#missing[@]} )); then
    if [[ $(id -u) -eq 0 ]]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: please install ${missing[*]} (Debian packages) for the tests" >&2
    fi
  fi
fi

PY=${PYTHON:-python3}
venv="${UWAGI_VENV_HOME:-${HOME:-/tmp}/.cache/uwagi}/venv-$(pwd -P | sha1sum | cut -c1-12)"
if [[ -d .venv && ! -L .venv ]]; then
  rm -rf .venv  # a virtualenv inside the checkout, from before: replaced by the link
fi
if [[ ! -x "$venv/bin/python" ]]; then
  mkdir -p "$(dirname "$venv")"
  "$PY" -m venv "$venv"
fi
ln -sfn "$venv" .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev]'
