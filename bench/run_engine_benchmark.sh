#!/bin/sh
# Times the engine (reach, chains k=10, gaps, diff, peak memory) on the
# generated 100,000-system model, then the same reach in Python/networkx.
# Usage: bench/run_engine_benchmark.sh [BUILD_DIR] [MODEL_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build-bench}
model=${2:-${TMPDIR:-/tmp}/imozuru-bench-model}
if [ ! -f "$model/model.yaml" ]; then
  python3 "$here/generate_model.py" "$model" --systems 100000 --flows 100000 --seed 1
fi
bin=$build/bench/engine_benchmark
[ -x "$bin" ] || { echo "build first: cmake -S . -B $build -DIMOZURU_BENCH=ON && cmake --build $build --target engine_benchmark" >&2; exit 1; }
tsv=$(mktemp)
trap 'rm -f "$tsv"' EXIT
"$bin" "$model" --tsv "$tsv"
for start in my_number id_00001; do
  /usr/bin/python3 "$here/engine_reach_networkx.py" "$tsv" "$start"
done
