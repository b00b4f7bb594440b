"""Resolution, graph and verdicts on small inline apps."""


def test_lexical_resolution_beats_short_name(scan_tree):
    c = scan_tree({
        "app/services/billing/tax_calculator.rb": "module Billing\n  class TaxCalculator; end\nend\n",
        "app/services/tax_calculator.rb": "class TaxCalculator; end\n",
        "app/services/billing/invoice.rb": "module Billing\n  class Invoice\n    def t; TaxCalculator.new; end\n  end\nend\n",
        "config/initializers/boot.rb": "Billing::Invoice.new\n",
        "spec/services/tax_calculator_spec.rb": "RSpec.describe TaxCalculator do\nend\n",
    })
    assert c == {"TaxCalculator": ("class", "test_only", "high")}


def test_ambiguous_short_name_lowers_confidence_and_does_not_keep_alive(scan_tree):
    c = scan_tree({
        "app/services/billing/report.rb": "module Billing\n  class Report; end\nend\n",
        "app/services/analytics/report.rb": "module Analytics\n  class Report; end\nend\n",
        "config/initializers/x.rb": "Report.new\n",
    })
    assert c == {
        "Analytics::Report": ("class", "unreferenced", "medium"),
        "Billing::Report": ("class", "unreferenced", "medium"),
        "Analytics": ("module", "dead_callers_only", "medium"),
        "Billing": ("module", "dead_callers_only", "medium"),
    }


def test_transitive_dead_cluster(scan_tree):
    c = scan_tree({
        "app/services/a.rb": "class A\n  def x; B.new; end\nend\n",
        "app/services/b.rb": "class B\n  def x; C.new; A.new; end\nend\n",
        "app/services/c.rb": "class C; end\n",
    })
    assert c == {
        "A": ("class", "dead_callers_only", "medium"),
        "B": ("class", "dead_callers_only", "medium"),
        "C": ("class", "dead_callers_only", "medium"),
    }
    cand = {x.definition.name: x for x in scan_tree.result.classification.candidates}
    assert cand["C"].cluster == ["const:A", "const:B"]


def test_superclass_and_concern_follow_live_subclass(scan_tree):
    c = scan_tree({
        "app/models/application_record.rb": "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n",
        "app/models/concerns/auditable.rb": "module Auditable\n  extend ActiveSupport::Concern\nend\n",
        "app/models/concerns/archivable.rb": "module Archivable\n  extend ActiveSupport::Concern\nend\n",
        "app/models/user.rb": "class User < ApplicationRecord\n  include Auditable\nend\n",
        "config/initializers/u.rb": "User.first\n",
    })
    assert c == {"Archivable": ("concern", "unreferenced", "high")}


def test_a_class_named_like_its_superclass_inherits_the_outer_one(scan_tree):
    # `module Publish; class UserForm < UserForm`: Ruby looks the superclass up before the
    # class exists, so it is the top-level UserForm
    c = scan_tree({
        "app/forms/user_form.rb": "class UserForm; end\n",
        "app/forms/publish/user_form.rb": "module Publish\n  class UserForm < UserForm\n  end\nend\n",
        "app/forms/support/user_form.rb": "class Support::UserForm < UserForm; end\n",
        "config/initializers/f.rb": "Publish::UserForm.new\n",
    })
    assert c == {"Support::UserForm": ("class", "unreferenced", "high")}


def test_namespace_module_is_live_while_child_is(scan_tree):
    c = scan_tree({
        "app/controllers/admin/payouts_controller.rb": "module Admin\n  class PayoutsController < ApplicationController\n    def index; end\n  end\nend\n",
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
        "config/routes.rb": "Rails.application.routes.draw do\n  namespace :admin do\n    resources :payouts, only: [:index]\n  end\nend\n",
    })
    assert c == {}


def test_dispatch_map_orphans_and_jobs_behind_them(scan_tree):
    c = scan_tree({
        "app/workers/live_worker.rb": "class LiveWorker\n  include Sidekiq::Job\nend\n",
        "app/workers/old_worker.rb": "class OldWorker\n  include Sidekiq::Job\nend\n",
        "app/services/dispatcher.rb": 'class Dispatcher\n  TASKS = { "live_task" => LiveWorker, "old_task" => "OldWorker" }\n  def self.run(n) = TASKS.fetch(n).perform_async\nend\n',
        "lib/tasks/d.rake": "task :dispatch, [:name] => :environment do |_, a|\n  Dispatcher.run(a[:name])\nend\n",
        "config/schedule.yml": "live:\n  command: bundle exec rake dispatch[live_task]\n",
    })
    assert c == {
        "old_task": ("dispatch_entry", "orphaned_entry", "medium"),
        "OldWorker": ("worker", "dead_callers_only", "medium"),
    }


