#!/usr/bin/env bash
# Install what building and testing facetally needs. Idempotent and quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(libopencv-dev clang libclang-dev ffmpeg chromium unzip)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown >/dev/null
fi

# The CLI must match the wasm-bindgen crate exactly; no --locked (its lock file pins
# crates that do not build here).
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb_version" ]]; then
  echo "setup: installing wasm-bindgen-cli $wb_version" >&2
  cargo install -q wasm-bindgen-cli --version "$wb_version" --force
fi

# ONNX Runtime, the default inference runtime of the vision crate, loaded at run time: the
# standalone shared library of PyPI's onnxruntime wheel (no pip install, no Python needed after).
ort_version=1.32.0
ort_dir="${FACETALLY_TOOLS_DIR:-$HOME/.cache/facetally/tools}/onnxruntime"
if [[ ! -f "$ort_dir/libonnxruntime.so.$ort_version" ]]; then
  echo "setup: installing ONNX Runtime $ort_version into $ort_dir" >&2
  ort_tmp=$(mktemp -d)
  trap 'rm -rf "$ort_tmp"' EXIT
  python3 -m pip download -q "onnxruntime==$ort_version" --no-deps --only-binary :all: -d "$ort_tmp"
  mkdir -p "$ort_dir"
  unzip -q -j -o "$ort_tmp"/onnxruntime-*.whl "onnxruntime/capi/libonnxruntime.so.*" -d "$ort_dir"
  rm -rf "$ort_tmp"
  trap - EXIT
fi

# The rest is only needed by the tests (`scripts/setup.sh --for-tests`).
[[ "${1:-}" == "--for-tests" ]] || exit 0

# A local S3 server (serves a folder) for the S3 storage tests. 0.14.1: newer needs a newer rustc.
if ! s3s-fs --version >/dev/null 2>&1; then
  echo "setup: installing s3s-fs 0.14.1" >&2
  cargo install -q s3s-fs --version 0.14.1 --locked --features binary
fi

if [[ ! -d end2end/node_modules ]]; then
  (cd end2end && if [[ -f package-lock.json ]]; then npm ci --silent; else npm install --silent; fi) >/dev/null
fi

# schemathesis (PyPI) checks the API against its own OpenAPI document; its own venv, pinned.
st_version=4.32.5
st_venv="${FACETALLY_TOOLS_DIR:-$HOME/.cache/facetally/tools}/schemathesis"
if [[ "$("$st_venv/bin/st" --version 2>/dev/null)" != "st, version $st_version" ]]; then
  echo "setup: installing schemathesis $st_version" >&2
  python3 -m venv "$st_venv"
  "$st_venv/bin/pip" install -q "schemathesis==$st_version"
fi
