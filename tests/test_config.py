""".deadcode.yml: every key, and errors that name the file and line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_support import APP, assert_one_line_error, ids, make_app, run, scan_json, write
from deadcode.config import Config, ConfigError, Rule, parse_config

PLUGINS = {"sidekiq", "active_record", "conventions"}


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as exc:
        parse_config(text, "x.yml", PLUGINS)
    return str(exc.value)


# -- parsing -------------------------------------------------------------------

def test_empty_file_is_an_empty_config():
    assert parse_config("", "x.yml") == Config(path="x.yml")
    assert parse_config("# nothing yet\n", "x.yml") == Config(path="x.yml")


def test_every_key():
    cfg = parse_config("""\
include: ["app/*", "config/*"]
exclude: ["app/legacy/*"]
roots:
  - name: "Api::*"
    reason: called by the mobile app
keep:
  - name: Legacy
    reason: ops console
    until: 2030-01-31
  - name: "Reports::*"
    reason: quarterly
dispatch_maps: [PRICES]
trigger_sources: ["ops/*.md"]
plugins:
  sidekiq: false
conventions:
  - suffix: Policy
    of_kinds: [model, class]
test_paths: ["qa/*"]
max_file_size: 500000
report_dir: out/reports
""", "conf/deadcode.yml", PLUGINS)
    assert cfg == Config(
        path="conf/deadcode.yml",
        include=("app/*", "config/*"),
        exclude=("app/legacy/*",),
        roots=(Rule("Api::*", "called by the mobile app", "conf/deadcode.yml:4"),),
        keep=(Rule("Legacy", "ops console", "conf/deadcode.yml:7", dt.date(2030, 1, 31)),
              Rule("Reports::*", "quarterly", "conf/deadcode.yml:10")),
        dispatch_maps=("PRICES",),
        trigger_sources=("ops/*.md",),
        plugins={"sidekiq": False},
        conventions=(("Policy", ("model", "class")),),
        test_paths=("qa/*",),
        max_file_size=500000,
        report_dir="conf/out/reports",
    )


def test_quoted_until_date():
    cfg = parse_config('keep:\n  - {name: A, reason: r, until: "2030-02-03"}\n', "x.yml")
    assert cfg.keep[0].until == dt.date(2030, 2, 3)


@pytest.mark.parametrize("text, message", [
    ("foo: 1\n", "x.yml:1: unknown key 'foo'"),
    ("include: []\nexlude: [a]\n", "x.yml:2: unknown key 'exlude' (did you mean 'exclude'?)"),
    ("- a\n", "x.yml:1: expected a mapping of settings at the top level, got a list"),
    ("exclude: app/*\n", "x.yml:1: exclude must be a list, got 'app/*'"),
    ("include:\n  - app/*\n  - 3\n", "x.yml:3: include[1] must be a non-empty string, got 3"),
    ("exclude: [a]\nexclude: [b]\n", "x.yml:2: duplicate key 'exclude'"),
    ("keep: {name: x}\n", "x.yml:1: keep must be a list, got a mapping"),
    ("keep:\n  - name: X\n", "x.yml:2: keep[0] needs a 'reason'"),
    ("keep:\n  - reason: r\n", "x.yml:2: keep[0] needs a 'name'"),
    ("keep:\n  - name: X\n    reason: r\n    unitl: 2030-01-01\n",
     "x.yml:4: unknown key 'unitl' in keep[0] (did you mean 'until'?)"),
    ("keep:\n  - {name: X, reason: r, foo: 1}\n",
     "x.yml:2: unknown key 'foo' in keep[0] (expected name, reason, until)"),
    ("keep:\n  - name: X\n    reason: r\n    until: soon\n",
     "x.yml:4: keep[0].until must be a date YYYY-MM-DD, got 'soon'"),
    ("keep:\n  - name: X\n    reason: r\n    until: 2024-13-01\n",
     "x.yml:4: invalid value: month must be in 1..12"),
    ("roots:\n  - name: X\n    reason: r\n    until: 2030-01-01\n",
     "x.yml:4: unknown key 'until' in roots[0] (expected name, reason)"),
    ("roots:\n  - name: ''\n    reason: r\n", "x.yml:2: roots[0].name must be a non-empty string, got ''"),
    ("plugins:\n  sidekq: false\n", "x.yml:2: unknown plugin 'sidekq' (did you mean 'sidekiq'?)"),
    ("plugins:\n  nope: false\n",
     "x.yml:2: unknown plugin 'nope' (known: active_record, conventions, sidekiq)"),
    ("plugins:\n  sidekiq: 'no'\n", "x.yml:2: plugins.sidekiq must be true or false, got 'no'"),
    ("plugins: [sidekiq]\n", "x.yml:1: plugins must be a mapping, got a list"),
    ("conventions:\n  - suffix: Policy\n    of_kinds: [mdoel]\n",
     "x.yml:3: unknown kind 'mdoel' in conventions[0].of_kinds (expected one of model, controller, "
     "action, job, worker, mailer, helper, concern, class, module, dispatch_entry, rake_task, table)"),
    ("conventions:\n  - suffix: Policy\n", "x.yml:2: conventions[0] needs a 'of_kinds'"),
    ("max_file_size: -1\n", "x.yml:1: max_file_size must be a positive number of bytes, got -1"),
    ("max_file_size: 1MB\n", "x.yml:1: max_file_size must be a positive number of bytes, got '1MB'"),
    ("report_dir: 3\n", "x.yml:1: report_dir must be a non-empty string, got 3"),
    ("include: [a\nexclude: b\n", "x.yml:2: invalid YAML: expected ',' or ']', but got ':'"),
    ("\tinclude: [a]\n", "x.yml:1: invalid YAML: found character '\\t' that cannot start any token"),
    ("a: 1\n---\nb: 2\n", "x.yml:2: invalid YAML: but found another document"),
])
def test_errors(text, message):
    assert error_of(text) == message


# -- the CLI -------------------------------------------------------------------

@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path / "app")


def test_config_error_is_one_line_exit_2(app):
    write(app, ".deadcode.yml", "exclude: [a]\nfoo: 1\n")
    proc = run("scan", ".", cwd=app)
    assert_one_line_error(proc, ".deadcode.yml:2: unknown key 'foo'")
    proc = run("scan", app)
    assert_one_line_error(proc, f"{app}/.deadcode.yml:2: unknown key 'foo'")


def test_broken_yaml_names_file_and_line(app):
    write(app, ".deadcode.yml", "keep:\n  - name: X\n    reason: [r\n")
    proc = run("explain", "Orphan", ".", cwd=app)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("deadcode: error: .deadcode.yml:4: invalid YAML: ")
    assert proc.stderr.count("\n") == 1


def test_missing_config_file(app, tmp_path):
    proc = run("scan", app, "--config", tmp_path / "nope.yml")
    assert_one_line_error(proc, f"{tmp_path / 'nope.yml'}: configuration file not found")


def test_explicit_config_replaces_the_root_one(app, tmp_path):
    write(app, ".deadcode.yml", "foo: broken\n")
    other = write(tmp_path, "other.yml", "exclude: [app/services/orphan.rb]\n")
    report = scan_json(app, "--config", other)
    assert "class:Orphan" not in ids(report)


def test_include_and_exclude(app):
    write(app, ".deadcode.yml", "exclude: ['app/services/orphan.rb', 'spec/*']\n")
    report = scan_json(app)
    assert "class:Orphan" not in ids(report)
    # the spec is not read: Tested is now plainly unreferenced
    assert [c["verdict"] for c in report["candidates"] if c["id"] == "class:Tested"] == ["unreferenced"]
    write(app, ".deadcode.yml", "include: ['app/*']\n")
    assert "class:Reporter" in ids(scan_json(app))   # config/initializers not read


def test_roots(app):
    write(app, ".deadcode.yml", "roots:\n  - name: Orph*\n    reason: called from the console\n")
    assert "class:Orphan" not in ids(scan_json(app))
    proc = run("explain", "Orphan", app, "--no-cache")
    assert "  why live: (entry point: called from the console) → Orphan\n" in proc.stdout


def test_dispatch_maps(app):
    write(app, "app/services/pricing.rb", """\
        class Pricing
          PRICES = {
            "basic" => "Exporter",
            "pro" => "Reporter",
          }
        end
        """)
    write(app, "config/initializers/pricing.rb", "Pricing\n")
    assert "dispatch_entry:basic" not in ids(scan_json(app))
    write(app, ".deadcode.yml", "dispatch_maps: [PRICES]\n")
    assert "dispatch_entry:basic" in ids(scan_json(app))


def test_trigger_sources(app):
    write(app, "ops/runbook.md", "To export by hand: bin/run nightly_export\n")
    assert "dispatch_entry:nightly_export" in ids(scan_json(app))
    write(app, ".deadcode.yml", "trigger_sources: ['ops/*.md']\n")
    assert "dispatch_entry:nightly_export" not in ids(scan_json(app))


def test_config_file_itself_is_not_a_trigger_source(app):
    # the config names the dispatch key; that must not count as a use of it
    write(app, ".deadcode.yml", "roots:\n  - name: Orphan\n    reason: runs weekly_cleanup by hand\n")
    assert "dispatch_entry:weekly_cleanup" in ids(scan_json(app))


def test_plugins_switch(app):
    write(app, "app/models/application_record.rb",
          "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n")
    write(app, "app/models/invoice.rb", "class Invoice < ApplicationRecord\nend\n")
    assert "model:Invoice" in ids(scan_json(app))
    write(app, ".deadcode.yml", "plugins:\n  active_record: false\n")
    assert "class:Invoice" in ids(scan_json(app))


def test_conventions(app):
    write(app, "app/policies/exporter_policy.rb", "class ExporterPolicy\nend\n")
    assert "class:ExporterPolicy" in ids(scan_json(app))
    write(app, ".deadcode.yml", "conventions:\n  - suffix: Policy\n    of_kinds: [class]\n")
    assert "class:ExporterPolicy" not in ids(scan_json(app))


def test_test_paths(app):
    write(app, "qa/smoke.rb", "Tested.new\n")
    assert "class:Tested" not in ids(scan_json(app))    # qa/ is plain top-level code
    write(app, ".deadcode.yml", "test_paths: ['qa/*']\n")
    report = scan_json(app)
    assert [c["verdict"] for c in report["candidates"] if c["id"] == "class:Tested"] == ["test_only"]


def test_max_file_size_config_and_option(app):
    write(app, ".deadcode.yml", "max_file_size: 20\n")
    report = scan_json(app)
    size = (app / "app/services/reporter.rb").stat().st_size
    assert {"file": "app/services/reporter.rb", "reason": f"larger than 20 bytes ({size} bytes)"} \
        in report["skipped"]
    report = scan_json(app, "--max-file-size", "100000")
    assert report["skipped"] == []


def test_unknown_plugin_in_cli(app):
    write(app, ".deadcode.yml", "plugins:\n  sidekik: true\n")
    proc = run("scan", ".", cwd=app)
    assert_one_line_error(proc, ".deadcode.yml:2: unknown plugin 'sidekik' (did you mean 'sidekiq'?)")


def test_every_command_reads_the_config(app):
    write(app, ".deadcode.yml", "exclude: ['app/services/orphan.rb']\n")
    assert_one_line_error(run("explain", "Orphan", app, "--no-cache"), "no definition named Orphan")
    assert_one_line_error(run("graph", "Orphan", app, "--no-cache"), "no definition named Orphan")
    proc = run("baseline", app, "--no-cache")
    assert "class:Orphan" not in [e["id"] for e in json.loads(proc.stdout)["entries"]]


def test_app_fixture_is_as_documented():
    assert "app/services/orphan.rb" in APP
