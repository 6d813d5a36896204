#!/usr/bin/env bash
# README command 2: install what is missing, build, and run every test —
# once in a normal build and once under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

echo "== build (RelWithDebInfo) and test"
tools/build.sh build
ctest --test-dir build --output-on-failure -j 2

echo "== build with ASan+UBSan and test"
# -O1 without debug info: enough for the sanitizers, and quicker to compile.
tools/build.sh build-asan -DIMOZURU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O1
# Leak checking is off here: Graphviz (libcgraph/libgvc) and the process's
# exit paths leave allocations LeakSanitizer reports as leaks; the fuzzers
# run it with fuzz/lsan.supp. Memory errors and undefined behaviour abort.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j 2

echo "== fuzz: build with clang, then each libFuzzer target for 60 s (docs/security.md)"
tools/fuzz.sh 60
