# Sourced by check.sh and sarif-check.sh: makes sure ajv is installed in
# tools/schema-check/node_modules (npm ci from package-lock.json, from npm's
# cache when it has the packages, so a machine that ran it once works
# offline) and sets $ajv to it.
schema_check_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -x "$schema_check_dir/node_modules/.bin/ajv" ] ||
   [ "$schema_check_dir/package-lock.json" -nt "$schema_check_dir/node_modules/.package-lock.json" ]; then
  (cd "$schema_check_dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
fi
ajv="$schema_check_dir/node_modules/.bin/ajv"
