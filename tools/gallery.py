#!/usr/bin/python3
"""Generate the diagram gallery (docs/gallery/) and the findings (docs/findings.md)
of the reference model from the imozuru tool's own output.

    tools/gallery.py IMOZURU_BINARY [--model flows] [--scenarios tests/scenarios/scenarios.yaml]
                     [--gallery docs/gallery] [--findings docs/findings.md] [--dpi 96] [--chain-dpi 110] [--no-render]

Everything in findings.md except headings and framing sentences comes from the
tool (JSON via --format json, parsed here; chains as the tool prints them) or
from tests/scenarios/scenarios.yaml (titles, summaries, citations): change the
model and regenerate, and the findings follow. Standard library and PyYAML
(python3-yaml) only, and deterministic: running it twice gives byte-identical
files.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OLD, NEW = "2016-01-01", "2026-01-01"
LANGS = ("ja", "en")


# ---------------------------------------------------------------------------
# Reading scenarios.yaml with PyYAML (python3-yaml). Dates stay the strings
# they are written as (the tool takes them as text), and a repeated key is an
# error rather than a silent overwrite.

class ScenarioLoader(yaml.SafeLoader):
    pass


ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping_without_repeats(loader, node):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        keys.add(key)
    return loader.construct_mapping(node)


ScenarioLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def load_scenarios(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=ScenarioLoader)


# ---------------------------------------------------------------------------
# Calling the tool.

class Tool:
    def __init__(self, binary, model):
        self.binary = binary
        self.model = model
        self.env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")

    def run(self, *args):
        cmd = [self.binary, args[0], self.model, *args[1:]]
        p = subprocess.run(cmd, capture_output=True, env=self.env)
        if p.returncode != 0:
            sys.stderr.write(p.stderr.decode("utf-8", "replace"))
            raise SystemExit(f"gallery: failed ({p.returncode}): {' '.join(cmd)}")
        return p.stdout.decode("utf-8")

    def json(self, *args):
        return json.loads(self.run(*args, "--format", "json"))

    def chains(self, src, dst, at, planned, k=1, fmt="json", lang=None):
        args = ["chains", "--from", src, "--to", dst, "--at", at, "-k", str(k)]
        if planned:
            args.append("--include-planned")
        if lang:
            args += ["--lang", lang]
        if fmt == "json":
            return self.json(*args)
        return self.run(*args, "--format", "text")


# ---------------------------------------------------------------------------
# Names and citations, from the model as the tool exports it.

class Names:
    def __init__(self, tool):
        # Every entity that exists at some time: export with planned entities
        # at both ends of the period covers everything the findings mention.
        self.entities = {}
        self.sources = {}
        for at in (OLD, NEW):
            doc = json.loads(tool.run("export", "--format", "json", "--at", at, "--include-planned"))
            for kind in ("systems", "identifiers", "data", "flows", "laws"):
                for e in doc.get(kind, []):
                    self.entities[(kind, e["id"])] = e
            for s in doc.get("sources", []):
                self.sources[s["id"]] = s

    def name(self, kind, ident, lang):
        e = self.entities.get((kind, ident))
        if not e:
            return ident
        if lang == "en" and e.get("name_en"):
            return e["name_en"]
        return e.get("name") or ident

    def sensitivity(self, ident):
        e = self.entities.get(("data", ident))
        return e.get("sensitivity") if e else None

    def cite(self, citations):
        parts = []
        for c in citations or []:
            src = self.sources.get(c["source"], {})
            title = src.get("title") or ""
            label = f"{c['source']}" + (f" ({title})" if title else "")
            parts.append(label + (f", {c['at']}" if c.get("at") else ""))
        return "; ".join(parts)


# ---------------------------------------------------------------------------
# Rendering.

def render(tool, gallery, name, view, at, lang, dpi, extra=(), planned=False, do_render=True):
    """Renders one diagram as SVG and PNG; returns the file stem."""
    stem = f"{name}_{lang}"
    if do_render:
        for ext in ("svg", "png"):
            out = os.path.join(gallery, f"{stem}.{ext}")
            args = ["render", "-o", out, "--view", view, "--at", at, "--lang", lang, *extra]
            if ext == "png":
                args += ["--dpi", str(dpi)]
            if planned:
                args.append("--include-planned")
            tool.run(*args)
    return stem


def links(gallery_rel, stem):
    return f"[SVG]({gallery_rel}/{stem}.svg) · [PNG]({gallery_rel}/{stem}.png)"


def image(gallery_rel, stem, alt):
    return f"![{alt}]({gallery_rel}/{stem}.svg)"


# ---------------------------------------------------------------------------
# Findings.

def parse_day(s):
    return datetime.date.fromisoformat(s)


def first_joinable(tool, sc):
    """The first day the chain exists, by bisection between the latest
    not_joinable_at date and the earliest joinable_at date after it."""
    planned = bool(sc.get("include_planned"))
    yes = sorted(sc["joinable_at"])
    no = sorted(d for d in sc.get("not_joinable_at", []) if d < yes[0])
    if not no:
        return None
    lo, hi = parse_day(no[-1]), parse_day(yes[0])  # lo: not joinable, hi: joinable

    def ok(d):
        return bool(tool.chains(sc["from"], sc["to"], d.isoformat(), planned)["chains"])

    if ok(lo) or not ok(hi):
        return None  # the scenario's own dates disagree with the tool: the tests say which
    while (hi - lo).days > 1:
        mid = lo + (hi - lo) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi.isoformat()


def chain_systems(chain):
    seen = []
    for h in chain["hops"]:
        for s in ([h["system"]] if h["kind"] == "holds" else [h["from"], h["to"]]):
            if s not in seen:
                seen.append(s)
    return seen


def md_escape(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def scenario_section(tool, names, sc, gallery_rel, stems):
    out = []
    planned = bool(sc.get("include_planned"))
    out.append(f"## {sc['title']} / {sc['title_en']}\n")
    out.append(f"`{sc['id']}` — {sc['from']} → {sc['to']}" + (" (including planned entities)" if planned else "") + "\n")
    out.append(f"{sc['summary']}\n")
    out.append(f"*{sc['summary_en']}*\n")
    out.append(f"Sources: {names.cite(sc.get('sources'))}\n")

    first = first_joinable(tool, sc)
    out.append("### When it becomes possible / 成立時期\n")
    if first:
        out.append(f"First joinable on **{first}** (found by bisecting with `imozuru chains` between "
                   f"{max(d for d in sc['not_joinable_at'] if d < min(sc['joinable_at']))} and {min(sc['joinable_at'])}).\n")
    rows = ["| date | joinable | shortest chain (systems) | through |", "| --- | --- | --- | --- |"]
    for d in sorted(set(sc.get("not_joinable_at", [])) | set(sc["joinable_at"])):
        r = tool.chains(sc["from"], sc["to"], d, planned)
        if r["chains"]:
            c = r["chains"][0]
            through = " → ".join(names.name("systems", s, "ja") for s in chain_systems(c))
            rows.append(f"| {d} | yes | {c['length']} | {md_escape(through)} |")
        else:
            rows.append(f"| {d} | no | — | — |")
    out.append("\n".join(rows) + "\n")

    at = max(sc["joinable_at"])
    out.append(f"### The chains at {at} / {at} の連鎖\n")
    out.append("The three shortest chains, as `imozuru chains -k 3` prints them:\n")
    for lang in LANGS:
        text = tool.chains(sc["from"], sc["to"], at, planned, k=3, fmt="text", lang=lang)
        out.append(f"```text\n$ imozuru chains flows --from {sc['from']} --to {sc['to']} -k 3 --at {at}"
                   + (" --include-planned" if planned else "") + f" --lang {lang}\n{text.rstrip()}\n```\n")

    out.append("### Diagrams / 図\n")
    for lang in LANGS:
        stem = stems[(sc["id"], lang)]
        out.append(f"- {lang}: {links(gallery_rel, stem)}")
    out.append("")
    out.append(image(gallery_rel, stems[(sc["id"], "ja")], sc["title"]) + "\n")
    return out


def growth_section(tool, names, sc, gallery_rel, stems):
    out = []
    out.append(f"## {sc['title']} / {sc['title_en']}\n")
    out.append(f"`{sc['id']}` — reach from {sc['from']}\n")
    out.append(f"{sc['summary']}\n")
    out.append(f"*{sc['summary_en']}*\n")
    out.append(f"Sources: {names.cite(sc.get('sources'))}\n")
    rows = ["| date | systems reached | identifiers known | data known |", "| --- | --- | --- | --- |"]
    for d in sc["dates"]:
        r = tool.json("reach", "--from", sc["from"], "--at", d)
        rows.append(f"| {d} | {len(r['systems'])} | {len(r['identifiers'])} | {len(r['data'])} |")
    r = tool.json("reach", "--from", sc["from"], "--at", max(sc["dates"]), "--include-planned")
    rows.append(f"| {max(sc['dates'])} with planned | {len(r['systems'])} | {len(r['identifiers'])} | {len(r['data'])} |")
    out.append("\n".join(rows) + "\n")
    out.append("### Diagrams / 図\n")
    for d in sc["dates"]:
        for lang in LANGS:
            out.append(f"- {d}, {lang}: {links(gallery_rel, stems[(sc['id'], d, lang)])}")
    out.append("")
    for d in sc["dates"]:
        out.append(image(gallery_rel, stems[(sc["id"], d, "ja")], f"{sc['title']} {d}") + "\n")
    return out


def comparison_section(tool, names, start, gallery_rel, stems):
    out = ["## 2016 vs 2026 / 2016年と2026年\n"]
    out.append(f"What one person's certificate serial (`{start}`) reaches, and how the whole model changed, "
               f"as of {OLD} and {NEW} (operational entities only unless said).\n")
    rows = ["| | " + OLD + " | " + NEW + " | " + NEW + " with planned |", "| --- | --- | --- | --- |"]
    figures = {}
    for label, at, planned in ((OLD, OLD, False), (NEW, NEW, False), ("planned", NEW, True)):
        args = ["reach", "--from", start, "--at", at] + (["--include-planned"] if planned else [])
        r = tool.json(*args)
        g = tool.json("gaps", "--at", at, *(["--include-planned"] if planned else []))
        info = json.loads(tool.run("export", "--format", "json", "--at", at, *(["--include-planned"] if planned else [])))
        figures[label] = {
            "active systems": len(info["systems"]),
            "active flows": len(info["flows"]),
            "systems reached": len(r["systems"]),
            "identifiers known": len(r["identifiers"]),
            "data items known": len(r["data"]),
            "special-category data known": sum(1 for d in r["data"] if names.sensitivity(d) == "special"),
            "consent gaps": len(g["gaps"]),
        }
    for key in figures[OLD]:
        rows.append(f"| {key} | {figures[OLD][key]} | {figures[NEW][key]} | {figures['planned'][key]} |")
    out.append("\n".join(rows) + "\n")

    d = tool.json("diff", "--from", OLD, "--to", NEW)
    dp = tool.json("diff", "--from", OLD, "--to", NEW, "--include-planned")
    out.append(f"`imozuru diff flows --from {OLD} --to {NEW}`: {len(d['joinable']['became'])} pairs of systems became "
               f"directly joinable and {len(d['joinable']['ceased'])} ceased "
               f"({len(dp['joinable']['became'])} and {len(dp['joinable']['ceased'])} with planned entities); "
               f"{len(d['systems']['added'])} systems, {len(d['identifiers']['added'])} identifiers and "
               f"{len(d['flows']['added'])} flows were added; {len(d['gaps']['appeared'])} consent gaps appeared "
               f"and {len(d['gaps']['disappeared'])} disappeared.\n")
    through = {}
    for p in d["joinable"]["became"]:
        for i in p["through"]:
            through[i] = through.get(i, 0) + 1
    if through:
        out.append("Identifiers through which the new pairs join (pairs per identifier):\n")
        out.append("| identifier | 識別子 | new joinable pairs |\n| --- | --- | --- |")
        for i, n in sorted(through.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"| {names.name('identifiers', i, 'en')} (`{i}`) | {names.name('identifiers', i, 'ja')} | {n} |")
        out.append("")

    out.append("### Diagrams / 図\n")
    for view in ("sectors", "flows", "linkage"):
        for at in (OLD, NEW):
            for lang in LANGS:
                out.append(f"- {view}, {at}, {lang}: {links(gallery_rel, stems[(view, at, lang)])}")
    out.append("")
    for view in ("sectors", "flows", "linkage"):
        for at in (OLD, NEW):
            out.append(image(gallery_rel, stems[(view, at, "ja")], f"{view} {at}") + "\n")

    g = tool.json("gaps", "--at", NEW, "--include-planned")
    in_force = {(x["rule"], x.get("flow"), x.get("identifier")) for x in tool.json("gaps", "--at", NEW)["gaps"]}
    out.append(f"## Consent gaps at {NEW} / {NEW} の同意の欠落\n")
    out.append(f"`imozuru gaps flows --at {NEW} --include-planned` lists {len(g['gaps'])} gaps "
               f"(rules of docs/cli.md#gaps); {len(in_force)} of them are in force without planned entities "
               f"(`imozuru gaps flows --at {NEW}`), the others come from planned systems, flows or laws:\n")
    out.append("| rule | flow / identifier | status | systems | data | reason |\n| --- | --- | --- | --- | --- | --- |")
    for gap in g["gaps"]:
        status = "in force" if (gap["rule"], gap.get("flow"), gap.get("identifier")) in in_force else "planned"
        if "flow" in gap:
            main = f"{names.name('flows', gap['flow'], 'ja')} (`{gap['flow']}`)"
        else:
            main = f"{names.name('identifiers', gap['identifier'], 'ja')} (`{gap['identifier']}`)"
        systems = ", ".join(names.name("systems", s, "ja") for s in gap["systems"])
        data = ", ".join(names.name("data", x, "ja") for x in gap["data"])
        out.append(f"| {gap['rule']} | {md_escape(main)} | {status} | {md_escape(systems)} | {md_escape(data)} | {md_escape(gap['reason'])} |")
    out.append("")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("imozuru", help="the built imozuru binary")
    ap.add_argument("--model", default=os.path.join(ROOT, "flows"))
    ap.add_argument("--scenarios", default=os.path.join(ROOT, "tests", "scenarios", "scenarios.yaml"))
    ap.add_argument("--gallery", default=os.path.join(ROOT, "docs", "gallery"))
    ap.add_argument("--findings", default=os.path.join(ROOT, "docs", "findings.md"))
    ap.add_argument("--dpi", type=int, default=96,
                    help="PNG resolution of the whole-model views (default 96: their 9 pt labels become 12 px)")
    ap.add_argument("--chain-dpi", type=int, default=110, help="PNG resolution of the chain views (default 110)")
    ap.add_argument("--no-render", action="store_true", help="write the findings only")
    a = ap.parse_args()

    tool = Tool(os.path.abspath(a.imozuru), a.model)
    scenarios = load_scenarios(a.scenarios)["scenarios"]
    names = Names(tool)
    os.makedirs(a.gallery, exist_ok=True)
    gallery_rel = os.path.relpath(a.gallery, os.path.dirname(os.path.abspath(a.findings))).replace(os.sep, "/")
    do = not a.no_render

    stems = {}
    for view in ("sectors", "flows", "linkage"):
        for at in (OLD, NEW):
            for lang in LANGS:
                stems[(view, at, lang)] = render(tool, a.gallery, f"{view}_{at[:4]}", view, at, lang, a.dpi, do_render=do)
    for sc in scenarios:
        for lang in LANGS:
            if sc["kind"] == "chain":
                at = max(sc["joinable_at"])
                stems[(sc["id"], lang)] = render(
                    tool, a.gallery, f"chain_{sc['id']}", "chain", at, lang, a.chain_dpi,
                    extra=("--from", sc["from"], "--to", sc["to"], "-k", "3", "--only"),
                    planned=bool(sc.get("include_planned")), do_render=do)
            elif sc["kind"] == "reach_growth":
                for d in sc["dates"]:
                    stems[(sc["id"], d, lang)] = render(
                        tool, a.gallery, f"reach_{sc['id']}_{d[:4]}", "chain", d, lang, a.chain_dpi,
                        extra=("--from", sc["from"], "--only"), do_render=do)
            else:
                raise SystemExit(f"gallery: unknown scenario kind {sc['kind']!r} in {a.scenarios}")

    md = ["# Findings: the My Number reference model / 知見：マイナンバー参照モデル\n",
          "<!-- Generated by tools/gallery.py from the imozuru tool's output on flows/ and "
          "tests/scenarios/scenarios.yaml. Do not edit by hand: change the model or the scenarios "
          "and regenerate. -->\n",
          "Each section below is one chain-link (芋づる) scenario of `tests/scenarios/scenarios.yaml`: "
          "the scenario's summary and its sources, the dates the chain exists, the chains as the tool prints them, "
          "and the diagrams in `docs/gallery/`. The figures are computed by `imozuru` on the reference model in "
          "`flows/`, every entity of which cites the seed documents. Dates are as of the day given; "
          "`planned` entities count only where said.\n"]
    model_info = tool.run("info", "--at", NEW)
    md.append(f"```text\n$ imozuru info flows --at {NEW}\n" + model_info.rstrip() + "\n```\n")
    start = None
    for sc in scenarios:
        if sc["kind"] == "chain":
            md += scenario_section(tool, names, sc, gallery_rel, stems)
        else:
            md += growth_section(tool, names, sc, gallery_rel, stems)
            start = sc["from"]
    md += comparison_section(tool, names, start or "identifier:jpki_serial", gallery_rel, stems)

    text = "\n".join(md).rstrip() + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
    d = os.path.dirname(os.path.abspath(a.findings))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=d, delete=False, suffix=".tmp") as f:
        f.write(text)
    os.chmod(f.name, 0o644)
    os.replace(f.name, a.findings)
    print(f"gallery: {a.findings}" + (f" and {len(stems) * 2} diagrams in {a.gallery}" if do else ""))


if __name__ == "__main__":
    main()
