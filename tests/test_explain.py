"""`deadcode explain` and `deadcode graph`."""

from __future__ import annotations

import json

import pytest

from cli_support import APP, assert_one_line_error, make_app, run, write

ROUTED = {
    "Gemfile": 'source "https://rubygems.org"\ngem "rails"\ngem "sidekiq"\n',
    "config/routes.rb": """\
        Rails.application.routes.draw do
          resources :invoices, only: [:index]
        end
        """,
    "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
    "app/controllers/invoices_controller.rb": """\
        class InvoicesController < ApplicationController
          def index
            ExportWorker.perform_async
          end

          def archive
          end
        end
        """,
    "app/workers/export_worker.rb": """\
        class ExportWorker
          include Sidekiq::Worker

          def perform
          end
        end
        """,
    "lib/tasks/billing.rake": "namespace :billing do\n  task :export do\n  end\nend\n",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = make_app(tmp_path_factory.mktemp("explain") / "app")
    write(root, "app/services/billing/report.rb", "module Billing\n  class Report\n  end\nend\n")
    write(root, "app/services/analytics/report.rb", "module Analytics\n  class Report\n  end\nend\n")
    return root


@pytest.fixture(scope="module")
def routed(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("routed") / "app", ROUTED)


def explain(*args):
    proc = run("explain", *args, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def test_explain_live_prints_the_chain(app):
    assert explain("Exporter", app) == """\
Exporter (class)
  defined: app/services/exporter.rb:1
  verdict: live
  why live: config/initializers/boot.rb:1 (constant) → Reporter → Exporter
    config/initializers/boot.rb:1  (root) → Reporter  (constant)
    app/services/reporter.rb:3  Reporter → Exporter  (constant)
  references (2):
    app/services/reporter.rb:3  app  from Reporter  via constant  counted: Reporter is live
    app/services/task_runner.rb:3  app  from nightly_export  via string  not counted: from dead code: nightly_export (dispatch_entry)
"""


def test_explain_routed_chain(routed):
    out = explain("ExportWorker", routed)
    assert ("  why live: config/routes.rb:2 (route: resources :invoices, only: [:index]) "
            "→ InvoicesController → ExportWorker\n") in out
    assert ("    app/controllers/invoices_controller.rb:3  InvoicesController → ExportWorker  "
            "(perform_async)\n") in out


def test_explain_test_only(app):
    assert explain("Tested", app) == """\
Tested (class)
  defined: app/services/tested.rb:1
  verdict: test_only (DC102), confidence high
    - referenced only from tests: spec/services/tested_spec.rb:1
  references (1):
    spec/services/tested_spec.rb:1  test  from (test code)  via constant  not counted: test code
"""


def test_explain_dead_callers_only(app):
    out = explain("Orphan", app)
    assert out.startswith("Orphan (class)\n  defined: app/services/orphan.rb:1\n"
                          "  verdict: dead_callers_only (DC103), confidence medium\n"
                          "    - referenced only from dead code: weekly_cleanup\n"
                          "  dead cluster: dispatch_entry:weekly_cleanup\n")
    assert ("    app/services/task_runner.rb:4  app  from weekly_cleanup  via string  "
            "not counted: from dead code: weekly_cleanup (dispatch_entry)\n") in out


def test_explain_kept(app):
    out = explain("Legacy", app)
    assert "  verdict: live\n" in out
    assert "  kept: used by the ops console (inline comment at app/services/legacy.rb:2)\n" in out
    assert "  why live: (kept: used by the ops console (inline comment at app/services/legacy.rb:2))" \
           " → Legacy\n" in out


@pytest.mark.parametrize("name, header, level", [
    ("InvoicesController#archive", "InvoicesController#archive (action)", "medium"),
    ("billing:export", "billing:export (rake_task)", "low"),
    ("export", "billing:export (rake_task)", "low"),                # short-name suffix
    ("rake_task:billing:export", "billing:export (rake_task)", "low"),   # a report id
])
def test_explain_names(routed, name, header, level):
    out = explain(name, routed)
    assert out.splitlines()[0] == header
    assert f"  verdict: unreferenced (DC101), confidence {level}\n" in out


def test_explain_dispatch_key(app):
    out = explain("nightly_export", app)
    assert out.splitlines()[:3] == [
        "nightly_export (dispatch_entry)",
        "  defined: app/services/task_runner.rb:3",
        "  verdict: orphaned_entry (DC104), confidence medium",
    ]


def test_explain_ambiguous_lists_matches(app):
    assert explain("Report", app) == """\
2 definitions match "Report"; ask again with one of these names:
  class:Analytics::Report  app/services/analytics/report.rb:2
  class:Billing::Report  app/services/billing/report.rb:2
"""
    data = json.loads(explain("Report", app, "--format", "json"))
    assert [m["id"] for m in data["matches"]] == ["class:Analytics::Report", "class:Billing::Report"]
    assert explain("Billing::Report", app).startswith("Billing::Report (class)\n")
    assert explain("::Billing::Report", app).startswith("Billing::Report (class)\n")


def test_explain_unknown_name(app):
    assert_one_line_error(run("explain", "Nope", app, "--no-cache"), "no definition named Nope")


def test_explain_json(app):
    data = json.loads(explain("Exporter", app, "--format", "json"))
    assert data["id"] == "class:Exporter"
    assert data["live"] is True and data["verdict"] == "live"
    assert data["locations"] == [{"file": "app/services/exporter.rb", "line": 1, "end_line": 4}]
    assert data["chain"] == [
        {"from": "(root)", "to": "Reporter", "file": "config/initializers/boot.rb", "line": 1,
         "via": "constant", "entry": None, "kept": None},
        {"from": "Reporter", "to": "Exporter", "file": "app/services/reporter.rb", "line": 3,
         "via": "constant", "entry": None, "kept": None},
    ]
    assert data["references"] == [
        {"file": "app/services/reporter.rb", "line": 3, "role": "app", "from": "Reporter",
         "via": "constant", "counted": True, "why": "Reporter is live"},
        {"file": "app/services/task_runner.rb", "line": 3, "role": "app", "from": "nightly_export",
         "via": "string", "counted": False, "why": "from dead code: nightly_export (dispatch_entry)"}]
    dead = json.loads(explain("Tested", app, "--format", "json"))
    assert (dead["verdict"], dead["code"], dead["confidence"], dead["chain"]) == \
        ("test_only", "DC102", "high", None)


def test_explain_definition_in_test_code(app):
    write(app, "spec/support/helper_thing.rb", "class HelperThing\nend\n")
    out = explain("HelperThing", app)
    assert "  verdict: not live\n    - not live, but not reported: defined in test code\n" in out
    (app / "spec/support/helper_thing.rb").unlink()


# -- graph ---------------------------------------------------------------------------

def graph(*args):
    proc = run("graph", *args, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_graph_mermaid(routed):
    assert graph("ExportWorker", routed) == """\
flowchart LR
  root["(root)"]
  action_InvoicesController_archive["InvoicesController#35;archive (action)"]:::dead
  action_InvoicesController_index["InvoicesController#35;index (action)"]
  const_ApplicationController["ApplicationController (controller)"]
  const_ExportWorker["ExportWorker (worker)"]
  const_InvoicesController["InvoicesController (controller)"]
  root -->|"route: resources :invoices, only: [:index]"| action_InvoicesController_index
  root -->|"route: resources :invoices, only: [:index]"| const_InvoicesController
  action_InvoicesController_archive -->|"action of"| const_InvoicesController
  action_InvoicesController_index -->|"action of"| const_InvoicesController
  const_InvoicesController -->|"superclass"| const_ApplicationController
  const_InvoicesController -->|"perform_async"| const_ExportWorker
  classDef dead fill:#fdd,stroke:#c33
  style const_ExportWorker stroke-width:3px
"""


def test_graph_dot_depth_1(routed):
    assert graph("ExportWorker", routed, "--format", "dot", "--depth", "1") == """\
digraph deadcode {
  rankdir=LR;
  node [shape=box, fontname="Helvetica"];
  const_ExportWorker [label="ExportWorker (worker)", penwidth=3];
  const_InvoicesController [label="InvoicesController (controller)"];
  const_InvoicesController -> const_ExportWorker [label="perform_async"];
}
"""


def test_graph_dead_cluster_and_test_code(app):
    out = graph("Orphan", app, "--depth", "1")
    assert out == """\
flowchart LR
  const_Orphan["Orphan (class)"]:::dead
  dispatch_entry_TaskRunner_TASKS_weekly_cleanup["weekly_cleanup (dispatch_entry)"]:::dead
  dispatch_entry_TaskRunner_TASKS_weekly_cleanup -->|"string"| const_Orphan
  classDef dead fill:#fdd,stroke:#c33
  style const_Orphan stroke-width:3px
"""
    dot = graph("Tested", app, "--format", "dot")
    assert '  test_code [label="(test code)", shape=ellipse];\n' in dot
    assert ('  const_Tested [label="Tested (class)", style=filled, fillcolor="#ffdddd", penwidth=3];\n'
            in dot)
    assert '  test_code -> const_Tested [label="constant"];\n' in dot


def test_graph_is_deterministic(app):
    assert graph("Reporter", app, "--depth", "3") == graph("Reporter", app, "--depth", "3")


def test_graph_errors(app):
    assert_one_line_error(run("graph", "Nope", app, "--no-cache"), "no definition named Nope")
    assert_one_line_error(run("graph", "Report", app, "--no-cache"),
                          "Report is ambiguous: class:Analytics::Report, class:Billing::Report")


def test_node_ids_are_sanitized_and_unique():
    from deadcode.explain import _node_ids
    assert _node_ids(["const:A::B", "const:A_B", "<root>", "rake_task:9:x"]) == {
        "const:A::B": "const_A_B", "const:A_B": "const_A_B_2", "<root>": "root",
        "rake_task:9:x": "rake_task_9_x"}


def test_app_fixture_is_shared():
    assert "config/initializers/boot.rb" in APP


def test_control_characters_in_file_names_are_shown_not_sent(tmp_path):
    app = make_app(tmp_path / "app", {"app/models/esc\x1b[31mred.rb": "class Escape\nend\n",
                                        "Gemfile": 'gem "rails"\n'})
    out = explain("Escape", app)
    assert "\x1b" not in out
    assert "  defined: app/models/esc\\x1b[31mred.rb:1\n" in out
    assert "\x1b" not in graph("Escape", app) + graph("Escape", app, "--format", "dot")
