#!/usr/bin/env bash
# Checks that the bash completion offers every subcommand and every option
# that `imozuru --help` and `imozuru SUB --help` list, and nothing else.
# Usage: completion_check.sh IMOZURU_BINARY COMPLETION_FILE
set -euo pipefail
imozuru="$1"
# shellcheck source=/dev/null
source "$2"

complete_words() {  # WORDS... → what the completion offers for the last word
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _imozuru
  printf '%s\n' "${COMPREPLY[@]}" | sort -u
}
help_subcommands() {
  "$imozuru" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1}' | sort -u
}
help_options() {  # SUB → its options, from --help (short and long forms)
  "$imozuru" "$1" --help | grep -oE '^ +(-[a-zA-Z],)?--?[a-zA-Z][-a-zA-Z]*' | tr ',' '\n' | tr -d ' ' | sort -u
}

fail=0
want="$(help_subcommands)"
got="$(complete_words imozuru "" | grep -v '^--' || true)"
if [ "$want" != "$got" ]; then
  echo "subcommands differ (< --help, > completion):" >&2
  diff <(echo "$want") <(echo "$got") >&2 || true
  fail=1
fi
for sub in $want; do
  want_options="$(help_options "$sub")"
  got_options="$(complete_words imozuru "$sub" model.yaml -)"
  if [ "$want_options" != "$got_options" ]; then
    echo "options of '$sub' differ (< --help, > completion):" >&2
    diff <(echo "$want_options") <(echo "$got_options") >&2 || true
    fail=1
  fi
done
# Option values.
# export --format: the values --help lists ("--format TEXT:{graphml, ...}").
want_formats="$("$imozuru" export --help | grep -oE -- '--format TEXT:\{[^}]*\}' | sed 's/.*{//; s/}//; s/, /\n/g' | sort -u | tr '\n' ' ')"
[ -n "$want_formats" ] && [ "$(complete_words imozuru export m --format "" | tr '\n' ' ')" = "$want_formats" ] || { echo "export --format values differ from --help: $want_formats" >&2; fail=1; }
[ "$(complete_words imozuru export m --table h)" = "holdings" ] || { echo "--table values" >&2; fail=1; }
[ "$(complete_words imozuru reach m --lang "" | tr '\n' ' ')" = "en ja " ] || { echo "--lang values" >&2; fail=1; }
[ "$(complete_words imozuru ex)" = "export" ] || { echo "subcommand prefix" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "completion: $(echo "$want" | wc -w) subcommands and their options match --help"
exit "$fail"
