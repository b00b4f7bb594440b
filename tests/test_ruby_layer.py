"""The Ruby layer: subclass registries, file loading, reopened classes, constant lookup
through ancestors, unresolved namespaces, confidence propagation and rake descriptions.

Each test builds one live side and one dead side of a mechanism and asserts exact
(kind, verdict, confidence) tuples for the dead side.
"""

import pytest

from tests.conftest import GEMFILE_LOCK, checker

BASE = {
    "config/routes.rb": "Rails.application.routes.draw do\nend\n",
}

UNREF = ("class", "unreferenced", "high")
DEAD_CALLERS = ("class", "dead_callers_only", "medium")


@pytest.fixture
def check(scan_tree):
    return checker(scan_tree, BASE)


# ---------------------------------------------------------------------------
# 1. Subclass registries
# ---------------------------------------------------------------------------

def _registry_tree(parent_body: str, live_call: str) -> dict:
    """Widget (enumerates its subclasses somehow), Widget::Button < Widget and
    Toggle < Widget::Button (transitive); Gadget < Gizmo, which nothing enumerates."""
    return {
        "app/models/widget.rb": f"class Widget\n{parent_body}end\n",
        "app/models/widget/button.rb": "class Widget::Button < Widget\nend\n",
        "app/models/toggle.rb": "class Toggle < Widget::Button\nend\n",
        "app/models/gizmo.rb": "class Gizmo\nend\n",
        "app/models/gadget.rb": "class Gadget < Gizmo\nend\n",
        "config/initializers/widgets.rb": live_call,
    }


@pytest.mark.parametrize("parent_body, live_call", [
    ("", "Widget.descendants.each(&:name)\n"),
    ("", "Widget.subclasses.map(&:name)\n"),
    ("  def self.kinds\n    descendants.map(&:name)\n  end\n", "Widget.kinds\n"),
    ("  def kinds\n    self.class.subclasses.map(&:name)\n  end\n", "Widget.new.kinds\n"),
    ("", "Rails.autoloaders.main.eager_load_namespace(Widget)\n"),
    ("  def self.inherited(sub)\n    super\n    (@all ||= []) << sub\n  end\n", "Widget.new\n"),
], ids=["descendants", "subclasses", "bare_descendants", "self_class_subclasses",
        "eager_load_namespace", "inherited_hook"])
def test_registry_of_live_parent_keeps_subclasses(check, parent_body, live_call):
    c = check(_registry_tree(parent_body, live_call),
              dead=["Gizmo", "Gadget"], live=["Widget", "Widget::Button"])
    # a subclass of a live class that nothing enumerates is dead, and so is its parent
    assert c["Gadget"] == UNREF
    assert c["Gizmo"] == DEAD_CALLERS
    if "eager_load_namespace" in live_call:
        # the namespace reaches Widget::Button only, not a subclass outside it
        assert c == {"Gadget": UNREF, "Gizmo": DEAD_CALLERS, "Toggle": UNREF}
    else:
        assert c == {"Gadget": UNREF, "Gizmo": DEAD_CALLERS}


def test_control_without_registry_subclasses_are_dead(check):
    c = check(_registry_tree("", "Widget.new\n"), live=["Widget"])
    assert c == {"Gadget": UNREF, "Gizmo": DEAD_CALLERS, "Widget::Button": DEAD_CALLERS,
                 "Toggle": UNREF}


@pytest.mark.parametrize("parent_body, enumerator", [
    ("", "class WidgetCatalog\n  def all = Widget.descendants\nend\n"),
    ("  def self.kinds\n    descendants.map(&:name)\n  end\n", ""),
    ("  def self.inherited(sub)\n    super\n    (@all ||= []) << sub\n  end\n", ""),
], ids=["dead_enumerator", "bare_descendants_dead_parent", "inherited_hook_dead_parent"])
def test_registry_from_dead_code_reports_subclasses(check, parent_body, enumerator):
    files = _registry_tree(parent_body, "")
    if enumerator:
        files["app/services/widget_catalog.rb"] = enumerator
    c = check(files)
    assert c["Widget::Button"] == DEAD_CALLERS
    assert c["Toggle"] == DEAD_CALLERS
    assert c["Widget"] == DEAD_CALLERS
    if enumerator:
        assert c["WidgetCatalog"] == UNREF


