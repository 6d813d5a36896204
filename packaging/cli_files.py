#!/usr/bin/env python3
"""Writes the zsh and fish completions and the man page from the real option set.

Usage: cli_files.py IMOZURU MAN_HEAD OUT_DIR

Reads `IMOZURU --help` and `IMOZURU SUB --help` (CLI11's help layout), so a
new option reaches every shell and the man page the next time the project is
built; packaging/tests/completion_check.sh checks the results against --help
again, in the shells themselves. MAN_HEAD is the hand-written man page with
the line `.\\" (subcommand options: written here by packaging/cli_files.py)`
where the options of each subcommand go.
Writes OUT_DIR/_imozuru (zsh), OUT_DIR/imozuru.fish and OUT_DIR/imozuru.1.
Output is deterministic: the same binary gives the same bytes.
"""
import os
import re
import subprocess
import sys
import tempfile


class Option:
    def __init__(self, names, value, choices, repeated, description, group):
        self.names = names  # e.g. ["-o", "--output"]
        self.value = value  # value type word (TEXT, INT, ...) or "" for a flag
        self.choices = choices  # allowed values, or []
        self.repeated = repeated
        self.description = description
        self.group = group


class Command:
    def __init__(self, name, summary):
        self.name = name
        self.summary = summary
        self.positionals = []  # (NAME, description)
        self.options = []


def help_text(binary, *args):
    return subprocess.run([binary, *args, "--help"], check=True, capture_output=True, text=True).stdout


def entries(text):
    """(section, head, description) for each entry of a CLI11 help text."""
    section = None
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^[A-Z][^:]*:$", line):
            section = line[:-1]
        elif section and re.match(r"^  \S", line):
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            head, description = parts[0], parts[1] if len(parts) > 1 else ""
            while i + 1 < len(lines) and re.match(r"^ {20,}\S", lines[i + 1]):
                i += 1
                description = (description + " " + lines[i].strip()).strip()
            yield section, head, description.strip()
        i += 1


def parse_option(head, description, group):
    names_text, _, rest = head.partition(" ")
    names = names_text.split(",")
    rest = rest.strip()
    match = re.search(r"\{([^}]*)\}", rest)
    choices = [c.strip() for c in match.group(1).split(",")] if match else []
    value = rest.split(":")[0].split(" ")[0] if rest else ""
    return Option(names, value, choices, rest.endswith("..."), description, group)


def read_commands(binary):
    commands = []
    for section, head, description in entries(help_text(binary)):
        if section == "Subcommands":
            commands.append(Command(head, description))
    for command in commands:
        for section, head, description in entries(help_text(binary, command.name)):
            if section == "Positionals":
                command.positionals.append((head.split(" ")[0], description))
            else:
                command.options.append(parse_option(head, description, section))
    return commands


def is_file_option(option):
    return "--output" in option.names


def is_directory_option(option):
    return any(n.endswith("-dir") for n in option.names)


# --- zsh -------------------------------------------------------------------


def zsh_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def zsh_description(text):
    return re.sub(r"([\[\]:\\])", r"\\\1", text)


def zsh_option(option):
    if option.names == ["-h", "--help"]:
        exclusive = "(- *)"
    elif len(option.names) > 1:
        exclusive = "(" + " ".join(option.names) + ")"
    else:
        exclusive = "(" + option.names[0] + ")"
    if option.repeated:
        exclusive = "*"
    spec = "[" + zsh_description(option.description) + "]"
    if option.value:
        label = option.names[-1].lstrip("-").replace("-", " ")
        if option.choices:
            action = "(" + " ".join(option.choices) + ")"
        elif is_directory_option(option):
            action = "_files -/"
        elif is_file_option(option):
            action = "_files"
        else:
            action = " "
        spec += ":" + zsh_description(label) + ":" + action
    if len(option.names) > 1:
        return zsh_quote(exclusive) + "{" + ",".join(option.names) + "}" + zsh_quote(spec)
    return zsh_quote(exclusive + option.names[0] + spec)


