"""Rails conventions, one plugin at a time: assert_live / assert_dead on inline snippets."""

import pytest

from tests.conftest import checker

BASE = {
    "app/models/application_record.rb": "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n",
    "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
    "config/routes.rb": "Rails.application.routes.draw do\nend\n",
}


@pytest.fixture
def check(scan_tree):
    return checker(scan_tree, BASE)


def test_routes_controllers_and_actions(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :invoices, only: [:index]\nend\n",
        "app/controllers/invoices_controller.rb": "class InvoicesController < ApplicationController\n  before_action :load\n  def index; end\n  def legacy; end\n  def load; end\n  private\n  def helper; end\nend\n",
        "app/controllers/orphans_controller.rb": "class OrphansController < ApplicationController\n  def index; end\nend\n",
    }, dead=["OrphansController", "InvoicesController#legacy"], live=["InvoicesController", "InvoicesController#index", "InvoicesController#load"])
    assert c["InvoicesController#legacy"] == ("action", "unreferenced", "medium")
    assert c["OrphansController"] == ("controller", "unreferenced", "high")
    assert "OrphansController#index" not in c


def test_class_methods_in_class_self_are_not_actions(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :claims, only: [:index]\nend\n",
        "app/controllers/claims_controller.rb": (
            "class ClaimsController < ApplicationController\n  def index; end\n"
            "  class << self\n    def resource_klass(k) = k\n    private\n    def defined_resource_class; end\n  end\n"
            "  def legacy; end\nend\n"),
    }, dead=["ClaimsController#legacy"], live=["ClaimsController#index"])
    assert "ClaimsController#defined_resource_class" not in c
    assert "ClaimsController#resource_klass" not in c


def test_a_shorthand_hash_key_calls_the_method(check):
    # `Wizard.new(state_store:)` (Ruby 3.1) calls state_store, which a subclass overrides
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :steps, only: [:new]\n  resources :extras, only: [:new]\nend\n",
        "app/controllers/steps_controller.rb": (
            "class StepsController < ApplicationController\n  def new; Wizard.new(state_store:, x: 1); end\n"
            "  def state_store; end\n  def orphan; end\nend\n"),
        "app/controllers/extras_controller.rb": "class ExtrasController < StepsController\n  def state_store; end\nend\n",
    }, dead=["StepsController#orphan"], live=["StepsController#state_store", "ExtrasController#state_store"])


def test_a_public_method_calling_super_overrides_a_hook(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :bookmarks, only: [:index]\nend\n",
        "app/controllers/bookmarks_controller.rb": (
            "class BookmarksController < ApplicationController\n  def index; end\n"
            "  def search_service_context\n    super.merge(a: 1)\n  end\n  def legacy; end\nend\n"),
    }, dead=["BookmarksController#legacy", "BookmarksController#search_service_context"])
    assert c["BookmarksController#legacy"] == ("action", "unreferenced", "medium")
    assert c["BookmarksController#search_service_context"] == ("action", "unreferenced", "low")


def test_associations_with_inflection_and_class_name(check):
    check({
        "app/models/order.rb": "class Order < ApplicationRecord\n  has_many :line_items\n  has_many :people\n  belongs_to :buyer, class_name: \"Customer\"\n  belongs_to :subject, polymorphic: true\nend\n",
        "app/models/line_item.rb": "class LineItem < ApplicationRecord; end\n",
        "app/models/person.rb": "class Person < ApplicationRecord; end\n",
        "app/models/customer.rb": "class Customer < ApplicationRecord; end\n",
        "app/models/stray.rb": "class Stray < ApplicationRecord; end\n",
        "config/initializers/o.rb": "Order.first\n",
    }, dead=["Stray"], live=["LineItem", "Person", "Customer"])


def test_tables_follow_models_and_sql(check):
    c = check({
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "orders" do |t|\n  end\n  create_table "legacy_charges" do |t|\n  end\n  create_table "audit_rows" do |t|\n  end\n  create_table "ghosts" do |t|\n  end\nend\n',
        "app/models/order.rb": "class Order < ApplicationRecord; end\n",
        "app/models/ghost.rb": "class Ghost < ApplicationRecord; end\n",
        "app/services/audit.rb": 'class Audit\n  def rows = ActiveRecord::Base.connection.execute("SELECT * FROM audit_rows")\nend\n',
        "config/initializers/o.rb": "Order.first; Audit.new\n",
    }, dead=["legacy_charges", "ghosts", "Ghost"], live=["orders", "audit_rows"])
    assert c["legacy_charges"] == ("table", "unreferenced", "high")
    assert c["ghosts"] == ("table", "dead_callers_only", "medium")


