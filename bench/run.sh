#!/usr/bin/env bash
# Runs every performance measurement of issue #6 and prints the figures:
#   1. cargo bench -p kickback-ffi  (cost per pushed sample; 1-hour file MB/s and samples/s)
#   2. peak memory of a 1-minute and a 10-hour live stream (examples/peak_memory.rs)
#   3. the engine alone on the 1-hour file (examples/engine_speed.rs)
#   4. kickback analyze vs the Python pipeline on a 1-hour 100 Hz CSV (bench/compare.py)
# Usage: bench/run.sh [--no-criterion]     (needs python3 with pandas and scipy for step 4)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${BENCH_DIR:-target/bench-data}"
mkdir -p "$work"

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|L2|L3)' || true
rustc --version

cargo build --release -q -p kickback-cli
cargo build --release -q -p kickback-ffi --examples

if [[ "${1:-}" != "--no-criterion" ]]; then
    echo "== cargo bench -p kickback-ffi"
    cargo bench -q -p kickback-ffi --bench engine 2>&1 | grep -E '^(push|whole_file)|time:|thrpt:|^[a-z_]+: ' || true
fi

echo "== peak memory (VmHWM) of live analysis"
for s in 60 36000; do
    target/release/examples/peak_memory "$s"
done

echo "== kickback analyze vs the Python pipeline"
csv="$work/one_hour_100hz.csv"
[[ -f "$csv" ]] || target/release/examples/make_csv "$csv" 3600 1
echo "engine alone on the same file (one core):"
taskset -c 0 target/release/examples/engine_speed "$csv" 7
python3 bench/compare.py "$csv" --kickback target/release/kickback --repeat 5

echo "== the Python package vs the CLI and the scipy pipeline (needs: pip install ./crates/kickback-py)"
if python3 -c "import kickback" 2>/dev/null; then
    python3 bench/python_api.py "$csv" --kickback target/release/kickback --repeat 5
else
    echo "(skipped: the kickback Python package is not installed in $(command -v python3))"
fi
