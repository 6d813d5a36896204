#!/usr/bin/env bash
# Installs what imozuru needs to build, test and render on Debian bookworm.
# Idempotent: runs `apt-get update` only when a package is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost-graph-dev libyaml-cpp-dev liblua5.4-dev
  libgraphviz-dev libcairo2-dev graphviz fonts-noto-cjk fontconfig
  catch2 libcli11-dev nlohmann-json3-dev libfmt-dev libbenchmark-dev
  libflatbuffers-dev flatbuffers-compiler libxxhash-dev  # the parsed-model cache's snapshots (model/snapshot.fbs)
  python3 python3-networkx python3-yaml gzip poppler-utils
  zsh fish groff-base  # packaging/tests/shells_check.sh runs the completions in the shells
  libxml2-utils  # xmllint: the GraphML and GEXF exports against their XSDs (tests/export)
  clang libclang-rt-dev clang-format  # clang-format: tools/check_format.sh, a test
  chromium  # drives the page of `imozuru html` in tests/browser
)
# Node.js and npm for the JSON Schema check (ajv); some machines have them from elsewhere.
command -v npm >/dev/null || packages+=(nodejs npm)
if [ "${IMOZURU_SETUP_EXTRA:-}" != "" ]; then
  # shellcheck disable=SC2206
  packages+=(${IMOZURU_SETUP_EXTRA})
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