def zsh_file(commands):
    out = [
        "#compdef imozuru",
        "# zsh completion for imozuru, generated from `imozuru --help` by",
        "# packaging/cli_files.py; do not edit (rebuild instead).",
        "",
        "_imozuru() {",
        "  local curcontext=\"$curcontext\" state line",
        "  typeset -A opt_args",
        "  local -a subcommands",
        "  subcommands=(",
    ]
    for c in commands:
        out.append("    " + zsh_quote(c.name + ":" + c.summary.replace(":", "\\:")))
    out += [
        "  )",
        "  _arguments -C \\",
        "    '(- *)'{-h,--help}'[Print this help message and exit]' \\",
        "    '(- *)--version[Display program version information and exit]' \\",
        "    '1: :->command' \\",
        "    '*:: :->args'",
        "  case $state in",
        "    command) _describe -t commands 'imozuru subcommand' subcommands ;;",
        "    args)",
        "      case $line[1] in",
    ]
    for c in commands:
        out.append("        " + c.name + ")")
        out.append("          _arguments \\")
        specs = [zsh_option(o) for o in c.options]
        for k, (name, description) in enumerate(c.positionals):
            action = "_files -g '*.lua'" if name == "SCRIPT" else "_files"
            specs.append(zsh_quote(str(k + 1) + ":" + zsh_description(name.lower()) + ":" + action))
        if c.name == "query":
            specs.append(zsh_quote("*::script arguments:_default"))
        for k, spec in enumerate(specs):
            out.append("            " + spec + (" \\" if k + 1 < len(specs) else ""))
        out.append("          ;;")
    out += ["      esac ;;", "  esac", "}", "", '_imozuru "$@"', ""]
    return "\n".join(out)


# --- fish ------------------------------------------------------------------


def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_file(commands):
    out = [
        "# fish completion for imozuru, generated from `imozuru --help` by",
        "# packaging/cli_files.py; do not edit (rebuild instead).",
        "complete -c imozuru -f",
        "complete -c imozuru -n __fish_use_subcommand -s h -l help -d " + fish_quote("Print this help message and exit"),
        "complete -c imozuru -n __fish_use_subcommand -l version -d "
        + fish_quote("Display program version information and exit"),
    ]
    for c in commands:
        out.append("complete -c imozuru -n __fish_use_subcommand -a " + c.name + " -d " + fish_quote(c.summary))
    for c in commands:
        when = fish_quote("__fish_seen_subcommand_from " + c.name)
        if c.positionals:
            # MODEL (and query's SCRIPT) are paths.
            out.append("complete -c imozuru -n " + when + " -F")
        for o in c.options:
            parts = ["complete -c imozuru -n", when]
            for n in o.names:
                parts += ["-l", n[2:]] if n.startswith("--") else ["-s", n[1:]]
            if o.value:
                if o.choices:
                    parts += ["-x", "-a", fish_quote(" ".join(o.choices))]
                elif is_directory_option(o):
                    parts += ["-x", "-a", "'(__fish_complete_directories)'"]
                elif is_file_option(o):
                    parts += ["-r", "-F"]
                else:
                    parts += ["-x"]
            parts += ["-d", fish_quote(o.description)]
            out.append(" ".join(parts))
    return "\n".join(out) + "\n"


# --- man page ----------------------------------------------------------------


def roff(text):
    out = []
    for ch in text.replace("\\", "\\e"):
        if ch == "-":
            out.append("\\-")
        elif ord(ch) > 127:
            out.append("\\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    line = "".join(out)
    return "\\&" + line if line[:1] in (".", "'") else line


def man_options(commands):
    out = [".SH OPTIONS OF EACH SUBCOMMAND"]
    for c in commands:
        out.append(".SS " + c.name)
        out.append(roff(c.summary))
        for name, description in c.positionals:
            out += [".TP", ".I " + name, roff(description)]
        for o in c.options:
            if o.names == ["-h", "--help"]:
                continue
            head = ", ".join("\\fB" + roff(n) + "\\fR" for n in o.names)
            if o.value:
                value = "|".join(o.choices) if o.choices else o.value
                head += " \\fI" + roff(value) + "\\fR"
                if o.repeated:
                    head += " ..."
            out += [".TP", head, roff(o.description)]
    return "\n".join(out)


def write_atomically(path, text):
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: cli_files.py IMOZURU MAN_HEAD OUT_DIR")
    binary, man_head, out_dir = sys.argv[1:]
    commands = read_commands(binary)
    if not commands:
        sys.exit("cli_files.py: no subcommands in `imozuru --help`")
    with open(man_head, encoding="utf-8") as f:
        head = f.read()
    marker = '.\\" (subcommand options: written here by packaging/cli_files.py)\n'
    if marker not in head:
        sys.exit("cli_files.py: " + man_head + " has no line " + marker.strip())
    write_atomically(os.path.join(out_dir, "_imozuru"), zsh_file(commands))
    write_atomically(os.path.join(out_dir, "imozuru.fish"), fish_file(commands))
    write_atomically(os.path.join(out_dir, "imozuru.1"), head.replace(marker, man_options(commands) + "\n"))


if __name__ == "__main__":
    main()
