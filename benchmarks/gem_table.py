"""Write docs/gems.md from the plugins' declarations and the gem counts of some apps.

    python benchmarks/gem_table.py LOCKS_DIR [--out docs/gems.md] [--top 150]

LOCKS_DIR holds one ``owner+name.lock`` (a Gemfile.lock) per app, and optionally
``owner+name.commit`` with the commit it was read at. No app's files are kept.
"""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from gem_frequency import count, lock_files  # noqa: E402

from deadcode.plugins.gems.catalogue import render  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("locks")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(HERE), "docs", "gems.md"))
    ap.add_argument("--top", type=int, default=150)
    args = ap.parse_args(argv)
    n, counter = count([args.locks])
    apps = []
    for f in lock_files([args.locks]):
        stem = os.path.basename(f)[: -len(".lock")]
        commit_file = os.path.join(os.path.dirname(f), stem + ".commit")
        commit = open(commit_file).read().strip() if os.path.exists(commit_file) else ""
        apps.append((stem.replace("+", "/", 1), commit))
    text = render(n, apps, dict(counter), os.path.join(os.path.dirname(HERE), "tests"), args.top)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {args.out}: {n} apps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
