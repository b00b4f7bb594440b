#!/usr/bin/env python3
"""Benchmark ``deadcode scan`` against the tree-sitter parse floor.

    python benchmarks/bench.py [PATH] [--units N] [--seed S] [--jobs J] [--keep]
                               [--jobs1] [--scaling] [--timings] [--json-out FILE]
                               [--tool-cmd CMD]
    python benchmarks/bench.py --apps APP [APP ...] [--json-out FILE]

``--apps``: one line per real app, measured in place (nothing in it is written; the
cache goes to a temporary directory): files and MiB scanned, the floor (read + parse
every ``.rb`` file with tree-sitter, plus one compiled-regex ``findall`` over every
text source), cold with ``--jobs 1`` and with the default jobs (each with an empty
cache), warm (the default run again), and the peak RSS of each cold run (largest
single process). Targets: cold <= 1.5x floor, jobs 1 <= 2.5x floor, warm <= 0.1 s.

Without PATH, a synthetic Rails app of N units (default 3400, about 20k Ruby files) is
generated with ``generate_app.py`` into a temporary directory. With PATH, the tree is
first copied (``shutil.copytree(symlinks=True)``, without ``.git`` and ``node_modules``)
into a temporary directory and every run works on the copy; PATH itself is never
modified.

Measured in this order, in one run:

floor     read + parse every ``.rb`` file with tree-sitter in this process, nothing
          else (best of 2).
cold      ``deadcode scan APP --format json --output OUT --cache-dir CACHE`` with an
          empty CACHE (a subprocess: ``sys.executable -m deadcode`` with the repository
          on PYTHONPATH, so it runs this checkout's code).
warm      the same again; cache present, nothing changed.
checkout  the tree is deleted and copied back from a pristine copy (new inodes and
          mtimes, same content, same path), as a CI job with a restored cache sees it;
          run again. No target.
touched   one ``.rb`` file gets a comment line appended; run again.
edited    the same file gets a line that adds a reference (``Object.new``), so its
          facts change and the analysis is rebuilt; run again. No target: it shows
          what a scan costs when the stored analysis cannot be reused.
jobs1     (``--jobs1``) another cold run with ``--jobs 1`` and a fresh cache.
scaling   (``--scaling``) cold time for N and 2N generated units; reports the ratio.

Wall time of each run is taken around the child process. Peak RSS comes from
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` read in a small wrapper process per run, so it
is the peak of the *largest single process* of that run (the tool or one of its worker
processes), not their sum; the "tree RSS" column is the largest sampled *sum* of RSS over
the whole process tree (sampled from /proc every 0.2 s, so short spikes may be missed,
and pages shared between forked workers are counted once per process).

Targets (PASS/MISS): cold <= 1.5x floor, warm <= 0.35x floor, touched <= 0.5x floor,
scaling 2N/N <= 2.2. For a generated app (its planted set), or a PATH with a
``PATH.expected.json`` beside it (or ``.deadcode-expected.json`` inside it), the cold
candidate set {(name, kind, verdict)} must equal the planted one, and cold, warm and
touched (and jobs1) candidate sets must be identical. Exit status 1 if any check fails or
a run errors.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

TARGETS = {"cold": 1.5, "warm": 0.35, "touched": 0.5}
SCALING_TARGET = 2.2
SKIP_DIRS = {".git", "node_modules", "tmp", "log", ".bundle"}
COPY_IGNORE = shutil.ignore_patterns(".git", "node_modules")

# Runs one command, then writes {"wall", "rc", "maxrss_kb"} to argv[2]. Being a separate
# process, its RUSAGE_CHILDREN covers exactly this run's process tree.
_WRAPPER = r"""
import json, resource, subprocess, sys, time
cmd = json.loads(sys.argv[1])
t0 = time.perf_counter()
rc = subprocess.call(cmd)
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[2], "w") as fh:
    json.dump({"wall": wall, "rc": rc, "maxrss_kb": ru.ru_maxrss,
               "user": ru.ru_utime, "sys": ru.ru_stime}, fh)
