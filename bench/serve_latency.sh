#!/usr/bin/env bash
# Save-to-reload latency of `coursegen serve` on a generated 1,000-lesson
# course: generates the course (bench/gen_corpus.py) and builds
# the release binary, then measures two ways:
#  1. bench/serve_latency.py appends a line to one lesson and
#     times until the served page shows it;
#  2. bench/sse_latency.py times from the save to the `event: reload` on the
#     live-reload stream (what an open page reacts to).
# Prints each edit's latency and the median of each. Servers bind 127.0.0.1
# on a free port and are stopped by the scripts (and by --stop-after anyway).
#
# usage: bash bench/serve_latency.sh [LESSONS (1000)] [EDITS (15)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LESSONS=${1:-1000}
EDITS=${2:-15}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/coursegen-serve-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
BIN=$PWD/target/release/coursegen
python3 bench/gen_corpus.py --lessons "$LESSONS" --out "$WORK/course" --layout mdbook >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MID=$(printf 'lesson-%04d' $(( (LESSONS + 1) / 2 )))
echo "coursegen serve: $LESSONS lessons, editing src/$MID.md $EDITS times"
python3 bench/serve_latency.py --cwd "$WORK/course" --src "src/$MID.md" \
  --url "http://127.0.0.1:$PORT/$MID.html" --edits "$EDITS" --settle 1 --poll-ms 2 \
  --log "$WORK/serve.log" -- "$BIN" serve . -p "$PORT" --stop-after 600
echo "--- server log (rebuild lines) ---"
grep -E "built in|rebuilt in" "$WORK/serve.log" | tail -n "$((EDITS + 2))"

echo "--- save to reload event ---"
"$BIN" serve "$WORK/course" -p "$PORT" --stop-after 600 2>"$WORK/serve2.log" &
SERVER=$!
until grep -q "serving at" "$WORK/serve2.log"; do
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve2.log"; exit 1; }
  sleep 0.2
done
python3 bench/sse_latency.py --port "$PORT" --src "$WORK/course/src/$MID.md" --edits "$EDITS" || true
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
