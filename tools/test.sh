#!/usr/bin/env bash
# README command 2: install what is missing, build, and run every test —
# once in a normal build and once under AddressSanitizer + UndefinedBehaviorSanitizer,
# then each fuzzer for a while.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
tools/setup.sh
# Each phase says when it starts, in seconds since the start: where the
# time of a CI run goes.
phase() { echo "== $1 (at $(($(date +%s) - start)) s)"; }

# Each later build starts while the tests before it run, at the lowest
# priority: it takes only the CPU those tests leave (much of their time they
# wait on child processes, pipes and timers), and it is waited for before
# its tests start. On 2 cores this keeps the whole run well under 30 minutes.
wait_for() {  # PID LOG WHAT
  wait "$1" || { tail -40 "$2" >&2; echo "test.sh: $3 failed (full log: $2)" >&2; exit 1; }
}

phase "build (RelWithDebInfo, without debug info) and test"
# -O2 -DNDEBUG as shipped, but no -g: debug info is about a third of the
# compile and link time, and no test reads it. A build dir configured before
# keeps its flags (they live in its CMakeCache.txt).
tools/build.sh build -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG"
mkdir -p build-asan
# -O0 without debug info: the sanitizers check as much as at -O1, and the
# build takes half the time (7.5 min instead of 15 on an idle 2-core
# machine) while the tests take 343 s instead of 252: six minutes less.
nice -n 19 tools/build.sh build-asan -DIMOZURU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
  > build-asan/build.log 2>&1 &
asan_build=$!
phase "test"
ctest --test-dir build --output-on-failure -j 2

phase "build with ASan+UBSan and test"
wait_for "$asan_build" build-asan/build.log "the ASan+UBSan build"
mkdir -p build-fuzz
IMOZURU_FUZZ_BUILD_ONLY=1 tools/fuzz.sh > build-fuzz/test-sh.log 2>&1 &
fuzz_build=$!
# Leaks are checked too (the imozuru processes the CLI tests start inherit
# the options); fuzz/lsan.supp suppresses only Graphviz's own leaks in
# libcgraph and libgvc. Memory errors, leaks and undefined behaviour fail.
# Every test ran in the normal pass above; here the ones that check files and
# tools around the binary rather than its memory (packaging, schemas, docs,
# formatting, pages in Chromium) are left out, and five that lay out the
# whole reference model again and again in Graphviz (not instrumented; what
# of ours they run, smaller tests run here too).
phase "test with ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS="suppressions=$(pwd)/fuzz/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j 2 -LE "packaging|schema|docs|format|browser" \
  -E "render canvas: the note|docs/cli.md: every console example|on a canvas every frame has the canvas|reference model's views come out in the canvas|brief sectors: the same bytes"

phase "fuzz: each libFuzzer target for 45 s, two at a time (docs/security.md)"
wait_for "$fuzz_build" build-fuzz/test-sh.log "building the fuzzers"
cat build-fuzz/test-sh.log
# 45 s each keeps the whole of CI well under 30 minutes on 2 cores; the seed
# corpora (with every past finding) are replayed first. Long runs: by hand.
IMOZURU_FUZZ_NO_BUILD=1 tools/fuzz.sh 45
phase "done"
