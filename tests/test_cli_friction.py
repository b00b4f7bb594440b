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


# --- reading the results -------------------------------------------------------------

SHOP_TEXT = """\
4 candidates in shop (high 1, medium 3); 8 lines would go
  9 files scanned, 0 skipped, 8 definitions
  by kind: class 2, dispatch_entry 2

high    Tested (class)  DC102 test_only
        app/services/tested.rb:1 · 4 lines
        referenced only from tests: spec/services/tested_spec.rb:1
medium  Orphan (class)  DC103 dead_callers_only
        app/services/orphan.rb:1 · 2 lines · dead cluster of 2
        referenced only from dead code: weekly_cleanup
medium  nightly_export (dispatch_entry)  DC104 orphaned_entry
        app/services/task_runner.rb:3 · 1 line
        task name "nightly_export" of dispatch map TaskRunner::TASKS is not used by any live code, …
medium  weekly_cleanup (dispatch_entry)  DC104 orphaned_entry
        app/services/task_runner.rb:4 · 1 line · dead cluster of 2
        task name "weekly_cleanup" of dispatch map TaskRunner::TASKS is not used by any live code, …
(every reason and reference: --verbose, or deadcode explain NAME)

Kept (1)
  app/services/legacy.rb:2  Legacy  used by the ops console
"""


