#!/usr/bin/env bash
# `npm test`: every test, database tests on SQLite and on a throwaway PostgreSQL cluster, browser tests in
# Debian's Chromium. Installs what a fresh Debian machine lacks (as root), or says exactly what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
PG_BIN="$(find_pg_bin)"
{ [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; } || missing+=(postgresql)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing Debian packages the tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    PG_BIN="$(find_pg_bin)"
  else
    echo "The tests need these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
[ -x /usr/bin/chromium ] || { echo "Chromium is still missing at /usr/bin/chromium after installing it" >&2; exit 1; }
[ -n "$PG_BIN" ] || { echo "PostgreSQL server binaries are still missing under /usr/lib/postgresql after installing them" >&2; exit 1; }

# A throwaway PostgreSQL cluster in a temporary folder on a free port, removed afterwards.
PG_TMP="$(mktemp -d /tmp/csphub-pg.XXXXXX)"
PG_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_TMP" --shell /bin/sh postgres
    chown -R postgres "$PG_TMP"
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}
cleanup() {
  as_pg "'$PG_BIN/pg_ctl' -D '$PG_TMP/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
trap cleanup EXIT
log "Starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}')) on port $PG_PORT"
as_pg "'$PG_BIN/initdb' -D '$PG_TMP/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >'$PG_TMP/initdb.log' 2>&1" \
  || { cat "$PG_TMP/initdb.log" >&2; exit 1; }
as_pg "'$PG_BIN/pg_ctl' -D '$PG_TMP/data' -l '$PG_TMP/server.log' -w -t 60 -o \"-p $PG_PORT -k '$PG_TMP' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start >/dev/null" \
  || { cat "$PG_TMP/server.log" >&2; exit 1; }

export CSPHUB_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export CSPHUB_REQUIRE_PG=1
export NODE_ENV=test

log "Building styles"
npx --no-install tsx scripts/build-css.ts

# Compile to JavaScript beside each .ts file (esbuild, file by file, as tsx does; about a second), and run the tests
# on that JavaScript: every test process (and every app process a test starts) then loads plain JavaScript instead of
# going through tsx's loader, which costs about a second and a half of CPU per process. The compiled files are
# git-ignored and removed again when the tests end, whatever the outcome.
remove_compiled() {
  find src test scripts bench -name '*.js' -type f 2>/dev/null | while read -r js; do
    if [ -f "${js%.js}.ts" ]; then rm -f "$js"; fi
  done
}
trap 'remove_compiled; cleanup' EXIT
remove_compiled
log "Compiling to JavaScript for the tests"
npx --no-install tsx scripts/compile-for-tests.ts
export CSPHUB_TEST_COMPILED=1

# Type-checking (tsc, about 50 s of one core) runs beside the tests: the tests run on esbuild's output, which does not
# check types, so a type error fails `npm test` here. Its verdict is waited for, printed and counted at the end.
# ESLint (type-aware, about 105 s of CPU) and Prettier (about 40 s) are `npm run lint`, which CI (.ci/run) runs after
# this: on 2 saturated cores they added over a minute to the suite (docs/benchmarks.md, "Sixth pass").
LINT_LOG="$PG_TMP/typecheck.log"
log "Type-checking beside the tests (tsc); the verdict is printed after the tests"
( nice -n 5 npx --no-install tsc -p . --noEmit ) >"$LINT_LOG" 2>&1 &
LINT_PID=$!

log "Running tests (SQLite and PostgreSQL; browser tests in Chromium)"
# Longest files first: node --test starts files in the order given, a few at a time, so a long file started last
# would leave the machine idle while it finishes. These were the longest in full runs (browser tests on both engines
# first); every other file follows in name order. A
# file named here that no longer exists is skipped.
LONGEST_FIRST=(
  test/browser/performance.test.ts test/browser/assessment.test.ts test/browser/plans.test.ts
  test/browser/foundation.test.ts test/browser/planTargets.test.ts test/web/authorisationPostgres.test.ts
  test/web/authorisation.test.ts
  test/browser/narrowScreens.test.ts test/browser/partnershipTransfer.test.ts test/browser/meetings.test.ts
  test/browser/reports.test.ts test/browser/reviews.test.ts test/charts/browser.test.ts
  test/browser/exports.test.ts test/web/databaseOutage.test.ts test/web/twoInstances.test.ts
  test/web/gracefulShutdown.test.ts test/reports/planDocument.test.ts test/web/reports.test.ts
  test/web/importLimits.test.ts
)
mapfile -t files < <({ for f in "${LONGEST_FIRST[@]}"; do [ -f "$f" ] && echo "$f"; done; find test -name '*.test.ts' | sort; } | awk '!seen[$0]++' | sed 's/\.ts$/.js/')
# Three files at a time on 2 cores: a test file alone keeps about 0.7 of a core busy (it waits on the database, the
# app process it started, Chromium and job polling), so two at a time left a third of the machine idle
# (docs/benchmarks.md, "Fifth pass"). CSPHUB_TEST_CONCURRENCY overrides it. The tests that check the event loop is
# never held for long (uploads, fuzzing) count the main thread's CPU time, not the wall time a busy machine adds
# (test/support/fuzz.ts, EventLoopWatch).
tests_rc=0
node --test --test-concurrency="${CSPHUB_TEST_CONCURRENCY:-3}" --test-reporter=spec "${files[@]}" || tests_rc=$?

lint_rc=0
wait "$LINT_PID" || lint_rc=$?
if [ "$lint_rc" -ne 0 ]; then
  log "Type-checking failed"
  cat "$LINT_LOG"
else
  log "Type-checking passed (tsc)"
fi
if [ "$tests_rc" -ne 0 ]; then exit "$tests_rc"; fi
exit "$lint_rc"