# ---------------------------------------------------------------------------
# 2. File loading
# ---------------------------------------------------------------------------

def test_dir_glob_in_initializer_loads_files(check):
    c = check({
        "config/initializers/plugins.rb": 'Dir[Rails.root.join("app", "plugins", "*.rb")].each { |f| require f }\n',
        "app/plugins/audit_plugin.rb": "class AuditPlugin\nend\n",
        "app/services/stray_plugin.rb": "class StrayPlugin\nend\n",
    }, live=["AuditPlugin"])
    assert c == {"StrayPlugin": UNREF}


def test_dir_glob_star_does_not_descend_into_subfolders(check):
    c = check({
        "config/initializers/plugins.rb": 'Dir[Rails.root.join("app", "services", "plugins", "*.rb")].each { |f| require f }\n',
        "app/services/plugins/audit_plugin.rb": "class AuditPlugin\nend\n",
        "app/services/plugins/nested/deep_plugin.rb": "class DeepPlugin\nend\n",
    }, live=["AuditPlugin"])
    # Ruby's Dir["app/services/plugins/*.rb"] does not list app/services/plugins/nested/deep_plugin.rb
    assert c == {"DeepPlugin": UNREF}


def test_dir_glob_relative_to_dir_and_file(check):
    c = check({
        "lib/loader.rb": 'module Loader\n  Dir[File.join(__dir__, "steps", "*.rb")].each { |f| require f }\nend\n',
        "lib/steps/first_step.rb": "class FirstStep\nend\n",
        "lib/packer.rb": 'module Packer\n  Dir[File.expand_path("../packs/*.rb", __FILE__)].each { |f| load f }\nend\n',
        "lib/packs/small_pack.rb": "class SmallPack\nend\n",
        "lib/other/lost_step.rb": "class LostStep\nend\n",
        "config/initializers/boot.rb": 'require "loader"\nrequire "packer"\n',
    }, live=["Loader", "Packer", "FirstStep", "SmallPack"])
    assert c == {"LostStep": UNREF}


def test_dir_glob_with_run_time_segment(check):
    c = check({
        "app/models/importer.rb": (
            "class Importer\n"
            "  def self.load_parts(name)\n"
            '    Dir[Rails.root.join("app", "models", name.underscore, "*.rb")].each { |f| require f }\n'
            "  end\n"
            "end\n"),
        "app/models/invoice/parser.rb": "class Invoice\n  class Parser\n  end\nend\n",
        "app/models/plain.rb": "class Plain\nend\n",
        "config/initializers/i.rb": 'Importer.load_parts("Invoice")\n',
    }, live=["Importer", "Invoice", "Invoice::Parser"])
    # app/models/*/*.rb: one folder deep, not app/models/plain.rb
    assert c == {"Plain": UNREF}


def test_glob_from_a_local_variable_reaches_nothing(check):
    c = check({
        "config/initializers/scan.rb": 'path = ENV.fetch("EXTRA", "lib")\nDir.glob(File.join(path, "*")).each { |f| require f }\n',
        "lib/extra_thing.rb": "class ExtraThing\nend\n",
    })
    assert c == {"ExtraThing": UNREF}


def test_require_loads_lib_file_from_live_code_only(check):
    c = check({
        "lib/feature.rb": "class Feature\nend\nclass FeatureFlag\nend\n",
        "lib/legacy_feature.rb": "class LegacyFeature\nend\n",
        "config/initializers/feature.rb": 'require "feature"\n',
        "app/services/legacy_runner.rb": 'class LegacyRunner\n  def run\n    require "legacy_feature"\n  end\nend\n',
    }, live=["Feature", "FeatureFlag"])
    assert c["LegacyRunner"] == UNREF
    assert c["LegacyFeature"] == DEAD_CALLERS


