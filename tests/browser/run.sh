#!/usr/bin/env bash
# Installs playwright-core from package-lock.json (npm ci, into the build
# directory, only when the lock file changed) and runs the browser test.
# Usage: tests/browser/run.sh IMOZURU MODEL.yaml BUILD_DIR [EXTRA.yaml...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
imozuru="$1" model="$2" work="$3"
shift 3
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "browser test: $tool is missing; run tools/setup.sh" >&2; exit 1; }
done
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "browser test: $chromium is missing; run tools/setup.sh" >&2; exit 1; }

mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/page.test.mjs" "$work/"
if ! cmp -s "$here/package-lock.json" "$work/node_modules/.imozuru-lock" 2>/dev/null; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$work/node_modules/.imozuru-lock"
fi
cd "$work"
CHROMIUM="$chromium" node page.test.mjs "$imozuru" "$model" "$work/out" "$@"
