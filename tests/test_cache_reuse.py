"""The stored analysis is reused only when no input of the analysis changed.

A scan with ``reuse_analysis`` digests every file's facts (not its bytes), the
configuration, the Gemfiles and the files plugins read whole; when the digest
matches the last scan of the same root, the verdicts are reused instead of being
rebuilt. These tests change one input at a time and check the verdicts follow.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from deadcode.report.data import build_report
from deadcode.scan import ScanOptions, run_scan
from deadcode.index import IndexOptions

from cli_support import run as run_cli

APP = {
    "Gemfile": 'source "https://rubygems.org"\ngem "rails"\n',
    "config/initializers/boot.rb": "Reporter.new.run\n",
    "app/services/reporter.rb": "class Reporter\n  def run\n    Exporter.new\n  end\nend\n",
    "app/services/exporter.rb": "class Exporter\nend\n",
    "app/services/orphan.rb": "class Orphan\nend\n",
    "app/services/tested.rb": "class Tested\nend\n",
    "spec/services/tested_spec.rb": "RSpec.describe Tested do\nend\n",
    "app/models/application_record.rb": "class ApplicationRecord < ActiveRecord::Base\n"
                                        "  self.abstract_class = true\nend\n",
    "db/structure.sql": "CREATE TABLE users (id bigint);\n",
    "app/models/user.rb": "class User < ApplicationRecord\nend\n",
    "config/initializers/users.rb": "User.count\n",
}


def make_app(root: Path, files: dict[str, str] = APP) -> Path:
    for rel, text in files.items():
        path = root.joinpath(*rel.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def scan(root: Path, cache: Path, **index):
    options = ScanOptions(cache_dir=str(cache), jobs=1, reuse_analysis=True,
                          index=IndexOptions(**index))
    result = run_scan(str(root), options)
    report = build_report(result)
    cands = {(c["name"], c["verdict"]) for c in report["candidates"]}
    return result, report, cands


def test_second_scan_reuses_the_analysis_and_reports_the_same(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    first, report1, cands = scan(app, cache)
    assert not first.reused and first.index is not None
    assert cands == {("Orphan", "unreferenced"), ("Tested", "test_only")}
    second, report2, _ = scan(app, cache)
    assert second.reused and second.index is None and second.graph is None
    assert report2 == report1


def test_edit_that_changes_no_fact_reuses_it_and_counts_the_new_lines(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    _, report1, _ = scan(app, cache)
    spec = app / "spec/services/tested_spec.rb"
    with open(spec, "a", encoding="utf-8") as fh:
        fh.write("# a comment at the end\n# and one more\n")
    result, report2, cands = scan(app, cache)
    assert result.reused
    assert cands == {("Orphan", "unreferenced"), ("Tested", "test_only")}
    tested = {c["name"]: c for c in report2["candidates"]}["Tested"]
    before = {c["name"]: c for c in report1["candidates"]}["Tested"]
    # the spec goes with the class: its two new lines are counted
    assert tested["deletable_lines"] == before["deletable_lines"] + 2


def test_new_reference_rebuilds_the_analysis(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    scan(app, cache)
    (app / "config/initializers/boot.rb").write_text("Reporter.new.run\nOrphan.new\n")
    result, _, cands = scan(app, cache)
    assert not result.reused
    assert cands == {("Tested", "test_only")}


def test_new_file_and_deleted_file_rebuild_it(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    scan(app, cache)
    (app / "app/services/stray.rb").write_text("class Stray\nend\n")
    result, _, cands = scan(app, cache)
    assert not result.reused and ("Stray", "unreferenced") in cands
    (app / "app/services/stray.rb").unlink()
    result, _, cands = scan(app, cache)
    assert not result.reused and ("Stray", "unreferenced") not in cands


def test_a_file_a_plugin_reads_whole_is_checked_by_its_bytes(tmp_path):
    # db/structure.sql is read by the tables rule, not extracted: a new table in it
    # changes no facts, and must still be seen
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    _, _, cands = scan(app, cache)
    assert not any(name == "invoices" for name, _ in cands)
    (app / "db/structure.sql").write_text(
        "CREATE TABLE users (id bigint);\nCREATE TABLE invoices (id bigint);\n")
    result, _, cands = scan(app, cache)
    assert not result.reused
    assert ("invoices", "unreferenced") in cands


def test_configuration_is_an_input(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    scan(app, cache)
    result, _, cands = scan(app, cache, keep=(("Orphan", "ops console"),))
    assert not result.reused
    assert ("Orphan", "unreferenced") not in cands
    # a keep that matches nothing is found stale both when computed and when reused
    for _ in range(2):
        result, _, _ = scan(app, cache, keep=(("Gone", "removed"),))
        assert result.unmatched_keeps == frozenset({"Gone"})
    assert result.reused


def test_gemfile_lock_is_an_input(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    scan(app, cache)
    (app / "Gemfile.lock").write_text("GEM\n  specs:\n    sidekiq (7.0.0)\n")
    result, _, _ = scan(app, cache)
    assert not result.reused


def test_cli_scan_twice_gives_identical_json_and_runtime_logs_skip_reuse(tmp_path):
    app, cache = make_app(tmp_path / "app"), str(tmp_path / "cache")
    args = ("scan", str(app), "--format", "json", "--cache-dir", cache, "--timings")
    first = run_cli(*args)
    second = run_cli(*args)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert "timing: index" in first.stderr          # built
    assert "timing: index" not in second.stderr     # reused
    log = tmp_path / "sidekiq.log"
    log.write_text("2026-01-01T00:00:00.000Z pid=1 tid=a class=Exporter jid=1 INFO: done\n")
    third = run_cli(*args, "--runtime-log", str(log))
    assert third.returncode == 0 and "timing: index" in third.stderr
    assert json.loads(third.stdout)["runtime"] is not None


# ---------------------------------------------------------------------------
# pruning
# ---------------------------------------------------------------------------

def _blob_keys(cache_dir: Path) -> set[str]:
    import sqlite3
    db = sqlite3.connect(cache_dir / "facts.sqlite3")
    try:
        return {k for (k,) in db.execute("SELECT key FROM blobs")}
    finally:
        db.close()


def test_prune_drops_old_file_versions_and_gone_roots_but_keeps_what_scans_use(tmp_path):
    from deadcode import __version__
    from deadcode.cache import FactsCache

    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    # another repo: facts are keyed by path and content, so give it files of its own
    other = make_app(tmp_path / "other", {**APP, "app/services/only_there.rb": "class OnlyThere\nend\n"})
    scan(app, cache)
    app_keys = _blob_keys(cache)
    scan(other, cache)
    in_use = _blob_keys(cache)
    assert len(in_use - app_keys) == 1      # only_there.rb's facts
    # three older versions of one file, then the current one
    orphan = app / "app/services/orphan.rb"
    for i in range(3):
        orphan.write_text(f"class Orphan\n  V = {i}\nend\n")
        scan(app, cache)
    orphan.write_text(APP["app/services/orphan.rb"])
    scan(app, cache)
    assert len(_blob_keys(cache)) == len(in_use) + 3

    fc = FactsCache(str(cache), __version__)
    assert fc.prune(slack=10_000) == 0            # not grown enough: nothing done
    assert fc.prune(slack=0) == 3                 # the three old versions
    assert _blob_keys(cache) == in_use
    assert fc.prune(slack=0) == 0                 # until it grows by half again

    # a root whose folder is gone takes its files' facts with it
    import shutil
    shutil.rmtree(other)
    (app / "app/services/new_one.rb").write_text("class NewOne\nend\n")
    scan(app, cache)
    fc = FactsCache(str(cache), __version__)
    assert fc.prune(slack=-10**6) == 1            # only_there.rb's facts (new_one.rb's stay)
    assert fc.manifest(str(other)) == {} and fc.analysis(str(other)) is None
    # what the remaining root uses is still there: the next scan reuses everything
    result, _, cands = scan(app, cache)
    assert result.reused and ("NewOne", "unreferenced") in cands


def test_prune_forgets_roots_not_scanned_for_a_month(tmp_path):
    from deadcode import __version__
    from deadcode.cache import STALE_DAYS, FactsCache

    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    scan(app, cache)
    fc = FactsCache(str(cache), __version__)
    today = int(__import__("time").time() // 86400)
    assert fc.prune(today=today + STALE_DAYS, slack=-1) == 0     # still recent
    assert fc.manifest(str(app)) != {}
    assert fc.prune(today=today + STALE_DAYS + 1, slack=-10**6) > 0
    assert fc.manifest(str(app)) == {} and _blob_keys(cache) == set()


def test_a_damaged_stored_analysis_is_rebuilt_not_fatal(tmp_path):
    import sqlite3

    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    _, report1, _ = scan(app, cache)
    db = sqlite3.connect(cache / "facts.sqlite3")
    db.execute("UPDATE analyses SET value = ?", (b"not zlib, not pickle",))
    db.commit()
    db.close()
    result, report2, _ = scan(app, cache)
    assert not result.reused and report2 == report1
    result, report3, _ = scan(app, cache)        # and stored again
    assert result.reused and report3 == report1


def _big_app(root: Path) -> Path:
    # more than 200 files, so the scan uses worker processes
    files = dict(APP)
    for i in range(240):
        files[f"app/services/unit{i}.rb"] = f"class Unit{i}\n  def call\n    Exporter.new\n  end\nend\n"
    files["config/initializers/units.rb"] = "".join(f"Unit{i}.new.call\n" for i in range(0, 240, 2))
    return make_app(root, files)


def _scan_workers(root: Path, cache: Path):
    options = ScanOptions(cache_dir=str(cache), jobs=2, reuse_analysis=True)
    result = run_scan(str(root), options)
    return result, build_report(result)


def test_fresh_checkout_with_a_restored_cache_reuses_without_decoding(tmp_path):
    # CI restores the cache folder into a new checkout: every file has a new mtime and
    # inode, so each is read and hashed, its facts found by content, and (nothing
    # having changed) the stored analysis reused
    import shutil

    src, cache = _big_app(tmp_path / "src"), tmp_path / "cache"
    app = tmp_path / "checkout"
    shutil.copytree(src, app)
    first, report1 = _scan_workers(app, cache)
    assert not first.reused
    assert {c["name"] for c in report1["candidates"]} == \
        {f"Unit{i}" for i in range(1, 240, 2)} | {"Orphan", "Tested"}
    shutil.rmtree(app)
    shutil.copytree(src, app)
    again, report2 = _scan_workers(app, cache)
    assert again.reused and report2 == report1

    # a damaged cache entry is extracted again when the analysis must be rebuilt
    import sqlite3
    db = sqlite3.connect(cache / "facts.sqlite3")
    db.execute("UPDATE blobs SET value = X'00'")
    db.commit()
    db.close()
    (app / "config/initializers/units.rb").write_text(
        "".join(f"Unit{i}.new.call\n" for i in range(0, 240)))
    rebuilt, report3 = _scan_workers(app, cache)
    fresh = build_report(run_scan(str(app), ScanOptions(cache_dir="", jobs=1)))
    assert not rebuilt.reused and report3 == fresh
    assert {c["name"] for c in report3["candidates"]} == {"Orphan", "Tested"}


def test_workers_look_files_up_by_batch_or_one_by_one_alike(tmp_path, monkeypatch):
    import gc

    from deadcode import __version__, scan as scan_mod
    from deadcode.cache import FactsCache
    from deadcode.discovery import discover_files

    app = make_app(tmp_path / "app")
    cache = FactsCache(str(tmp_path / "cache"), __version__)
    items = [(f.path, f.abspath, f.lang, f.role, 100_000) for f in discover_files(str(app)).files]
    saved = dict(scan_mod._WORKER)
    try:
        scan_mod._worker_init(cache.salt, cache.path)
        first, error, _ = scan_mod._work_batch(items)
        assert error is None and all(r[6] for r in first)        # extracted, and stored
        batched, _, _ = scan_mod._work_batch(items)
        monkeypatch.setattr(scan_mod, "_BATCH_READ_BYTES", 0)    # past the budget at once
        one_by_one, _, _ = scan_mod._work_batch(items)
    finally:
        scan_mod._WORKER.update(saved)
        gc.enable()
    # found in the cache: only (digest, lines) come back, the same either way
    assert all(isinstance(r[2], tuple) and not r[6] for r in batched)
    assert batched == one_by_one
    assert [r[4] for r in batched] == [r[4] for r in first]      # same content keys
