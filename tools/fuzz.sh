#!/usr/bin/env bash
# tools/fuzz.sh [SECONDS] [TARGET...]
#
# Builds the libFuzzer targets with clang (in build-fuzz/, configured with
# -DIMOZURU_FUZZ=ON on first use), then runs each target for SECONDS
# (default 60) over a scratch copy of its seed corpus, so the committed
# corpora are never flooded. Targets: fuzz_load fuzz_query fuzz_dot
# fuzz_snapshot (default: all). fuzz_snapshot's seeds are snapshots written by
# the fuzzer binary itself (a snapshot names the build that wrote it), of the
# small model files the other targets are seeded with. Reports, per target: executions, exec/s, coverage (cov:/ft: from
# libFuzzer's final stats) and crashes (artifacts). Exits 1 when any target
# crashed, leaked, timed out or ran out of memory; the artifacts are kept in
# the scratch directory, whose path is printed.
#
# Environment: IMOZURU_FUZZ_BUILD (build directory, default build-fuzz),
# IMOZURU_FUZZ_WORK (scratch directory, default a new /tmp/imozuru-fuzz.*),
# IMOZURU_FUZZ_JOBS (build parallelism, default 2), IMOZURU_FUZZ_PARALLEL
# (targets run at once, default one per core), IMOZURU_FUZZ_ARGS (extra
# libFuzzer flags), IMOZURU_FUZZ_NO_BUILD (set: run the fuzzers already built),
# IMOZURU_FUZZ_BUILD_ONLY (set: build them and stop; tools/test.sh builds
# them while other tests run).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

seconds="${1:-60}"
shift || true
case "$seconds" in
  '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 1 ;;
esac
all_targets=(fuzz_load fuzz_query fuzz_dot fuzz_snapshot)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  case " ${all_targets[*]} " in
    *" $t "*) ;;
    *) echo "fuzz.sh: unknown target '$t' (known: ${all_targets[*]})" >&2; exit 1 ;;
  esac
done

build="${IMOZURU_FUZZ_BUILD:-build-fuzz}"
jobs="${IMOZURU_FUZZ_JOBS:-2}"

# --- build -----------------------------------------------------------------
start_build=$(date +%s)
if [ -n "${IMOZURU_FUZZ_NO_BUILD:-}" ]; then
  for t in "${targets[@]}"; do
    [ -x "$build/fuzz/$t" ] || { echo "fuzz.sh: $build/fuzz/$t is not built" >&2; exit 1; }
  done
