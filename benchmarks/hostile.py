#!/usr/bin/env python3
"""Build the hostile-input corpus of issue #18, one case per folder.

    python benchmarks/hostile.py OUT [CASE ...] [--scale F]
    python benchmarks/hostile.py --list
    python benchmarks/hostile.py OUT [CASE ...] --run [--timeout S]

Each case is a small Rails-shaped tree under ``OUT/CASE/app`` plus a file
``OUT/CASE/cmd`` holding the arguments to give ``deadcode`` (one per line, ``{case}``
standing for ``OUT/CASE``). Run one with, for example::

    /usr/bin/time -f "%e s %M KB" python -m deadcode $(sed "s#{case}#OUT/CASE#" OUT/CASE/cmd)

``--run`` also runs each case and checks it against its target (``TARGETS``: at most
10 s and 500 MB peak RSS, the issue's bar, and an exit code of 0 or 2 with no "internal
error"); it exits 1 when a case misses. ``--scale`` shrinks (or grows) every size; 1 gives the sizes of the issue. The tests
in ``tests/test_hostile_input.py`` build the same shapes scaled down and count work.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import time

LOCK = "GEM\n  specs:\n    rails (7.1.0)\n    sidekiq (7.2.0)\n\nDEPENDENCIES\n  rails\n  sidekiq\n"


def _write(root: str, rel: str, data: str | bytes) -> None:
    path = os.path.join(root, *rel.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data.encode() if isinstance(data, str) else data)


def _app(case: str) -> str:
    app = os.path.join(case, "app")
    _write(app, "Gemfile.lock", LOCK)
    _write(app, "app/models/application_record.rb",
           "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n")
    return app


def _scan(case: str, *extra: str) -> None:
    _write(case, "cmd", "\n".join(["scan", "{case}/app", "--no-cache", "--format", "json",
                                   "-o", "{case}/out.json", *extra]) + "\n")


def inflect_redos(case, s):
    app = _app(case)
    _write(app, "config/initializers/inflections.rb",
           'ActiveSupport::Inflector.inflections(:en) do |inflect|\n'
           '  inflect.plural /^(a+)+$/i, "x"\nend\n')
    _write(app, "app/models/aaaa.rb", f"class {'A' + 'a' * max(4, int(40 * s))}1 < ApplicationRecord\nend\n")
    _scan(case)


def inflect_loops(case, s):
    app = _app(case)
    n = max(2, int(300 * s))
    words = " ".join(f"w{i}" for i in range(n))
    _write(app, "config/initializers/inflections.rb",
           "ActiveSupport::Inflector.inflections(:en) do |inflect|\n"
           f"  %w[{words}].each do |a|\n    %w[{words}].each do |b|\n"
           f"      %w[{words}].each do |c|\n        inflect.irregular a, c\n"
           "      end\n    end\n  end\nend\n")
    _write(app, "app/models/widget.rb", "class Widget < ApplicationRecord\nend\n")
    _scan(case)


def ruby_parens(case, s):
    app = _app(case)
    _write(app, "app/services/parens.rb", "class Parens\n  def x\n    foo" + "(" * int(200_000 * s) + "\n")
    _scan(case)


def ruby_chain(case, s):
    app = _app(case)
    _write(app, "app/services/chain.rb", "class Chain\n  X" + ".a" * int(500_000 * s) + "\nend\n")
    _scan(case)


def ruby_modules(case, s):
    app = _app(case)
    n = int(2000 * s)
    _write(app, "app/services/deep.rb",
           "".join(f"module A{i}\n" for i in range(n)) + "class Leaf; end\n" + "end\n" * n)
    _scan(case)


def ruby_modules_under(case, s):
    """Nesting under the depth budget: analysed, so it must cost linear time and memory."""
    app = _app(case)
    n = int(590 * s)       # each module is two tree levels: 590 is just under MAX_DEPTH
    _write(app, "app/services/deep.rb",
           "".join(f"module A{i}\n" for i in range(n)) + "class Leaf; end\n" + "end\n" * n)
    _scan(case)


def erb_directives(case, s):
    app = _app(case)
    _write(app, "app/views/home/index.html.erb", "<%= x %>" * int(200_000 * s) + "<% unterminated")
    _scan(case)


def haml_line(case, s):
    app = _app(case)
    _write(app, "app/views/home/index.html.haml", "%p= " + "a.b" * int(630_000 * s) + "\n")
    _scan(case)


def slim_line(case, s):
    app = _app(case)
    _write(app, "app/views/home/index.html.slim", "p = " + "a.b" * int(630_000 * s) + "\n")
    _scan(case)


def constantize(case, s):
    app = _app(case)
    n = int(20_000 * s)
    _write(app, "app/services/dyn.rb", "class Dyn\n  def go(x)\n" +
           "".join(f'    "#{{x}}K{i}".constantize\n' for i in range(n)) + "  end\nend\n")
    _write(app, "app/services/many.rb", "".join(f"class C{i}K{i}\nend\n" for i in range(n)))
    _write(app, "config/initializers/boot.rb", "Dyn.new.go(1)\n")
    _scan(case)


def sidekiq_tid(case, s):
    app = _app(case)
    line = "TID-" * int(250_000 * s) + " JID-\n"
    _write(case, "sidekiq.log", line * 2)
    _scan(case, "--runtime-log", "{case}/sidekiq.log")


def gzip_bomb(case, s):
    app = _app(case)
    path = os.path.join(case, "empty.log.gz")
    chunk = b"\n" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(int(1024 * s)):
            fh.write(chunk)
    _scan(case, "--runtime-log", "{case}/empty.log.gz")


def log_timestamps(case, s):
    app = _app(case)
    _write(app, "app/jobs/hard_job.rb", "class HardJob < ApplicationJob\nend\n")
    _write(app, "app/controllers/pages_controller.rb",
           "class PagesController < ApplicationController\n  def show; end\nend\n")
    bad = ("9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00")
    lines = []
    for ts in bad + ("2024-01-01T00:00:00Z",):
        # Sidekiq JSON, Rails and rake lines, each with the timestamp
        lines.append(f'{{"ts":"{ts}","pid":1,"tid":"a","lvl":"INFO","msg":"start",'
                     f'"ctx":{{"class":"HardJob","jid":"1"}}}}')
        lines.append(f"I, [{ts} #1]  INFO -- : Processing by PagesController#show as HTML")
        lines.append(f"{ts} rake db:migrate")
    _write(case, "prod.log", "\n".join(lines) + "\n")
    _scan(case, "--runtime-log", "{case}/prod.log")


def config_list(case, s):
    app = _app(case)
    _write(app, ".deadcode.yml", "keep:\n" + "".join(
        f"  - {{name: 'Keep{i}::*', reason: r}}\n" for i in range(int(20_000 * s))))
    _write(app, "app/services/keeps.rb", "".join(f"class Keep{i}\nend\n" for i in range(int(20_000 * s))))
    _scan(case)


def config_fifo(case, s):
    _app(case)
    path = os.path.join(case, "fifo.yml")
    if not os.path.exists(path):
        os.mkfifo(path)
    _scan(case, "--config", "{case}/fifo.yml")


def dir_chain(case, s):
    app = _app(case)
    fd = os.open(os.path.join(app, "app"), os.O_RDONLY)
    for _ in range(int(1200 * s)):       # one level at a time: the path outgrows PATH_MAX calls
        try:
            os.mkdir("d", dir_fd=fd)
        except FileExistsError:
            pass
        fd, old = os.open("d", os.O_RDONLY, dir_fd=fd), fd
        os.close(old)
    with open(os.open("x.rb", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=fd), "w") as fh:
        fh.write("class X; end\n")
    _scan(case)


def config_nested(case, s):
    app = _app(case)
    n = int(10_000 * s)
    _write(app, ".deadcode.yml", "keep: " + "[" * n + "]" * n + "\n")
    _scan(case)


def baseline_nested(case, s):
    _app(case)
    n = int(100_000 * s)
    _write(case, "baseline.json", "[" * n + "]" * n)
    _scan(case, "--baseline", "{case}/baseline.json")


def baseline_digits(case, s):
    _app(case)
    _write(case, "baseline.json", '{"version": ' + "9" * max(5000, int(5000 * s)) + "}")
    _scan(case, "--baseline", "{case}/baseline.json")


def schema_tables(case, s):
    app = _app(case)
    n = int(50_000 * s)
    # under the default 2 MB file limit
    _write(app, "db/schema.rb", "ActiveRecord::Schema[7.1].define(version: 1) do\n" + "".join(
        f'create_table "t{i}" do |t|\nend\n' for i in range(n)) + "end\n")
    _write(case, "cmd", "\n".join(["scan", "{case}/app", "--no-cache", "--format", "html",
                                   "--format", "markdown", "--format", "sarif",
                                   "--output-dir", "{case}/out"]) + "\n")


def json_huge(case, s):
    app = _app(case)
    # 300 MB of JSON rows (a data export committed under config/), limit raised to read it
    row = '{"id": 1, "name": "item", "tags": ["a", "b", "c"], "kind": "x"},\n'
    n = int(300_000_000 * s) // len(row)
    path = os.path.join(app, "config", "export.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write("[\n")
        for _ in range(n // 10_000):
            fh.write(row * 10_000)
        fh.write('{"class": "Exporter"}\n]\n')
    _scan(case, "--max-file-size", "400000000")


CASES = {f.__name__: f for f in (
    inflect_redos, inflect_loops, ruby_parens, ruby_chain, ruby_modules, ruby_modules_under,
    erb_directives,
    haml_line, slim_line, constantize, sidekiq_tid, gzip_bomb, log_timestamps, config_list,
    config_fifo, dir_chain, config_nested, baseline_nested, baseline_digits, schema_tables,
    json_huge)}


# (seconds, peak RSS in MB) each case must stay under, on a 2-core machine. Measured
# (before -> after this bar held): see the closing note of issue #18.
TARGETS = {name: (10.0, 500) for name in CASES}


def run(case: str, timeout: float) -> tuple[float, float, int, str]:
    """(seconds, peak RSS MB, exit code, last stderr line) of ``deadcode`` on one case."""
    args = [a.replace("{case}", case) for a in open(os.path.join(case, "cmd")).read().split("\n") if a]
    err_path = os.path.join(case, "stderr")
    start = time.monotonic()
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "deadcode", *args],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        while True:     # wait4: this child's own peak RSS
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                return time.monotonic() - start, 0.0, -9, f"killed at {timeout:.0f} s"
            time.sleep(0.02)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(err_path, "rb") as fh:
        lines = fh.read().decode("utf-8", "replace").strip().splitlines()
    return seconds, usage.ru_maxrss / 1024, proc.returncode, lines[-1] if lines else ""


def build(out: str, name: str, scale: float = 1.0) -> str:
    case = os.path.join(out, name)
    os.makedirs(case, exist_ok=True)
    CASES[name](case, scale)
    return case


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?")
    ap.add_argument("cases", nargs="*")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--run", action="store_true", help="run each case against its target")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args(argv)
    if args.list or not args.out:
        print("\n".join(CASES))
        return 0
    missed = 0
    for name in args.cases or CASES:
        if name not in CASES:
            print(f"unknown case {name!r}", file=sys.stderr)
            return 2
        case = build(args.out, name, args.scale)
        if not args.run:
            print(case)
            continue
        seconds, rss, rc, last = run(case, args.timeout)
        max_s, max_mb = TARGETS[name]
        ok = seconds <= max_s and rss <= max_mb and rc in (0, 2) and "internal error" not in last
        missed += not ok
        print(f"{name:20} {seconds:7.2f} s {rss:7.0f} MB  exit {rc:3}  {'ok' if ok else 'MISSED'}"
              f"  {last[:100]}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
