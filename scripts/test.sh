#!/usr/bin/env bash
# Every test: vision on real files, the API suite on SQLite and again on PostgreSQL
# (127.0.0.1:5432, a fresh database per test), each also on S3 storage (s3s-fs), then the
# browser end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh --for-tests

postgres_base="${FACETALLY_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "test: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# Databases left by interrupted earlier runs.
psql -q -h 127.0.0.1 -U postgres -d postgres -At \
  -c "SELECT 'DROP DATABASE IF EXISTS ' || datname || ';' FROM pg_database WHERE datname LIKE 'facetally_test_%'" \
  | psql -q -h 127.0.0.1 -U postgres -d postgres >/dev/null

# Each phase's heading says when it started, so a slow CI run shows where its time went.
phase() { echo "== $* [$(date +%T), ${SECONDS}s in] =="; }

# The API suite starts s3s-fs itself (tests/api/s3.rs); here a missing one is a failure, not a skip.
export FACETALLY_REQUIRE_S3=1

phase "style: cargo fmt --check, clippy -D warnings (server build, and the browser build of the UI)"
cargo fmt --all --check
cargo clippy -p server -p vision -p app --all-targets -- -D warnings
cargo clippy -p app -p frontend --target wasm32-unknown-unknown -- -D warnings

scripts/build-site.sh
cargo build -p server --bins

phase "vision and server tests (SQLite)"
cargo test -p vision -p app -p server
phase "API tests again on PostgreSQL"
FACETALLY_TEST_POSTGRES="$postgres_base" cargo test -p server --test api --test processes -- --include-ignored --skip cli::
phase "end-to-end in Chromium"
FACETALLY_BIN="${CARGO_TARGET_DIR:-target}/debug/facetally" end2end/run.sh
phase "end-to-end with an API token (sign-in, cookie, CSP) in Chromium"
FACETALLY_API_TOKEN="e2e-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  FACETALLY_BIN="${CARGO_TARGET_DIR:-target}/debug/facetally" end2end/run.sh node --test end2end/tests/auth.test.mjs
phase "schemathesis against the OpenAPI document, on a fresh server"
FACETALLY_BIN="${CARGO_TARGET_DIR:-target}/debug/facetally" end2end/run.sh scripts/schemathesis.sh
phase "black-box autotest (REST only) against a fresh server"
FACETALLY_BIN="${CARGO_TARGET_DIR:-target}/debug/facetally" end2end/run.sh python3 scripts/autotest.py
phase "load test, short form (release build: 100 uploads + 2 x 50 reads/s for 20 s, 2 jobs)"
scripts/load.sh --short
phase "all passed"
