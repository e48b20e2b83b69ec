#!/usr/bin/env bash
# Run the browser tests (or the command given as arguments) against a freshly started server
# with its own data dir and port; FACETALLY_BASE_URL tells them where it is.
#   FACETALLY_BIN   server binary (default: $CARGO_TARGET_DIR/debug/facetally)
# The site (scripts/build-site.sh) must be built; the server runs from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bin="${FACETALLY_BIN:-${CARGO_TARGET_DIR:-target}/debug/facetally}"
[[ "$bin" = /* ]] || bin="$root/$bin"
[[ -x "$bin" ]] || { echo "run.sh: no server binary at $bin (cargo build -p server)" >&2; exit 1; }
source scripts/env.sh # the LEPTOS_* the server was built with
[[ -f "$LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR/$LEPTOS_OUTPUT_NAME.js" ]] \
  || { echo "run.sh: site not built (scripts/build-site.sh)" >&2; exit 1; }

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
data=$(mktemp -d -t facetally-e2e.XXXXXX)
FACETALLY_ADDR="127.0.0.1:$port" FACETALLY_DATA_DIR="$data" "$bin" serve >"$data/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

export FACETALLY_BASE_URL="http://127.0.0.1:$port"
ready=
for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "$FACETALLY_BASE_URL/api/health"; then
    ready=1
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "run.sh: the server exited:" >&2; cat "$data/server.log" >&2; exit 1
  fi
  sleep 0.5
done
[[ -n "$ready" ]] || { echo "run.sh: server not healthy after 60 s" >&2; tail -n 40 "$data/server.log" >&2; exit 1; }

# Any arguments are a command to run instead of the browser tests (e.g. scripts/autotest.py).
if (($#)); then
  "$@" || { echo "run.sh: $* failed; server log tail:" >&2; tail -n 40 "$data/server.log" >&2; exit 1; }
  exit 0
fi
cd end2end
if ! npm test; then
  echo "run.sh: tests failed; server log tail:" >&2
  tail -n 40 "$data/server.log" >&2
  exit 1
fi