def test_columns_qualified_by_their_table_name_it(check):
    c = check({
        "db/schema.rb": _schema("actions", "follows", "pins", "users", "ghosts", "logos"),
        "app/services/feed.rb": (
            'class Feed\n  def a = Topic.order("actions.id desc")\n  def b = User.pluck("follows.user_id")\n'
            '  def c = User.where("pins.created_at > ?", 1)\n  def d = t("users.index")\n'
            '  def e = "see logos.png for it"\nend\n'),
        "config/initializers/o.rb": "Feed.new\n",
    }, live=["actions", "follows", "pins"])
    assert c["users"] == ("table", "unreferenced", "high")     # an i18n key is not SQL
    assert c["logos"] == ("table", "unreferenced", "high")     # nor a file name
    assert c["ghosts"] == ("table", "unreferenced", "high")


def test_validator_policy_and_factory(check):
    c = check({
        "app/models/user.rb": "class User < ApplicationRecord\n  validates :email, email_format: true, presence: true\n"
                              "  validates :name, uniqueness: { scope: :x }, if: :y\nend\n",
        "app/validators/email_format_validator.rb": "class EmailFormatValidator < ActiveModel::EachValidator; end\n",
        # an app's own validator named like a built-in one (for models outside ActiveRecord)
        "app/validators/uniqueness_validator.rb": "class UniquenessValidator < ActiveModel::EachValidator; end\n",
        "app/validators/if_validator.rb": "class IfValidator < ActiveModel::EachValidator; end\n",
        "app/policies/user_policy.rb": "class UserPolicy\n  class Scope; end\nend\n",
        "app/models/relic.rb": "class Relic < ApplicationRecord; end\n",
        "app/policies/relic_policy.rb": "class RelicPolicy; end\n",
        "spec/factories/relics.rb": "FactoryBot.define do\n  factory :relic do\n  end\nend\n",
        "config/initializers/u.rb": "User.first\n",
    }, dead=["Relic", "RelicPolicy", "IfValidator"],
       live=["EmailFormatValidator", "UserPolicy", "UserPolicy::Scope", "UniquenessValidator"])
    assert c["Relic"] == ("model", "test_only", "high")


def test_mongoid_embedded_documents_are_associations(check):
    check({
        "app/models/app.rb": "class App\n  include Mongoid::Document\n  embeds_many :watchers\n  embeds_one :notice_fingerprinter\nend\n",
        "app/models/watcher.rb": "class Watcher\n  include Mongoid::Document\n  embedded_in :app\nend\n",
        "app/models/notice_fingerprinter.rb": "class NoticeFingerprinter\n  include Mongoid::Document\nend\n",
        "app/models/orphan.rb": "class Orphan\n  include Mongoid::Document\nend\n",
        "config/initializers/u.rb": "App.first\n",
    }, dead=["Orphan"], live=["Watcher", "NoticeFingerprinter"])


def test_validator_named_by_a_string_path(check):
    # validates :contents, "content_revision/contents" => true loads ContentRevision::ContentsValidator
    check({
        "app/models/content_revision.rb": "class ContentRevision < ApplicationRecord\n"
                                          "  validates :contents, \"content_revision/contents\" => true\nend\n",
        "app/models/content_revision/contents_validator.rb":
            "class ContentRevision\n  class ContentsValidator < ActiveModel::EachValidator; end\nend\n",
        "app/models/content_revision/tags_validator.rb":
            "class ContentRevision\n  class TagsValidator < ActiveModel::EachValidator; end\nend\n",
        "config/initializers/u.rb": "ContentRevision.first\n",
    }, dead=["ContentRevision::TagsValidator"], live=["ContentRevision::ContentsValidator"])


