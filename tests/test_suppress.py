"""Keeps (inline, configured, expired, stale), the baseline and the --fail-on gate."""

from __future__ import annotations

import json

import pytest

from cli_support import assert_one_line_error, ids, make_app, run, scan_json, write
from deadcode.suppress import BaselineError, load_baseline


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path / "app")


# -- keeps -----------------------------------------------------------------------

def test_inline_keep_comment(app):
    report = scan_json(app)
    assert "class:Legacy" not in ids(report)
    assert report["kept"] == [{
        "id": "class:Legacy", "name": "Legacy", "kind": "class", "file": "app/services/legacy.rb",
        "line": 2, "reason": "used by the ops console",
        "origin": "inline comment at app/services/legacy.rb:2", "hides": []}]
    assert report["stale_keeps"] == []
    assert report["expired_keeps"] == []


def test_inline_keep_on_live_code_is_reported_as_unneeded(app):
    write(app, "app/services/exporter.rb", "# deadcode:keep called by cron\nclass Exporter\nend\n")
    kept = {k["id"]: k["reason"] for k in scan_json(app)["kept"]}
    assert kept["class:Exporter"] == "called by cron (no longer needed: it is live)"


def test_config_keep(app):
    write(app, ".deadcode.yml", "keep:\n  - name: Orph*\n    reason: used by the console\n")
    report = scan_json(app)
    assert "class:Orphan" not in ids(report)
    assert {"id": "class:Orphan", "name": "Orphan", "kind": "class", "file": "app/services/orphan.rb",
            "line": 1, "reason": "used by the console", "origin": "config", "hides": []} in report["kept"]


def test_keep_until_a_future_date_applies(app):
    write(app, ".deadcode.yml", "keep:\n  - name: Orphan\n    reason: r\n    until: 2999-12-31\n")
    report = scan_json(app)
    assert "class:Orphan" not in ids(report)
    assert report["expired_keeps"] == []


def test_expired_keep_does_not_apply_and_is_reported(app):
    write(app, ".deadcode.yml", "exclude: []\nkeep:\n  - name: Orphan\n    reason: until Q3\n"
                                "    until: 2001-06-30\n")
    report = scan_json(app)
    assert "class:Orphan" in ids(report)
    assert report["expired_keeps"] == [{"name": "Orphan", "reason": "until Q3",
                                        "origin": ".deadcode.yml:3", "until": "2001-06-30"}]
    text = run("scan", app, "--no-cache").stdout
    assert ("Expired keeps (1)\n"
            "  .deadcode.yml:3  Orphan  expired 2001-06-30, no longer applied (until Q3)\n") in text


def test_stale_keep(app):
    write(app, ".deadcode.yml", "keep:\n  - name: Orphan\n    reason: r\n"
                                "  - name: 'Gone::*'\n    reason: removed last year\n")
    report = scan_json(app)
    assert report["stale_keeps"] == [{"name": "Gone::*", "reason": "removed last year",
                                      "origin": ".deadcode.yml:4"}]
    text = run("scan", app, "--no-cache").stdout
    assert ("Stale keeps (1)\n"
            "  .deadcode.yml:4  Gone::*  matches no definition; remove it (removed last year)\n") in text


def test_stale_keep_origin_with_a_config_outside_the_root(app, tmp_path):
    cfg = write(tmp_path, "elsewhere/dc.yml", "keep:\n  - name: Gone\n    reason: r\n")
    report = scan_json(app, "--config", cfg)
    assert report["stale_keeps"] == [{"name": "Gone", "reason": "r", "origin": f"{cfg}:2"}]


# -- baseline ----------------------------------------------------------------------

