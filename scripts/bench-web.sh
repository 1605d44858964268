#!/usr/bin/env bash
# The web client's long-feed benchmark: starts a fresh `hubbub serve` (SQLite in a
# temporary data folder, free ports, rate limits off), then runs web/bench/feed.mjs
# in headless Chromium against the client in web/dist (built first if missing:
# run `npm run build` in web/ to measure a change).
# HUBBUB_BENCH_POSTS (default 3000) sets the feed's length.
# `scripts/bench-web.sh first-load` instead fills the instance with `hubbub seed`
# (300 people, 6 months) and runs web/bench/first-load.mjs: the time until the
# home feed shows its first post, on the embedded default with demo data.
set -euo pipefail
mode=${1:-feed}
case $mode in
  feed | first-load) ;;
  *)
    echo "usage: scripts/bench-web.sh [feed|first-load]" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."

chromium_bin=/usr/bin/chromium
if [[ ! -x $chromium_bin ]]; then chromium_bin=$(command -v chromium || true); fi
if [[ -z $chromium_bin ]]; then
  echo "bench-web: install chromium (apt-get install -y chromium)" >&2
  exit 1
fi
export HUBBUB_CHROMIUM=$chromium_bin
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [[ ! -d web/node_modules ]]; then scripts/web-deps.sh; fi
if [[ ! -f web/dist/index.html ]]; then (cd web && npm run build); fi
# The debug server is enough: what is measured is the browser's work, not the API's.
cargo build -p hubbub-server
hubbub_bin="${CARGO_TARGET_DIR:-$(pwd)/target}/debug/hubbub"

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

demo_admin=""
if [[ $mode == first-load ]]; then
  echo "bench-web: seeding demo data"
  HUBBUB_LOG=warn HUBBUB_DATA_DIR=$data_dir "$hubbub_bin" seed >"$data_dir/seed.log" 2>&1
  demo_admin=$(sed -n 's/.*sign in as \([^ ]*\) (admin).*/\1/p' "$data_dir/seed.log")
  if [[ -z $demo_admin ]]; then
    echo "bench-web: hubbub seed did not name its admin; its output:" >&2
    cat "$data_dir/seed.log" >&2
    exit 1
  fi
fi

base_url="http://127.0.0.1:$api_port"
HUBBUB_LOG=warn HUBBUB_DATA_DIR=$data_dir HUBBUB_RATE_LIMIT=0 HUBBUB_RATE_LIMIT_SIGN_IN=0 \
  HUBBUB_LISTEN=127.0.0.1:$api_port HUBBUB_STREAMING_LISTEN=127.0.0.1:$streaming_port \
  "$hubbub_bin" serve >"$data_dir/server.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "$base_url/api/v1/instance" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
    echo "bench-web: hubbub did not start; its log:" >&2
    cat "$data_dir/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

if [[ $mode == first-load ]]; then
  (cd web && HUBBUB_BENCH_URL=$base_url HUBBUB_BENCH_USER=$demo_admin node bench/first-load.mjs)
else
  (cd web && HUBBUB_BENCH_URL=$base_url node bench/feed.mjs)
fi
