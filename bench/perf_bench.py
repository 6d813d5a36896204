#!/usr/bin/python3
"""End-to-end timings of imozuru on national-scale generated models, against
the same reach in Python (PyYAML's C loader + networkx), in one run.

    bench/perf_bench.py [--imozuru build/imozuru] [--scales 0.25,1.0] [--runs 3]
                        [--python-runs 1] [--work DIR] [--json FILE]

Scale 1.0 is 98,000 systems and 98,000 flows (bench/generate_model.py, seed
1); 0.25 is 24,500 of each. Models are generated once into --work and kept.
Every measurement is a separate process, waited for with wait4, so its wall
time, CPU time (user + system) and peak RSS are its own; the commands take
turns run by run (interleaved), so a change in the machine's load touches
them all alike, and the load average is recorded with each. Prints Markdown
tables (docs/performance.md). The Python
reach's answer is checked against `imozuru reach --format json` (the same
systems, identifiers and data items) before any figure is printed.

When imozuru has a parsed-model cache (docs/performance.md#parsed-model-cache),
every imozuru command is timed three ways: `--no-cache`; `cold` (an empty
cache directory: load, validate and write the snapshot); `warm` (the snapshot
of the previous cold run).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEMS_AT_SCALE_1 = 98_000
AT = "2024-01-01"
START = "identifier:my_number"


def imozuru_commands(model):
    """name → argv after the binary (stdout is discarded except for reach)."""
    return {
        "reach": ["reach", model, "--from", START, "--at", AT, "--format", "json"],
        "validate": ["validate", model],
        "chains -k 10": ["chains", model, "--from", "identifier:id_00001", "--to", "data:data_00010", "-k", "10",
                         "--at", AT],
        "gaps": ["gaps", model, "--at", AT],
        "diff": ["diff", model, "--from", "2015-01-01", "--to", AT],
    }


def generate(work, scale):
    n = max(50, round(SYSTEMS_AT_SCALE_1 * scale))
    model = os.path.join(work, "model-%g" % scale)
    stamp = os.path.join(model, ".generated")
    args = ["--systems", str(n), "--flows", str(n), "--seed", "1"]
    if os.path.exists(stamp) and open(stamp).read() == " ".join(args):
        return model, n
    shutil.rmtree(model, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(HERE, "generate_model.py"), model] + args, check=True)
    with open(stamp, "w") as f:
        f.write(" ".join(args))
    return model, n


def measure(argv, stdout_path, env=None):
    """Runs argv; returns wall s, CPU s, peak RSS MiB, load average, exit status."""
    load = os.getloadavg()[0]
    err_path = stdout_path + ".err"
    with open(stdout_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        _pid, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):  # gaps may end with 3 only with --fail-on
        sys.stderr.write(open(err_path, encoding="utf-8", errors="replace").read()[-4000:])
        sys.exit("failed (exit %d): %s" % (code, " ".join(argv)))
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mib": ru.ru_maxrss / 1024, "load": load}


def has_cache(imozuru):
    h = subprocess.run([imozuru, "reach", "--help"], capture_output=True, text=True).stdout
    return "--no-cache" in h


def same_reach(imozuru_json, python_json):
    a, b = json.load(open(imozuru_json)), json.load(open(python_json))
    return (sorted(s["id"] for s in a["systems"]) == b["systems"] and sorted(a["identifiers"]) == b["identifiers"]
            and sorted(a["data"]) == b["data"]), len(b["systems"])


def bench_scale(args, scale, cache):
    model, n = generate(args.work, scale)
    size = sum(os.path.getsize(os.path.join(model, f)) for f in os.listdir(model) if f.endswith(".yaml"))
    out_dir = os.path.join(args.work, "out")
    os.makedirs(out_dir, exist_ok=True)
    cache_dir = os.path.join(args.work, "cache")
    env = dict(os.environ)
    env.pop("IMOZURU_NO_CACHE", None)
    modes = ["no-cache", "cold", "warm"] if cache else ["-"]
    commands = imozuru_commands(model)
    samples = {}  # (name, mode) → [measurements]
    checked = None
    py_argv = [args.python, os.path.join(HERE, "reach_pyyaml_networkx.py"), model, "--from", START, "--at", AT,
               "--json", os.path.join(out_dir, "python.json")]
    for run in range(args.runs):
        if run < args.python_runs:
            samples.setdefault(("python reach", "-"), []).append(measure(py_argv, os.path.join(out_dir, "py.out")))
        for name, argv in commands.items():
            for mode in modes:
                extra = []
                if mode == "no-cache":
                    extra = ["--no-cache"]
                elif mode in ("cold", "warm"):
                    if mode == "cold":
                        shutil.rmtree(cache_dir, ignore_errors=True)
                    extra = ["--cache-dir", cache_dir]
                stdout = os.path.join(out_dir, "%s.out" % name.split()[0])
                m = measure([args.imozuru] + argv + extra, stdout, env)
                samples.setdefault((name, mode), []).append(m)
                if name == "reach" and checked is None and run < args.python_runs:
                    checked = same_reach(stdout, os.path.join(out_dir, "python.json"))
                    if not checked[0]:
                        sys.exit("the Python reach and imozuru reach disagree at scale %g" % scale)
    snapshot = None
    if cache and os.path.isdir(cache_dir):
        snapshot = sum(os.path.getsize(os.path.join(cache_dir, f)) for f in os.listdir(cache_dir))
    return {"scale": scale, "systems": n, "bytes": size, "reached": checked[1] if checked else None,
            "snapshot_bytes": snapshot, "samples": samples}


def summary(ms):
    return {"wall": statistics.median(m["wall"] for m in ms), "cpu": statistics.median(m["cpu"] for m in ms),
            "rss_mib": max(m["rss_mib"] for m in ms), "load": (min(m["load"] for m in ms), max(m["load"] for m in ms)),
            "n": len(ms)}


def report(results):
    lines = []
    for r in results:
        s = {k: summary(v) for k, v in r["samples"].items()}
        py = s[("python reach", "-")]
        lines.append("")
        lines.append("scale %g: %d systems, %d flows, %.1f MB of YAML; reach from %s at %s: %s systems%s" % (
            r["scale"], r["systems"], r["systems"], r["bytes"] / 1e6, START, AT, r["reached"],
            "; snapshot %.1f MB" % (r["snapshot_bytes"] / 1e6) if r["snapshot_bytes"] else ""))
        lines.append("")
        lines.append("| command | cache | runs | wall (median) | CPU (median) | peak RSS | load avg | "
                     "Python reach / this (wall) | (CPU) |")
        lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for (name, mode), v in s.items():
            ratio = ""
            if name == "reach":
                ratio = "%.1f× | %.1f×" % (py["wall"] / v["wall"], py["cpu"] / v["cpu"])
            elif name == "python reach":
                ratio = "1× | 1×"
            else:
                ratio = " | "
            lines.append("| %s | %s | %d | %.2f s | %.2f s | %.0f MiB | %.1f–%.1f | %s |" % (
                name if name != "python reach" else "PyYAML (CLoader) + networkx reach", mode, v["n"], v["wall"],
                v["cpu"], v["rss_mib"], v["load"][0], v["load"][1], ratio))
    print("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--imozuru", default=os.path.join(HERE, "..", "build", "imozuru"))
    ap.add_argument("--scales", default="0.25,1.0", help="comma-separated; 1.0 = %d systems" % SYSTEMS_AT_SCALE_1)
    ap.add_argument("--runs", type=int, default=3, help="runs of every imozuru command")
    ap.add_argument("--python-runs", type=int, default=1, help="runs of the Python reach (the first N rounds)")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "imozuru-perf"))
    ap.add_argument("--python", default="/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable,
                    help="the Python of the baseline (Debian's, with python3-yaml's C loader, by default)")
    ap.add_argument("--json", help="also write every measurement here")
    args = ap.parse_args()
    args.python_runs = max(1, min(args.python_runs, args.runs))
    os.makedirs(args.work, exist_ok=True)
    # A copy, so a rebuild during the run cannot swap or remove the binary.
    binary = os.path.join(args.work, "imozuru")
    shutil.copy2(os.path.abspath(args.imozuru), binary)
    args.imozuru = binary
    cache = has_cache(args.imozuru)
    print("imozuru: %s (copied); %d CPUs; load average at start %.2f %.2f %.2f; %s" % (
        os.path.abspath(ap.parse_args().imozuru), os.cpu_count(), *os.getloadavg(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    results = [bench_scale(args, float(s), cache) for s in args.scales.split(",")]
    report(results)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{**r, "samples": {"%s/%s" % k: v for k, v in r["samples"].items()}} for r in results], f,
                      indent=1)


if __name__ == "__main__":
    main()
