"""Throughput and memory benchmark for deadcode.runtime.read_runtime_logs.

Generates a runtime log of ``--size-mb`` megabytes (default 1024) that mixes
every supported line format with noise (stack traces, other loggers, blank
lines), or uses ``--path`` as is, then parses it in a child process and
prints throughput (MB/s) and the child's peak RSS.

Exit status: 0 on success, 1 when peak RSS exceeds ``--max-rss-mb``
(default 300), 2 on usage errors.

    python benchmarks/log_stream.py --size-mb 200
    python benchmarks/log_stream.py --path /var/tmp/production.log.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1024 * 1024


# ---------------------------------------------------------------------------
# Log generation
# ---------------------------------------------------------------------------

def _names(rng: random.Random) -> dict[str, list[str]]:
    namespaces = ["", "Billing::", "Admin::", "Reports::", "Api::V1::", "Sync::"]
    words = ["Invoice", "Payment", "Reconcile", "Estimate", "Export", "Import",
             "Cleanup", "Notify", "Digest", "Refund", "Ledger", "Audit",
             "Webhook", "Sweep", "Archive", "Reminder", "Charge", "Usage"]
    jobs, controllers, tasks = [], [], []
    for i in range(400):
        ns = rng.choice(namespaces)
        w = rng.choice(words) + rng.choice(words)
        jobs.append(f"{ns}{w}{'Worker' if i % 2 else 'Job'}{i}")
    for i in range(150):
        ns = rng.choice(namespaces)
        controllers.append(f"{ns}{rng.choice(words)}{i}sController")
    for i in range(60):
        tasks.append(f"{rng.choice(words).lower()}:{rng.choice(words).lower()}_{i}")
    return {"jobs": jobs, "controllers": controllers, "tasks": tasks}


ACTIONS = ["index", "show", "create", "update", "destroy", "new", "edit", "export"]


def _ts(rng: random.Random, day: int) -> str:
    return (f"2024-05-{day:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
            f"{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z")


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def generate_block(seed: int, target_bytes: int) -> bytes:
    """A block of mixed log lines, about ``target_bytes`` long."""
    rng = random.Random(seed)
    names = _names(rng)
    out: list[str] = []
    size = 0
    while size < target_bytes:
        start = len(out)
        day = rng.randrange(1, 29)
        ts = _ts(rng, day)
        r = rng.random()
        job = rng.choice(names["jobs"])
        jid = _hex(rng, 24)
        if r < 0.28:      # sidekiq default logger: start + done
            tid = _hex(rng, 4)
            out.append(f"{ts} pid={rng.randrange(1, 999)} tid={tid} class={job} jid={jid} INFO: start")
            for _ in range(rng.randrange(0, 3)):
                out.append(f"{ts} pid=12 tid={tid} INFO: [{job}] processed {rng.randrange(999)} records "
                           f"for account {rng.randrange(99999)}")
            out.append(f"{ts} pid={rng.randrange(1, 999)} tid={tid} class={job} jid={jid} "
                       f"elapsed={rng.random() * 10:.3f} INFO: done")
        elif r < 0.32:    # ActiveJob through sidekiq (wrapper)
            out.append(f"{ts} pid=7 tid={_hex(rng, 4)} class=ActiveJob::QueueAdapters::SidekiqAdapter"
                       f"::JobWrapper wrapped={job} jid={jid} INFO: start")
        elif r < 0.40:    # sidekiq JSON
            out.append(json.dumps({"ts": ts, "pid": 1, "tid": _hex(rng, 4), "lvl": "INFO",
                                   "msg": "start", "ctx": {"class": job, "jid": jid}},
                                  separators=(",", ":")))
        elif r < 0.46:    # ActiveJob
            uuid = f"{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}"
            out.append(f"I, [{ts[:-1]}456 #{rng.randrange(100, 999)}]  INFO -- : [ActiveJob] [{job}] [{uuid}] "
                       f"Performing {job} (Job ID: {uuid}) from Sidekiq(default) enqueued at {ts}")
            out.append(f"I, [{ts[:-1]}789 #{rng.randrange(100, 999)}]  INFO -- : [ActiveJob] [{job}] [{uuid}] "
                       f"Performed {job} (Job ID: {uuid}) from Sidekiq(default) in {rng.random() * 90:.1f}ms")
        elif r < 0.66:    # Rails request log, tagged
            req = f"{_hex(rng, 8)}-{_hex(rng, 4)}"
            c = rng.choice(names["controllers"])
            a = rng.choice(ACTIONS)
            pre = f"I, [{ts[:-1]}123 #{rng.randrange(100, 999)}]  INFO -- : [{req}]"
            out.append(f"{pre} Started GET \"/{c.lower()}/{rng.randrange(9999)}\" for 10.0.0.{rng.randrange(255)} at {ts}")
            out.append(f"{pre} Processing by {c}#{a} as HTML")
            out.append(f"{pre}   Parameters: {{\"id\"=>\"{rng.randrange(9999)}\"}}")
            for _ in range(rng.randrange(0, 4)):
                out.append(f"{pre}   Rendered {c[:-10].lower()}/_row.html.erb (Duration: "
                           f"{rng.random() * 5:.1f}ms | Allocations: {rng.randrange(99999)})")
            out.append(f"{pre} Completed 200 OK in {rng.randrange(1, 900)}ms (Views: 1.2ms | ActiveRecord: 3.4ms)")
        elif r < 0.74:    # lograge key=value
            c = rng.choice(names["controllers"])
            out.append(f"{ts} method=GET path=/x/{rng.randrange(9999)} format=html controller={c} "
                       f"action={rng.choice(ACTIONS)} status=200 duration={rng.random() * 100:.2f} "
                       f"view={rng.random() * 10:.2f} db={rng.random() * 10:.2f}")
        elif r < 0.78:    # lograge JSON
            c = rng.choice(names["controllers"])
            out.append(json.dumps({"method": "GET", "path": f"/x/{rng.randrange(9999)}", "format": "json",
                                   "controller": c, "action": rng.choice(ACTIONS), "status": 200,
                                   "duration": round(rng.random() * 100, 2), "time": ts},
                                  separators=(",", ":")))
        elif r < 0.80:    # rake / ECS command lines
            t = rng.choice(names["tasks"])
            if rng.random() < 0.5:
                out.append(f"{ts} ecs-runner INFO starting task \"command\": [\"bundle\",\"exec\",\"rake\","
                           f"\"tasks:dispatch[estimate_v{rng.randrange(20)}]\"]")
            else:
                out.append(f"{ts} cron[{rng.randrange(999)}]: (deploy) CMD (cd /app && bundle exec rake {t})")
        elif r < 0.90:    # stack trace
            out.append(f"{ts} pid=7 tid=abc WARN: RuntimeError: boom")
            for _ in range(rng.randrange(3, 9)):
                out.append(f"/usr/local/bundle/gems/activesupport-7.1.3/lib/active_support/"
                           f"callbacks.rb:{rng.randrange(999)}:in `run_callbacks'")
        else:             # other loggers, blank lines
            out.append(f"{ts} [nginx] 10.0.0.{rng.randrange(255)} - - \"GET /health HTTP/1.1\" 200 2 \"-\" \"ELB-HealthChecker/2.0\"")
            if rng.random() < 0.3:
                out.append("")
        size += sum(len(line) + 1 for line in out[start:])
    return ("\n".join(out) + "\n").encode()


def write_log(path: str, size_mb: int, seed: int = 1) -> int:
    """Write about ``size_mb`` MB of mixed lines to ``path``; returns bytes."""
    blocks = [generate_block(seed + i, 4 * MB) for i in range(4)]
    target = size_mb * MB
    written = 0
    i = 0
    with open(path, "wb") as fh:
        while written < target:
            block = blocks[i % len(blocks)]
            fh.write(block)
            written += len(block)
            i += 1
    return written


# ---------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------

def _worker(path: str) -> None:
    sys.path.insert(0, REPO)
    from deadcode.runtime import read_runtime_logs

    calls = []
    start = time.perf_counter()
    cpu_start = time.process_time()
    log = read_runtime_logs([path], progress=lambda done, total: calls.append(done))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump({
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_rss_mb": rss_kb / 1024,
        "lines_read": log.lines_read,
        "lines_matched": log.lines_matched,
        "lines_unmatched": log.lines_unmatched,
        "observations": len(log.observations),
        "window": log.to_dict()["window"],
        "progress_calls": len(calls),
    }, sys.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=int, default=1024, help="size of the generated log (default 1024)")
    ap.add_argument("--path", help="parse this existing log instead of generating one")
    ap.add_argument("--max-rss-mb", type=float, default=300.0, help="fail above this peak RSS (default 300)")
    ap.add_argument("--keep", action="store_true", help="keep the generated log and print its path")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--generate", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.generate:
        write_log(args.generate, args.size_mb)
        return 0
    if args.worker:
        _worker(args.worker)
        return 0

    tmp = None
    if args.path:
        path = args.path
        if not os.path.isfile(path):
            print(f"no such file: {path}", file=sys.stderr)
            return 2
    else:
        fd, tmp = tempfile.mkstemp(prefix="deadcode-bench-", suffix=".log")
        os.close(fd)
        path = tmp
        t0 = time.perf_counter()
        # Generate in a child too: on Linux ru_maxrss survives fork+exec, so a
        # big parent would inflate the parser child's reported peak.
        subprocess.run([sys.executable, os.path.abspath(__file__), "--generate", path,
                        "--size-mb", str(args.size_mb)], check=True)
        print(f"generated {os.path.getsize(path) / MB:.0f} MB in {time.perf_counter() - t0:.1f}s: {path}")
    try:
        size = os.path.getsize(path)
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                size = sum(len(chunk) for chunk in iter(lambda: fh.read(MB), b""))
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", path],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 2
        res = json.loads(proc.stdout)
    finally:
        if tmp and not args.keep:
            os.unlink(tmp)
    mbps = size / MB / res["seconds"] if res["seconds"] else float("inf")
    print(f"parsed {size / MB:.0f} MB{' (decompressed)' if path.endswith('.gz') else ''} "
          f"({res['lines_read']:,} lines) in {res['seconds']:.1f}s")
    cpu_mbps = size / MB / res["cpu_seconds"] if res["cpu_seconds"] else float("inf")
    print(f"throughput: {mbps:.1f} MB/s wall clock, {cpu_mbps:.1f} MB/s of CPU time "
          f"(the two differ when other processes compete for the CPU)")
    print(f"peak RSS: {res['peak_rss_mb']:.1f} MB (limit {args.max_rss_mb:.0f} MB)")
    print(f"matched: {json.dumps(res['lines_matched'])}; unmatched: {res['lines_unmatched']:,}; "
          f"observations: {res['observations']}; window: {json.dumps(res['window'])}; "
          f"progress callbacks: {res['progress_calls']}")
    if res["peak_rss_mb"] > args.max_rss_mb:
        print("FAIL: peak RSS above limit", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
