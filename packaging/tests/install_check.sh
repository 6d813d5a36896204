#!/usr/bin/env bash
# Installs a build into a temporary DESTDIR and checks that every part is
# there and that the installed binary runs.  Usage: install_check.sh BUILD_DIR
set -euo pipefail
build="$1"
dest="$(mktemp -d)"
trap 'rm -rf "$dest"' EXIT

DESTDIR="$dest" cmake --install "$build" --prefix /usr >/dev/null

fail=0
expect() {
  if [ ! -e "$dest/usr/$1" ]; then
    echo "missing: /usr/$1" >&2
    fail=1
  fi
}
expect bin/imozuru
expect share/man/man1/imozuru.1.gz
expect share/bash-completion/completions/imozuru
expect share/zsh/vendor-completions/_imozuru
expect share/fish/vendor_completions.d/imozuru.fish
expect share/imozuru/schema/imozuru-model.schema.json
expect share/doc/imozuru/README.md
expect share/doc/imozuru/schema/README.md
expect share/doc/imozuru/export.md
for f in "$(dirname "$0")"/../../scripts/*.lua; do expect "share/imozuru/scripts/$(basename "$f")"; done
for f in "$(dirname "$0")"/../../flows/*.yaml; do expect "share/imozuru/flows/$(basename "$f")"; done

version="$("$dest/usr/bin/imozuru" --version)"
case "$version" in
  "imozuru "[0-9]*) ;;
  *) echo "installed imozuru --version printed: $version" >&2; fail=1 ;;
esac
# The man page is valid roff and names the command.
if ! zcat "$dest/usr/share/man/man1/imozuru.1.gz" | grep -q '^\.TH IMOZURU 1'; then
  echo "man page has no .TH IMOZURU 1 header" >&2
  fail=1
fi
if command -v man >/dev/null && ! MANWIDTH=80 man -l "$dest/usr/share/man/man1/imozuru.1.gz" 2>&1 | grep -q 'chain-link'; then
  echo "man -l cannot format the man page" >&2
  fail=1
fi
# The installed reference model validates with the installed binary.
if ! "$dest/usr/bin/imozuru" validate "$dest/usr/share/imozuru/flows" >/dev/null 2>&1; then
  echo "installed imozuru cannot validate the installed flows/" >&2
  fail=1
fi
[ "$fail" -eq 0 ] && echo "install: every file present; installed imozuru runs: $version"
exit "$fail"
