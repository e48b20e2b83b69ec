#!/usr/bin/env bash
# Load test against a freshly started server (its own port and data dir, SQLite, two jobs at
# once): 100 uploads at once plus 50 reads/s on each of GET /api/videos and GET /api/profiles,
# then every video must end `done`, with no failed request and a read p99 of at most 50 ms.
#
#   scripts/load.sh                  full form: builds release, 10 s baseline + 60 s under load
#   scripts/load.sh --short          CI form: release too, 3 s baseline + 20 s under load
#   scripts/load.sh -- --json ...    anything after -- goes to the load binary
#
#   FACETALLY_BIN  server binary (default: $CARGO_TARGET_DIR/release/facetally, built first)
#   LOAD_BIN       load client   (default: the `load` binary next to it)
#   LOAD_LOG       also keep the server's log at this path
# The site (WASM UI) is not needed: the API serves without it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/env.sh

short=
extra=()
while (($#)); do
  case "$1" in
    --short) short=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "usage: scripts/load.sh [--short] [-- LOAD-ARGS...]" >&2; exit 2 ;;
  esac
  shift
done

target="${CARGO_TARGET_DIR:-target}"
[[ "$target" = /* ]] || target="$root/$target"
# Release binaries in both forms: latency is what is measured, and a debug build spends the
# first second of the upload burst several times longer on the CPU (see README, Load test).
if [[ -n "$short" ]]; then
  phases=(--baseline 3s --duration 20s)
else
  phases=(--baseline 10s --duration 60s)
fi
if [[ -z "${FACETALLY_BIN:-}" || -z "${LOAD_BIN:-}" ]]; then
  cargo build --release -p server --bins
fi
bin="${FACETALLY_BIN:-$target/release/facetally}"
load="${LOAD_BIN:-$(dirname "$bin")/load}"
for b in "$bin" "$load"; do
  [[ -x "$b" ]] || { echo "load.sh: no binary at $b (cargo build -p server --bins)" >&2; exit 1; }
done

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d -t facetally-load.XXXXXX)
log="$data/server.log"
# A fresh embedded server whatever the caller's environment says.
env -u DATABASE_URL -u FACETALLY_STORAGE_URL -u FACETALLY_API_TOKEN \
  FACETALLY_ADDR="127.0.0.1:$port" FACETALLY_DATA_DIR="$data" FACETALLY_WORKERS=2 \
  "$bin" serve >"$log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [[ -z "${LOAD_LOG:-}" ]] || cp "$log" "$LOAD_LOG"
  rm -rf "$data"
}
trap cleanup EXIT
fail() {
  echo "load.sh: $*; server log tail:" >&2
  sed 's/\x1b\[[0-9;]*m//g' "$log" | tail -n 40 >&2
  exit 1
}

base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$base/api/health" && break
  kill -0 "$server" 2>/dev/null || fail "the server exited"
  sleep 0.5
done
curl -sf -o /dev/null "$base/api/health" || fail "server not healthy after 60 s"

echo "load.sh: $bin on $base, 2 workers, load client $load; uptime before: $(uptime)"
status=0
"$load" --base-url "$base" "${phases[@]}" "${extra[@]}" || status=$?
echo "load.sh: uptime after: $(uptime)"
# Without colour codes the level stands between spaces.
plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
if grep -qE ' ERROR |panicked' <<<"$plain"; then
  grep -E ' ERROR |panicked' <<<"$plain" | head -n 20 >&2
  fail "the server logged errors or a panic"
fi
warnings=$(grep -cE ' WARN ' <<<"$plain" || true)
((warnings == 0)) || echo "load.sh: the server logged $warnings warnings, e.g.: $(grep -m1 -E ' WARN ' <<<"$plain")"
((status == 0)) || fail "the load test failed (exit $status)"
echo "load.sh: passed"
