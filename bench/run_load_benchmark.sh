#!/bin/sh
# Generates the benchmark model (100,000 systems and flows) if missing, then
# times our loader (load + validate) against a bare yaml-cpp event parse of
# the same files, in ROUNDS interleaved rounds (default 5). Each round runs:
# the bare parse, the loader on one thread per core, the loader on one
# thread; then the bare parse and the loader on one thread again with the
# heap on huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which imozuru
# sets itself for model files of 8 MiB or more: docs/performance.md#huge-pages).
# Then it prints, per mode, the least and the median CPU time, and the
# loader-on-one-thread / bare ratios: median of the rounds' ratios, and least
# over least (on a shared virtual machine a run is only ever slowed down, so
# the least time is the least disturbed).
# Usage: bench/run_load_benchmark.sh [BUILD_DIR] [MODEL_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build-bench}
model=${2:-${TMPDIR:-/tmp}/imozuru-bench-model}
rounds=${ROUNDS:-5}
if [ ! -f "$model/model.yaml" ]; then
  python3 "$here/generate_model.py" "$model" --systems 100000 --flows 100000 --seed 1
fi
bin=$build/bench/load_benchmark
[ -x "$bin" ] || { echo "build first: cmake -S . -B $build -DIMOZURU_BENCH=ON && cmake --build $build --target load_benchmark" >&2; exit 1; }
echo "model: $model ($(du -sh "$model" | cut -f1)), $rounds rounds, load: $(cut -d' ' -f1-3 /proc/loadavg)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
i=0
while [ "$i" -lt "$rounds" ]; do
  i=$((i + 1))
  "$bin" --bare "$model" | sed "s/^/round=$i mode=bare /"
  "$bin" "$model" | sed "s/^/round=$i mode=threads /"
  "$bin" --threads 1 "$model" | sed "s/^/round=$i mode=one /"
  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$bin" --bare "$model" | sed "s/^/round=$i mode=bare_huge /"
  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$bin" --threads 1 "$model" | sed "s/^/round=$i mode=one_huge /"
done | tee "$log"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$log" <<'PY'
import re, statistics, sys
cpu = {}
for line in open(sys.argv[1]):
    m = re.match(r"round=(\d+) mode=(\w+) .*cpu_seconds=([0-9.]+)", line)
    if m:
        cpu.setdefault(m.group(2), {})[int(m.group(1))] = float(m.group(3))
for mode in ("bare", "threads", "one", "bare_huge", "one_huge"):
    v = list(cpu.get(mode, {}).values())
    if v:
        print(f"{mode:10} CPU least {min(v):.2f} s, median {statistics.median(v):.2f} s")
for one, bare, what in (("one", "bare", "small pages"), ("one_huge", "bare_huge", "huge pages")):
    rounds = sorted(set(cpu.get(one, {})) & set(cpu.get(bare, {})))
    if not rounds:
        continue
    ratios = [cpu[one][r] / cpu[bare][r] for r in rounds]
    print(f"loader on one thread / bare, {what}: median of rounds {statistics.median(ratios):.2f}x "
          f"({min(ratios):.2f}-{max(ratios):.2f}x), least / least "
          f"{min(cpu[one].values()) / min(cpu[bare].values()):.2f}x")
PY