def test_jobs_and_schedulers(check):
    check({
        "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base; end\n",
        "app/jobs/later_job.rb": "class LaterJob < ApplicationJob; end\n",
        "app/jobs/sweeper.rb": "module Cleanup\n  class Sweeper; end\nend\n",
        "app/jobs/lonely_job.rb": "class LonelyJob < ApplicationJob; end\n",
        "app/workers/push_worker.rb": "class PushWorker\n  include Sidekiq::Job\nend\n",
        "config/schedule.rb": 'every 1.day do\n  runner "Cleanup::Sweeper.run"\n  rake "reports:weekly"\nend\n',
        "lib/tasks/reports.rake": "namespace :reports do\n  task weekly: :environment do\n    LaterJob.perform_later\n  end\n  task manual: :environment do\n  end\nend\n",
        "config/initializers/p.rb": 'Sidekiq::Client.push("class" => "PushWorker", "args" => [])\n',
    }, dead=["LonelyJob", "reports:manual"], live=["LaterJob", "Cleanup::Sweeper", "PushWorker", "reports:weekly"])


def test_helpers_live_while_views_exist(check):
    check({
        "app/helpers/format_helper.rb": "module FormatHelper; end\n",
        "app/views/home/index.html.erb": "<%= Widget.render %>\n",
        "app/components/widget.rb": "class Widget; end\n",
    }, live=["FormatHelper", "Widget"])


def test_rake_task_in_cloudformation_json_string(check):
    check({
        "lib/tasks/t.rake": "namespace :tasks do\n  task dispatch: :environment do\n  end\n  task forgotten: :environment do\n  end\nend\n",
        "infra/rules.yml": "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      Targets:\n        - Input: !Sub '{\"containerOverrides\":[{\"command\":[\"bundle\",\"exec\",\"rake\",\"tasks:dispatch[x]\"]}]}'\n",
    }, dead=["tasks:forgotten"], live=["tasks:dispatch"])


def test_controller_extras_rescue_from_and_action_endpoint(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :sessions, only: [:new]\nend\n",
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\n  rescue_from Pundit::NotAuthorizedError, with: :not_authorized\nend\n",
        "app/controllers/sessions_controller.rb": "class SessionsController < ApplicationController\n  def new; end\n  def not_authorized; end\n  def oauth_failure; end\n  def unused; end\nend\n",
        "config/initializers/omniauth.rb": "OmniAuth.config.on_failure = proc { |env| SessionsController.action(:oauth_failure).call(env) }\n",
    }, dead=["SessionsController#unused"],
       live=["SessionsController#not_authorized", "SessionsController#oauth_failure"])
    assert {k: v for k, v in c.items() if k.startswith("Sessions")} == {
        "SessionsController#unused": ("action", "unreferenced", "medium")}


def test_controller_handed_to_config_makes_its_unrouted_actions_low(check):
    # Gaffe: config.errors_controller = "ErrorsController" -- the gem calls #show
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  get '/errors/:t', to: 'errors#simulate'\n"
                            "  get '/pages', to: 'pages#index'\nend\n",
        "app/controllers/errors_controller.rb": "class ErrorsController < ApplicationController\n"
                                                "  def show; end\n  def simulate; end\nend\n",
        "app/controllers/pages_controller.rb": "class PagesController < ApplicationController\n"
                                               "  def index; end\n  def old; end\nend\n",
        "config/initializers/gaffe.rb": "Gaffe.configure do |config|\n  config.errors_controller = 'ErrorsController'\nend\n",
    })
    assert c["ErrorsController#show"] == ("action", "unreferenced", "low")
    assert c["PagesController#old"] == ("action", "unreferenced", "medium")


def test_routed_controller_named_with_an_acronym_the_tool_does_not_see(check):
    # a gem declares the "API" acronym: namespace :api routes to API::SushiController
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  namespace :api do\n"
                            "    get 'sushi/status', to: 'sushi#status'\n  end\nend\n",
        "app/controllers/api/sushi_controller.rb": "module API\n  class SushiController < ApplicationController\n"
                                                   "    def status\n      Sushi::Status.new\n    end\n"
                                                   "    def old; end\n  end\nend\n",
        "app/models/sushi/status.rb": "module Sushi\n  class Status\n  end\nend\n",
        "app/controllers/api/stale_controller.rb": "module API\n  class StaleController < ApplicationController\n"
                                                   "  end\nend\n",
    })
    assert "API::SushiController" not in c and "Sushi::Status" not in c
    assert c["API::SushiController#old"] == ("action", "unreferenced", "medium")
    assert c["API::StaleController"][0:2] == ("controller", "unreferenced")


