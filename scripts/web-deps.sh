#!/usr/bin/env bash
# Installs the web client's npm packages with `npm ci`, but only when they are
# missing or web/package-lock.json changed since the last install: npm rewrites
# node_modules/.package-lock.json on every install, so its age tells.
set -euo pipefail
cd "$(dirname "$0")/../web"

# playwright-core drives the system Chromium; nothing may try to download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [[ ! -f package-lock.json ]]; then
  echo "web/package-lock.json is missing: cannot install the web client's packages reproducibly." >&2
  exit 1
fi

if [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "web: node_modules is up to date with package-lock.json"
else
  echo "web: installing packages (npm ci)"
  npm ci --no-audit --no-fund
fi
