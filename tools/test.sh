#!/usr/bin/env bash
# README command 2: install what is missing, build, and run every test —
# once in a normal build and once under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh

echo "== build (RelWithDebInfo, without debug info) and test"
# -O2 -DNDEBUG as shipped, but no -g: debug info is about a third of the compile and
# link time, and no test reads it. A build dir configured before keeps its
# flags (they live in its CMakeCache.txt).
tools/build.sh build -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG"
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

echo "== fuzz: build with clang, then each libFuzzer target for 45 s (docs/security.md)"
# 45 s each keeps the whole of CI well under 30 minutes on 2 cores; the seed
# corpora (with every past finding) are replayed first. Long runs: by hand.
tools/fuzz.sh 45
