#!/usr/bin/python3
"""Generate the diagram gallery (docs/gallery/) and the findings (docs/findings.md)
of the reference model from the imozuru tool's own output.

    tools/gallery.py IMOZURU_BINARY [--model flows] [--scenarios tests/scenarios/scenarios.yaml]
                     [--gallery docs/gallery] [--findings docs/findings.md] [--dpi 96] [--chain-dpi 110] [--no-render]

Everything in findings.md except headings and framing sentences comes from the
tool (JSON via --format json, parsed here; chains as the tool prints them) or
from tests/scenarios/scenarios.yaml (titles, summaries, citations): change the
model and regenerate, and the findings follow. Standard library only, and
deterministic: running it twice gives byte-identical files.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OLD, NEW = "2016-01-01", "2026-01-01"
LANGS = ("ja", "en")


# ---------------------------------------------------------------------------
# A reader for the YAML subset scenarios.yaml is written in: block mappings
# and sequences, flow [..] and {..} on one line, quoted and plain scalars.
# Anything else is an error, not a guess.

class YamlSubsetError(Exception):
    pass


def _strip_comment(line):
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _scalar(text, where):
    text = text.strip()
    if text.startswith('"'):
        if not text.endswith('"') or len(text) < 2:
            raise YamlSubsetError(f"{where}: unterminated string")
        return json.loads(text)
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise YamlSubsetError(f"{where}: unterminated string")
        return text[1:-1].replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if text in ("null", "~", ""):
        return None
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return text


def _flow(text, where):
    pos = 0

    def skip():
        nonlocal pos
        while pos < len(text) and text[pos] in " \t":
            pos += 1

    def value():
        nonlocal pos
        skip()
        if pos >= len(text):
            raise YamlSubsetError(f"{where}: unexpected end of flow value")
        ch = text[pos]
        if ch == "[":
            pos += 1
            out = []
            skip()
            if text[pos] == "]":
                pos += 1
                return out
            while True:
                out.append(value())
                skip()
                if text[pos] == ",":
                    pos += 1
                elif text[pos] == "]":
                    pos += 1
                    return out
                else:
                    raise YamlSubsetError(f"{where}: expected , or ]")
        if ch == "{":
            pos += 1
            out = {}
            skip()
            if text[pos] == "}":
                pos += 1
                return out
            while True:
                key = value()
                skip()
                if text[pos] != ":":
                    raise YamlSubsetError(f"{where}: expected :")
                pos += 1
                out[str(key)] = value()
                skip()
                if text[pos] == ",":
                    pos += 1
                elif text[pos] == "}":
                    pos += 1
                    return out
                else:
                    raise YamlSubsetError(f"{where}: expected , or }}")
        if ch in "\"'":
            end = pos + 1
            while True:
                end = text.index(ch, end)
                if ch == "'" and text[end + 1:end + 2] == "'":
                    end += 2
                    continue
                if ch == '"' and text[end - 1] == "\\":
                    end += 1
                    continue
                break
            s = text[pos:end + 1]
            pos = end + 1
            return _scalar(s, where)
        m = re.compile(r"[^,\[\]{}]*?(?=\s*(?:[,\]}]|:\s|:$))").match(text, pos)
        if not m:
            raise YamlSubsetError(f"{where}: bad flow scalar")
        pos = m.end()
        return _scalar(m.group(0), where)

    result = value()
    skip()
    if pos != len(text):
        raise YamlSubsetError(f"{where}: trailing text in flow value")
    return result


def _value(text, where):
    text = text.strip()
    if text.startswith("[") or text.startswith("{"):
        return _flow(text, where)
    return _scalar(text, where)


def _split_key(content, where):
    if content.startswith('"'):
        end = content.index('"', 1)
        key, rest = json.loads(content[:end + 1]), content[end + 1:]
    else:
        m = re.match(r"([^:]+)", content)
        key, rest = m.group(1).strip(), content[m.end():]
    if not rest.startswith(":") or not (len(rest) == 1 or rest[1] == " "):
        raise YamlSubsetError(f"{where}: expected 'key: value'")
    return key, rest[1:].strip()


def load_yaml_subset(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if "\t" in raw[: len(raw) - len(raw.lstrip())]:
                raise YamlSubsetError(f"{path}:{n}: tab indentation")
            line = _strip_comment(raw.rstrip("\n"))
            if line.strip():
                lines.append([len(line) - len(line.lstrip(" ")), line.strip(), f"{path}:{n}"])

    def block(i, indent):
        if lines[i][1].startswith("- ") or lines[i][1] == "-":
            return sequence(i, indent)
        return mapping(i, indent)

    def sequence(i, indent):
        out = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            content = lines[i][1][2:].strip()
            if re.match(r'^("[^"]*"|[A-Za-z_][\w-]*)\s*:(\s|$)', content):
                lines[i] = [indent + 2, content, lines[i][2]]
                item, i = mapping(i, indent + 2)
            else:
                item, i = _value(content, lines[i][2]), i + 1
            out.append(item)
        return out, i

    def mapping(i, indent):
        out = {}
        while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
            key, rest = _split_key(lines[i][1], lines[i][2])
            if key in out:
                raise YamlSubsetError(f"{lines[i][2]}: duplicate key {key}")
            if rest:
                out[key], i = _value(rest, lines[i][2]), i + 1
            else:
                i += 1
                if i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("- "))):
                    out[key], i = block(i, lines[i][0])
                else:
                    out[key] = None
        if i < len(lines) and lines[i][0] > indent:
            raise YamlSubsetError(f"{lines[i][2]}: unexpected indentation")
        return out, i

    value, i = block(0, lines[0][0])
    if i != len(lines):
        raise YamlSubsetError(f"{lines[i][2]}: unexpected content")
    return value


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
               f"(rules of the contract §7); {len(in_force)} of them are in force without planned entities "
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
    scenarios = load_yaml_subset(a.scenarios)["scenarios"]
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