def test_require_relative_loads_the_file(check):
    c = check({
        "lib/tools/runner.rb": 'require_relative "helpers/formatter"\n\nmodule Tools\n  class Runner\n  end\nend\n',
        "lib/tools/helpers/formatter.rb": "module Tools\n  class Formatter\n  end\nend\n",
        "lib/tools/helpers/unused.rb": "module Tools\n  class Unused\n  end\nend\n",
        "app/services/dead_tool.rb": 'class DeadTool\n  def go\n    require_relative "../../lib/tools/helpers/unused"\n  end\nend\n',
        "config/initializers/tools.rb": "Tools::Runner.new\n",
    }, live=["Tools", "Tools::Runner", "Tools::Formatter"])
    assert c == {"DeadTool": UNREF, "Tools::Unused": DEAD_CALLERS}


# ---------------------------------------------------------------------------
# 3. Reopened classes
# ---------------------------------------------------------------------------

def test_reopened_core_and_gem_classes_are_never_candidates(check):
    lock = GEMFILE_LOCK.replace("    rails (7.1.0)\n", "    rails (7.1.0)\n    faraday (2.9.0)\n")
    c = check({
        "Gemfile.lock": lock,
        "lib/core_ext/string.rb": "class String\n  def shout = upcase\nend\n",
        "lib/core_ext/faraday.rb": "module Faraday\n  class Response\n    def ok? = status == 200\n  end\nend\n",
        "config/initializers/proxy.rb": "class ActiveRecord::Associations::CollectionProxy\n  def second_to_last = self[-2]\nend\n",
        "lib/core_ext/sidekick.rb": "module Sidekick\n  class Response\n  end\nend\n",
    }, live=["String", "Faraday", "Faraday::Response",
             "ActiveRecord::Associations::CollectionProxy"])
    # a module of the app's own, whose name no gem owns, is still a candidate
    assert c == {"Sidekick::Response": UNREF, "Sidekick": ("module", "dead_callers_only", "medium")}


def test_an_engine_gems_controller_overridden_in_the_app(check):
    # app/controllers/samvera/persona/users_controller.rb overrides the samvera-persona
    # engine's controller: the engine's routes reach it, the app's routes do not name it
    lock = GEMFILE_LOCK.replace("    rails (7.1.0)\n", "    rails (7.1.0)\n    samvera-persona (0.5.0)\n")
    c = check({
        "Gemfile.lock": lock,
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
        "app/controllers/samvera/persona/users_controller.rb": (
            "module Samvera\n  module Persona\n    class UsersController < ApplicationController\n"
            "      def impersonate; end\n      def paged_index; end\n    end\n  end\nend\n"),
        "config/routes.rb": ("Rails.application.routes.draw do\n  resources :users, only: [], controller: "
                             "'samvera/persona/users' do\n    get :paged_index, on: :collection\n  end\nend\n"),
        "app/controllers/samvera_tools/users_controller.rb": (
            "module SamveraTools\n  class UsersController < ApplicationController\n      def index; end\n  end\nend\n"),
    }, live=["Samvera::Persona::UsersController", "Samvera::Persona", "Samvera"])
    assert c["Samvera::Persona::UsersController#impersonate"] == ("action", "unreferenced", "low")
    assert c["SamveraTools::UsersController"] == ("controller", "unreferenced", "high")


def test_gem_module_not_in_lockfile_is_a_candidate(check):
    c = check({
        "lib/core_ext/faraday.rb": "module Faraday\n  class Response\n  end\nend\n",
    })
    assert c["Faraday::Response"] == UNREF
    assert c == {"Faraday::Response": UNREF, "Faraday": ("module", "dead_callers_only", "medium")}


# ---------------------------------------------------------------------------
# 4. Constant lookup through ancestors
# ---------------------------------------------------------------------------

