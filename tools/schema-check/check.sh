#!/usr/bin/env bash
# Checks that docs/schema/imozuru-model.schema.json and `imozuru validate`
# agree: every good file passes both, every bad file fails both.
# Usage: check.sh IMOZURU_BINARY   (installs ajv with `npm ci` on first use)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
imozuru="$1"
schema="$root/docs/schema/imozuru-model.schema.json"
fixtures="$root/tests/fixtures/export/schema"

if [ ! -x "$here/node_modules/.bin/ajv" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
ajv="$here/node_modules/.bin/ajv"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The schema itself must compile under draft 2020-12 in strict mode.
"$ajv" compile --spec=draft2020 -c ajv-formats -s "$schema" >/dev/null

schema_ok() {  # FILE → 0 when the schema accepts it
  local json="$work/$(basename "$1").json"
  /usr/bin/python3 "$here/yaml_to_json.py" "$1" >"$json"
  "$ajv" validate --spec=draft2020 -c ajv-formats -s "$schema" -d "$json" >"$work/ajv.log" 2>&1
}
validator_status() {  # PATH → imozuru validate's exit status
  local status=0
  "$imozuru" validate "$1" >/dev/null 2>&1 || status=$?
  echo "$status"
}

failures=0 checked=0
good_models=("$fixtures"/good/*.yaml "$root"/tests/fixtures/loader/example.yaml "$root"/tests/fixtures/export/model.yaml
             "$root"/tests/fixtures/analysis/*.yaml "$root"/tests/fixtures/query/small.yaml)
good_files=("${good_models[@]}" "$root"/flows/*.yaml)
for f in "${good_files[@]}"; do
  [ -e "$f" ] || continue
  checked=$((checked + 1))
  if ! schema_ok "$f"; then
    echo "FAIL schema rejects a good file: ${f#$root/}" >&2
    sed 's/^/    /' "$work/ajv.log" >&2
    failures=$((failures + 1))
  fi
done
# flows/ files refer to each other: the validator judges the directory.
for model in "${good_models[@]}" "$root/flows"; do
  [ -e "$model" ] || continue
  status="$(validator_status "$model")"
  if [ "$status" != 0 ]; then
    echo "FAIL imozuru validate rejects a good model (exit $status): ${model#$root/}" >&2
    failures=$((failures + 1))
  fi
done
for f in "$fixtures"/bad/*.yaml; do
  checked=$((checked + 1))
  if schema_ok "$f"; then
    echo "FAIL schema accepts a bad file: ${f#$root/}" >&2
    failures=$((failures + 1))
  fi
  status="$(validator_status "$f")"
  if [ "$status" != 2 ]; then
    echo "FAIL imozuru validate exits $status (not 2) on a bad file: ${f#$root/}" >&2
    failures=$((failures + 1))
  fi
done

echo "schema-check: $checked files, $failures disagreements"
[ "$checked" -gt 0 ] && [ "$failures" -eq 0 ]