def test_dynamic_pattern_makes_confidence_low(scan_tree):
    c = scan_tree({
        "app/exporters/csv_exporter.rb": "class CsvExporter; end\n",
        "app/services/export.rb": 'class Export\n  def run(k) = "#{k.camelize}Exporter".constantize\nend\n',
        "config/initializers/e.rb": "Export.new\n",
    })
    assert c == {"CsvExporter": ("class", "unreferenced", "low")}


def test_dynamic_pattern_from_the_top_level(scan_tree):
    c = scan_tree({
        "app/components/filters/subject_attributes.rb": "module Filters\n  class SubjectAttributes; end\nend\n",
        "app/components/filters/view.rb": 'module Filters\n  class View\n    def x(m) = "::Filters::#{m}Attributes".constantize\n  end\nend\n',
        "config/initializers/e.rb": "Filters::View.new\n",
    })
    assert c == {"Filters::SubjectAttributes": ("class", "unreferenced", "low")}


def test_string_in_yaml_keeps_class_alive(scan_tree):
    c = scan_tree({
        "app/workers/payments/nightly_sync_worker.rb": "module Payments\n  class NightlySyncWorker\n    include Sidekiq::Job\n  end\nend\n",
        "config/schedule.yml": "nightly:\n  cron: '0 3 * * *'\n  class: \"Payments::NightlySyncWorker\"\n",
    })
    assert c == {}


def test_migrations_never_keep_anything_alive(scan_tree):
    # a model a migration touches goes with its table; a helper class migrations call
    # is still a candidate, but deleting it breaks db:migrate from scratch: low
    c = scan_tree({
        "app/models/legacy.rb": "class Legacy < ActiveRecord::Base; end\n",
        "app/services/backfill.rb": "class Backfill; end\n",
        "db/migrate/20200101000000_fix.rb":
            "class Fix < ActiveRecord::Migration[7.1]\n  def up; Legacy.all; Backfill.new; end\nend\n",
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "fixes" do |t|\n  end\nend\n',
    })
    assert c["Legacy"] == ("model", "unreferenced", "high")
    assert c["Backfill"] == ("class", "unreferenced", "low")


def test_without_a_schema_dump_code_migrations_use_is_at_most_low(scan_tree):
    # installs that run db:migrate from scratch still run every migration
    c = scan_tree({
        "app/models/legacy.rb": "class Legacy; end\n",
        "db/migrate/20200101000000_fix.rb": "class Fix < ActiveRecord::Migration[7.1]\n  def up; Legacy.all; end\nend\n",
    })
    assert c == {"Legacy": ("class", "unreferenced", "low")}
    cand = scan_tree.result.classification.candidates[0]
    assert any("no schema dump" in r for r in cand.reasons)


def test_keep_comment_suppresses_and_is_listed(scan_tree):
    c = scan_tree({"app/lib/legacy.rb": "# deadcode:keep ops console\nclass Legacy; end\n"})
    assert c == {}
    kept = scan_tree.result.classification.kept
    assert [(d.name, reason) for d, reason, _ in kept] == [("Legacy", "ops console")]


def test_zeitwerk_path_string_names_a_constant(scan_tree):
    c = scan_tree({
        "app/lib/estimators/clair_v2.rb": "module Estimators\n  class ClairV2; end\nend\n",
        "app/lib/estimators/clair_v1.rb": "module Estimators\n  class ClairV1; end\nend\n",
        "config/initializers/estimators.rb": 'ACTIVE = "estimators/clair_v2".camelize.constantize\n',
    })
    assert c == {"Estimators::ClairV1": ("class", "unreferenced", "high")}


def test_concern_class_methods_follow_the_concern(scan_tree):
    c = scan_tree({
        "app/models/concerns/taggable.rb": "module Taggable\n  extend ActiveSupport::Concern\n  module ClassMethods\n    def tagged; end\n  end\nend\n",
        "app/models/post.rb": "class Post\n  include Taggable\nend\n",
        "config/initializers/p.rb": "Post.tagged\n",
    })
    assert c == {}


def test_a_name_in_a_comment_is_evidence_not_a_use(scan_tree):
    c = scan_tree({
        "app/services/billing/old_exporter.rb": "module Billing\n  class OldExporter; end\nend\n",
        "app/services/billing/invoice.rb": "module Billing\n  # replaced Billing::OldExporter in 2023\n  class Invoice; end\nend\n",
        "config/initializers/b.rb": "Billing::Invoice.new\n",
    })
    assert c == {"Billing::OldExporter": ("class", "unreferenced", "high")}
    cand = scan_tree.result.classification.candidates[0]
    assert [(e["file"], e["line"], e["why"]) for e in cand.references] == [
        ("app/services/billing/invoice.rb", 2, "a comment, not code")]
