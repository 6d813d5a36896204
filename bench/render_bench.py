#!/usr/bin/env python3
"""Rendering speed: `imozuru render` (in-process Graphviz, forked layout)
versus `dot -Tsvg` on the DOT text imozuru writes for the same view.

usage: bench/render_bench.py IMOZURU MODEL [--runs N] [--views flows,linkage]
                             [--synthetic N,N,...] [--renderer RENDER_DOT_BENCHMARK]

Prints one line per view: median CPU and wall time of each and their ratio
(target <= 1.2), and whether imozuru's SVG is byte-identical to dot's.
--renderer (build-bench/bench/render_dot_benchmark) also times the renderer
alone on the same DOT file: what `imozuru render` does once it has the DOT
text (start the layout process, lay out and render there, write the file
atomically), without starting imozuru or loading the model. --synthetic also
renders generated models of N systems to find where dot's layout gets slow.
"""
import argparse, os, re, resource, statistics, subprocess, sys, tempfile, time


def timed(cmds, runs):
    """For each command, median CPU seconds (user + sys, the render child
    included) and wall seconds. The commands take turns, run by run, so a
    change in the machine's load falls on all of them alike. CPU time is the
    figure to compare on a shared, loaded machine."""
    cpu = [[] for _ in cmds]
    wall = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall[i].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[i].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return [(statistics.median(c), statistics.median(w)) for c, w in zip(cpu, wall)]


def compare(imozuru, model, view, runs, tmp, renderer=None, extra=()):
    dot_file = os.path.join(tmp, f"{view}.dot")
    base = [imozuru, "render", model, "--view", view, "--at", "2025-01-01", "--max-nodes", "100000",
            "--timeout", "3600", *extra]
    subprocess.run(base + ["-o", dot_file], check=True, stderr=subprocess.DEVNULL)  # generated models: warnings
    ours_svg, dot_svg = os.path.join(tmp, f"{view}.svg"), os.path.join(tmp, f"{view}.dot.svg")
    renderer_svg = os.path.join(tmp, f"{view}.renderer.svg")
    cmds = [base + ["-o", ours_svg], base + ["-o", os.path.join(tmp, f"{view}.again.dot")],
            ["dot", "-Tsvg", "-o", dot_svg, dot_file]]
    if renderer:
        cmds.append([renderer, dot_file, renderer_svg])
    results = timed(cmds, runs)
    (oc, ow), (lc, lw), (tc, tw) = results[:3]
    with open(dot_file) as f:
        nodes = len(re.findall(r"^\s*(?:[sihd]|sector)[0-9_]+\s+\[", f.read(), re.M))
    def same_as_dot(path):
        with open(path, "rb") as a, open(dot_svg, "rb") as b:
            return a.read() == b.read()
    line = (f"{os.path.basename(model.rstrip('/')):>20} {view:>8} {nodes:>5} nodes | CPU: imozuru {oc:6.2f} s"
            f" (load+build {lc:5.2f})  dot {tc:6.2f} s  ratio {oc / tc:4.2f}  without load {(oc - lc) / tc:4.2f}"
            f" | wall: imozuru {ow:6.3f} s  dot {tw:6.3f} s  ratio {ow / tw:4.2f}")
    if renderer:
        rc, rw = results[3]
        line += f" | renderer alone: wall {rw:6.3f} s  ratio {rw / tw:4.2f}  CPU ratio {rc / tc:4.2f}"
    same = same_as_dot(ours_svg) and (not renderer or same_as_dot(renderer_svg))
    print(line + (" | same SVG as dot" if same else " | SVG DIFFERS from dot's"))


def synthetic(n, path):
    sectors = ["tax", "health", "social_security", "children", "local_government", "finance"]
    with open(path, "w") as f:
        f.write("model: {name: synthetic}\nidentifiers:\n")
        ids = max(3, n // 8)
        for i in range(ids):
            f.write(f"  - {{id: id{i}, name: 番号{i}, kind: sectoral}}\n")
        f.write("data:\n  - {id: d0, name: データ}\nsystems:\n")
        for s in range(n):
            held = sorted({f"id{(s * 7) % ids}", f"id{(s * 13 + 1) % ids}"})
            f.write(f"  - {{id: s{s}, name: システム{s}, sector: {sectors[s % len(sectors)]}, "
                    f"holds: {{identifiers: [{', '.join(held)}], data: [d0]}}}}\n")
        f.write("flows:\n")
        for s in range(n):
            f.write(f"  - {{id: f{s}, name: 流れ{s}, from: s{s}, to: s{(s * 5 + 3) % n}, carries: {{data: [d0]}}}}\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("imozuru")
    p.add_argument("model")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--views", default="flows,linkage")
    p.add_argument("--synthetic", default="")
    p.add_argument("--renderer", help="build-bench/bench/render_dot_benchmark: also time the renderer alone")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for view in a.views.split(","):
            compare(a.imozuru, a.model, view, a.runs, tmp, a.renderer)
        for n in filter(None, a.synthetic.split(",")):
            path = os.path.join(tmp, f"synthetic_{n}.yaml")
            synthetic(int(n), path)
            compare(a.imozuru, path, "flows", 1, tmp, a.renderer)


if __name__ == "__main__":
    sys.exit(main())
