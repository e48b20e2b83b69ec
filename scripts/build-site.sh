#!/usr/bin/env bash
# Build the browser half of facetally into the site directory the server serves:
# the hydrate WASM + its JS loader in $LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR, the stylesheet
# and the static files of public/. Stands in for cargo-leptos, which would download tools.
#
#   scripts/build-site.sh            # debug build
#   scripts/build-site.sh --release  # optimised (profile wasm-release)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/env.sh # LEPTOS_OUTPUT_NAME, LEPTOS_SITE_ROOT, LEPTOS_SITE_PKG_DIR
target_dir="${CARGO_TARGET_DIR:-target}"

profile=dev
profile_dir=debug
case "${1:-}" in
  --release) profile=wasm-release; profile_dir=wasm-release ;;
  "") ;;
  *) echo "usage: $0 [--release]" >&2; exit 2 ;;
esac

cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$profile"

pkg="$LEPTOS_SITE_ROOT/$LEPTOS_SITE_PKG_DIR"
mkdir -p "$pkg"
# No wasm-opt: Debian's binaryen is too old and breaks hydration.
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name "$LEPTOS_OUTPUT_NAME" \
  "$target_dir/wasm32-unknown-unknown/$profile_dir/frontend.wasm"
# The page asks for NAME.wasm when the server was built with LEPTOS_OUTPUT_NAME set and for
# NAME_bg.wasm (what wasm-bindgen writes) otherwise: provide both.
cp "$pkg/${LEPTOS_OUTPUT_NAME}_bg.wasm" "$pkg/$LEPTOS_OUTPUT_NAME.wasm"
cp style/main.css "$pkg/$LEPTOS_OUTPUT_NAME.css"
cp -R public/. "$LEPTOS_SITE_ROOT/"