"""


# ---------------------------------------------------------------------------
# Floor
# ---------------------------------------------------------------------------

def ruby_files(root: str) -> list[str]:
    out = []
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for n in sorted(names):
            if n.endswith(".rb"):
                out.append(os.path.join(dirpath, n))
    return out


def floor_once(paths: list[str]) -> tuple[float, int, int]:
    """Read + parse every file. Returns (seconds, bytes, files with ERROR nodes)."""
    import tree_sitter_ruby
    from tree_sitter import Language, Parser

    t0 = time.perf_counter()
    parser = Parser(Language(tree_sitter_ruby.language()))
    nbytes = 0
    errors = 0
    for p in paths:
        with open(p, "rb") as fh:
            src = fh.read()
        nbytes += len(src)
        if parser.parse(src).root_node.has_error:
            errors += 1
    return time.perf_counter() - t0, nbytes, errors


def measure_floor(root: str, repeat: int = 2) -> dict:
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    paths = ruby_files(root)
    times = []
    nbytes = errors = 0
    for _ in range(repeat):
        dt, nbytes, errors = floor_once(paths)
        times.append(dt)
    return {"seconds": min(times), "runs": times, "files": len(paths), "bytes": nbytes,
            "files_with_errors": errors,
            "load_before": round(load_before, 2) if load_before is not None else None}


def text_floor(paths: list[str], repeat: int = 2) -> float:
    """One compiled-regex pass over every text source: the least reading them can cost."""
    pattern = re.compile(r"(?<![\w:])(?:::)?[A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)*")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for p in paths:
            with open(p, "rb") as fh:
                pattern.findall(fh.read().decode("utf-8", "replace"))
        times.append(time.perf_counter() - t0)
    return min(times)


def app_summary(args, paths: list[str]) -> int:
    """``--apps``: the per-app table (see the module docstring)."""
    sys.path.insert(0, REPO)
    from deadcode.discovery import discover_files
    rows, failures, figures = [], [], {}
    work = tempfile.mkdtemp(prefix="deadcode-bench-")
    try:
        for src in paths:
            app = os.path.abspath(src)
            name = os.path.basename(app.rstrip(os.sep))
            files = discover_files(app).files
            nbytes = sum(os.path.getsize(f.abspath) for f in files if os.path.isfile(f.abspath))
            rb = measure_floor(app)
            tf = text_floor([f.abspath for f in files if f.lang == "text"])
            floor = rb["seconds"] + tf
            row = {"app": name, "files": len(files), "mib": nbytes / 2**20,
                   "floor": floor, "floor_rb": rb["seconds"], "floor_text": tf}
            c1 = os.path.join(work, f"{name}-cache1")
            cd = os.path.join(work, f"{name}-cache")
            os.makedirs(c1)
            os.makedirs(cd)
            print(f"{name}: {len(files)} files, floor {floor:.2f}s; running ...", flush=True)
            r1 = run_tool(args, f"{name}-jobs1", app, c1, work, 1)
            rc = run_tool(args, f"{name}-cold", app, cd, work, args.jobs)
            rw = run_tool(args, f"{name}-warm", app, cd, work, args.jobs)
            for label, r in (("jobs1", r1), ("cold", rc), ("warm", rw)):
                if not r.get("ok"):
                    failures.append(f"{name} {label}: {r.get('error')}")
                row[label] = r.get("seconds")
                row[label + "_rss"] = r.get("peak_rss_mb")
            if r1.get("ok") and rc.get("ok") and rw.get("ok"):
                row["same"] = r1["candidates"] == rc["candidates"] == rw["candidates"]
                if not row["same"]:
                    failures.append(f"{name}: candidate sets differ between runs")
            for label, limit in (("cold", 1.5 * floor), ("jobs1", 2.5 * floor), ("warm", 0.1)):
                if row.get(label) is not None and row[label] > limit:
                    row.setdefault("miss", []).append(label)
            rows.append(row)
            figures[name] = row
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"  {'app':<18} {'files':>6} {'MiB':>6} {'floor s':>8} {'cold s':>7} {'x':>5} "
          f"{'jobs1 s':>8} {'x':>5} {'warm s':>7} {'RSS MiB':>8} {'RSS j1':>7}  misses")
    for r in rows:
        def x(v):
            return _fmt(v / r["floor"] if v is not None and r["floor"] else None, ">5.2f")
        print(f"  {r['app']:<18} {r['files']:>6} {r['mib']:>6.1f} {r['floor']:>8.2f} "
              f"{_fmt(r['cold'], '>7.2f')} {x(r['cold'])} {_fmt(r['jobs1'], '>8.2f')} "
              f"{x(r['jobs1'])} {_fmt(r['warm'], '>7.2f')} {_fmt(r['cold_rss'], '>8.1f')} "
              f"{_fmt(r['jobs1_rss'], '>7.1f')}  {', '.join(r.get('miss', [])) or '-'}")
    print(f"  floor = .rb parse + one regex pass over the text sources; x = / floor; "
          f"jobs={args.jobs or 'default'}; cpus={os.cpu_count()}")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, indent=2, default=str)
            fh.write("\n")
    if failures:
        print("FAIL:\n" + "\n".join(f"  - {f}" for f in failures))
        return 1
    return 0


# ---------------------------------------------------------------------------
# Tool runs
# ---------------------------------------------------------------------------

def _tree_rss_kb(root_pid: int) -> int:
    """Sum of VmRSS over root_pid and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for e in entries:
        if not e.isdigit():
            continue
        try:
            with open(f"/proc/{e}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # pid (comm) state ppid ... ; comm may contain spaces/parens
        rest = stat[stat.rfind(b")") + 2:].split()
        if len(rest) > 1:
            children.setdefault(int(rest[1]), []).append(int(e))
    total = 0
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, ValueError, IndexError):
            pass
    return total


