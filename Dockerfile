# facetally image: one binary for every role (`serve`, `serve --workers 0`, `worker`, `scan`).
#
#   docker build -t facetally .
#   docker run -p 3000:3000 -v "$PWD/models:/models:ro" -v facetally-data:/data facetally
#
# The ONNX models are not baked in: mount a folder holding them at /models (README, "Models").
# Needs BuildKit (the default builder of Docker 23+ and `docker compose`) for the cache mounts.

# --- build: the UI (WASM) and the server, as scripts/run.sh does -----------------------------
# Debian 12: libopencv-dev is OpenCV 4.6, the version the runtime stage installs.
FROM rust:1-bookworm AS build

RUN apt-get update \
 && apt-get install -y --no-install-recommends libopencv-dev clang libclang-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

RUN rustup target add wasm32-unknown-unknown

# Must equal the wasm-bindgen crate pinned in Cargo.lock (checked below). No --locked: the
# CLI's own lock file pins crates that do not build with a current toolchain.
ARG WASM_BINDGEN_VERSION=0.2.130
RUN cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"

# The LEPTOS_* values of scripts/env.sh: LEPTOS_OUTPUT_NAME is compiled into the server and
# names the files build-site.sh writes, so it is set for both builds.
ENV LEPTOS_OUTPUT_NAME=facetally \
    LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=0.0.0.0:3000

WORKDIR /src
COPY . .

RUN locked=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock) \
 && if [ "$locked" != "$WASM_BINDGEN_VERSION" ]; then \
      echo "Cargo.lock pins wasm-bindgen $locked; build with --build-arg WASM_BINDGEN_VERSION=$locked" >&2; \
      exit 1; \
    fi

# The target dir and the crates.io cache persist between builds; what the image needs is
# copied out of them to /out.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    scripts/build-site.sh --release \
 && cargo build --release -p server --bin facetally \
 && mkdir -p /out \
 && cp target/release/facetally /out/facetally \
 && cp -R target/site /out/site

# --- ONNX Runtime: the standalone shared library of PyPI's onnxruntime wheel ----------------
# The default inference runtime, loaded at run time (scripts/setup.sh pins the same version).
FROM python:3.11-slim-bookworm AS onnxruntime
ARG ONNXRUNTIME_VERSION=1.32.0
RUN pip download -q "onnxruntime==$ONNXRUNTIME_VERSION" --no-deps --only-binary :all: -d /wheel \
 && python -m zipfile -e /wheel/onnxruntime-*.whl /wheel/unpacked \
 && mkdir -p /out \
 && cp /wheel/unpacked/onnxruntime/capi/libonnxruntime.so.* /out/

# --- runtime: the binary, the site, OpenCV's and ONNX Runtime's shared libraries ---------------
FROM debian:bookworm-slim

# The OpenCV 4.6 modules the binary links (their packages pull FFmpeg for video decoding);
# curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libopencv-core406 libopencv-imgproc406 libopencv-imgcodecs406 libopencv-videoio406 \
      libopencv-dnn406 libopencv-objdetect406 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home facetally \
 && mkdir -p /app /data /models \
 && chown facetally:facetally /data

COPY --from=onnxruntime /out/ /usr/local/lib/
COPY --from=build /out/facetally /usr/local/bin/facetally
COPY --from=build /out/site /app/site

# /data: the SQLite database and files of the embedded mode, and temporary files (uploads
# in progress, videos downloaded from S3 for a job) in every mode.
ENV FACETALLY_ADDR=0.0.0.0:3000 \
    FACETALLY_DATA_DIR=/data \
    FACETALLY_MODELS_DIR=/models \
    LEPTOS_OUTPUT_NAME=facetally \
    LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    RUST_LOG=info

VOLUME ["/models"]
WORKDIR /app
USER facetally
EXPOSE 3000

# Only `serve` answers HTTP; a `worker` container turns this check off (docker-compose.yml).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${FACETALLY_ADDR##*:}/api/health" >/dev/null || exit 1

ENTRYPOINT ["facetally"]
CMD ["serve"]
