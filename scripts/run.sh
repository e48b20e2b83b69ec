#!/usr/bin/env bash
# Install what is missing, build the UI and the server (release), and serve facetally on
# http://127.0.0.1:3000 with SQLite + files under ./data. Extra arguments go to `serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
scripts/build-site.sh --release
cargo build --release -p server --bin facetally
exec "${CARGO_TARGET_DIR:-target}/release/facetally" serve "$@"
