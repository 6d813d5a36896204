#!/usr/bin/env python3
"""Keeps the Japanese documentation (docs/ja/) in step with the English (docs/).

Usage: tests/docs/check_docs_ja.py [REPO_ROOT]   (default: two folders up)

Fails (exit 1), naming the file, when
  (a) one of the translated English docs has no docs/ja counterpart;
  (b) the fenced code blocks (``` or ~~~) of an English doc and of its Japanese
      counterpart differ in number or in content: they are real commands and
      real output, so they must be byte-identical;
  (c) a relative link in docs/ja/*.md or README.ja.md points to a file that
      does not exist, or to a heading (#anchor) the target .md file lacks.
"""
import functools
import os
import re
import sys

# The English docs that have a Japanese translation in docs/ja/.
TRANSLATED = [
    "tutorial.md", "model-format.md", "cli.md", "lua-api.md",
    "rendering.md", "report.md", "export.md", "security.md",
    "findings.md", "gallery.md", "performance.md",
]

FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def fenced_blocks(text):
    """[(first line number, block text including both fence lines)], as CommonMark reads them."""
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence, start = m.group(1), i
            close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
            i += 1
            while i < len(lines) and not close.match(lines[i]):
                i += 1
            blocks.append((start + 1, "\n".join(lines[start:i + 1])))
        i += 1
    return blocks


def prose_lines(text):
    """(line number, line, line with inline code spans blanked) outside fenced code blocks."""
    inside = set()
    for start, block in fenced_blocks(text):
        inside.update(range(start, start + block.count("\n") + 1))
    for n, line in enumerate(text.split("\n"), 1):
        if n not in inside:
            yield n, line, re.sub(r"(`+)(?:(?!\1).)+?\1", lambda m: " " * len(m.group(0)), line)


@functools.lru_cache(maxsize=None)
def slug_set(path):
    """The anchors GitHub gives the headings of a Markdown file."""
    slugs, seen = set(), {}
    for _n, raw, _blanked in prose_lines(read(path)):
        m = re.match(r"^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$", raw)
        if not m:
            continue
        # the heading text as rendered: code spans keep their text, links their label
        title = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1)).replace("`", "").replace("*", "")
        base = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        count = seen.get(base, 0)
        seen[base] = count + 1
        slugs.add(base if count == 0 else f"{base}-{count}")
    return slugs


LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")


def check_links(path, root, problems):
    rel = os.path.relpath(path, root)
    for n, _, line in prose_lines(read(path)):
        targets = [m.group(1) for m in LINK.finditer(line)]
        m = REF_DEF.match(line)
        if m:
            targets.append(m.group(1))
        for target in targets:
            if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                continue  # https:, mailto:, ...
            file_part, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not os.path.exists(dest):
                problems.append(f"{rel}:{n}: link to '{target}': {os.path.relpath(dest, root)} does not exist")
            elif anchor and dest.endswith(".md") and anchor not in slug_set(dest):
                problems.append(f"{rel}:{n}: link to '{target}': no heading with anchor '#{anchor}' "
                                f"in {os.path.relpath(dest, root)}")


def check_blocks(en_path, ja_path, root, problems):
    en_rel, ja_rel = os.path.relpath(en_path, root), os.path.relpath(ja_path, root)
    en, ja = fenced_blocks(read(en_path)), fenced_blocks(read(ja_path))
    for k, ((en_line, en_block), (ja_line, ja_block)) in enumerate(zip(en, ja), 1):
        if en_block != ja_block:
            en_l, ja_l = en_block.split("\n"), ja_block.split("\n")
            j = next((j for j in range(max(len(en_l), len(ja_l)))
                      if j >= len(en_l) or j >= len(ja_l) or en_l[j] != ja_l[j]), 0)
            problems.append(
                f"{ja_rel}:{ja_line}: code block {k} differs from {en_rel}:{en_line} "
                f"(code blocks must be byte-identical); first difference at its line {j + 1}:\n"
                f"    {en_rel}: {en_l[j] if j < len(en_l) else '(block ends)'!r}\n"
                f"    {ja_rel}: {ja_l[j] if j < len(ja_l) else '(block ends)'!r}")
            break  # later blocks are likely shifted; fix this one first
    if len(en) != len(ja):
        problems.append(f"{ja_rel}: {len(ja)} fenced code blocks, {en_rel} has {len(en)}")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                           else os.path.join(os.path.dirname(__file__), "..", ".."))
    docs, ja_dir = os.path.join(root, "docs"), os.path.join(root, "docs", "ja")
    problems = []
    for name in TRANSLATED:
        en_path, ja_path = os.path.join(docs, name), os.path.join(ja_dir, name)
        if not os.path.exists(en_path):
            problems.append(f"docs/{name}: missing (listed in TRANSLATED of {os.path.relpath(__file__, root)})")
        elif not os.path.exists(ja_path):
            problems.append(f"docs/ja/{name}: missing: docs/{name} has no Japanese counterpart")
        else:
            check_blocks(en_path, ja_path, root, problems)
    ja_files = sorted(os.path.join(ja_dir, f) for f in os.listdir(ja_dir) if f.endswith(".md")) \
        if os.path.isdir(ja_dir) else []
    for path in ja_files + [os.path.join(root, "README.ja.md")]:
        if os.path.exists(path):
            check_links(path, root, problems)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_docs_ja: {len(problems)} problem(s); docs/ja must follow docs/", file=sys.stderr)
        return 1
    print(f"check_docs_ja: {len(TRANSLATED)} docs in step, {len(ja_files)} Japanese files' links resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
