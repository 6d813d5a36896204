#!/usr/bin/env bash
# Checks the generated zsh and fish completions and the man page against
# `imozuru --help` and `imozuru SUB --help`, in the shells themselves: fish
# answers `complete -C`; zsh runs the completion function with _arguments and
# _describe replaced by probes that print what zsh hands them (after its
# quoting and brace expansion). The man page must name every subcommand and
# option and format without a groff warning.
# Usage: shells_check.sh IMOZURU ZSH_FILE FISH_FILE MAN_PAGE
set -euo pipefail
imozuru="$1" zsh_file="$2" fish_file="$3" man_page="$4"
here="$(cd "$(dirname "$0")" && pwd)"

help_subcommands() {
  "$imozuru" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1}' | sort -u
}
help_options() {  # SUB → its options, from --help (short and long forms)
  "$imozuru" "$1" --help | grep -oE '^ +(-[a-zA-Z],)?--?[a-zA-Z][-a-zA-Z]*' | tr ',' '\n' | tr -d ' ' | sort -u
}
fish_complete() {  # COMMAND LINE → the words fish offers
  fish --no-config -c "source $(printf '%q' "$fish_file"); complete -C $(printf '%q' "$1")" | cut -f1 | sort -u
}
zsh_probe() {  # STATE [SUB] → what the completion hands _arguments/_describe
  zsh -f "$here/zsh_probe.zsh" "$zsh_file" "$@"
}
zsh_options() {  # SUB → option names in its _arguments specs
  zsh_probe args "$1" | grep -E '^(\([^)]*\)|\*)?-' | sed -E 's/^(\([^)]*\)|\*)//; s/\[.*//' | sort -u
}
differ() {  # WHAT WANT GOT
  if [ "$2" != "$3" ]; then
    echo "$1 differ (< --help, > generated):" >&2
    diff <(echo "$2") <(echo "$3") >&2 || true
    return 1
  fi
}

fail=0
zsh -n "$zsh_file" || { echo "zsh: syntax error in $zsh_file" >&2; fail=1; }
want="$(help_subcommands)"
differ "fish subcommands" "$want" "$(fish_complete 'imozuru ')" || fail=1
differ "zsh subcommands" "$want" "$(zsh_probe command | cut -d: -f1 | sort -u)" || fail=1
for sub in $want; do
  options="$(help_options "$sub")"
  differ "fish options of '$sub'" "$options" "$(fish_complete "imozuru $sub -" | grep '^-')" || fail=1
  differ "zsh options of '$sub'" "$options" "$(zsh_options "$sub")" || fail=1
  # The man page: a section per subcommand naming each option (roff writes - as \-).
  section="$(awk -v sub_="$sub" '$0 == ".SS " sub_ {on=1; next} /^\.S[SH] / {on=0} on' "$man_page")"
  [ -n "$section" ] || { echo "man page: no section for '$sub'" >&2; fail=1; }
  for option in $options; do
    [ "$option" = "-h" ] || [ "$option" = "--help" ] && continue
    grep -qF -- "\\fB${option//-/\\-}\\fR" <<<"$section" || { echo "man page: '$sub' lacks $option" >&2; fail=1; }
  done
done
# Values: choices come from --help's {a, b} lists; files for -o.
differ "fish --view values" "$(printf '%s\n' chain flows linkage person sectors)" \
  "$(fish_complete 'imozuru render m --view ')" || fail=1
differ "fish --lang values" "$(printf '%s\n' en ja)" "$(fish_complete 'imozuru reach m --lang ')" || fail=1
zsh_probe args render | grep -qxF '(--view)--view[flows (systems by sector and their flows), sectors (one box per sector, the flows between sectors summed up), linkage (who joins whom through which identifier), chain (a reach/chains result highlighted) or person (the systems holding the --person'"'"'s records and the flows between them)]:view:(flows sectors linkage chain person)' ||
  { echo "zsh: --view spec" >&2; fail=1; }
zsh_probe args render | grep -qxF '(-o --output)--output[Output file; its extension (.svg .png .pdf .dot) picks the format]:output:_files' ||
  { echo "zsh: -o spec" >&2; fail=1; }
# groff formats the man page without a warning.
warnings="$(groff -man -Tutf8 -ww -z "$man_page" 2>&1 || true)"
[ -z "$warnings" ] || { echo "man page: groff warnings:" >&2; echo "$warnings" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "shells and man page: $(echo "$want" | wc -w) subcommands and their options match --help"
exit "$fail"