elif [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIMOZURU_FUZZ=ON -DIMOZURU_TESTS=OFF >/dev/null
fi
[ -n "${IMOZURU_FUZZ_NO_BUILD:-}" ] ||
nice -n 19 cmake --build "$build" -j "$jobs" --target "${targets[@]}" >"$build/fuzz-build.log" 2>&1 || {
  tail -40 "$build/fuzz-build.log" >&2
  echo "fuzz.sh: building the fuzzers failed (full log: $build/fuzz-build.log)" >&2
  exit 1
}
echo "fuzz.sh: built ${targets[*]} in $(($(date +%s) - start_build)) s"
[ -z "${IMOZURU_FUZZ_BUILD_ONLY:-}" ] || exit 0

# --- seed corpora ------------------------------------------------------------
work="${IMOZURU_FUZZ_WORK:-$(mktemp -d /tmp/imozuru-fuzz.XXXXXX)}"
mkdir -p "$work"

# Copies seeds into a flat directory; names are made unique by their path.
seed() {
  local dest="$1"
  shift
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dest/$(echo "$f" | tr '/' '_')"
  done
}

fill_corpus() {
  local t="$1" dest="$2"
  mkdir -p "$dest"
  [ -d "fuzz/corpus/$t" ] && seed "$dest" fuzz/corpus/"$t"/*
  case "$t" in
    fuzz_load | fuzz_dot)
      # The reference model file by file (references across files fail
      # validation, which is coverage too), every test fixture and hostile file.
      seed "$dest" flows/*.yaml
      while IFS= read -r -d '' f; do seed "$dest" "$f"; done \
        < <(find tests -type f \( -name '*.yaml' -o -name '*.yml' \) -size -64k -print0)
      ;;
    fuzz_query)
      while IFS= read -r -d '' f; do seed "$dest" "$f"; done \
        < <(find tests query/lua docs -type f -name '*.lua' -size -64k -print0 2>/dev/null)
      ;;
    fuzz_snapshot)
      # Snapshots of every valid test fixture (the invalid ones write none)
      # and of the fuzz_load seeds, no larger than -max_len.
      { find tests/fixtures fuzz/corpus/fuzz_load -type f \( -name '*.yaml' -o -name '*.yml' \) -size -64k
        echo flows; } | sort |
        IMOZURU_FUZZ_SNAPSHOT_SEEDS="$dest" "$build/fuzz/$t" >"$dest.log" 2>&1 || {
          cat "$dest.log" >&2
          echo "fuzz.sh: fuzz_snapshot could not write its seeds" >&2
          exit 1
        }
      find "$dest" -type f -size +"$(max_len_of "$t")"c -delete
      ;;
  esac
}

# libFuzzer's -dict flag, or nothing (a snapshot is binary: no dictionary).
dict_of() {
  case "$1" in
    fuzz_load | fuzz_dot) echo "-dict=$root/fuzz/dict/model.dict" ;;
    fuzz_query) echo "-dict=$root/fuzz/dict/lua.dict" ;;
  esac
}

# The largest input, in bytes: a snapshot of even a small model is larger
# than a model file.
max_len_of() {
  case "$1" in
    fuzz_snapshot) echo 65536 ;;
    *) echo 16384 ;;
  esac
}

# --- run ---------------------------------------------------------------------
# -timeout is wall-clock time per input: on a loaded machine (the fuzzers run
# at nice 19) a 20 s limit gave false hangs, so it is 60 s; real hangs are
# endless. Scripts edit this file only by rename (bash reads it as it runs).
# Each target runs in its own function, IMOZURU_FUZZ_PARALLEL of them at a
# time (default: one per core), each at 100% of one core for SECONDS: the
# same fuzzing as one after another, in a fraction of the wall time. Each
# writes its summary line and status into its scratch directory; they are
# printed in the targets' order.
run_target() {
  local t="$1" dir="$work/$1"
  mkdir -p "$dir/artifacts"
  fill_corpus "$t" "$dir/corpus"
  local log="$dir/fuzz.log"
  echo "fuzz.sh: running $t for ${seconds} s over $(find "$dir/corpus" -type f | wc -l) seeds (log: $log)"
  local rc=0
  # shellcheck disable=SC2086
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:leak_check_at_exit=0:allocator_may_return_null=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp:print_suppressions=0}" \
    nice -n 19 "$build/fuzz/$t" "$dir/corpus" \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=60 -rss_limit_mb=2560 \
    -max_len="$(max_len_of "$t")" $(dict_of "$t") -artifact_prefix="$dir/artifacts/" \
    ${IMOZURU_FUZZ_ARGS:-} >"$log" 2>&1 || rc=$?
  local execs rate cov crashes
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
  # slow-unit-* files only mark inputs slower than -report_slow_units: not failures.
  crashes=$(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  echo "$t: ${execs:-?} executions, ${rate:-?} exec/s, ${cov:-cov: ?}, $crashes crash artifacts, exit $rc" \
    >"$dir/summary"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    {
      echo "fuzz.sh: $t FAILED; the end of its log:"
      grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 || true
      find "$dir/artifacts" -type f -printf '  artifact: %p\n'
    } >&2
    return 1
  fi
}

parallel="${IMOZURU_FUZZ_PARALLEL:-$(nproc 2>/dev/null || echo 1)}"
case "$parallel" in
  '' | *[!0-9]* | 0) echo "fuzz.sh: IMOZURU_FUZZ_PARALLEL must be a whole number above 0, got '$parallel'" >&2; exit 1 ;;
esac
status=0
running=()
for t in "${targets[@]}"; do
  if [ "${#running[@]}" -ge "$parallel" ]; then
    wait "${running[0]}" || status=1
    running=("${running[@]:1}")
  fi
  run_target "$t" &
  running+=($!)
done
for pid in "${running[@]}"; do wait "$pid" || status=1; done
summary=()
for t in "${targets[@]}"; do
  summary+=("$(cat "$work/$t/summary" 2>/dev/null || echo "$t: no summary (see $work/$t)")")
done

echo "== fuzz summary (${seconds} s per target; scratch: $work)"
printf '%s\n' "${summary[@]}"
exit "$status"
