#!/usr/bin/python3
"""The same reach as imozuru's, written plainly with networkx, on the effective
linkage graph that engine_benchmark exports (--tsv). Prints the time of the
reach alone and the number of systems reached, to compare with C++."""
import sys
import time
from collections import defaultdict, deque

import networkx as nx


def main(path, start):
    g = nx.Graph()
    data_of = defaultdict(list)
    ids_of = defaultdict(list)
    quasi_parts = defaultdict(set)
    for line in open(path, encoding="utf-8"):
        kind, a, b, *rest = line.rstrip("\n").split("\t")
        if kind == "H":
            ids_of[a].append(b)
            if rest[0] == "global":
                g.add_edge(("s", a), ("i", b))
        elif kind == "D":
            data_of[a].append(b)
        elif kind == "Q":
            quasi_parts[b].add(a)  # data -> quasi identifiers it is part of
    quasi_of = defaultdict(list)
    parts_of_quasi = defaultdict(set)
    for d, quasis in quasi_parts.items():
        for q in quasis:
            parts_of_quasi[q].add(d)
            quasi_of[d].append(q)
    missing = {q: len(p) for q, p in parts_of_quasi.items()}

    t0 = time.perf_counter()
    depth, known_ids, known_data = {}, set(), set()
    queue = deque()

    def learn_id(i, level):
        if i in known_ids:
            return
        known_ids.add(i)
        if ("i", i) in g:
            for kind, s in g.neighbors(("i", i)):
                if s not in depth:
                    depth[s] = level + 1
                    queue.append(s)

    def learn_data(d, level):
        if d in known_data:
            return
        known_data.add(d)
        for q in quasi_of.get(d, ()):
            missing[q] -= 1
            if missing[q] == 0:
                learn_id(q, level)

    learn_id(start, 0)
    while queue:
        s = queue.popleft()
        for d in data_of.get(s, ()):
            learn_data(d, depth[s])
        for i in ids_of.get(s, ()):
            learn_id(i, depth[s])
    ms = (time.perf_counter() - t0) * 1000
    print(f"networkx reach from identifier:{start}: {ms:.1f} ms ({len(depth)} systems, "
          f"{len(known_ids)} identifiers, {len(known_data)} data)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
