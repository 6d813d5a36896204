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

source "$here/ajv.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

good_models=("$fixtures"/good/*.yaml "$root"/tests/fixtures/loader/example.yaml "$root"/tests/fixtures/export/model.yaml
             "$root"/tests/fixtures/analysis/*.yaml "$root"/tests/fixtures/query/small.yaml)
good_files=("${good_models[@]}" "$root"/flows/*.yaml)
bad_files=("$fixtures"/bad/*.yaml)

# One ajv run per group (node starts slowly): prints "FILE valid|invalid".
schema_verdicts() {  # GROUP FILES... → lines "verdict FILE"
  local dir="$work/$1"
  shift
  mkdir -p "$dir"
  /usr/bin/python3 "$here/yaml_to_json.py" "$dir" "$@" >"$dir/names"
  "$ajv" validate --spec=draft2020 -c ajv-formats -s "$schema" -d "$dir/*.json" >"$dir/ajv.log" 2>&1 || true
  while read -r json yaml; do
    if grep -qF "$dir/$json valid" "$dir/ajv.log"; then echo "valid $yaml"; else echo "invalid $yaml"; fi
  done <"$dir/names"
}
validator_status() {  # PATH → imozuru validate's exit status
  local status=0
  "$imozuru" validate "$1" >/dev/null 2>&1 || status=$?
  echo "$status"
}

failures=0
while read -r verdict f; do
  if [ "$verdict" != valid ]; then
    echo "FAIL schema rejects a good file: ${f#$root/}" >&2
    failures=$((failures + 1))
  fi
done < <(schema_verdicts good "${good_files[@]}")
# flows/ files refer to each other: the validator judges the directory.
for model in "${good_models[@]}" "$root/flows"; do
  status="$(validator_status "$model")"
  if [ "$status" != 0 ]; then
    echo "FAIL imozuru validate rejects a good model (exit $status): ${model#$root/}" >&2
    failures=$((failures + 1))
  fi
done
while read -r verdict f; do
  if [ "$verdict" != invalid ]; then
    echo "FAIL schema accepts a bad file: ${f#$root/}" >&2
    failures=$((failures + 1))
  fi
  status="$(validator_status "$f")"
  if [ "$status" != 2 ]; then
    echo "FAIL imozuru validate exits $status (not 2) on a bad file: ${f#$root/}" >&2
    failures=$((failures + 1))
  fi
done < <(schema_verdicts bad "${bad_files[@]}")

checked=$((${#good_files[@]} + ${#bad_files[@]}))
echo "schema-check: $checked files, $failures disagreements"
[ "$failures" -eq 0 ]