def test_text_leads_with_the_summary_and_the_most_certain(app):
    proc = run("scan", app, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == SHOP_TEXT
    assert max(len(line) for line in proc.stdout.splitlines()) <= 100


def test_text_width_follows_columns(app):
    out = run("scan", app, "--no-cache", env={"COLUMNS": "60"}).stdout
    assert max(len(line) for line in out.splitlines()) == 60
    assert "        referenced only from tests: spec/services/tested_sp…\n" in out


def test_verbose_gives_every_reason_and_reference(app):
    out = run("scan", app, "--no-cache", "--verbose").stdout
    assert """\
medium  Orphan (class)  DC103 dead_callers_only
        app/services/orphan.rb:1
        - referenced only from dead code: weekly_cleanup
        <- app/services/task_runner.rb:4 (app, string): not counted, from dead code: weekly_cleanup (dispatch_entry)
        cluster: dispatch_entry:weekly_cleanup
""" in out
    assert "--verbose, or deadcode explain" not in out


def test_reference_lines_sort_as_numbers_and_appear_once(tmp_path):
    spec = "RSpec.describe Widget do\n" + "  it {}\n" * 8 + "  Widget.new; Widget.new\n" + "end\n"
    root = make_app(tmp_path / "w", {"Gemfile": 'gem "rails"\n', "app/models/widget.rb": "class Widget\nend\n",
                                     "spec/a_spec.rb": spec, "spec/b_spec.rb": "\n\nWidget\n"})
    c = scan_json(root)["candidates"][0]
    assert c["reasons"] == ["referenced only from tests: spec/a_spec.rb:1, spec/a_spec.rb:10, spec/b_spec.rb:3"]
    assert [(r["file"], r["line"]) for r in c["references"]] == \
        [("spec/a_spec.rb", 1), ("spec/a_spec.rb", 10), ("spec/b_spec.rb", 3)]


@pytest.mark.parametrize("args, expected", [
    (("--min-confidence", "high"), ["class:Tested"]),
    (("--kind", "dispatch_entry"), ["dispatch_entry:nightly_export", "dispatch_entry:weekly_cleanup"]),
    (("--kind", "class,model"), ["class:Orphan", "class:Tested"]),
    (("--select", "DC102", "--select", "DC103"), ["class:Orphan", "class:Tested"]),
    (("--select", "DC10", "--ignore", "dc104"), ["class:Orphan", "class:Tested"]),
    (("--ignore", "DC102,DC104"), ["class:Orphan"]),
])
def test_filters_apply_to_json_and_the_gate(app, args, expected):
    report = scan_json(app, *args)
    assert ids(report) == expected
    assert report["summary"]["candidates"] == len(expected)
    assert report["filters"]["hidden"] == 4 - len(expected)
    gate = run("scan", app, "--no-cache", "--fail-on", "any", *args)
    assert gate.returncode == 1
    assert gate.stderr == f"deadcode: {len(expected)} candidate{'s' if len(expected) > 1 else ''} (--fail-on any)\n"


def test_filters_apply_to_every_format(app, tmp_path):
    for fmt, ext in (("markdown", "md"), ("sarif", "sarif"), ("github", "github.txt"), ("html", "html"),
                     ("text", "txt")):
        proc = run("scan", app, "--no-cache", "--format", fmt, "--min-confidence", "high",
                   "-o", tmp_path / f"r.{ext}")
        assert proc.returncode == 0, proc.stderr
        text = (tmp_path / f"r.{ext}").read_text(encoding="utf-8")
        assert "tested.rb" in text and "task_runner.rb" not in text and "orphan.rb" not in text, fmt


def test_text_says_what_the_filters_hide(app):
    out = run("scan", app, "--no-cache", "--kind", "class", "--ignore", "DC103").stdout
    assert out.startswith("1 candidate in shop (high 1); 4 lines would go\n"
                          "  9 files scanned, 0 skipped, 8 definitions\n"
                          "  by kind: class 1\n"
                          "  3 more hidden by --kind class --ignore DC103\n")


def test_a_filter_naming_nothing_is_a_usage_error(app):
    proc = run("scan", app, "--no-cache", "--select", "DC9")
    assert (proc.returncode, proc.stderr) == (
        2, "deadcode: error: unknown code 'DC9' (codes: DC101, DC102, DC103, DC104, DC105, DC106)\n")
    proc = run("scan", app, "--no-cache", "--kind", "widget")
    assert proc.returncode == 2 and proc.stderr.startswith("deadcode: error: unknown kind 'widget' (one of: model,")


def test_no_gate_failure_when_the_filters_leave_nothing(app):
    assert run("scan", app, "--no-cache", "--fail-on", "any", "--kind", "table").returncode == 0


@pytest.fixture()
def baselined(app, tmp_path):
    """The shop with a baseline of today's candidates, then one new dead class."""
    base = tmp_path / "base.json"
    assert run("baseline", app, "--no-cache", "-o", base).returncode == 0
    write(app, "app/services/fresh.rb", "class Fresh\nend\n")
    return app, base


def test_new_only_shows_what_is_not_in_the_baseline(baselined):
    app, base = baselined
    report = scan_json(app, "--baseline", base, "--new-only")
    assert ids(report) == ["class:Fresh"]
    assert report["baseline"]["known"] == 4 and report["baseline"]["new"] == 1


def test_github_under_a_baseline_is_new_only_by_default(baselined):
    app, base = baselined
    out = run("scan", app, "--no-cache", "--format", "github", "--baseline", base).stdout
    assert [line.split("::")[2].split(" ")[0] for line in out.splitlines()] == ["Fresh"]
    out = run("scan", app, "--no-cache", "--format", "github", "--baseline", base, "--all").stdout
    assert len(out.splitlines()) == 5
    md = run("scan", app, "--no-cache", "--format", "markdown", "--baseline", base).stdout
    assert "Orphan" in md   # other formats list every candidate unless asked


def test_new_only_without_a_baseline_is_a_usage_error(app):
    proc = run("scan", app, "--no-cache", "--new-only")
    assert (proc.returncode, proc.stderr) == (2, "deadcode: error: --new-only needs --baseline FILE\n")


# --- levels, annotation text, baseline file -----------------------------------------

def test_one_level_mapping_for_github_and_sarif(app, tmp_path):
    gh = run("scan", app, "--no-cache", "--format", "github").stdout.splitlines()
    sarif = json.loads(run("scan", app, "--no-cache", "--format", "sarif").stdout)
    gh_levels = {line.split("::")[2].split(" ")[0]: line[2:].split(" ")[0] for line in gh}
    sarif_levels = {r["message"]["text"].split(" ")[0]: r["level"] for r in sarif["runs"][0]["results"]}
    assert gh_levels == {"Tested": "warning", "Orphan": "notice", "nightly_export": "notice",
                         "weekly_cleanup": "notice"}
    assert {k: {"note": "notice"}.get(v, v) for k, v in sarif_levels.items()} == gh_levels


def test_annotation_says_its_reason_once(app):
    gh = run("scan", app, "--no-cache", "--format", "github").stdout.splitlines()
    assert gh[1] == ("::warning file=app/services/tested.rb,line=1,endLine=2,title=DC102 test_only::"
                     "Tested (class, high confidence): referenced only from tests: spec/services/tested_spec.rb:1")


def test_baseline_file_is_stored_repo_relative(app):
    assert run("baseline", app, "--no-cache", "-o", app / "deadcode-baseline.json").returncode == 0
    report = scan_json(app, "--baseline", app / "deadcode-baseline.json")
    assert report["baseline"]["file"] == "deadcode-baseline.json"


# --- graph --max-nodes ------------------------------------------------------------------

ESTIMATION = Path(__file__).resolve().parent.parent / "fixtures" / "estimation_app"


def test_graph_is_trimmed_to_max_nodes_with_a_note():
    proc = run("graph", "Estimation::FetchWorker", ESTIMATION, "--no-cache", "--max-nodes", "4")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[:6] == [
        "flowchart LR",
        "  %% trimmed: 4 of 11 nodes shown, the nearest first (--max-nodes; or a smaller --depth)",
        '  test_code["(test code)"]',
        '  const_Estimation["Estimation (module)"]:::dead',
        '  const_Estimation_BaseWorker["Estimation::BaseWorker (worker)"]:::dead',
        '  const_Estimation_FetchWorker["Estimation::FetchWorker (worker)"]:::dead',
    ]
    assert sum('["' in line for line in proc.stdout.splitlines()) == 4
    assert proc.stderr == ("deadcode: graph trimmed to 4 of 11 nodes, the nearest to Estimation::FetchWorker "
                           "first (--max-nodes 4; raise it or lower --depth)\n")
    dot = run("graph", "Estimation::FetchWorker", ESTIMATION, "--no-cache", "--max-nodes", "4",
              "--format", "dot").stdout
    assert dot.splitlines()[1] == "  // trimmed: 4 of 11 nodes shown, the nearest first (--max-nodes; or a smaller --depth)"


def test_graph_under_max_nodes_has_no_note():
    proc = run("graph", "Estimation::FetchWorker", ESTIMATION, "--no-cache")
    assert proc.returncode == 0 and proc.stderr == ""
    assert "trimmed" not in proc.stdout
    assert sum('["' in line for line in proc.stdout.splitlines()) == 11


# --- constructs the parser does not support; ERB in YAML --------------------------------

def test_what_the_parser_cannot_read_is_not_called_broken(tmp_path):
    # (the grammar pinned today reads `def m(&) = n(&)`; an unclosed call stands in for
    # whatever construct the next Ruby adds before tree-sitter-ruby does)
    root = make_app(tmp_path / "fwd", {
        "Gemfile": 'gem "rails"\n',
        "config/initializers/boot.rb": "Forwarder.new\n",
        "app/models/forwarder.rb": "class Forwarder\n  def m(&) = n(&)\n  def k = j(\nend\n",
    })
    report = scan_json(root)
    assert report["partial"] == [{"file": "app/models/forwarder.rb", "reason":
        "the parser does not support this construct: 1 region (Ruby newer than its grammar, "
        "or a syntax error); kept what parsed"}]
    text = run("scan", root, "--no-cache").stdout
    assert "Partly read\n  app/models/forwarder.rb: the parser does not support this construct" in text


def test_erb_in_yaml_is_read_without_an_invalid_yaml_note(tmp_path):
    root = make_app(tmp_path / "erb", {
        "Gemfile": 'gem "rails"\n',
        "config/database.yml": """\
            default: &default
              pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>
            <% if ENV["REPLICA"] %>
              replica: true
            <% end %>
            production:
              <<: *default
              notifier: "Audit::Notifier"
            """,
        "app/services/audit/notifier.rb": "module Audit\n  class Notifier\n  end\nend\n",
    })
    report = scan_json(root)
    assert report["partial"] == []
    assert ids(report) == []    # the YAML string keeps Audit::Notifier (and Audit) live
    explained = json.loads(run("explain", "Audit::Notifier", root, "--no-cache", "--format", "json").stdout)
    assert [(r["file"], r["line"], r["via"]) for r in explained["references"]] == \
        [("config/database.yml", 8, "string in YAML")]


# --- keeps ---------------------------------------------------------------------------

def test_a_keep_lists_what_it_hides(app):
    write(app, "app/services/legacy.rb", """\
        # deadcode:keep used by the ops console
        class Legacy
          def run
            LegacyHelper.new
          end
        end
        """)
    write(app, "app/services/legacy_helper.rb", "class LegacyHelper\n  def go\n    LegacyFormat\n  end\nend\n")
    write(app, "app/services/legacy_format.rb", "class LegacyFormat\nend\n")
    report = scan_json(app)
    assert ids(report) == APP_IDS
    assert report["kept"] == [{
        "id": "class:Legacy", "name": "Legacy", "kind": "class", "file": "app/services/legacy.rb",
        "line": 2, "reason": "used by the ops console", "origin": "inline comment at app/services/legacy.rb:2",
        "hides": ["class:LegacyFormat", "class:LegacyHelper"]}]
    cached = [run("scan", app, "--format", "json").stdout for _ in range(2)]   # the second reuses
    assert json.loads(cached[1])["kept"] == report["kept"] and cached[0] == cached[1]
    out = run("scan", app, "--no-cache").stdout
    assert out.endswith("Kept (1)\n  app/services/legacy.rb:2  Legacy  used by the ops console\n"
                        "      also hides 2 that only it keeps live: class:LegacyFormat, class:LegacyHelper\n")


def test_a_keep_that_hides_nothing_says_nothing_more(app):
    assert scan_json(app)["kept"][0]["hides"] == []


RAILS_APP = {
    "Gemfile": 'gem "rails"\n',
    "config/routes.rb": 'Rails.application.routes.draw do\n  resources :invoices, only: [:index]\nend\n',
    "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
    "app/controllers/invoices_controller.rb": """\
        class InvoicesController < ApplicationController
          def index
          end

          # deadcode:keep called by the payment provider's redirect
          def callback
          end

          def legacy
          end
        end
        """,
}


def test_inline_keep_works_on_actions(tmp_path):
    root = make_app(tmp_path / "billing", RAILS_APP)
    report = scan_json(root)
    assert ids(report) == ["action:InvoicesController#legacy"]
    assert [(k["id"], k["reason"], k["line"]) for k in report["kept"]] == \
        [("action:InvoicesController#callback", "called by the payment provider's redirect", 6)]


# --- explain -------------------------------------------------------------------------

def test_explain_suggests_close_names(app):
    proc = run("explain", "Orphn", app, "--no-cache")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "deadcode: error: no definition named Orphn (did you mean Orphan?)\n"
    proc = run("explain", "Zzzzzz", app, "--no-cache")
    assert proc.stderr == "deadcode: error: no definition named Zzzzzz\n"


def test_explain_a_file_explains_what_it_defines(app):
    proc = run("explain", "app/services/task_runner.rb", app, "--no-cache", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["file"] == "app/services/task_runner.rb"
    assert [(d["id"], d["verdict"]) for d in data["definitions"]] == [
        ("class:TaskRunner", "live"), ("dispatch_entry:nightly_export", "orphaned_entry"),
        ("dispatch_entry:weekly_cleanup", "orphaned_entry")]
    text = run("explain", str(app / "app/services/orphan.rb"), app, "--no-cache").stdout
    assert text.startswith("app/services/orphan.rb defines 1 definition\n\nOrphan (class)\n"
                           "  defined: app/services/orphan.rb:1\n")


def test_explain_a_file_that_defines_nothing(app):
    write(app, "app/services/empty.rb", "# nothing here\n")
    proc = run("explain", "app/services/empty.rb", app, "--no-cache")
    assert (proc.returncode, proc.stderr) == (2, "deadcode: error: app/services/empty.rb defines nothing "
                                                 "deadcode tracks (no class, module, action, task or table)\n")


def test_why_live_prefers_code_over_a_string(tmp_path):
    # a short chain through a label string in a view, a longer one through real constants
    root = make_app(tmp_path / "ui", {
        "Gemfile": 'gem "rails"\n',
        "app/views/home/index.html.erb": '<%= t("Reports::Exporter") %>\n',
        "config/initializers/boot.rb": "Scheduler.start\n",
        "app/services/scheduler.rb": "class Scheduler\n  def self.start\n    Runner.go\n  end\nend\n",
        "app/services/runner.rb": "class Runner\n  def self.go\n    Reports::Exporter.new\n  end\nend\n",
        "app/services/reports/exporter.rb": "module Reports\n  class Exporter\n  end\nend\n",
    })
    rec = json.loads(run("explain", "Reports::Exporter", root, "--no-cache", "--format", "json").stdout)
    assert [(h["from"], h["to"], h["via"]) for h in rec["chain"]] == [
        ("(root)", "Scheduler", "constant"), ("Scheduler", "Runner", "constant"),
        ("Runner", "Reports::Exporter", "constant")]
    assert any(r["via"].startswith("string") and r["counted"] for r in rec["references"])