def test_controller_method_named_after_a_gem_is_its_hook(check):
    # doorkeeper_authorize! calls doorkeeper_unauthorized_render_options on the controller
    c = check({
        "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.0)\n    doorkeeper (5.6.0)\n",
        "config/routes.rb": "Rails.application.routes.draw do\n  get '/me', to: 'api#me'\nend\n",
        "app/controllers/api_controller.rb": "class ApiController < ApplicationController\n  def me; end\n"
                                             "  def policy_class = ApiPolicy\n"   # Pundit asks the record passed to authorize
                                             "  def doorkeeper_unauthorized_render_options(error: nil) = {}\n"
                                             "  def stale; end\nend\n",
    })
    assert c["ApiController#doorkeeper_unauthorized_render_options"] == ("action", "unreferenced", "low")
    assert "ApiController#policy_class" not in c
    assert c["ApiController#stale"] == ("action", "unreferenced", "medium")


def test_headless_pundit_policy(check):
    check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :reports, only: [:index]\nend\n",
        "app/controllers/reports_controller.rb": "class ReportsController < ApplicationController\n  def index\n    authorize :dashboard, :show?\n    authorize CourtReport\n  end\nend\n",
        "app/policies/dashboard_policy.rb": "class DashboardPolicy; end\n",
        "app/policies/court_report_policy.rb": "class CourtReportPolicy; end\n",
        "app/policies/stale_policy.rb": "class StalePolicy; end\n",
    }, dead=["StalePolicy"], live=["DashboardPolicy", "CourtReportPolicy"])


def test_namespace_const_get_makes_members_low(check):
    c = check({
        "lib/db/migrations/create_users.rb": "module DB\n  module Migrations\n    class CreateUsers; end\n  end\nend\n",
        "lib/db/migrator.rb": "module DB\n  class Migrator\n    def run(name) = Migrations.const_get(name).new\n  end\nend\n",
        "config/initializers/db.rb": "DB::Migrator.new\n",
    })
    assert c["DB::Migrations::CreateUsers"] == ("class", "unreferenced", "low")


def test_table_name_prefix_and_gem_tables(check):
    c = check({
        "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.0)\n    authie (4.1.0)\n",
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "admin_github_users" do |t|\n  end\n  create_table "authie_sessions" do |t|\n  end\nend\n',
        "config/initializers/inflections.rb": 'ActiveSupport::Inflector.inflections(:en) do |inflect|\n  inflect.acronym "GitHub"\nend\n',
        "app/models/admin.rb": 'module Admin\n  def self.table_name_prefix\n    "admin_"\n  end\nend\n',
        "app/models/admin/github_user.rb": "class Admin::GitHubUser < ApplicationRecord; end\n",
        "config/initializers/a.rb": "Admin::GitHubUser.first\n",
    })
    assert "admin_github_users" not in c and "authie_sessions" not in c


def test_unmapped_table_named_like_a_gem_is_at_most_low(check):
    # delayed_workers belongs to the delayed_job_heartbeat_plugin gem's model
    c = check({
        "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.0)\n    delayed_job_heartbeat_plugin (0.6.0)\n",
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "delayed_workers" do |t|\n  end\n'
                        '  create_table "stale_exports" do |t|\n  end\nend\n',
    })
    assert c["delayed_workers"] == ("table", "unreferenced", "low")
    assert c["stale_exports"] == ("table", "unreferenced", "high")


def test_unmapped_table_named_as_a_word_of_a_gem_is_at_most_low(check):
    # a gem's model on a table named as a word of the gem (rails-settings: "settings")
    c = check({
        "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.0)\n    acme-rails-archives (2.6.1)\n"
                        "    public_activity (2.0.2)\n    sidekiq-unique-jobs (8.0.0)\n",
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "archives" do |t|\n  end\n'
                        '  create_table "activities" do |t|\n  end\n'
                        '  create_table "jobs" do |t|\n  end\n'
                        '  create_table "rails" do |t|\n  end\n  create_table "ledgers" do |t|\n  end\nend\n',
    })
    assert c["archives"] == ("table", "unreferenced", "low")
    assert c["jobs"] == ("table", "unreferenced", "high")    # too common a word to be the gem's
    assert "activities" not in c          # public_activity's PublicActivity::Activity
    assert c["rails"] == ("table", "unreferenced", "high")
    assert c["ledgers"] == ("table", "unreferenced", "high")


