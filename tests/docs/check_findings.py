#!/usr/bin/env python3
"""Checks the generated findings and gallery index (docs/findings.md,
docs/ja/findings.md, docs/gallery.md, docs/ja/gallery.md; tools/gallery.py)
against the tool itself.

Usage: tests/docs/check_findings.py IMOZURU_BINARY [REPO_ROOT]

Fails (exit 1), naming the page and the line, when
  (a) a headline identifier of tests/scenarios/scenarios.yaml has no row, on
      one of its dates, with both its full and its open reach, or a number
      differs from `imozuru reach --from identifier:X [--open-only]`;
  (b) a chain finding does not state its conclusion (open, restricted, not
      joinable, or planned and not operational), or states one the tool does
      not give (`imozuru chains --open-only` at the finding's date);
  (c) a chain finding lacks its sources, or a row for a person of the model;
  (d) a scenario of `not_representable` is not listed with its reason;
  (e) the gallery index misses a diagram of docs/gallery/, or names one that
      does not exist.
"""
import glob
import json
import os
import re
import subprocess
import sys

import yaml

CONCLUSIONS = {
    "en": {"open": "**Open.**", "restricted": "**Restricted.**", "none": "**Not joinable**",
           "planned": "**Planned, not operational.**"},
    "ja": {"open": "**制限なし。**", "restricted": "**制限あり。**", "none": "**突合できない。**",
           "planned": "**計画であり、運用中ではない。**"},
}


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    k: [(tag, r) for tag, r in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


class Tool:
    def __init__(self, binary, model):
        self.binary, self.model = binary, model
        self.env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")

    def json(self, *args):
        p = subprocess.run([self.binary, args[0], self.model, *args[1:], "--format", "json"],
                           capture_output=True, env=self.env, check=True)
        return json.loads(p.stdout)


def sections(text):
    """{first line of a '## ' section: its lines with their line numbers}."""
    out, current = [], None
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("## "):
            current = [(n, line)]
            out.append(current)
        elif current is not None:
            current.append((n, line))
    return out


def main():
    binary = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    tool = Tool(binary, os.path.join(root, "flows"))
    doc = load(os.path.join(root, "tests", "scenarios", "scenarios.yaml"))
    persons = [p["id"] for f in sorted(glob.glob(os.path.join(root, "flows", "*.yaml")))
               for p in (load(f) or {}).get("persons") or []]
    sensitivity = {}
    for at in doc["headline_identifiers"]["dates"]:
        for d in tool.json("export", "--at", at, "--include-planned")["data"]:
            sensitivity[d["id"]] = d.get("sensitivity")
    problems = []
    pages = {"en": os.path.join(root, "docs", "findings.md"), "ja": os.path.join(root, "docs", "ja", "findings.md")}

    def counts(r):
        special = sum(1 for d in r["data"] if sensitivity.get(d) == "special")
        return f"{len(r['systems'])} / {len(r['identifiers'])} / {len(r['data'])} / {special}"

    expected = {}
    for at in doc["headline_identifiers"]["dates"]:
        for ident in doc["headline_identifiers"]["ids"]:
            full = tool.json("reach", "--from", f"identifier:{ident}", "--at", at)
            opn = tool.json("reach", "--from", f"identifier:{ident}", "--at", at, "--open-only")
            expected[(at, ident)] = (counts(full), counts(opn))

    for lang, path in pages.items():
        rel = os.path.relpath(path, root)
        if not os.path.exists(path):
            problems.append(f"{rel}: missing (tools/gallery.py writes it)")
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = text.split("\n")

        # (a) headline identifiers: one table per date, its header naming the date.
        for at in doc["headline_identifiers"]["dates"]:
            header = next((i for i, l in enumerate(lines) if l.startswith("| ") and at in l and "--open-only" not in l
                           and l.count("|") == 6 and ("open" in l or "制限なし" in l)), None)
            if header is None:
                problems.append(f"{rel}: no headline table of full and open reach on {at}")
                continue
            rows = {}
            for i in range(header + 2, len(lines)):
                if not lines[i].startswith("|"):
                    break
                m = re.search(r"\(`([a-z0-9_]+)`\)", lines[i])
                if m:
                    rows[m.group(1)] = (i + 1, [c.strip() for c in lines[i].strip().strip("|").split("|")])
            for ident in doc["headline_identifiers"]["ids"]:
                if ident not in rows:
                    problems.append(f"{rel}: headline table of {at} has no row for {ident}")
                    continue
                n, cells = rows[ident]
                full, opn = expected[(at, ident)]
                if cells[3:5] != [full, opn]:
                    problems.append(f"{rel}:{n}: {ident} on {at}: full / open reach {cells[3:5]}, "
                                    f"imozuru reach gives [{full!r}, {opn!r}]")

        # (b), (c) chain findings.
        secs = sections(text)
        for sc in doc["scenarios"]:
            if sc["kind"] != "chain":
                continue
            sec = next((s for s in secs if any(l.startswith(f"`{sc['id']}`") for _, l in s)), None)
            if sec is None:
                problems.append(f"{rel}: no section for the finding {sc['id']}")
                continue
            body = "\n".join(l for _, l in sec)
            at = max(sc["joinable_at"])
            planned = ["--include-planned"] if sc.get("include_planned") else []
            q = ["chains", "--from", sc["from"], "--to", sc["to"], "--at", at, *planned]
            any_chain = bool(tool.json(*q)["chains"])
            open_chain = bool(tool.json(*q, "--open-only")["chains"])
            want = "open" if open_chain else "restricted" if any_chain else "none"
            said = [k for k, v in CONCLUSIONS[lang].items() if v in body]
            if want not in said:
                problems.append(f"{rel}:{sec[0][0]}: finding {sc['id']} does not state {CONCLUSIONS[lang][want]} "
                                f"(imozuru chains --open-only on {at}); it states {said}")
            for other in ("open", "restricted", "none"):
                if other != want and other in said:
                    problems.append(f"{rel}:{sec[0][0]}: finding {sc['id']} states {CONCLUSIONS[lang][other]}, "
                                    f"the tool gives {CONCLUSIONS[lang][want]}")
            if planned and any_chain and not tool.json("chains", "--from", sc["from"], "--to", sc["to"], "--at", at)["chains"] \
                    and "planned" not in said:
                problems.append(f"{rel}:{sec[0][0]}: finding {sc['id']} exists only with planned entities "
                                f"and does not say {CONCLUSIONS[lang]['planned']}")
            for s in sc.get("sources", []):
                if s["source"] not in body:
                    problems.append(f"{rel}:{sec[0][0]}: finding {sc['id']} does not cite {s['source']}")
            for p in persons:
                if not re.search(rf"^\| .*\(`{p}`\) \|", body, re.M):
                    problems.append(f"{rel}:{sec[0][0]}: finding {sc['id']} has no row for the person {p}")

        # (d) scenarios the model cannot represent.
        for e in doc.get("not_representable", []):
            reason = e["reason_ja"] if lang == "ja" else e["reason"]
            if f"- **{e['id']}**: {reason}" not in text:
                problems.append(f"{rel}: the unrepresentable scenario {e['id']} is not listed with its reason")

    # (e) the gallery index.
    gallery = os.path.join(root, "docs", "gallery")
    files = {os.path.basename(p) for p in glob.glob(os.path.join(gallery, "*.svg")) + glob.glob(os.path.join(gallery, "*.png"))}
    for index in (os.path.join(root, "docs", "gallery.md"), os.path.join(root, "docs", "ja", "gallery.md")):
        rel = os.path.relpath(index, root)
        if not os.path.exists(index):
            problems.append(f"{rel}: missing (tools/gallery.py writes it)")
            continue
        with open(index, encoding="utf-8") as f:
            named = set(re.findall(r"gallery/([^)/]+\.(?:svg|png))\)", f.read()))
        for name in sorted(files - named):
            problems.append(f"{rel}: does not list docs/gallery/{name}")
        for name in sorted(named - files):
            problems.append(f"{rel}: names docs/gallery/{name}, which does not exist")

    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_findings: {len(problems)} problem(s); regenerate with tools/run.sh", file=sys.stderr)
        return 1
    print(f"check_findings: findings and gallery index agree with {os.path.basename(binary)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
