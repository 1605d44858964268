#!/usr/bin/env bash
# The browser test: starts a fresh `hubbub serve` (SQLite in a temporary data
# folder, free ports) and runs web/e2e against it in headless Chromium.
# Skips, successfully, when no system Chromium is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_bin=""
if [[ -x /usr/bin/chromium ]]; then
  chromium_bin=/usr/bin/chromium
elif command -v chromium >/dev/null 2>&1; then
  chromium_bin=$(command -v chromium)
fi
if [[ -z $chromium_bin ]]; then
  echo "skipping browser tests: install chromium (apt-get install -y chromium)"
  exit 0
fi
export HUBBUB_CHROMIUM=$chromium_bin
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [[ ! -d web/node_modules ]]; then
  scripts/web-deps.sh
fi
if [[ ! -f web/dist/index.html ]]; then
  echo "e2e: building the web client"
  (cd web && npm run build)
fi

echo "e2e: building hubbub-server"
cargo build -p hubbub-server
hubbub_bin="$(pwd)/${CARGO_TARGET_DIR:-target}/debug/hubbub"
if [[ ${CARGO_TARGET_DIR:-} == /* ]]; then hubbub_bin="$CARGO_TARGET_DIR/debug/hubbub"; fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
api_port=$(free_port)
streaming_port=$(free_port)
while [[ $streaming_port == "$api_port" ]]; do streaming_port=$(free_port); done

data_dir=$(mktemp -d)
server_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

base_url="http://127.0.0.1:$api_port"
echo "e2e: starting hubbub on $base_url (streaming on 127.0.0.1:$streaming_port)"
# Every browser signs in through /oauth/authorize (page, form, code exchange): the
# per-IP sign-in limit is for attackers, not for one test run from 127.0.0.1.
HUBBUB_DATA_DIR=$data_dir \
  HUBBUB_RATE_LIMIT_SIGN_IN=1000 \
  HUBBUB_LISTEN=127.0.0.1:$api_port \
  HUBBUB_STREAMING_LISTEN=127.0.0.1:$streaming_port \
  "$hubbub_bin" serve >"$data_dir/server.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "$base_url/api/v1/instance" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: hubbub exited before it was ready; its log:" >&2
    cat "$data_dir/server.log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "e2e: hubbub did not answer $base_url/api/v1/instance within 60 s; its log:" >&2
    cat "$data_dir/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

shots_dir=${HUBBUB_E2E_SHOTS:-$data_dir/shots}
status=0
(cd web && HUBBUB_E2E_URL=$base_url HUBBUB_E2E_BIN=$hubbub_bin HUBBUB_E2E_DATA_DIR=$data_dir \
  HUBBUB_E2E_SHOTS=$shots_dir npm run e2e) || status=$?
if ((status != 0)); then
  echo "e2e: tests failed; the server's log:" >&2
  tail -n 100 "$data_dir/server.log" >&2
  exit "$status"
fi
# The README shows these screens: a passing run refreshes them in docs/screenshots,
# and `git status` then tells whether they changed (commit them when they did).
readme_shots=(thread-accepted-360 community-1280 triage-1280 reports-1280 helpdesk-history-1280 admin-users-1280)
mkdir -p docs/screenshots
for name in "${readme_shots[@]}"; do
  cp "$shots_dir/$name.png" docs/screenshots/
done
echo "e2e: README screenshots refreshed in docs/screenshots (${#readme_shots[@]} screens)"