def test_table_created_by_an_engine_migration_is_at_most_low(check):
    # `rails hyrax:install:migrations` copies the engine's migrations as <v>_<name>.hyrax.rb
    c = check({
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "single_use_links" do |t|\n  end\n'
                        '  create_table "stale_exports" do |t|\n  end\nend\n',
        "db/migrate/20160328222154_create_single_use_links.hyrax.rb":
            "class CreateSingleUseLinks < ActiveRecord::Migration[5.0]\n  def change\n"
            "    create_table :single_use_links do |t|\n    end\n  end\nend\n",
        "db/migrate/20160328222155_create_stale_exports.rb":
            "class CreateStaleExports < ActiveRecord::Migration[5.0]\n  def change\n"
            "    create_table :stale_exports do |t|\n    end\n  end\nend\n",
    })
    assert c["single_use_links"] == ("table", "unreferenced", "low")
    assert c["stale_exports"] == ("table", "unreferenced", "high")


def test_endless_table_name_prefix_on_a_namespace(check):
    c = check({
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "github_team_members" do |t|\n  end\n'
                        '  create_table "github_orphans" do |t|\n  end\nend\n',
        "app/models/github.rb": "module Github\n  def self.table_name_prefix = 'github_'\nend\n",
        "app/models/github/team_member.rb": "class Github::TeamMember < ApplicationRecord; end\n",
        "config/initializers/a.rb": "Github::TeamMember.first\n",
    })
    assert "github_team_members" not in c
    assert c["github_orphans"] == ("table", "unreferenced", "high")


def _schema(*tables):
    body = "".join(f'  create_table "{t}" do |t|\n  end\n' for t in tables)
    return f"ActiveRecord::Schema.define do\n{body}end\n"


def test_table_names_not_pluralized_by_the_application(check):
    c = check({
        "config/application.rb": "module Shop\n  class Application < Rails::Application\n"
                                 "    config.active_record.pluralize_table_names = false\n  end\nend\n",
        "db/schema.rb": _schema("user_permission", "audit", "orphan", "orphans"),
        "app/models/user_permission.rb": "class UserPermission < ApplicationRecord; end\n",
        "config/initializers/a.rb": "UserPermission.first\n",
        "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.0)\n    audited (5.4.0)\n",
    }, live=["user_permission", "audit"])
    assert c["orphan"] == ("table", "unreferenced", "high")
    assert c["orphans"] == ("table", "unreferenced", "high")


def test_a_base_class_that_does_not_pluralize(check):
    c = check({
        "db/schema.rb": _schema("legacy_item", "legacy_items"),
        "app/models/legacy_record.rb": "class LegacyRecord < ApplicationRecord\n  self.abstract_class = true\n"
                                       "  self.pluralize_table_names = false\nend\n",
        "app/models/legacy_item.rb": "class LegacyItem < LegacyRecord; end\n",
        "config/initializers/a.rb": "LegacyItem.first\n",
    }, live=["legacy_item"])
    assert c["legacy_items"] == ("table", "unreferenced", "high")


def test_table_name_prefix_of_the_class_itself_and_computed_names(check):
    c = check({
        "db/schema.rb": _schema("datastore_submissions", "course_lesson_plan_todos", "lesson_todos",
                                "courses", "course_answer_programming", "course_answer_texts", "old_todos"),
        # a class's own prefix counts when no enclosing module has one
        "app/models/datastore/submission.rb": "module Datastore\n  class Submission < ApplicationRecord\n"
                                              "    def self.table_name_prefix = 'datastore_'\n  end\nend\n",
        "app/models/course.rb": "class Course < ApplicationRecord; end\n",
        # a computed prefix: the tables ending in the model's name that name its namespace
        "app/models/course/lesson_plan.rb": 'module Course::LessonPlan\n  def self.table_name_prefix\n'
                                            '    "#{Course.table_name.singularize}_lesson_plan_"\n  end\nend\n',
        "app/models/course/lesson_plan/todo.rb": "class Course::LessonPlan::Todo < ApplicationRecord; end\n",
        "app/models/course/answer.rb": "class Course::Answer < ApplicationRecord; end\n",
        # a computed table name: the singular of the default
        "app/models/course/answer/programming.rb": "class Course::Answer::Programming < ApplicationRecord\n"
                                                   "  self.table_name = table_name.singularize\nend\n",
        "config/initializers/a.rb": "Datastore::Submission.first\nCourse::LessonPlan::Todo.first\n"
                                    "Course.first\nCourse::Answer::Programming.first\n",
    }, live=["datastore_submissions", "course_lesson_plan_todos", "course_answer_programming"])
    assert c["lesson_todos"] == ("table", "unreferenced", "high")
    assert c["old_todos"] == ("table", "unreferenced", "high")
    assert c["course_answer_texts"] == ("table", "unreferenced", "high")


