#!/usr/bin/env bash
# Builds the web client and starts Hubbub on the embedded default (SQLite in
# ./data, in-process bus). Extra arguments go to `hubbub serve`, e.g.
#   scripts/run.sh --listen 0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/web-deps.sh
echo "web: building web/dist"
(cd web && npm run build)

# The release binary embeds web/dist, so the web build must come first.
exec cargo run --release -p hubbub-server -- serve "$@"
