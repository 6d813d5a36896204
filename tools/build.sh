#!/usr/bin/env bash
# Configures and builds imozuru in BUILD_DIR (default: build) with extra
# CMake arguments passed through, e.g. tools/build.sh build-asan -DIMOZURU_SANITIZE=ON
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
shift || true
jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
