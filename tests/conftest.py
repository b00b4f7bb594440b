"""Shared helpers: build a small Rails tree from inline snippets and scan it."""

from __future__ import annotations

import os
import textwrap

import pytest

from deadcode.scan import ScanOptions, run_scan

GEMFILE_LOCK = """GEM
  remote: https://rubygems.org/
  specs:
    rails (7.1.0)
    sidekiq (7.2.0)
    factory_bot_rails (6.4.0)
    pundit (2.3.0)

DEPENDENCIES
  rails
  sidekiq
"""


def write_tree(root, files: dict[str, str]) -> str:
    for rel, text in files.items():
        path = os.path.join(str(root), *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(textwrap.dedent(text).lstrip("\n"))
    if "Gemfile.lock" not in files:
        with open(os.path.join(str(root), "Gemfile.lock"), "w") as fh:
            fh.write(GEMFILE_LOCK)
    return str(root)


@pytest.fixture
def scan_tree(tmp_path):
    """scan_tree({path: ruby}) -> {name: (kind, verdict, confidence)} of the candidates."""

    def run(files: dict[str, str], **opts):
        root = write_tree(tmp_path / "app", files)
        result = run_scan(root, ScanOptions(cache_dir="", jobs=1, **opts))
        run.result = result
        return {c.definition.name: (c.definition.kind, c.verdict, c.confidence)
                for c in result.classification.candidates}

    return run


def checker(scan_tree, base: dict[str, str]):
    """check(files, dead=(), live=()) on ``base`` plus ``files``: asserts each name in
    ``dead`` is a candidate and none in ``live`` is; returns the candidates."""

    def run(files, dead=(), live=()):
        tree = dict(base)
        tree.update(files)
        cands = scan_tree(tree)
        for name in dead:
            assert name in cands, f"{name} should be dead; candidates: {sorted(cands)}"
        for name in live:
            assert name not in cands, f"{name} should be live: {cands.get(name)}"
        return cands
    return run