def test_constant_lookup_through_superclass(check):
    c = check({
        "app/models/storage.rb": "class Storage\n  class Error < StandardError\n  end\nend\n",
        "app/models/storage/disk.rb": "class Storage::Disk < Storage\n  def write\n    raise Error, \"full\"\n  end\nend\n",
        "app/models/other.rb": "module Other\n  class Error < StandardError\n  end\nend\n",
        "config/initializers/storage.rb": "Storage::Disk.new.write\n",
    }, live=["Storage", "Storage::Disk", "Storage::Error"])
    assert c == {"Other::Error": UNREF, "Other": ("module", "dead_callers_only", "medium")}


def test_self_class_scoped_constant_resolves_on_each_receiving_class(check):
    """``self.class::Syncer`` in a mixin means ``Includer::Syncer`` for every class that
    includes it (and their subclasses); in a class, the class and its subclasses."""
    c = check({
        "app/models/concerns/syncable.rb":
            "module Syncable\n  def sync\n    self.class::Syncer.new(self).run\n  end\nend\n",
        "app/models/account.rb": "class Account\n  include Syncable\nend\n",
        "app/models/account/syncer.rb": "class Account::Syncer\nend\n",
        "app/models/item.rb": "class Item\n  include Syncable\nend\n",
        "app/models/item/syncer.rb": "class Item::Syncer\nend\n",
        "app/models/plaid_item.rb": "class PlaidItem < Item\nend\n",
        "app/models/plaid_item/syncer.rb": "class PlaidItem::Syncer\nend\n",
        "app/models/report.rb": "class Report\n  def go = self.class::Builder::Step.new\nend\n",
        "app/models/report/builder.rb": "class Report::Builder\n  class Step\n  end\nend\n",
        "app/models/family.rb": "class Family\nend\n",
        "app/models/family/syncer.rb": "class Family::Syncer\nend\n",
        "config/initializers/sync.rb": "[Account, PlaidItem, Report].each { |k| k.new.sync }\n",
    }, live=["Account::Syncer", "Item::Syncer", "PlaidItem::Syncer", "Report::Builder::Step",
             "Syncable"])
    # Family does not include Syncable: its Syncer is found (and Family, named only by it)
    assert c == {"Family::Syncer": UNREF, "Family": DEAD_CALLERS}


# ---------------------------------------------------------------------------
# 5. Unresolved A::B is a use of A
# ---------------------------------------------------------------------------

def test_unresolved_member_is_a_use_of_its_namespace(check):
    c = check({
        "app/models/types.rb": "module Types\nend\n",
        "app/models/kinds.rb": "module Kinds\nend\n",
        "app/services/schema.rb": "class Schema\n  def id_type = Types::Integer\nend\n",
        "app/services/old_schema.rb": "class OldSchema\n  def id_type = Kinds::Integer\nend\n",
        "config/initializers/schema.rb": "Schema.new\n",
    }, live=["Types", "Schema"])
    assert c["OldSchema"] == UNREF
    assert c == {"OldSchema": UNREF, "Kinds": ("module", "dead_callers_only", "medium")}


# ---------------------------------------------------------------------------
# 6. Confidence propagation
# ---------------------------------------------------------------------------

def test_low_confidence_propagates_to_what_only_it_reaches(check):
    c = check({
        "app/services/export_runner.rb": 'class ExportRunner\n  def run(fmt) = "#{fmt.camelize}Exporter".constantize.new\nend\n',
        "app/services/csv_exporter.rb": "class CsvExporter\n  def rows = CsvFormatter.new\nend\n",
        "app/services/csv_formatter.rb": "class CsvFormatter\n  def cell = CellPadder.new\nend\n",
        "app/services/cell_padder.rb": "class CellPadder\nend\n",
        "app/services/orphan_report.rb": "class OrphanReport\n  def run = ReportHelper.new\nend\n",
        "app/services/report_helper.rb": "class ReportHelper\nend\n",
        "config/initializers/export.rb": 'ExportRunner.new.run("csv")\n',
    }, live=["ExportRunner"])
    assert c == {
        "CsvExporter": ("class", "unreferenced", "low"),
        "CsvFormatter": ("class", "dead_callers_only", "low"),
        "CellPadder": ("class", "dead_callers_only", "low"),
        "OrphanReport": UNREF,
        "ReportHelper": DEAD_CALLERS,
    }