def test_a_gems_active_record_base_makes_a_model(check):
    c = check({
        "db/schema.rb": _schema("identities", "ghosts"),
        "app/models/identity.rb": "class Identity < OmniAuth::Identity::Models::ActiveRecord\nend\n",
        "config/initializers/a.rb": "Identity.first\n",
    }, live=["identities", "Identity"])
    assert c["ghosts"] == ("table", "unreferenced", "high")


def test_after_party_tasks_are_run_by_the_gem(check):
    check({
        "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.0)\n    after_party (1.11.2)\n",
        "lib/tasks/deployment/20240101_backfill.rake": "namespace :after_party do\n  task backfill: :environment do\n  end\nend\n",
    }, live=["after_party:backfill"])


def test_previews_are_test_code(check):
    c = check({
        "app/mailers/digest_mailer.rb": "class DigestMailer < ActionMailer::Base; end\n",
        "lib/mailers/previews/digest_mailer_preview.rb": "class DigestMailerPreview\n  def weekly = DigestMailer.weekly\nend\n",
    }, dead=["DigestMailer"])
    assert c["DigestMailer"] == ("mailer", "test_only", "high")
    assert "DigestMailerPreview" not in c


def test_a_model_or_view_folder_named_preview_is_app_code(check):
    # only a *_preview.rb inside a previews/ folder is a preview; a LessonPreview model and a
    # view folder app/views/lessons/previews/ are the app's own code
    c = check({
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "lesson_previews" do |t|\n  end\nend\n',
        "app/models/lesson_preview.rb": "class LessonPreview < ApplicationRecord; end\n",
        "app/components/markdown/preview_component.rb": "class Markdown::PreviewComponent < ViewComponent::Base; end\n",
        "app/controllers/lessons_controller.rb": "class LessonsController < ApplicationController\n  def show; LessonPreview.find(1); end\nend\n",
        "app/views/lessons/previews/show.html.erb": "<%= render Markdown::PreviewComponent.new %>\n",
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :lessons, only: [:show]\nend\n",
        "spec/mailers/previews/other_preview.rb": "class OtherPreview; end\n",
    }, live=["LessonPreview", "lesson_previews", "Markdown::PreviewComponent"])
    assert "OtherPreview" not in c


def test_drawn_route_files_keep_their_namespace(check):
    check({
        "config/routes.rb": "Rails.application.routes.draw do\n  namespace :admin do\n    draw :admin\n  end\nend\n",
        "config/routes/admin.rb": "resources :users, only: [:index]\n",
        "app/controllers/admin/users_controller.rb": "module Admin\n  class UsersController < ApplicationController\n    def index; end\n  end\nend\n",
        "app/controllers/users_controller.rb": "class UsersController < ApplicationController\n  def index; end\nend\n",
    }, dead=["UsersController"], live=["Admin::UsersController", "Admin::UsersController#index"])


def test_table_family_without_models_is_a_gems_and_at_most_low(check):
    # comfy_cms_* tables: the models live in a mounted engine gem deadcode does not read
    tables = "".join(f'  create_table "{t}" do |t|\n  end\n' for t in
                     ("comfy_cms_pages", "comfy_cms_sites", "comfy_cms_files", "orders_products",
                      "photos", "photos_seeds", "photos_plantings", "photos_gardens"))
    c = check({
        "db/schema.rb": f"ActiveRecord::Schema.define do\n{tables}end\n",
        "app/models/photo.rb": "class Photo < ApplicationRecord; end\n",
        "config/initializers/p.rb": "Photo.first\n",
    }, live=["photos"])
    assert c["comfy_cms_pages"] == ("table", "unreferenced", "low")
    assert c["orders_products"] == ("table", "unreferenced", "high")
    # a family next to a model's table is that model's join tables, not a gem's
    assert c["photos_seeds"] == ("table", "unreferenced", "high")


def test_jsonapi_resources_routes_like_resources(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  namespace :api do\n    jsonapi_resources :photos\n  end\nend\n",
        "app/controllers/api/photos_controller.rb": "module Api\n  class PhotosController < ApplicationController\n    def index; end\n  end\nend\n",
        "app/controllers/api/stray_controller.rb": "module Api\n  class StrayController < ApplicationController\n    def index; end\n  end\nend\n",
    }, dead=["Api::StrayController"], live=["Api::PhotosController"])


