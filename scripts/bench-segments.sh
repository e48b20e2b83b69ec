#!/usr/bin/env bash
# Time to done of one long video (faces.mp4 six times, 58 s of 720p) on the real server,
# with 1 job slot and with 2 (FACETALLY_WORKERS), in one run, and the ratio; then with one
# and two `facetally worker` processes of one slot each on PostgreSQL (when it answers at
# 127.0.0.1:5432; BENCH_POSTGRES overrides the server URL); then the same file through
# `facetally scan --jobs 1` and `--jobs 2`. Segments are FACETALLY_SEGMENT_SECS
# (default 60 s; here 15 s so a 58 s video gives 4 segments; override with SEGMENT_SECS).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/facetally/target}"
cargo build -q --release -p server --bin facetally
bin="$CARGO_TARGET_DIR/release/facetally"
segment_secs="${SEGMENT_SECS:-15}"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# BENCH_VIDEO (a shared video's name) repeated BENCH_REPEAT times. faces.mp4 has a face in
# nearly every frame (people cannot be handed over at quiet frames: the worst case for
# segments); vtest.avi has long stretches without faces (the usual case at an entrance).
src="${FACETALLY_SHARED_DIR:-../shared}/data/videos/${BENCH_VIDEO:-faces.mp4}"
ext="${src##*.}"
long="$work/long.$ext"
for _ in $(seq "${BENCH_REPEAT:-6}"); do printf "file '%s'\n" "$(realpath "$src")"; done >"$work/list.txt"
ffmpeg -hide_banner -loglevel error -f concat -safe 0 -i "$work/list.txt" -c copy "$long"

# Uploads the long video to the server on port $1 and waits for `done`; prints seconds,
# frames, faces, people and segments. $2: the server's log, shown if it stops answering.
upload_and_wait() {
  local port=$1 log=$2 start id status
  start=$(date +%s.%N)
  id=$(curl -sf -F "files=@$long" "http://127.0.0.1:$port/api/videos" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  while :; do
    if ! status=$(curl -sf "http://127.0.0.1:$port/api/videos/$id"); then
      echo "the server stopped answering; its log:" >&2; tail -20 "$log" >&2; exit 1
    fi
    # grep, not a Python start-up per poll: with every core busy on the video's jobs,
    # five interpreters a second took a tenth of a core from what is measured.
    case "$(grep -o '"status":"[a-z_]*"' <<<"$status")" in
      '"status":"done"') break ;;
      '"status":"failed"'|'"status":"cancelled"') echo "video ended: $status" >&2; exit 1 ;;
    esac
    sleep 0.2
  done
  python3 -c 'import json,sys,time; v=json.load(sys.stdin); print("%.2f %s %s %s %s" % (time.time()-float(sys.argv[1]), v["frames_processed"], v["faces_total"], v["people_count"], v["segments"]))' "$start" <<<"$status"
}

# Starts a server with $1 job slots, uploads the video, waits for `done`; prints seconds.
time_to_done() {
  local workers=$1 segments=${2:-$segment_secs} port=$((3900 + $1)) dir="$work/data-$1-${2:-cut}"
  FACETALLY_DATA_DIR="$dir" FACETALLY_WORKERS="$workers" FACETALLY_SEGMENT_SECS="$segments" \
    FACETALLY_ADDR="127.0.0.1:$port" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn \
    "$bin" serve >"$work/serve-$workers.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
  upload_and_wait "$port" "$work/serve-$workers.log"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "one long video: ${BENCH_VIDEO:-faces.mp4} x ${BENCH_REPEAT:-6}, $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$long") s, segments of $segment_secs s"
