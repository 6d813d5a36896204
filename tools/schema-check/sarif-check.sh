#!/usr/bin/env bash
# Checks `imozuru gaps --format sarif` against the official SARIF 2.1.0 JSON
# schema (sarif/sarif-schema-2.1.0.json, OASIS; see sarif/NOTICE.md) with ajv:
# every gap fixture and the reference model, in both languages, with model
# paths given relative and absolute. The schema is draft-04, which ajv 8 reads
# after `ajv migrate` (draft-07); a broken log must fail, so the check is
# known to bite.
# Usage: sarif-check.sh IMOZURU_BINARY   (installs ajv with `npm ci` on first use)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
imozuru="$1"
source "$here/ajv.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/sarif/sarif-schema-2.1.0.json" "$work/schema-draft04.json"
"$ajv" migrate -s "$work/schema-draft04.json" -o "$work/schema.json" >/dev/null

mkdir -p "$work/logs"
n=0
run() {  # NAME ARGS...: writes one SARIF log; gaps exits 0 (no --fail-on)
  local name=$1
  shift
  "$imozuru" gaps "$@" --format sarif -o "$work/logs/$name.json" 2>/dev/null
  n=$((n + 1))
}
cd "$root"
for lang in ja en; do
  for f in tests/fixtures/gaps/*.yaml tests/fixtures/analysis/gaps.yaml; do
    run "$(basename "$f" .yaml)-$lang-relative" "$f" --at 2025-06-01 --lang "$lang"
    run "$(basename "$f" .yaml)-$lang-absolute" "$root/$f" --at 2025-06-01 --lang "$lang"
  done
  run "reference-$lang" flows --at 2026-01-01 --lang "$lang" --include-planned
done
# A log the schema must reject: a level SARIF does not have.
sed 's/"level": "error"/"level": "fatal"/' "$work/logs/gaps-en-relative.json" >"$work/broken.json"
grep -q '"fatal"' "$work/broken.json"

failures=0
"$ajv" validate --spec=draft7 -c ajv-formats -s "$work/schema.json" -d "$work/logs/*.json" >"$work/ajv.log" 2>&1 || true
for log in "$work"/logs/*.json; do
  if ! grep -qF "$log valid" "$work/ajv.log"; then
    echo "FAIL not valid SARIF 2.1.0: $(basename "$log")" >&2
    grep -A12 -F "$log invalid" "$work/ajv.log" >&2 || true
    failures=$((failures + 1))
  fi
done
if "$ajv" validate --spec=draft7 -c ajv-formats -s "$work/schema.json" -d "$work/broken.json" >/dev/null 2>&1; then
  echo "FAIL the schema accepts a log with level \"fatal\"" >&2
  failures=$((failures + 1))
fi
echo "sarif-check: $n logs, $failures failures"
[ "$failures" -eq 0 ]