def test_host_base_classes_and_described_tasks_in_any_string_form(check):
    c = check({
        "app/jobs/application_job.rb": "class ApplicationJob < ActiveJob::Base\nend\n",
        "lib/tasks/ops.rake": ("namespace :ops do\n  desc 'Relocate files ' \\\n       'to the new bucket'\n"
                               "  task relocate: :environment do\n  end\n"
                               "  desc <<-EOF\n    Report activity.\n  EOF\n  task activity: :environment do\n  end\nend\n"),
    })
    # gems and engines inherit from the app's ApplicationJob by name (Spree::BaseJob)
    assert c["ApplicationJob"][2] == "low"
    assert c["ops:relocate"] == ("rake_task", "unreferenced", "low")
    assert c["ops:activity"] == ("rake_task", "unreferenced", "low")


def test_scheduler_namespaces_and_self_called_controller_methods(check):
    c = check({
        "lib/tasks/schedule.rake": "namespace :schedule do\n  task :warn_tokens do\n  end\nend\nnamespace :once do\n  task :fix do\n  end\nend\n",
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :users, only: [:create]\nend\n",
        "app/controllers/users_controller.rb": ("class UsersController < ApplicationController\n"
                                                "  def create\n    ip_rate_limiter.record(request.ip)\n  end\n\n"
                                                "  def ip_rate_limiter\n    @limiter ||= Object.new\n  end\n\n"
                                                "  def legacy\n  end\nend\n"),
    }, live=["UsersController#ip_rate_limiter"], dead=["UsersController#legacy"])
    assert c["schedule:warn_tokens"] == ("rake_task", "unreferenced", "low")
    assert c["once:fix"] == ("rake_task", "unreferenced", "low")   # without --context


def test_code_called_by_migrations_is_at_most_low(check):
    c = check({
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "users" do |t|\n  end\nend\n',
        "app/models/user.rb": "class User < ApplicationRecord; end\n",
        "config/initializers/a.rb": "User.first\n",
        "app/services/update_default_column.rb": "class UpdateDefaultColumn\nend\n",
        "app/services/orphan_fixer.rb": "class OrphanFixer\nend\n",
        "db/migrate/20230706174643_add_status.rb":
            "class AddStatus < ActiveRecord::Migration[7.0]\n  def up = UpdateDefaultColumn.new\nend\n",
    }, dead=["UpdateDefaultColumn", "OrphanFixer"])
    assert {k: v for k, v in c.items() if k != "ApplicationController"} == {
                 "UpdateDefaultColumn": ("class", "unreferenced", "low"),
                 "OrphanFixer": ("class", "unreferenced", "high")}


def test_callbacks_in_subclasses_and_framework_hooks_are_not_actions(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :gift_exchanges, only: [:show]\n"
                            "  resources :challenges, only: [:index]\nend\n",
        "app/controllers/challenges_controller.rb":
            "class ChallengesController < ApplicationController\n  def index; end\n"
            "  def load_challenge\n    @c = 1\n  end\n  def default_url_options = { locale: I18n.locale }\n"
            "  def stale_page; end\nend\n",
        "app/controllers/gift_exchanges_controller.rb":
            "class GiftExchangesController < ChallengesController\n  before_action :load_challenge\n"
            "  def show; end\nend\n",
    }, dead=["ChallengesController#stale_page"],
       live=["ChallengesController#load_challenge", "ChallengesController#default_url_options"])
    assert {k: v for k, v in c.items() if k.startswith("Challenges")} == {
        "ChallengesController#stale_page": ("action", "unreferenced", "medium")}


def test_routes_appended_from_application_rb(check):
    c = check({
        "config/application.rb": "module Shop\n  class Application < Rails::Application\n"
                                 "    config.after_initialize do |app|\n"
                                 "      app.routes.append { match '*path', to: 'general#not_found', via: [:get] }\n"
                                 "    end\n  end\nend\n",
        "config/routes.rb": "Rails.application.routes.draw do\n  get 'home' => 'general#home'\nend\n",
        "app/controllers/general_controller.rb":
            "class GeneralController < ApplicationController\n  def home; end\n  def not_found; end\n"
            "  def legacy; end\nend\n",
    }, dead=["GeneralController#legacy"], live=["GeneralController#not_found"])
    assert {k: v for k, v in c.items() if k.startswith("General")} == {
        "GeneralController#legacy": ("action", "unreferenced", "medium")}


