#!/usr/bin/python3
"""`imozuru reach MODEL --from REF --at DATE --format json` written plainly in
Python: PyYAML (its C loader, libyaml) reads every model file, the model as of
the date is worked out as docs/model-format.md#dates-the-model-as-of-a-date says
(active entities, effective holdings with what active flows carry in, quasi
identifiers held where all their components are), the linkage graph is a
networkx graph of systems and global-scope identifiers, and the reach is the
same threshold BFS as model/reach.cc. It is the baseline of
bench/perf_bench.py, which checks that its answer equals imozuru's.

    bench/reach_pyyaml_networkx.py MODEL_DIR --from identifier:ID --at YYYY-MM-DD [--json OUT]

Prints one line: the numbers of systems, identifiers and data items reached.
It does not validate: it is given models imozuru accepts.
"""
import argparse
import json
import os
import sys
from collections import deque

import networkx as nx
import yaml

KINDS = ("sources", "actors", "laws", "identifiers", "data", "systems", "flows", "groups",
         "consent_acts", "persons", "assessments")


def load(path):
    """Every entity of every *.yaml / *.yml below `path`, merged by kind."""
    files = []
    if os.path.isdir(path):
        for root, _dirs, names in os.walk(path):
            files += [os.path.join(root, n) for n in names if n.endswith((".yaml", ".yml"))]
    else:
        files = [path]
    model = {k: [] for k in KINDS}
    for f in sorted(files):
        with open(f, "rb") as fh:
            doc = yaml.load(fh, Loader=yaml.CLoader)
        for k in KINDS:
            model[k] += (doc or {}).get(k) or []
    return model


def date_key(value):
    """YYYY, YYYY-MM or YYYY-MM-DD (PyYAML reads some as int or datetime.date) as a comparable int."""
    text = str(value)
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


def active(e, at):
    if "since" in e and at < date_key(e["since"]):
        return False
    if "until" in e and at >= date_key(e["until"]):
        return False
    return e.get("status", "operational") not in ("planned", "proposed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--from", dest="start", required=True)
    ap.add_argument("--at", required=True)
    ap.add_argument("--json", help="write the reached ids as JSON here")
    args = ap.parse_args()
    at = date_key(args.at)
    m = load(args.model)

    systems = {s["id"]: s for s in m["systems"] if active(s, at)}
    idents = {i["id"]: i for i in m["identifiers"] if active(i, at)}
    data = {d["id"] for d in m["data"] if active(d, at)}

    # Effective holdings: declared, plus what active flows carry in.
    held_ids = {s: set() for s in systems}
    held_data = {s: set() for s in systems}

    def add(s, holdings):
        held_ids[s].update(i for i in holdings.get("identifiers") or () if i in idents)
        held_data[s].update(d for d in holdings.get("data") or () if d in data)

    for sid, s in systems.items():
        add(sid, s.get("holds") or {})
    for f in m["flows"]:
        if active(f, at) and f["from"] in systems and f["to"] in systems:
            add(f["to"], f.get("carries") or {})
    quasi = {q: set(i["composed_of"]) for q, i in idents.items()
             if i.get("kind") == "quasi" and i.get("composed_of")}
    for sid in systems:
        for q, parts in quasi.items():
            if parts <= held_data[sid]:
                held_ids[sid].add(q)

    # The linkage graph: a system joins every global-scope identifier it holds.
    g = nx.Graph()
    for sid, ids in held_ids.items():
        for i in ids:
            if idents[i].get("scope", "global") == "global":
                g.add_edge(("s", sid), ("i", i))

    quasi_of = {}
    missing = {}
    for q, parts in quasi.items():
        missing[q] = len(parts)
        for p in parts:
            quasi_of.setdefault(p, []).append(q)

    depth, known_ids, known_data = {}, set(), set()
    queue = deque()

    def learn_id(i, level):
        if i in known_ids or i not in idents:
            return
        known_ids.add(i)
        if ("i", i) in g:
            for _kind, s in g.neighbors(("i", i)):
                if s not in depth:
                    depth[s] = level + 1
                    queue.append(s)

    def learn_data(d, level):
        if d in known_data or d not in data:
            return
        known_data.add(d)
        for q in quasi_of.get(d, ()):
            missing[q] -= 1
            if missing[q] == 0:
                learn_id(q, level)

    kind, _, start = args.start.partition(":")
    if kind == "identifier":
        learn_id(start, 0)
    elif kind == "data":
        learn_data(start, 0)
    elif kind == "system" and start in systems:
        depth[start] = 0
        queue.append(start)
    else:
        sys.exit("unknown start " + args.start)
    while queue:
        s = queue.popleft()
        for d in held_data[s]:
            learn_data(d, depth[s])
        for i in held_ids[s]:
            learn_id(i, depth[s])

    result = {"systems": sorted(depth), "identifiers": sorted(known_ids), "data": sorted(known_data)}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f)
    print("%d systems, %d identifiers, %d data" % (len(depth), len(known_ids), len(known_data)))


if __name__ == "__main__":
    main()