def test_medium_root_caps_what_it_reaches(check):
    # an uninvoked rake task is low without --context (it may be run by hand or by a
    # scheduler elsewhere), and what only it reaches follows it
    c = check({
        "lib/tasks/cleanup.rake": "namespace :cleanup do\n  task purge: :environment do\n    Purger.new.run\n  end\nend\n",
        "app/services/purger.rb": "class Purger\n  def run = PurgeLog.new\nend\n",
        "app/services/purge_log.rb": "class PurgeLog\nend\n",
    })
    assert c == {
        "cleanup:purge": ("rake_task", "unreferenced", "low"),
        "Purger": ("class", "dead_callers_only", "low"),
        "PurgeLog": ("class", "dead_callers_only", "low"),
    }


# ---------------------------------------------------------------------------
# 7. Rake descriptions
# ---------------------------------------------------------------------------

def test_rake_desc_lowers_confidence_and_propagates_to_prerequisites(check):
    c = check({
        "lib/tasks/data.rake": (
            "namespace :data do\n"
            '  desc "Rebuild the search index"\n'
            "  task rebuild: :prepare do\n"
            "    Reindexer.new.run\n"
            "  end\n"
            "  task prepare: :environment do\n"
            "  end\n"
            "  task scratch: :environment do\n"
            "  end\n"
            '  desc "Nightly"\n'
            "  task nightly: :environment do\n"
            "  end\n"
            "end\n"),
        "app/services/reindexer.rb": "class Reindexer\nend\n",
        "config/schedule.rb": 'every 1.day do\n  rake "data:nightly"\nend\n',
    }, live=["data:nightly"])
    assert c == {
        "data:rebuild": ("rake_task", "unreferenced", "low"),
        "data:prepare": ("rake_task", "dead_callers_only", "low"),
        "data:scratch": ("rake_task", "unreferenced", "low"),
        "Reindexer": ("class", "dead_callers_only", "low"),
    }


def test_file_lists_are_not_loading(check):
    # a gemspec's `files` list and a glob of every file name files, they load nothing
    c = check({
        "engines/shop/shop.gemspec": 'Gem::Specification.new do |s|\n  s.files = Dir["{app,lib}/**/*"]\nend\n',
        "engines/shop/app/services/shop/cart.rb": "module Shop\n  class Cart\n  end\nend\n",
        "config/initializers/assets.rb": 'Dir[Rails.root.join("app", "services", "**", "*")].each { |f| puts f }\n',
    })
    assert c["Shop::Cart"] == UNREF