def test_helper_that_is_also_a_concern_is_a_helper(check):
    check({
        "app/helpers/pluralize_helper.rb": "module PluralizeHelper\n  include ActiveSupport::Concern\n"
                                           "  def pluralize(n, word) = word\nend\n",
        "app/views/home/index.html.erb": "<%= pluralize(2, 'x') %>\n",
        "app/models/concerns/stale.rb": "module Stale\n  extend ActiveSupport::Concern\nend\n",
    }, live=["PluralizeHelper"], dead=["Stale"])


def test_public_send_over_literal_names_reaches_those_methods(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :searches, only: [:index]\n"
                            "  resources :lists, only: [:index]\nend\n",
        "app/controllers/searches_controller.rb":
            "class SearchesController < ApplicationController\n  include Modes\n  def index\n"
            "    public_send(mode)\n  end\n  def search; end\n  def browse; end\n  def stale; end\nend\n",
        "app/controllers/concerns/modes.rb":
            "module Modes\n  def mode = %w(search browse).include?(params[:mode]) ? params[:mode] : 'search'\nend\n",
        "app/controllers/lists_controller.rb":
            "class ListsController < ApplicationController\n  def index\n    @modes = %w(search)\n  end\n"
            "  def search; end\nend\n",
    })
    assert {k: v for k, v in c.items() if "#" in k} == {
        "SearchesController#stale": ("action", "unreferenced", "medium"),
        "ListsController#search": ("action", "unreferenced", "medium")}


def test_factories_used_by_db_seeds_are_not_test_only(check):
    # db/seeds.rb builds records with FactoryBot: what the factories call runs in production seeding
    files = {
        "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.0)\n    factory_bot_rails (6.4.0)\n",
        "lib/seeds_helper.rb": "module SeedsHelper\n  def self.read(p) = File.read(p)\nend\n",
        "spec/factories/exercises.rb": "FactoryBot.define do\n  factory :exercise do\n"
                                       "    body { SeedsHelper.read('a.md') }\n  end\nend\n",
        "app/models/exercise.rb": "class Exercise < ApplicationRecord\nend\n",
        "config/initializers/e.rb": "Exercise.first\n",
    }
    before = check(files)
    assert before["SeedsHelper"][1:] == ("test_only", "high")
    after = check({**files, "db/seeds.rb": "FactoryBot.create(:exercise)\n"})
    assert after["SeedsHelper"][1:] == ("test_only", "low")


def test_rails_runner_in_a_workflow_script_step(check):
    check({
        ".github/workflows/deploy.yml": (
            "jobs:\n  deploy:\n    steps:\n      - name: track\n        run: |\n"
            "          POD=$(kubectl get pods -o name)\n"
            "          kubectl exec $POD -- bundle exec rails runner \"TrackPagesJob.perform_later(host: 'x')\"\n"),
        "app/jobs/track_pages_job.rb": "class TrackPagesJob < ApplicationJob\n  def perform(host:); end\nend\n",
        "app/jobs/stale_job.rb": "class StaleJob < ApplicationJob\n  def perform; end\nend\n",
    }, dead=["StaleJob"], live=["TrackPagesJob"])


def test_overrides_and_gem_mixins_make_unrouted_actions_low(check):
    c = check({
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :files, only: [:index]\n"
                            "  resources :steps, only: [:index]\nend\n",
        "app/controllers/base_controller.rb": "class BaseController < ApplicationController\n"
                                              "  after_action :x\n  private\n  def configure_policy; end\nend\n",
        "app/controllers/files_controller.rb": "class FilesController < BaseController\n  def index; end\n"
                                               "  def configure_policy; end\n  def stray; end\nend\n",
        "app/controllers/steps_controller.rb": "class StepsController < ApplicationController\n"
                                               "  include GemWizard::Controller\n  def index; end\n  def completed_step_path; end\nend\n",
    }, dead=["FilesController#stray"])
    assert c["FilesController#stray"] == ("action", "unreferenced", "medium")
    assert c["FilesController#configure_policy"] == ("action", "unreferenced", "low")
    assert c["StepsController#completed_step_path"] == ("action", "unreferenced", "low")