read -r t0 frames0 faces0 people0 seg0 <<<"$(time_to_done 1 0)"
read -r t1 frames1 faces1 people1 seg1 <<<"$(time_to_done 1)"
read -r t2 frames2 faces2 people2 seg2 <<<"$(time_to_done 2)"
printf "%-22s %8s %8s %8s %8s %9s\n" "server" seconds frames/s faces people segments
printf "%-22s %8.2f %8.1f %8s %8s %9s\n" "1 job slot, one pass" "$t0" "$(bc -l <<<"$frames0/$t0")" "$faces0" "$people0" "$seg0"
printf "%-22s %8.2f %8.1f %8s %8s %9s\n" "1 job slot" "$t1" "$(bc -l <<<"$frames1/$t1")" "$faces1" "$people1" "$seg1"
printf "%-22s %8.2f %8.1f %8s %8s %9s\n" "2 job slots" "$t2" "$(bc -l <<<"$frames2/$t2")" "$faces2" "$people2" "$seg2"
printf "speed-up, 2 slots vs 1: %.2fx (target >= 1.8x); vs one pass on 1 slot: %.2fx\n" "$(bc -l <<<"$t1/$t2")" "$(bc -l <<<"$t0/$t2")"
printf "segment overhead on 1 slot (pre-roll, people hand-over): %.1f %%\n" "$(bc -l <<<"($t1/$t0 - 1) * 100")"

# $1 worker processes of one slot each behind a `serve --workers 0`, on a fresh PostgreSQL
# database and shared files; prints what time_to_done prints.
time_to_done_workers() {
  local n=$1 port=$((3950 + $1)) db="facetally_bench_$$_$1" dir="$work/pg-$1" pids=()
  local base="${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
  psql -q "$base/postgres" -c "CREATE DATABASE $db" >/dev/null
  local common=(env DATABASE_URL="$base/$db" FACETALLY_STORAGE_URL="file://$dir/files"
    FACETALLY_SEGMENT_SECS="$segment_secs" RUST_LOG=warn)
  "${common[@]}" FACETALLY_DATA_DIR="$dir/web" FACETALLY_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" "$bin" serve --workers 0 >"$work/web-$n.log" 2>&1 &
  pids+=($!)
  for i in $(seq "$n"); do
    "${common[@]}" FACETALLY_DATA_DIR="$dir/worker-$i" FACETALLY_WORKERS=1 "$bin" worker \
      >"$work/worker-$n-$i.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
  sleep 1 # the workers are up
  upload_and_wait "$port" "$work/web-$n.log"
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
  psql -q "$base/postgres" -c "DROP DATABASE $db" >/dev/null
}

if pg_isready -q -h 127.0.0.1 -p 5432; then
  read -r w1 wframes1 wfaces1 wpeople1 wseg1 <<<"$(time_to_done_workers 1)"
  read -r w2 wframes2 wfaces2 wpeople2 wseg2 <<<"$(time_to_done_workers 2)"
  printf "%-22s %8.2f %8.1f %8s %8s %9s\n" "1 worker process" "$w1" "$(bc -l <<<"$wframes1/$w1")" "$wfaces1" "$wpeople1" "$wseg1"
  printf "%-22s %8.2f %8.1f %8s %8s %9s\n" "2 worker processes" "$w2" "$(bc -l <<<"$wframes2/$w2")" "$wfaces2" "$wpeople2" "$wseg2"
  printf "speed-up, 2 worker processes vs 1: %.2fx (target >= 1.8x)\n" "$(bc -l <<<"$w1/$w2")"
else
  echo "PostgreSQL not answering at 127.0.0.1:5432: worker processes not measured"
fi

for jobs in 1 2; do
  start=$(date +%s.%N)
  "$bin" scan --jobs "$jobs" --segment-secs "$segment_secs" "$long" >/dev/null 2>&1
  elapsed=$(bc -l <<<"$(date +%s.%N) - $start")
  printf "scan --jobs %s: %.2f s\n" "$jobs" "$elapsed"
  eval "scan$jobs=$elapsed"
done
printf "speed-up, scan --jobs 2 vs 1: %.2fx\n" "$(bc -l <<<"$scan1/$scan2")"
