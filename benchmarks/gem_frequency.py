"""Count in how many apps each gem appears, from their Gemfile.lock files.

    python benchmarks/gem_frequency.py LOCK_OR_FOLDER... [--top 150] [--tsv]

A gem counts once per app when it is a top-level entry of a ``specs:`` section (GEM, GIT
or PATH), i.e. a line indented by exactly four spaces. A folder is read for every
``*.lock`` / ``Gemfile.lock`` file in it (not recursively); each file is one app.
Nothing is written: the table goes to stdout.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter

_SPEC = re.compile(r"^    ([A-Za-z0-9_.\-]+) \(")


def gems_of(lock_text: str) -> set[str]:
    """Top-level gem names under the ``specs:`` sections of one Gemfile.lock."""
    gems: set[str] = set()
    in_specs = False
    for line in lock_text.splitlines():
        if line.strip() == "specs:":
            in_specs = True
            continue
        if not line.startswith("  "):    # a new section (GEM, PLATFORMS, DEPENDENCIES...)
            in_specs = False
            continue
        if in_specs:
            m = _SPEC.match(line)
            if m:
                gems.add(m.group(1))
    return gems


def lock_files(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(os.path.join(p, f) for f in os.listdir(p)
                          if f.endswith(".lock") and os.path.isfile(os.path.join(p, f)))
        else:
            out.append(p)
    return out


def count(paths: list[str]) -> tuple[int, Counter]:
    counter: Counter = Counter()
    files = lock_files(paths)
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            counter.update(gems_of(fh.read()))
    return len(files), counter


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("paths", nargs="+", help="Gemfile.lock files or folders of *.lock files")
    ap.add_argument("--top", type=int, default=150)
    ap.add_argument("--tsv", action="store_true", help="gem<TAB>apps lines only")
    args = ap.parse_args(argv)
    n, counter = count(args.paths)
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]
    if not args.tsv:
        print(f"{n} apps")
    for gem, k in ranked:
        print(f"{gem}\t{k}" if args.tsv else f"{k:4d}  {gem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
