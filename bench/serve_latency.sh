#!/usr/bin/env bash
# Save-to-reload latency of `coursegen serve` on a generated 1,000-lesson
# course: generates the course (/work/shared/bench/gen_corpus.py), builds the
# release binary, then runs /work/shared/bench/serve_latency.py, which appends
# a line to one lesson and times until the served page shows it (the reload
# event goes out in the same step that swaps the page in). Prints each edit's
# latency and the median. The server binds 127.0.0.1 on a free port and is
# stopped by the script (and by --stop-after in any case).
#
# usage: bash bench/serve_latency.sh [LESSONS (1000)] [EDITS (15)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LESSONS=${1:-1000}
EDITS=${2:-15}
SHARED=${COURSEGEN_BENCH_SHARED:-/work/shared/bench}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/coursegen-serve-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
BIN=$PWD/target/release/coursegen
python3 "$SHARED/gen_corpus.py" --lessons "$LESSONS" --out "$WORK/course" --layout mdbook >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MID=$(printf 'lesson-%04d' $(( (LESSONS + 1) / 2 )))
echo "coursegen serve: $LESSONS lessons, editing src/$MID.md $EDITS times"
python3 "$SHARED/serve_latency.py" --cwd "$WORK/course" --src "src/$MID.md" \
  --url "http://127.0.0.1:$PORT/$MID.html" --edits "$EDITS" --settle 1 --poll-ms 2 \
  --log "$WORK/serve.log" -- "$BIN" serve . -p "$PORT" --stop-after 600
echo "--- server log (rebuild lines) ---"
grep -E "built in|rebuilt in" "$WORK/serve.log" | tail -n "$((EDITS + 2))"
