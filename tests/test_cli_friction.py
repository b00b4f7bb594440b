"""The friction a new user meets (issue #13), end to end through the real CLI:
finding the app root, output files and formats, filters, the text layout, explain,
keeps and graph trimming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import make_app, run, scan_json, write, ids

APP_IDS = ["class:Orphan", "class:Tested", "dispatch_entry:nightly_export",
           "dispatch_entry:weekly_cleanup"]


@pytest.fixture()
def app(tmp_path):
    return make_app(tmp_path / "shop")


# --- finding the app and writing outputs -------------------------------------------

def test_scan_from_a_subfolder_walks_up_to_the_app_root(app):
    proc = run("scan", "--format", "json", "--no-cache", cwd=app / "app" / "services")
    assert proc.returncode == 0, proc.stderr
    assert ids(json.loads(proc.stdout)) == APP_IDS
    assert json.loads(proc.stdout)["root"] == "shop"
    assert proc.stderr == f"deadcode: app root: {app} (the nearest folder with Gemfile above " \
                          f"{app / 'app' / 'services'})\n"


def test_the_root_itself_is_not_announced(app):
    proc = run("scan", ".", "--format", "json", "--no-cache", cwd=app)
    assert proc.returncode == 0
    assert proc.stderr == ""


def test_a_git_folder_marks_the_root_too(tmp_path):
    root = make_app(tmp_path / "repo", {".git/HEAD": "ref: refs/heads/main\n",
                                        "config/application.rb": "module Repo\nend\n",
                                        "app/models/lonely.rb": "class Lonely\nend\n"})
    proc = run("scan", "app/models", "--format", "json", "--no-cache", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert ids(json.loads(proc.stdout)) == ["class:Lonely"]
    assert proc.stderr == f"deadcode: app root: {root} (the nearest folder with .git above " \
                          "app/models)\n"


def test_no_sign_of_rails_is_a_warning(tmp_path):
    folder = make_app(tmp_path / "yamls", {"settings.yml": "a: 1\n"})
    proc = run("scan", folder, "--no-cache")
    assert proc.returncode == 0
    assert proc.stderr == (f"deadcode: warning: no sign of Rails in {folder} (no "
                           f"config/application.rb, no Gemfile naming rails); is this the app's folder?\n")
    assert run("scan", folder, "--no-cache", "-q").stderr == ""


def test_deadcode_yaml_is_read_as_config(app):
    write(app, ".deadcode.yaml", "keep:\n  - name: Orphan\n    reason: ops console\n")
    report = scan_json(app)
    assert "class:Orphan" not in ids(report)
    assert [(k["name"], k["reason"]) for k in report["kept"]] == \
        [("Legacy", "used by the ops console"), ("Orphan", "ops console")]


@pytest.mark.parametrize("name, check", [
    ("out.json", lambda t: json.loads(t)["schema_version"] >= 1),
    ("out.md", lambda t: t.startswith("## deadcode")),
    ("out.sarif", lambda t: json.loads(t)["version"] == "2.1.0"),
    ("out.html", lambda t: t.lstrip().lower().startswith("<!doctype html>")),
    ("out.txt", lambda t: "Orphan" in t and not t.lstrip().startswith(("{", "<"))),
])
def test_output_extension_picks_the_format(app, tmp_path, name, check):
    target = tmp_path / name
    proc = run("scan", app, "--no-cache", "-o", target)
    assert proc.returncode == 0, proc.stderr
    assert check(target.read_text(encoding="utf-8"))


def test_an_explicit_format_wins_over_the_extension(app, tmp_path):
    target = tmp_path / "out.json"
    assert run("scan", app, "--no-cache", "--format", "text", "-o", target).returncode == 0
    assert not target.read_text(encoding="utf-8").startswith("{")
