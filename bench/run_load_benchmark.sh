#!/bin/sh
# Generates the benchmark model (100,000 systems and flows) if missing, then
# times our loader (load + validate) against a bare yaml-cpp event parse of
# the same files (the loader on one thread per core, then on one thread).
# Usage: bench/run_load_benchmark.sh [BUILD_DIR] [MODEL_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build-bench}
model=${2:-${TMPDIR:-/tmp}/imozuru-bench-model}
if [ ! -f "$model/model.yaml" ]; then
  python3 "$here/generate_model.py" "$model" --systems 100000 --flows 100000 --seed 1
fi
bin=$build/bench/load_benchmark
[ -x "$bin" ] || { echo "build first: cmake -S . -B $build -DIMOZURU_BENCH=ON && cmake --build $build --target load_benchmark" >&2; exit 1; }
echo "model: $model ($(du -sh "$model" | cut -f1))"
for i in 1 2 3; do
  "$bin" --bare "$model"
  "$bin" "$model"
  "$bin" --threads 1 "$model"
done
