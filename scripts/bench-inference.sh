#!/usr/bin/env bash
# One-core frames/s of face detection on faces.mp4 (1280x720): the peer (Python,
# cv2.FaceDetectorYN of opencv-python-headless 4.7.0.72), facetally on ONNX Runtime, on
# OpenCV DNN, and on ONNX Runtime with people grouping. Run on an idle machine.
#
#   scripts/bench-inference.sh [VIDEO]
set -euo pipefail
cd "$(dirname "$0")/.."

video=${1:-/work/shared/data/videos/faces.mp4}
models=${FACETALLY_MODELS_DIR:-/work/shared/models}
model="$models/face_detection_yunet_2022mar.onnx"
peer_venv="${FACETALLY_TOOLS_DIR:-$HOME/.cache/facetally/tools}/peer"
peer_opencv=4.7.0.72

if ! "$peer_venv/bin/python" -c "import cv2; assert cv2.__version__ == '${peer_opencv%.*}'" 2>/dev/null; then
  echo "bench: installing the peer (opencv-python-headless $peer_opencv) into $peer_venv" >&2
  python3 -m venv "$peer_venv"
  "$peer_venv/bin/pip" install -q "opencv-python-headless==$peer_opencv" "numpy<2"
fi

cargo build -q -p vision --release --example scan_fps
target=${CARGO_TARGET_DIR:-target}
scan="$target/release/examples/scan_fps"

# Frames per CPU second of the process (all its threads): unlike frames per wall second, it
# does not drop when other work shares core 0. Both are printed per run.
fps() { sed -n 's/.*cpu_fps=\([0-9.]*\).*/\1/p' <<<"$1"; }
run() {
  local out
  out=$(FACETALLY_MODELS_DIR="$models" taskset -c 0 "$@")
  echo "  $out" >&2
  fps "$out"
}

echo "one core (taskset -c 0), $video:" >&2
peer=$(run "$peer_venv/bin/python" scripts/peer_yunet.py "$model" "$video")
ort=$(run "$scan" "$video" --inference ort)
opencv=$(run "$scan" "$video" --inference opencv)
people=$(run "$scan" "$video" --inference ort --people)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
overhead() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f %%", (a / b - 1) * 100 }'; }
cat <<REPORT
frames per CPU second: peer (OpenCV $peer_opencv, Python) $peer | ORT $ort | OpenCV DNN $opencv | ORT + people $people
ORT / peer: $(ratio "$ort" "$peer")x (target >= 2, and ORT >= 30 frames/s)
OpenCV DNN / peer: $(ratio "$opencv" "$peer")x
ORT / OpenCV DNN: $(ratio "$ort" "$opencv")x
people grouping adds: $(overhead "$ort" "$people") of the time per frame (target <= 30 %)
REPORT