def test_context_folder_references_count_but_define_nothing(tmp_path):
    """--context: another repository's references keep code alive; its classes are not ours."""
    import json
    import subprocess
    import sys

    from tests.conftest import write_tree
    app = write_tree(tmp_path / "app", {
        "app/workers/nightly_worker.rb": "class NightlyWorker\n  include Sidekiq::Job\n  def perform; end\nend\n",
        "app/workers/stray_worker.rb": "class StrayWorker\n  include Sidekiq::Job\n  def perform; end\nend\n",
        "lib/tasks/ops.rake": "task :nightly do\nend\ntask :stray do\nend\n",
    })
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "schedule.yml").write_text('jobs:\n  - class: "NightlyWorker"\n')
    (infra / "stray_worker.rb").write_text("class StrayWorker\nend\n")   # not ours: no entry point

    def names(*extra):
        proc = subprocess.run([sys.executable, "-m", "deadcode", "scan", app, "--no-cache", "-q",
                               "--format", "json", *extra], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return {c["name"]: c for c in json.loads(proc.stdout)["candidates"]}

    (infra / "rules.json").write_text('{"command": ["bundle", "exec", "rake", "nightly"]}\n')
    alone = names()
    assert set(alone) == {"NightlyWorker", "StrayWorker", "nightly", "stray"}
    # without the scheduler's repository an uninvoked task is not provable: low
    assert alone["stray"]["confidence"] == "low"
    got = names("--context", str(infra))
    assert set(got) == {"StrayWorker", "stray"}
    assert got["StrayWorker"]["references"] == []
    assert got["stray"]["confidence"] == "medium"


def test_constant_alias_resolves_what_it_names(check):
    c = check({
        "app/services/custom_landing_page/caching.rb": "module CustomLandingPage\n  class Caching\n  end\nend\n",
        "app/services/custom_landing_page/stale.rb": "module CustomLandingPage\n  class Stale\n  end\nend\n",
        "app/services/landing.rb": "class Landing\n  CLP = CustomLandingPage\n  def x; CLP::Caching.new; end\nend\n",
        "config/initializers/l.rb": "Landing.new\n",
    }, live=["CustomLandingPage::Caching"])
    assert c == {"CustomLandingPage::Stale": UNREF}


def test_tasks_an_enhance_or_a_prerequisites_list_runs(check):
    c = check({
        "Rakefile": ("task :monkey_patch_annotate do\nend\nRake::Task['db:migrate'].enhance [:monkey_patch_annotate]\n"
                     "task :lint do\nend\ntask(:default).prerequisites.unshift(task(:lint))\n"
                     "task :loose do\nend\n"),
        "lib/tasks/ci.rake": "namespace :ci do\n  task :setup do\n  end\n  task :stray do\n  end\nend\n"
                             "Rake::Task['spec'].prerequisites << 'ci:setup'\n",
    }, live=["monkey_patch_annotate", "lint", "ci:setup"])
    assert c == {"loose": ("rake_task", "unreferenced", "low"), "ci:stray": ("rake_task", "unreferenced", "low")}
    # `task(:default)` looks a task up: not a definition
    assert "default" not in c


def test_rake_tasks_with_arguments_or_a_usage_comment_are_low(check):
    c = check({
        "lib/tasks/ops.rake": "task :deploy_to, [:destination] do |t, args|\nend\n"
                              "# Usage: bundle exec rake heroku:config\nnamespace :heroku do\n"
                              "  task config: :environment do\n  end\nend\n"
                              "task :leftover do\nend\n",
    })
    assert c == {"deploy_to": ("rake_task", "unreferenced", "low"),
                 "heroku:config": ("rake_task", "unreferenced", "low"),
                 "leftover": ("rake_task", "unreferenced", "low")}


def test_classes_in_documentation_code_examples_are_low(check):
    c = check({
        "docs/migrating.md": "Run it from a console:\n\n```ruby\nMigrator::TopicRecipe.new.run\n```\n"
                            "or `Backfill.call(edition)`. The OldRecipe class is gone.\n"
                            "```\nnightly ─> OldRecipe ─> Migrator::Pipeline\n```\n",
        "app/services/migrator/topic_recipe.rb": "module Migrator\n  class TopicRecipe < BaseRecipe\n  end\nend\n",
        "app/services/migrator/base_recipe.rb": "module Migrator\n  class BaseRecipe\n  end\nend\n",
        "app/services/backfill.rb": "class Backfill\nend\n",
        "app/services/old_recipe.rb": "class OldRecipe\nend\n",
    })
    assert c == {
        "Migrator::TopicRecipe": ("class", "unreferenced", "low"),
        "Migrator::BaseRecipe": ("class", "dead_callers_only", "low"),
        "Migrator": ("module", "dead_callers_only", "low"),
        "Backfill": ("class", "unreferenced", "low"),
        "OldRecipe": UNREF,
    }


def test_test_support_code_in_lib_is_test_code(check):
    from deadcode.discovery import classify_path
    from deadcode.model import Role
    assert classify_path("lib/test_helpers/pdf_factory.rb") == Role.TEST
    assert classify_path("lib/testing_tools.rb") != Role.TEST
    c = check({
        "lib/test_helpers/pdf_factory.rb": "module PdfFactory\n  def self.build = 1\nend\n",
        "spec/pdf_spec.rb": "require_relative '../lib/test_helpers/pdf_factory'\nPdfFactory.build\n",
        "lib/pdf_tools.rb": "module PdfTools\nend\n",
        "spec/pdf_tools_spec.rb": "PdfTools\n",
    })
    assert c == {"PdfTools": ("module", "test_only", "high")}


def test_inflected_run_time_path_makes_matching_constants_low(check):
    c = check({
        "app/controllers/questions_controller.rb":
            "class QuestionsController < ApplicationController\n"
            "  def self.form_key = \"state_file/\" + controller_name + \"_form\"\n"
            "  def self.form_class = form_key.classify.constantize\n"
            "  def self.other = \"#{controller_name}_exporter\".camelize.constantize\nend\n",
        "config/initializers/q.rb": "QuestionsController.form_class\nQuestionsController.other\n",
        "app/forms/state_file/bank_form.rb": "module StateFile\n  class BankForm\n  end\nend\n",
        "app/forms/bank_form.rb": "class BankForm\nend\n",
        "app/services/csv_exporter.rb": "class CsvExporter\nend\n",
        "app/models/edition.rb": "class Edition\n  def self.by_format(f) = where(type: \"#{f}_edition\".classify)\nend\n",
        "config/initializers/e.rb": "Edition.by_format(:video)\n",
        "app/models/video_edition.rb": "class VideoEdition\nend\n",
        # camelcase is camelize's alias: (name.to_s + "_resolver").camelcase.constantize
        "app/graphql/query_type.rb": "class QueryType\n  def method_missing(name, *args)\n"
                                     "    (name.to_s + \"_resolver\").camelcase.constantize.new\n  end\nend\n",
        "config/initializers/g.rb": "QueryType.new.courses\n",
        "app/queries/courses_resolver.rb": "class CoursesResolver\nend\n",
    })
    assert c["CoursesResolver"] == ("class", "unreferenced", "low")
    assert c["VideoEdition"] == ("class", "unreferenced", "low")
    assert c["StateFile::BankForm"] == ("class", "unreferenced", "low")
    assert c["CsvExporter"] == ("class", "unreferenced", "low")
    assert c["BankForm"] == UNREF          # outside the StateFile:: path


def test_constant_begun_by_an_interpolated_string_passed_to_eval(check):
    # eval("Builders::#{kind.capitalize}Builder.new(x)") may build any Builders::*Builder
    c = check({
        "app/models/builders/factory.rb": "module Builders\n  class Factory\n    def self.build(kind, x)\n"
                                          "      eval(\"Builders::#{kind.capitalize}Builder.new(x)\")\n"
                                          "      kind.to_s.constantize\n"
                                          "    end\n  end\nend\n",
        "config/initializers/b.rb": "Builders::Factory.build(:daily, 1)\n",
        "app/models/builders/daily_builder.rb": "module Builders\n  class DailyBuilder\n  end\nend\n",
        "app/models/builders/orphan.rb": "module Builders\n  class Orphan\n  end\nend\n",
        # the same string not given to eval is only text
        "app/models/notes.rb": "class Notes\n  def self.say(k) = puts(\"Reports::#{k}Report.new\")\nend\n",
        "config/initializers/n.rb": "Notes.say(1)\n",
        "app/models/reports/weekly_report.rb": "module Reports\n  class WeeklyReport\n  end\nend\n",
    })
    assert c["Builders::DailyBuilder"] == ("class", "unreferenced", "low")
    assert c["Builders::Orphan"] == UNREF
    assert c["Reports::WeeklyReport"] == UNREF


def test_header_comment_saying_it_runs_by_hand_makes_it_low(check):
    c = check({
        "app/jobs/update_token_job.rb": "# Not called in the code, only called if manually expiring\n"
                                        "class UpdateTokenJob < ApplicationJob\n  def perform(id); end\nend\n",
        "lib/modules/partners.rb": "##\n# Provided for B/C with assessment configs that might still be including\n"
                                   "# this module.\n#\nmodule Partners; end\n",
        "app/jobs/stale_job.rb": "# Sends the weekly digest\nclass StaleJob < ApplicationJob\nend\n",
        "app/models/note.rb": "# run manually once\n\nclass Note\nend\n",   # not its header: a blank line
    })
    assert c["UpdateTokenJob"] == ("job", "unreferenced", "low")
    assert c["Partners"] == ("module", "unreferenced", "low")
    assert c["StaleJob"] == ("job", "unreferenced", "high")
    assert c["Note"] == UNREF


def test_a_usage_example_in_the_header_of_a_console_tool(check):
    c = check({
        "lib/data_injection/injector.rb": (
            "# A utility class to inject claims.\n# example:\n#  injector = DataInjection::Injector.new(claims)\n"
            "#  injector.call\n#\nmodule DataInjection\n  class Injector\n    def call; end\n  end\nend\n"),
        "lib/utilities/redis_scanner.rb": (
            "# Search redis keys\n#\n# Example usage:\n#\n# scanner = Utilities::RedisScanner.new(redis)\n"
            "module Utilities\n  class RedisScanner; end\nend\n"),
        "lib/tools/sweeper.rb": "# Sweeps old rows; see the example in the wiki\nclass Sweeper; end\n",
        # in app/ a usage example tells other code how to call it
        "app/models/cache_version.rb": "# Usage:\n#   CacheVersion.topic_at = Time.now\nclass CacheVersion; end\n",
        # "To run:" says it is run by hand, wherever it is
        "app/services/fraud_refund.rb": "# To run: FraudRefund.new(ids).process\nclass FraudRefund; end\n",
    })
    assert c["FraudRefund"] == ("class", "unreferenced", "low")
    assert c["CacheVersion"] == UNREF
    assert c["DataInjection::Injector"] == ("class", "unreferenced", "low")
    assert c["Utilities::RedisScanner"] == ("class", "unreferenced", "low")
    assert c["Sweeper"] == UNREF


def test_a_file_a_deployment_command_runs(check):
    c = check({
        "helm_deploy/app/templates/metrics.yaml": (
            "spec:\n  containers:\n    - command: ['bundle', 'exec', 'prometheus_exporter', '-a', "
            "'app/lib/collectors/all.rb']\n"),
        "Procfile": "sync: bundle exec ruby script/sync_users.rb\n",
        ".rubocop_todo.yml": "Metrics/AbcSize:\n  Exclude:\n    - 'app/lib/old/thing.rb'\n",
        "app/lib/collectors/all.rb": "module Collectors\n  class Jobs; end\nend\n",
        "script/sync_users.rb": "class SyncUsers; end\nSyncUsers.new\n",
        "app/lib/old/thing.rb": "module Old\n  class Thing; end\nend\n",
    }, live=["Collectors", "Collectors::Jobs", "SyncUsers"])
    assert c["Old::Thing"] == UNREF


def test_a_tool_that_reads_the_keyboard_is_run_by_hand(check):
    c = check({
        "lib/threads_importer.rb": ("class ThreadsImporter\n  def run\n    print 'go on? '\n"
                                    "    return unless gets.chomp == 'y'\n    Threads::Users.new\n  end\nend\n"),
        "lib/threads/users.rb": "module Threads\n  class Users; end\nend\n",
        "lib/cache_client.rb": "class CacheClient\n  def x = memcache.gets('k')\nend\n",
        "lib/stopwords.rb": "class Stopwords\n  WORDS = %w[get\n    gets\n    given].freeze\nend\n",
        "app/services/prompt.rb": "class Prompt\n  def ask = STDIN.gets\nend\n",
    })
    assert c["ThreadsImporter"] == ("class", "unreferenced", "low")
    assert c["Threads::Users"][2] == "low"
    assert c["CacheClient"] == UNREF     # another object's gets
    assert c["Stopwords"] == UNREF       # a word in a list
    assert c["Prompt"] == UNREF          # app/ code is judged by its callers
