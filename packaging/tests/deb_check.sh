#!/usr/bin/env bash
# Builds the .deb with CPack and checks its contents and control fields.
# Usage: deb_check.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

(cd "$out" && cpack -G DEB --config "$build/CPackConfig.cmake" >cpack.log 2>&1) || { cat "$out/cpack.log" >&2; exit 1; }
deb="$(ls "$out"/*.deb)"
contents="$(dpkg-deb -c "$deb")"
fail=0
for path in ./usr/bin/imozuru ./usr/share/man/man1/imozuru.1.gz ./usr/share/bash-completion/completions/imozuru \
            ./usr/share/zsh/vendor-completions/_imozuru ./usr/share/fish/vendor_completions.d/imozuru.fish \
            ./usr/share/imozuru/schema/imozuru-model.schema.json ./usr/share/imozuru/flows/model.yaml \
            ./usr/share/imozuru/scripts/ ./usr/share/doc/imozuru/README.md; do
  if ! grep -qF " $path" <<<"$contents"; then
    echo "not in the .deb: $path" >&2
    fail=1
  fi
done
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libyaml-cpp lua5.4 libgvc libcgraph; do
  if ! grep -q "$lib" <<<"$depends"; then
    echo "Depends lacks $lib: $depends" >&2
    fail=1
  fi
done
[ "$(dpkg-deb -f "$deb" Package)" = imozuru ] || { echo "package name is not imozuru" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "deb: $(basename "$deb"), Depends: $depends"
exit "$fail"
