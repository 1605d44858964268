#!/usr/bin/env bash
# Installs what the SSO and email tests start as real servers, when missing:
#   - the OpenID Connect provider (npm `oidc-provider`) in crates/server/tests/support/oidc;
#   - the SMTP server (PyPI `aiosmtpd`) in a venv at crates/server/tests/support/smtp/.venv.
# The tests also install them on first use; doing it here keeps install output out
# of the test log and fails early with a clear message.
set -euo pipefail
support="$(dirname "$0")/../crates/server/tests/support"

cd "$support/oidc"
if [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "oidc: node_modules is up to date with package-lock.json"
else
  echo "oidc: installing oidc-provider (npm ci)"
  npm ci --no-audit --no-fund
fi

cd ../smtp
if [[ -x .venv/bin/python ]] && .venv/bin/python -c 'import aiosmtpd' 2>/dev/null; then
  echo "smtp: aiosmtpd is installed in .venv"
else
  echo "smtp: installing aiosmtpd into .venv (python3 -m venv needs the python3-venv package on Debian)"
  python3 -m venv .venv
  .venv/bin/pip install -q -r requirements.txt
fi
