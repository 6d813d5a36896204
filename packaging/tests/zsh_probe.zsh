# Runs the generated zsh completion with _arguments and _describe replaced by
# probes that print what zsh hands them: the specs after zsh's own quoting
# and brace expansion. Usage: zsh -f zsh_probe.zsh FILE STATE [SUBCOMMAND]
_arguments() {
  if [[ $1 == -C ]]; then state=$PROBE_STATE; line=($PROBE_SUB); return 0; fi
  print -rl -- "$@"
}
_describe() { print -rl -- "${(@P)4}"; }
PROBE_STATE= source $1
PROBE_STATE=$2 PROBE_SUB=$3 _imozuru
