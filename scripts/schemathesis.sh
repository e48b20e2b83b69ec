#!/usr/bin/env bash
# schemathesis (property-based API tests from PyPI) against a running facetally, driven by the
# service's own /api/openapi.json: examples, coverage, fuzzing and stateful phases, every check.
# Usage: scripts/schemathesis.sh [BASE_URL]   (default: $FACETALLY_BASE_URL, set by end2end/run.sh)
#   ST_MAX_EXAMPLES  test cases per operation (default 40)
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-${FACETALLY_BASE_URL:?give the base URL or run under end2end/run.sh}}"
st="${FACETALLY_TOOLS_DIR:-$HOME/.cache/facetally/tools}/schemathesis/bin/st"
[[ -x "$st" ]] || { echo "schemathesis.sh: run scripts/setup.sh --for-tests first" >&2; exit 1; }

# Real resources for the operations that take an id: a processed video and its profile.
python3 - "$base" <<'PY'
import json, sys, time, urllib.request, uuid
base = sys.argv[1]
video = open("../shared/data/videos/carphone_pristine.mp4", "rb").read()
boundary = uuid.uuid4().hex
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"carphone.mp4\"\r\n"
        f"Content-Type: video/mp4\r\n\r\n").encode() + video + (
        f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"create_profiles\"\r\n\r\ntrue\r\n--{boundary}--\r\n").encode()
req = urllib.request.Request(f"{base}/api/videos", data=body, method="POST",
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
vid = json.load(urllib.request.urlopen(req))[0]["id"]
for _ in range(600):
    if json.load(urllib.request.urlopen(f"{base}/api/videos/{vid}"))["status"] in ("done", "failed", "cancelled"):
        break
    time.sleep(0.2)
print(f"schemathesis.sh: seeded video {vid}", file=sys.stderr)
PY

exec "$st" --config-file scripts/schemathesis.toml run "$base/api/openapi.json" \
  --checks all \
  --max-examples "${ST_MAX_EXAMPLES:-40}" \
  --seed 20261126 \
  --generation-database none \
  --request-timeout 60 \
  --no-color \
  --warnings off