def test_baseline_file(app, tmp_path):
    out = tmp_path / "baseline.json"
    proc = run("baseline", app, "--output", out, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == f"deadcode: wrote 4 entries to {out}\n"
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "deadcode"
    assert data["entries"] == [
        {"id": "class:Orphan", "name": "Orphan", "kind": "class", "verdict": "dead_callers_only"},
        {"id": "class:Tested", "name": "Tested", "kind": "class", "verdict": "test_only"},
        {"id": "dispatch_entry:nightly_export", "name": "nightly_export", "kind": "dispatch_entry",
         "verdict": "orphaned_entry"},
        {"id": "dispatch_entry:weekly_cleanup", "name": "weekly_cleanup", "kind": "dispatch_entry",
         "verdict": "orphaned_entry"},
    ]
    # no line numbers: moving code around does not change the baseline
    write(app, "app/services/orphan.rb", "\n\n\nclass Orphan\nend\n")
    again = run("baseline", app, "--no-cache")
    assert again.returncode == 0
    assert again.stdout == out.read_text()


def test_scan_against_baseline_new_known_fixed(app, tmp_path):
    base = tmp_path / "baseline.json"
    assert run("baseline", app, "-o", base, "--no-cache", "-q").returncode == 0
    (app / "app/services/tested.rb").unlink()
    (app / "spec/services/tested_spec.rb").unlink()
    write(app, "app/services/unused.rb", "class Unused\nend\n")
    report = scan_json(app, "--baseline", base)
    status = {c["id"]: c["status"] for c in report["candidates"]}
    assert status == {"class:Orphan": "known", "class:Unused": "new",
                      "dispatch_entry:nightly_export": "known", "dispatch_entry:weekly_cleanup": "known"}
    assert report["baseline"] == {"file": str(base), "new": 1, "known": 3, "fixed": ["class:Tested"]}
    text = run("scan", app, "--baseline", base, "--no-cache").stdout
    assert "high    Unused (class)  DC101 unreferenced  [new]\n        app/services/unused.rb:1 · " in text
    assert "Baseline\n  1 new, 3 known, 1 fixed\n  fixed: class:Tested\n" in text


def test_fail_on(app, tmp_path):
    base = tmp_path / "baseline.json"
    assert run("baseline", app, "-o", base, "--no-cache", "-q").returncode == 0

    def code(*args):
        return run("scan", app, "--no-cache", "-q", *args).returncode

    assert code() == 0                                        # default: none
    assert code("--fail-on", "none") == 0
    assert code("--fail-on", "any") == 1
    assert code("--fail-on", "new") == 1                      # no baseline: all are new
    assert code("--baseline", base, "--fail-on", "new") == 0  # nothing new
    assert code("--baseline", base, "--fail-on", "any") == 1
    write(app, "app/services/unused.rb", "class Unused\nend\n")
    proc = run("scan", app, "--no-cache", "--baseline", base, "--fail-on", "new",
               "--format", "json", "--output", tmp_path / "r.json")
    assert proc.returncode == 1
    assert proc.stderr == f"deadcode: wrote {tmp_path / 'r.json'}\ndeadcode: 1 new candidate (--fail-on new)\n"
    assert json.loads((tmp_path / "r.json").read_text())["baseline"]["new"] == 1


def test_fail_on_any_with_nothing_dead(tmp_path):
    app = make_app(tmp_path / "clean", {"config/boot.rb": "Used\n", "app/models/used.rb": "class Used\nend\n"})
    assert run("scan", app, "--no-cache", "--fail-on", "any").returncode == 0


def test_baseline_inside_the_root_is_not_a_text_source(app):
    # the baseline names dispatch keys; read as text it would trigger them
    assert run("baseline", app, "-o", app / "deadcode-baseline.json", "--no-cache", "-q").returncode == 0
    report = scan_json(app, "--baseline", app / "deadcode-baseline.json")
    assert "dispatch_entry:weekly_cleanup" in ids(report)
    assert report["baseline"]["fixed"] == []


@pytest.mark.parametrize("content, message", [
    (None, "baseline {path}: file not found"),
    ("{", "baseline {path}:1: not valid JSON: Expecting property name enclosed in double quotes"),
    ("[]", 'baseline {path}: not a deadcode baseline (no "entries" list); write one with `deadcode baseline`'),
    ('{"schema_version": 9, "entries": []}', "baseline {path}: schema_version 9 is not supported (expected 1)"),
    ('{"schema_version": 1, "entries": [3]}', 'baseline {path}: entry 0 has no "id"'),
])
def test_bad_baseline(app, tmp_path, content, message):
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(BaselineError) as exc:
        load_baseline(str(path))
    assert str(exc.value) == message.format(path=path)
    assert_one_line_error(run("scan", app, "--baseline", path), message.format(path=path))


def test_baseline_entries_by_kind_and_name(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"schema_version": 1, "entries": [{"id": "class:A"}, {"kind": "job", "name": "B"}]}')
    assert load_baseline(str(path)) == {"class:A", "job:B"}
