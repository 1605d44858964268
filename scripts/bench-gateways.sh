#!/usr/bin/env bash
# The many-gateways realtime benchmark: starts GATEWAYS `hubbub serve` processes
# (release build) on one fresh PostgreSQL database and one Redis channel, then
# opens CONNECTIONS WebSockets spread over all of them from several
# `hubbub-loadgen` processes (this machine allows 20,000 open files per process),
# and publishes RATE events/s for DURATION s onto the bus from one of them. Each
# generator prints its own report; the overall p99 is at most the largest.
#   scripts/bench-gateways.sh                      # 50,000 over 4 gateways, 1 event/s
#   GATEWAYS=3 CONNECTIONS=30000 scripts/bench-gateways.sh
# Needs PostgreSQL at HUBBUB_BENCH_PG (default postgres://postgres@127.0.0.1:5432)
# and Redis at HUBBUB_BENCH_REDIS (default redis://127.0.0.1:6379).
set -euo pipefail
cd "$(dirname "$0")/.."

gateways=${GATEWAYS:-4}
connections=${CONNECTIONS:-50000}
generators=${GENERATORS:-4}
rate=${RATE:-1}
duration=${DURATION:-20}
pg=${HUBBUB_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
redis_url=${HUBBUB_BENCH_REDIS:-redis://127.0.0.1:6379}

psql -q "$pg/postgres" -c 'SELECT 1' >/dev/null || {
  echo "bench-gateways: PostgreSQL is not reachable at $pg" >&2
  exit 1
}
redis-cli -u "$redis_url" ping >/dev/null || {
  echo "bench-gateways: Redis is not reachable at $redis_url" >&2
  exit 1
}

cargo build --release -p hubbub-server -p hubbub-loadgen
bin="${CARGO_TARGET_DIR:-$(pwd)/target}/release"

run=$$
database="hubbub_bench_gw_$run"
channel="hubbub-bench-gw-$run"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $database" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q "$pg/postgres" -c "CREATE DATABASE $database"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

api=""
streaming=()
server_pids=()
for n in $(seq 1 "$gateways"); do
  api_port=$(free_port)
  streaming_port=$(free_port)
  mkdir -p "$work/node$n"
  HUBBUB_LOG=warn HUBBUB_DATA_DIR="$work/node$n" \
    HUBBUB_DATABASE_URL="$pg/$database?sslmode=disable" \
    HUBBUB_LISTEN="127.0.0.1:$api_port" HUBBUB_STREAMING_LISTEN="127.0.0.1:$streaming_port" \
    HUBBUB_REDIS_URL="$redis_url" HUBBUB_REDIS_CHANNEL="$channel" \
    HUBBUB_JWT_SECRET=bench-secret-bench-secret-bench-secret \
    HUBBUB_STREAMING_MAX_CONNECTIONS_PER_ACCOUNT=1000 \
    HUBBUB_RATE_LIMIT=0 HUBBUB_RATE_LIMIT_SIGN_IN=0 \
    "$bin/hubbub" serve >"$work/node$n.log" 2>&1 &
  pids+=($!)
  server_pids+=($!)
  # The first node creates the schema; the others start once it is there.
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$api_port/api/v1/instance" >/dev/null; then break; fi
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$api_port/api/v1/instance" >/dev/null || {
    echo "bench-gateways: node $n did not start:" >&2
    cat "$work/node$n.log" >&2
    exit 1
  }
  [[ -z $api ]] && api="http://127.0.0.1:$api_port"
  streaming+=("127.0.0.1:$streaming_port")
done
gateway_list=$(IFS=,; echo "${streaming[*]}")
pid_list=$(IFS=,; echo "${server_pids[*]}")
per_generator=$((connections / generators))
echo "bench-gateways: $gateways gateways ($gateway_list), $connections connections from $generators generators"

common=(--api "$api" --gateways "$gateway_list" --channel "$channel" --redis "$redis_url"
  --users 100 --connections "$per_generator" --connect-rate 1000)
# The listeners hold their connections for the whole run; the last generator
# connects its share, then publishes.
listen_for=$((duration + 10 + per_generator / 1000))
for n in $(seq 2 "$generators"); do
  "$bin/hubbub-loadgen" "${common[@]}" --mode listen --duration "$listen_for" \
    >"$work/generator$n.txt" 2>&1 &
  pids+=($!)
done
# Let the listeners connect before the publisher starts its own share.
sleep $((5 + per_generator / 1000))
"$bin/hubbub-loadgen" "${common[@]}" --mode bus --rate "$rate" --duration "$duration" \
  --server-pid "$pid_list" | tee "$work/generator1.txt"
for n in $(seq 2 "$generators"); do
  wait "${pids[$((gateways + n - 2))]}" || true
  echo "--- generator $n (listening)"
  cat "$work/generator$n.txt"
done
