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
# Leaks are checked too (the imozuru processes the CLI tests start inherit
# the options); fuzz/lsan.supp suppresses only Graphviz's own leaks in
# libcgraph and libgvc. Memory errors, leaks and undefined behaviour fail.
# Every test ran in the normal pass above; here the ones that check files and
# tools around the binary rather than its memory (packaging, schemas, docs,
# formatting, pages in Chromium) are left out, to keep CI well under 30 min.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS="suppressions=$(pwd)/fuzz/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j 2 -LE "packaging|schema|docs|format|browser"

echo "== fuzz: build with clang, then each libFuzzer target for 60 s (docs/security.md)"
tools/fuzz.sh 60
