#!/bin/sh
# Lua overhead: reach from each of the first N systems of the generated model,
# in C++ and through a Lua query. Usage: bench/run_lua_benchmark.sh [BUILD_DIR] [N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build-bench}
n=${2:-2000}
model=${TMPDIR:-/tmp}/imozuru-lua-bench-model
if [ ! -f "$model/model.yaml" ]; then
  python3 "$here/generate_model.py" "$model" --systems 20000 --flows 20000 --seed 1
fi
bin=$build/bench/lua_benchmark
[ -x "$bin" ] || { echo "build first: cmake -S . -B $build -DIMOZURU_BENCH=ON && cmake --build $build --target lua_benchmark" >&2; exit 1; }
"$bin" "$model" "$here/lua_reach_all.lua" "$n"
