#!/usr/bin/env bash
# Hubbub's whole test suite, as `make test` and CI run it:
#   1. the web client in web/: npm ci when needed, lint, type-check, unit tests, build;
#   2. Rust: scripts/test-deps.sh (the OIDC provider and SMTP server the SSO and email
#      tests start), then `cargo test --workspace --no-fail-fast` (unit and integration tests; the PostgreSQL
#      and Redis suites run only when HUBBUB_TEST_DATABASE_URL / HUBBUB_TEST_REDIS_URL
#      are set, otherwise they skip and this script says so at the end);
#   3. the browser test, scripts/e2e.sh (headless Chromium).
# Every step runs even when an earlier independent one failed, so one run shows
# all failures; the exit status is non-zero if any step failed.
set -euo pipefail
cd "$(dirname "$0")/.."

results=()
failures=0
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

# run_step NAME COMMAND...: runs COMMAND and records PASS or FAIL with its duration.
run_step() {
  local name=$1
  shift
  printf '\n==> %s\n' "$name"
  local start=$SECONDS status=PASS
  "$@" || status=FAIL
  [[ $status == PASS ]] || failures=$((failures + 1))
  results+=("$status  $name ($((SECONDS - start))s)")
  [[ $status == PASS ]]
}

skip_step() {
  results+=("SKIP  $1: $2")
}

in_web() {
  (cd web && "$@")
}

rust_tests() {
  # pipefail keeps cargo's exit status through tee.
  cargo test --workspace --no-fail-fast 2>&1 | tee "$log_dir/cargo-test.log"
}

# Sums the "test result:" lines of every test binary.
rust_test_counts() {
  awk '/^test result:/ { for (i = 1; i < NF; i++) { if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i } }
       END { printf "%d passed, %d failed", p, f }' "$log_dir/cargo-test.log"
}

web_ok=true
run_step "web: install packages" scripts/web-deps.sh || web_ok=false
if $web_ok; then
  run_step "web: lint" in_web npm run lint || true
  run_step "web: type-check" in_web npm run typecheck || true
  run_step "web: unit tests" in_web npm test || true
  run_step "web: build web/dist" in_web npm run build || web_ok=false
else
  for step in lint type-check "unit tests" build; do
    skip_step "web: $step" "the packages did not install"
  done
fi

# The real OIDC provider (npm) and SMTP server (PyPI) of the SSO and email tests.
run_step "test servers: install oidc-provider and aiosmtpd" scripts/test-deps.sh || true

# After the web build: hubbub-server embeds web/dist, and its tests serve it.
run_step "Rust: cargo test --workspace --no-fail-fast" rust_tests || true
rust_counts=$(rust_test_counts)

if [[ ! -f scripts/e2e.sh ]]; then
  skip_step "browser test" "scripts/e2e.sh does not exist"
elif ! $web_ok; then
  skip_step "browser test" "the web client did not build"
else
  run_step "browser test: scripts/e2e.sh" bash scripts/e2e.sh || true
fi

printf '\n==================== Summary ====================\n'
printf '%s\n' "${results[@]}"
printf 'Rust tests: %s\n' "$rust_counts"

skipped_suites=()
[[ -n ${HUBBUB_TEST_DATABASE_URL:-} ]] ||
  skipped_suites+=("SKIPPED: PostgreSQL suite (set HUBBUB_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run it)")
[[ -n ${HUBBUB_TEST_REDIS_URL:-} ]] ||
  skipped_suites+=("SKIPPED: Redis suite (set HUBBUB_TEST_REDIS_URL=redis://127.0.0.1:6379 to run it)")
if ((${#skipped_suites[@]} > 0)); then
  printf '\n'
  printf '!!! %s\n' "${skipped_suites[@]}"
fi

if ((failures > 0)); then
  printf '\nFAILED: %d step(s) failed.\n' "$failures"
  exit 1
fi
printf '\nAll steps passed.\n'
