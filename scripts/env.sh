# Shared settings for the scripts (sourced). The LEPTOS_* values must be the same when the
# server is built and when it runs, so every script takes them from here.
export LEPTOS_OUTPUT_NAME="${LEPTOS_OUTPUT_NAME:-facetally}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_PKG_DIR="${LEPTOS_SITE_PKG_DIR:-pkg}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-${FACETALLY_ADDR:-127.0.0.1:3000}}"