def run_tool(args, name: str, app: str, cache_dir: str | None, work: str,
             jobs: int | None, extra: tuple[str, ...] = ()) -> dict:
    out_json = os.path.join(work, f"{name}.json")
    if os.path.exists(out_json):
        os.unlink(out_json)
    cmd = list(args.tool_cmd) + ["scan", app, "--format", "json", "--output", out_json]
    if cache_dir is not None:
        cmd += ["--cache-dir", cache_dir]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    if args.timings:
        cmd.append("--timings")
    cmd += list(extra)

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # An installed tool has its bytecode compiled; without it every run would compile
    # deadcode's sources again (~0.05 s), which no user pays twice.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result_file = os.path.join(work, f"{name}.rusage.json")
    stdout_f = os.path.join(work, f"{name}.stdout")
    stderr_f = os.path.join(work, f"{name}.stderr")
    with open(stdout_f, "wb") as so, open(stderr_f, "wb") as se:
        proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, json.dumps(cmd), result_file],
                                stdout=so, stderr=se, env=env, cwd=work)
        tree_peak = 0
        while True:
            try:
                proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if args.sample_rss:
                    tree_peak = max(tree_peak, _tree_rss_kb(proc.pid))
    with open(stderr_f, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    stages = {m.group(1): float(m.group(2))
              for m in re.finditer(r"^timing: (\S+) ([0-9.]+)s$", stderr, re.M)}
    res: dict = {"name": name, "cmd": cmd, "output": out_json, "stderr": stderr,
                 "tree_rss_mb": round(tree_peak / 1024, 1) if tree_peak else None,
                 "load_before": round(load_before, 2) if load_before is not None else None,
                 "timings": stages or None}
    try:
        with open(result_file) as fh:
            ru = json.load(fh)
    except (OSError, ValueError):
        res.update(ok=False, error=f"wrapper failed (rc {proc.returncode})")
        return res
    res.update(seconds=ru["wall"], rc=ru["rc"], peak_rss_mb=round(ru["maxrss_kb"] / 1024, 1),
               cpu_seconds=round(ru["user"] + ru["sys"], 2))
    # 0 = clean, 1 = gate failed (candidates found); anything else is an error.
    if ru["rc"] not in (0, 1):
        res.update(ok=False, error=f"exit status {ru['rc']}")
        return res
    try:
        with open(out_json, encoding="utf-8") as fh:
            report = json.load(fh)
    except (OSError, ValueError) as e:
        res.update(ok=False, error=f"no JSON report at {out_json}: {e}")
        return res
    cands = report.get("candidates") or []
    res.update(ok=True,
               candidates=sorted({(c.get("name"), c.get("kind"), c.get("verdict")) for c in cands}),
               summary=report.get("summary", {}))
    return res


def touch_one(app: str, generated: bool, line: bytes = b"# touched by benchmarks/bench.py\n") -> str:
    """Append a line (a comment by default) to one .rb file; returns its path."""
    target = None
    if generated:
        models = os.path.join(app, "app", "models")
        names = sorted(n for n in os.listdir(models)
                       if n.endswith(".rb") and n != "application_record.rb")
        if names:
            target = os.path.join(models, names[len(names) // 2])
    if target is None:
        files = ruby_files(app)
        if not files:
            raise SystemExit("no .rb files to touch")
        target = files[len(files) // 2]
    with open(target, "rb") as fh:
        data = fh.read()
    with open(target, "ab") as fh:
        if data and not data.endswith(b"\n"):
            fh.write(b"\n")
        fh.write(line)
    return target


# A line that changes the file's facts (a new reference) but no verdict.
EDIT_LINE = b"Object.new\n"


# ---------------------------------------------------------------------------
# Reporting helpers
# ---------------------------------------------------------------------------

def _fmt(v, spec: str) -> str:
    """format(v, spec), or a right-aligned "-" of the same width when v is None."""
    width = int("".join(ch for ch in spec.split(".")[0] if ch.isdigit()) or 0)
    return format("-", f">{width}") if v is None else format(v, spec)


def print_table(floor: dict, runs: list[dict], n_files: int) -> None:
    fs = floor["seconds"]
    hdr = (f"  {'phase':<9} {'seconds':>8} {'x floor':>8} {'target':>7} {'files/s':>9} "
           f"{'peak RSS MB':>12} {'tree RSS MB':>12} {'CPU s':>7} {'load1':>6}  status")
    print(hdr)
    print("  " + "-" * (len(hdr) - 2))
    print(f"  {'floor':<9} {fs:>8.2f} {1.0:>8.2f} {'-':>7} {n_files / fs:>9.0f} "
          f"{'-':>12} {'-':>12} {'-':>7} {_fmt(floor.get('load_before'), '>6.2f')}  ")
    for r in runs:
        if not r.get("ok"):
            print(f"  {r['name']:<9} {_fmt(r.get('seconds'), '>8.2f')} "
                  f"{'':>8} {'':>7} {'':>9} {'':>12} {'':>12} {'':>7}  ERROR: {r.get('error')}")
            continue
        ratio = r["seconds"] / fs if fs else None
        tgt = TARGETS.get(r["name"])
        status = r.get("status", "")
        print(f"  {r['name']:<9} {r['seconds']:>8.2f} {_fmt(ratio, '>8.2f')} "
              f"{_fmt(tgt, '>7.2f')} {n_files / r['seconds']:>9.0f} "
              f"{_fmt(r.get('peak_rss_mb'), '>12.1f')} {_fmt(r.get('tree_rss_mb'), '>12.1f')} "
              f"{_fmt(r.get('cpu_seconds'), '>7.2f')} {_fmt(r.get('load_before'), '>6.2f')}  {status}")
    print("  peak RSS = largest single process (getrusage RUSAGE_CHILDREN ru_maxrss, max over "
          "children, not a sum); tree RSS = largest sampled sum over the process tree;\n"
          "  load1 = 1-minute load average just before the run (other work on the machine "
          "skews wall times)")


def load_expected(src: str, app: str) -> list[tuple] | None:
    """The expected candidate set of a PATH run: ``PATH.expected.json`` beside it (the
    fixtures' convention), else ``.deadcode-expected.json`` inside it. An expected file
    inside the tree is moved out of the copy first: the tool reads JSON files as text
    sources, so a list naming the dead classes would reference them all."""
    inside = os.path.join(app, ".deadcode-expected.json")
    exp_file = src.rstrip(os.sep) + ".expected.json"
    if os.path.exists(inside):
        moved = os.path.join(os.path.dirname(app), "expected-from-tree.json")
        os.replace(inside, moved)
        print(f"moved {os.path.relpath(inside, app)} out of the copy (it would be scanned)")
        if not os.path.exists(exp_file):
            exp_file = moved
    if not os.path.exists(exp_file):
        return None
    print(f"expected candidates: {exp_file}")
    with open(exp_file, encoding="utf-8") as fh:
        return sorted({(c["name"], c["kind"], c["verdict"]) for c in json.load(fh)["candidates"]})


def compare_sets(expected: list[tuple], got: list[tuple]) -> tuple[list, list]:
    e, g = set(expected), set(got)
    return sorted(e - g), sorted(g - e)


def show_diff(missing: list, unexpected: list, limit: int = 25) -> None:
    for label, items in (("missing (expected, not reported)", missing),
                         ("unexpected (reported, not planted)", unexpected)):
        if items:
            print(f"    {label}: {len(items)}")
            for it in items[:limit]:
                print(f"      {it[0]}  [{it[1]}, {it[2]}]")
            if len(items) > limit:
                print(f"      ... {len(items) - limit} more")


def _tail(text: str, n: int = 25) -> str:
    lines = text.rstrip().splitlines()
    return "\n".join("    | " + ln for ln in lines[-n:])


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def _generate(out: str, units: int, seed: int) -> tuple[dict, float]:
    sys.path.insert(0, HERE)
    try:
        import generate_app
    finally:
        sys.path.remove(HERE)
    t0 = time.perf_counter()
    meta = generate_app.generate(out, units, seed)
    dt = time.perf_counter() - t0
    # Flush the freshly written files so background writeback does not slow the
    # measured runs that follow.
    if hasattr(os, "sync"):
        os.sync()
    return meta, dt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", help="Rails app to measure (copied first; never modified)")
    ap.add_argument("--units", type=int, default=3400,
                    help="units to generate when PATH is omitted (default 3400, ~20k .rb files)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=None, help="pass --jobs J to every scan")
    ap.add_argument("--jobs1", action="store_true",
                    help="also do a cold run with --jobs 1 (fresh cache) for comparison")
    ap.add_argument("--scaling", action="store_true",
                    help="also measure cold time for N and 2N generated units (target ratio <= 2.2)")
    ap.add_argument("--timings", action="store_true",
                    help="pass --timings to the tool and print what it reports on stderr")
    ap.add_argument("--no-sample-rss", dest="sample_rss", action="store_false",
                    help="do not sample the process tree's summed RSS from /proc")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--json-out", metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--tool-cmd", default=None,
                    help="command prefix that runs the tool (default: '<python> -m deadcode')")
    ap.add_argument("--apps", nargs="+", metavar="APP",
                    help="measure these apps in place, one table line each (see above)")
    args = ap.parse_args(argv)
    args.tool_cmd = (shlex.split(args.tool_cmd) if args.tool_cmd
                     else [sys.executable, "-m", "deadcode"])
    if args.apps:
        return app_summary(args, args.apps)

    work = tempfile.mkdtemp(prefix="deadcode-bench-")
    app = os.path.join(work, "app")
    failures: list[str] = []
    figures: dict = {"work_dir": work, "tool_cmd": args.tool_cmd, "jobs": args.jobs}

    try:
        # -- the app ----------------------------------------------------------
        if args.path:
            src = os.path.abspath(args.path)
            if not os.path.isdir(src):
                ap.error(f"{args.path}: not a directory")
            t0 = time.perf_counter()
            shutil.copytree(src, app, symlinks=True, ignore=COPY_IGNORE)
            print(f"copied {src} -> {app} in {time.perf_counter() - t0:.1f}s "
                  f"(without .git, node_modules; the original is not touched)")
            generated = False
            figures["source"] = src
        else:
            meta, gen_s = _generate(app, args.units, args.seed)
            generated = True
            print(f"generated {args.units} units: {meta['files']} files "
                  f"({meta['ruby_files']} .rb) in {gen_s:.1f}s -> {app}")
            figures.update(source=None, units=args.units, seed=args.seed,
                           generate_seconds=round(gen_s, 3))

        expected = None
        if generated:
            expected = sorted({(c["name"], c["kind"], c["verdict"]) for c in meta["candidates"]})
        else:
            expected = load_expected(src, app)

        # -- floor ------------------------------------------------------------
        floor = measure_floor(app)
        n_files = floor["files"]
        figures["floor"] = floor
        print(f"floor: {n_files} .rb files, {floor['bytes'] / 1e6:.1f} MB, best of "
              f"{len(floor['runs'])}: {floor['seconds']:.2f}s "
              f"(runs: {', '.join(f'{t:.2f}' for t in floor['runs'])}); "
              f"{floor['files_with_errors']} files with parse errors")
        if n_files == 0:
            print("no .rb files found")
            return 1

        # -- cold / warm / touched ---------------------------------------------
        cache = os.path.join(work, "cache")
        runs: list[dict] = []

        def do(name, cache_dir, jobs, label=None):
            print(f"{label or name}: running ...", flush=True)
            r = run_tool(args, name, app, cache_dir, work, jobs)
            runs.append(r)
            if r.get("ok"):
                tgt = TARGETS.get(name)
                if tgt is not None:
                    ok = r["seconds"] <= tgt * floor["seconds"]
                    r["status"] = "PASS" if ok else "MISS"
                    if not ok:
                        failures.append(f"{name} {r['seconds']:.2f}s > {tgt}x floor "
                                        f"({tgt * floor['seconds']:.2f}s)")
            else:
                failures.append(f"{name}: {r.get('error')}")
                print(f"  {name} failed: {r.get('error')}\n  command: {shlex.join(r['cmd'])}")
                if r.get("stderr"):
                    print(_tail(r["stderr"]))
            if args.timings and r.get("stderr"):
                print(f"  --timings ({name}):\n{_tail(r['stderr'], 60)}")
            return r

        os.makedirs(cache, exist_ok=True)
        pristine = os.path.join(work, "pristine")
        shutil.copytree(app, pristine, symlinks=True)
        if hasattr(os, "sync"):
            os.sync()   # no background writeback during the measured runs
        cold = do("cold", cache, args.jobs)
        if cold.get("ok"):
            do("warm", cache, args.jobs)
            # CI: a new checkout of the same tree at the same path, the cache restored
            shutil.rmtree(app)
            shutil.copytree(pristine, app, symlinks=True)
            if hasattr(os, "sync"):
                os.sync()
            time.sleep(3)   # past the racy window: the files look as old as a checkout's
            do("checkout", cache, args.jobs, label="checkout (fresh copy, cache kept)")
            touched_file = touch_one(app, generated)
            figures["touched_file"] = os.path.relpath(touched_file, app)
            do("touched", cache, args.jobs,
               label=f"touched ({os.path.relpath(touched_file, app)})")
            edited_file = touch_one(app, generated, EDIT_LINE)
            figures["edited_file"] = os.path.relpath(edited_file, app)
            do("edited", cache, args.jobs,
               label=f"edited ({os.path.relpath(edited_file, app)}: a reference added)")
            if args.jobs1:
                cache1 = os.path.join(work, "cache-jobs1")
                os.makedirs(cache1, exist_ok=True)
                do("jobs1", cache1, 1, label="cold --jobs 1")

        print()
        print(f"deadcode bench: {app}  ({n_files} .rb files, jobs={args.jobs or 'default'})")
        print_table(floor, runs, n_files)

        # -- correctness ------------------------------------------------------
        ok_runs = [r for r in runs if r.get("ok")]
        if cold.get("ok"):
            print()
            print(f"  candidates reported (cold): {len(cold['candidates'])}")
            if expected is not None:
                missing, unexpected = compare_sets(expected, cold["candidates"])
                match = not missing and not unexpected
                figures["expected_match"] = match
                figures["expected_missing"] = [list(x) for x in missing]
                figures["expected_unexpected"] = [list(x) for x in unexpected]
                print(f"  planted dead set ({len(expected)}): "
                      f"{'MATCH' if match else 'MISMATCH'}")
                if not match:
                    show_diff(missing, unexpected)
                    failures.append(f"candidate set differs from the expected set "
                                    f"({len(missing)} missing, {len(unexpected)} unexpected)")
            for r in ok_runs:
                if r is cold:
                    continue
                same = r["candidates"] == cold["candidates"]
                r["same_as_cold"] = same
                print(f"  {r['name']} candidates == cold: {'YES' if same else 'NO'}")
                if not same:
                    show_diff(*compare_sets(cold["candidates"], r["candidates"]))
                    failures.append(f"{r['name']} candidate set differs from cold")

        # -- scaling ------------------------------------------------------------
        if args.scaling:
            print()
            figures["scaling"] = scaling(args, work, cold if generated else None, failures)

        figures["runs"] = {
            r["name"]: {k: r.get(k) for k in ("ok", "error", "seconds", "rc", "peak_rss_mb",
                                              "tree_rss_mb", "cpu_seconds", "status",
                                              "same_as_cold", "load_before", "timings")}
            | {"x_floor": (round(r["seconds"] / floor["seconds"], 3)
                           if r.get("seconds") else None),
               "files_per_s": (round(n_files / r["seconds"], 1) if r.get("seconds") else None),
               "candidates": len(r["candidates"]) if r.get("ok") else None,
               "cmd": r["cmd"]}
            for r in runs
        }
        figures["targets"] = dict(TARGETS, scaling=SCALING_TARGET)
        figures["failures"] = failures
        figures["ok"] = not failures
    finally:
        if args.json_out:
            with open(args.json_out, "w", encoding="utf-8") as fh:
                json.dump(figures, fh, indent=2, default=str)
                fh.write("\n")
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print()
    if failures:
        print("FAIL:")
        for f in failures:
            print(f"  - {f}")
        return 1
    print("OK: all checks passed")
    return 0


def scaling(args, work: str, cold_n: dict | None, failures: list[str]) -> dict:
    """Cold time for N and 2N generated units. Reuses the main cold run when it was on
    a generated N-unit app."""
    n = args.units
    res: dict = {"units": [n, 2 * n]}
    times: list[float | None] = []
    for k, units in enumerate((n, 2 * n)):
        if k == 0 and cold_n is not None and cold_n.get("ok"):
            times.append(cold_n["seconds"])
            print(f"scaling: {units} units: {cold_n['seconds']:.2f}s (main cold run)")
            continue
        d = os.path.join(work, f"scale-{units}")
        meta, _ = _generate(d, units, args.seed)
        cache = os.path.join(work, f"scale-{units}-cache")
        os.makedirs(cache, exist_ok=True)
        r = run_tool(args, f"scale{units}", d, cache, work, args.jobs)
        if not r.get("ok"):
            failures.append(f"scaling run for {units} units: {r.get('error')}")
            print(f"scaling: {units} units failed: {r.get('error')}")
            if r.get("stderr"):
                print(_tail(r["stderr"]))
            times.append(None)
        else:
            times.append(r["seconds"])
            print(f"scaling: {units} units ({meta['ruby_files']} .rb): {r['seconds']:.2f}s, "
                  f"peak RSS {r['peak_rss_mb']:.0f} MB")
        if not args.keep:
            shutil.rmtree(d, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
    res["seconds"] = times
    if None not in times and times[0]:
        ratio = times[1] / times[0]
        ok = ratio <= SCALING_TARGET
        res.update(ratio=round(ratio, 3), status="PASS" if ok else "MISS")
        print(f"scaling: 2N/N cold = {ratio:.2f} (target <= {SCALING_TARGET})  "
              f"{'PASS' if ok else 'MISS'}")
        if not ok:
            failures.append(f"scaling ratio {ratio:.2f} > {SCALING_TARGET}")
    return res


if __name__ == "__main__":
    sys.exit(main())
