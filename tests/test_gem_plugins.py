"""Gem plugins (deadcode/plugins/gems), one test each: the live side and the dead side."""

import pytest

from tests.conftest import checker

BASE = {
    "app/models/application_record.rb": "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n",
    "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
    "config/routes.rb": "Rails.application.routes.draw do\nend\n",
}


def lock(*gems):
    specs = "".join(f"    {g} (1.0.0)\n" for g in ("rails",) + gems)
    return f"GEM\n  remote: https://rubygems.org/\n  specs:\n{specs}\nDEPENDENCIES\n  rails\n"


@pytest.fixture
def check(scan_tree):
    run = checker(scan_tree, BASE)
    return lambda gems, files, dead=(), live=(): run({"Gemfile.lock": lock(*gems), **files}, dead, live)


ROUTED_POSTS = {
    "config/routes.rb": "Rails.application.routes.draw do\n  resources :posts, only: [:index]\nend\n",
}


def test_rails_observers_sweepers_and_config_observers(check):
    c = check(("rails-observers",), {
        **ROUTED_POSTS,
        "app/controllers/posts_controller.rb": "class PostsController < ApplicationController\n  cache_sweeper :feed_sweeper\n  def index; end\nend\n",
        "app/sweepers/feed_sweeper.rb": "class FeedSweeper < ActionController::Caching::Sweeper\n  observe :post\nend\n",
        "app/sweepers/stale_sweeper.rb": "class StaleSweeper < ActionController::Caching::Sweeper; end\n",
        "config/application.rb": "module Blog\n  class Application < Rails::Application\n    config.active_record.observers = [:audit_observer, :mail_observer]\n  end\nend\n",
        "app/observers/audit_observer.rb": "class AuditObserver < ActiveRecord::Observer; end\n",
        "app/observers/mail_observer.rb": "class MailObserver < ActiveRecord::Observer; end\n",
        "app/observers/unlisted_observer.rb": "class UnlistedObserver < ActiveRecord::Observer; end\n",
        "app/models/post.rb": "class Post < ApplicationRecord; end\n",
    }, live=["FeedSweeper", "AuditObserver", "MailObserver", "Post"],
       dead=["StaleSweeper", "UnlistedObserver"])
    assert (c["StaleSweeper"], c["UnlistedObserver"]) == (
        ("class", "unreferenced", "high"), ("class", "unreferenced", "high"))


def test_translates_reaches_translation_model_and_table(check):
    c = check(("globalize", "mobility"), {
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "posts" do |t|\n  end\n  create_table "post_translations" do |t|\n  end\n  create_table "pages" do |t|\n  end\n  create_table "page_translations" do |t|\n  end\nend\n',
        "app/models/post.rb": "class Post < ApplicationRecord\n  translates :title, :body\nend\n",
        "app/models/post/translation.rb": "class Post::Translation < ApplicationRecord; end\n",
        "app/models/page.rb": "class Page < ApplicationRecord\n  translates :title\nend\n",
        "config/initializers/p.rb": "Post.first\n",
    }, live=["Post::Translation", "post_translations"], dead=["Page", "page_translations"])
    assert c["page_translations"] == ("table", "dead_callers_only", "medium")


def test_translations_table_named_after_the_model_when_a_concern_calls_translates(check):
    check(("globalize",), {
        "db/schema.rb": 'ActiveRecord::Schema.define do\n  create_table "help_texts" do |t|\n  end\n'
                        '  create_table "help_text_translations" do |t|\n  end\n'
                        '  create_table "note_translations" do |t|\n  end\nend\n',
        "app/models/concerns/globalized.rb": "module Globalized\n  extend ActiveSupport::Concern\n"
                                             "  class_methods do\n    def translates_rich_text(*cols) = translates(*cols)\n"
                                             "  end\nend\n",
        "app/models/help_text.rb": "class HelpText < ApplicationRecord\n  include Globalized\n"
                                   "  translates_rich_text :body\nend\n",
        "config/initializers/p.rb": "HelpText.first\n",
    }, live=["help_text_translations"], dead=["note_translations"])


def test_stimulus_reflex_named_in_view_or_capped_low(check):
    c = check(("stimulus_reflex",), {
        "app/reflexes/application_reflex.rb": "class ApplicationReflex < StimulusReflex::Reflex; end\n",
        "app/reflexes/user_reflex.rb": "class UserReflex < ApplicationReflex\n  def accept; end\nend\n",
        "app/reflexes/profile_edit_reflex.rb": "class ProfileEditReflex < ApplicationReflex\n  def save; end\nend\n",
        "app/views/users/show.html.erb": '<button data-reflex="click->User#accept">Accept</button>\n',
    }, live=["UserReflex", "ApplicationReflex"], dead=["ProfileEditReflex"])
    assert c["ProfileEditReflex"] == ("reflex", "unreferenced", "low")


def test_view_component_string_slots_and_previews(check):
    c = check(("view_component",), {
        "app/views/home/index.html.erb": "<%= render CardComponent.new %>\n",
        "app/components/card_component.rb": 'class CardComponent < ViewComponent::Base\n  renders_one :header, "CardHeaderComponent"\nend\n',
        "app/components/card_header_component.rb": "class CardHeaderComponent < ViewComponent::Base; end\n",
        "app/components/badge_component.rb": "class BadgeComponent < ViewComponent::Base; end\n",
        "app/components/previews/badge_component_preview.rb": "class BadgeComponentPreview < ViewComponent::Preview\n  def default = render(BadgeComponent.new)\nend\n",
        "app/components/tag_component.rb": "class TagComponent < ViewComponent::Base; end\n",
    }, live=["CardComponent", "CardHeaderComponent"], dead=["BadgeComponent", "TagComponent"])
    assert (c["BadgeComponent"], c["TagComponent"]) == (
        ("component", "test_only", "high"), ("component", "unreferenced", "high"))


def test_draper_decorated_associations(check):
    c = check(("draper",), {
        "app/models/post.rb": "class Post < ApplicationRecord\n  has_many :comments\nend\n",
        "app/models/comment.rb": "class Comment < ApplicationRecord; end\n",
        "app/decorators/post_decorator.rb": "class PostDecorator < Draper::Decorator\n  decorates_association :comments\n  decorates_association :author, with: \"AuthorCardDecorator\"\nend\n",
        "app/decorators/comment_decorator.rb": "class CommentDecorator < Draper::Decorator; end\n",
        "app/decorators/author_card_decorator.rb": "class AuthorCardDecorator < Draper::Decorator; end\n",
        "app/decorators/orphan_decorator.rb": "class OrphanDecorator < Draper::Decorator; end\n",
        "config/initializers/p.rb": "Post.first\n",
    }, live=["PostDecorator", "CommentDecorator", "AuthorCardDecorator"], dead=["OrphanDecorator"])
    assert c["OrphanDecorator"] == ("decorator", "unreferenced", "high")


def test_serializers_by_option_and_association(check):
    c = check(("active_model_serializers", "jsonapi-serializer"), {
        "app/serializers/post_serializer.rb": 'class PostSerializer < ActiveModel::Serializer\n  has_many :comments\n  belongs_to :author, serializer: "PersonSerializer"\nend\n',
        "app/serializers/comment_serializer.rb": "class CommentSerializer < ActiveModel::Serializer; end\n",
        "app/serializers/person_serializer.rb": "class PersonSerializer < ActiveModel::Serializer; end\n",
        "app/serializers/movie_serializer.rb": "class MovieSerializer\n  include JSONAPI::Serializer\n  has_many :actors, serializer: :performer\nend\n",
        "app/serializers/performer_serializer.rb": "class PerformerSerializer\n  include JSONAPI::Serializer\nend\n",
        "app/serializers/unused_serializer.rb": "class UnusedSerializer < ActiveModel::Serializer; end\n",
        "config/initializers/s.rb": "PostSerializer.new(nil); MovieSerializer.new(nil)\n",
    }, live=["CommentSerializer", "PersonSerializer", "PerformerSerializer"], dead=["UnusedSerializer"])
    assert c["UnusedSerializer"] == ("serializer", "unreferenced", "high")


def test_simple_form_custom_inputs(check):
    c = check(("simple_form",), {
        "app/views/products/_form.html.erb": "<%= simple_form_for @product do |f| %>\n  <%= f.input :price, as: :currency %>\n<% end %>\n",
        "app/inputs/currency_input.rb": "class CurrencyInput < SimpleForm::Inputs::Base; end\n",
        "app/inputs/string_input.rb": "class StringInput < SimpleForm::Inputs::StringInput; end\n",
        "app/inputs/slider_input.rb": "class SliderInput < SimpleForm::Inputs::Base; end\n",
    }, live=["CurrencyInput", "StringInput"], dead=["SliderInput"])
    assert c["SliderInput"][1] == "unreferenced"


def test_grape_apis_are_judged_by_mounts(check):
    c = check(("grape",), {
        "config/routes.rb": "Rails.application.routes.draw do\n  mount API::Root => '/api'\nend\n",
        "app/api/api/root.rb": "module API\n  class Root < Grape::API\n    mount API::V1::Users\n  end\nend\n",
        "app/api/api/v1/users.rb": "module API\n  module V1\n    class Users < Grape::API; end\n  end\nend\n",
        "app/api/api/v1/legacy.rb": "module API\n  module V1\n    class Legacy < Grape::API; end\n  end\nend\n",
    }, live=["API::Root", "API::V1::Users"], dead=["API::V1::Legacy"])
    assert c["API::V1::Legacy"] == ("api", "unreferenced", "high")


def test_cancancan_ability_and_loaders(check):
    c = check(("cancancan",), {
        **ROUTED_POSTS,
        "app/models/ability.rb": "class Ability\n  include CanCan::Ability\nend\n",
        "app/models/article.rb": "class Article < ApplicationRecord; end\n",
        "app/models/draft.rb": "class Draft < ApplicationRecord; end\n",
        "app/controllers/posts_controller.rb": 'class PostsController < ApplicationController\n  load_and_authorize_resource class: "Article"\n  def index; end\nend\n',
    }, live=["Ability", "Article"], dead=["Draft"])
    assert c["Draft"] == ("model", "unreferenced", "high")


def test_paper_trail_version_classes(check):
    c = check(("paper_trail",), {
        "app/models/post.rb": 'class Post < ApplicationRecord\n  has_paper_trail versions: { class_name: "PostVersion" }\nend\n',
        "app/models/post_version.rb": "class PostVersion < PaperTrail::Version; end\n",
        "app/models/old_version.rb": "class OldVersion < PaperTrail::Version; end\n",
        "config/initializers/p.rb": "Post.first\n",
    }, live=["PostVersion"], dead=["OldVersion"])
    assert c["OldVersion"] == ("model", "unreferenced", "high")


def test_resque_enqueue_by_name(check):
    c = check(("resque",), {
        "app/jobs/archive_job.rb": "class ArchiveJob\n  @queue = :low\n  def self.perform; end\nend\n",
        "app/jobs/purge_job.rb": "class PurgeJob\n  @queue = :low\n  def self.perform; end\nend\n",
        "config/initializers/r.rb": 'Resque.enqueue_to(:low, "ArchiveJob")\n',
    }, live=["ArchiveJob"], dead=["PurgeJob"])
    assert c["PurgeJob"] == ("class", "unreferenced", "high")


@pytest.mark.parametrize("gem, task", [("resque", "resque:setup"), ("annotate", "set_annotation_options")])
def test_hook_tasks_the_gems_tasks_invoke(check, gem, task):
    ns, _, name = task.rpartition(":")
    body = f"task {name}: :environment do\nend\n"
    rake = f"namespace :{ns} do\n{body}end\n" if ns else body
    c = check((gem,), {
        "lib/tasks/hooks.rake": rake + "task stale_hook: :environment do\nend\n",
    }, live=[task], dead=["stale_hook"])
    assert c["stale_hook"] == ("rake_task", "unreferenced", "low")
    # without the gem, the hook is an ordinary uninvoked task
    assert task in check((), {"lib/tasks/hooks.rake": rake})


def test_subscribers_attach_themselves(check):
    c = check((), {
        "app/models/sql_log.rb": "class SqlLog < ActiveSupport::LogSubscriber\n  attach_to :active_record\nend\n",
        "app/models/quiet_log.rb": "class QuietLog < ActiveSupport::LogSubscriber; end\n",
    }, live=["SqlLog"], dead=["QuietLog"])
    assert c["QuietLog"] == ("class", "unreferenced", "high")


def test_responders_by_symbol(check):
    c = check(("responders",), {
        **ROUTED_POSTS,
        "app/controllers/posts_controller.rb": "class PostsController < ApplicationController\n  responders :audit\n  def index; end\nend\n",
        "app/responders/audit_responder.rb": "module AuditResponder; end\n",
        "app/responders/trace_responder.rb": "module TraceResponder; end\n",
    }, live=["AuditResponder"], dead=["TraceResponder"])
    assert c["TraceResponder"][1] == "unreferenced"


def test_association_macros_name_the_app_model(check):
    files = {
        "app/models/user.rb": "class User < ApplicationRecord\n  acts_as_favoritor\nend\n",
        "app/models/favorite.rb": "class Favorite < ApplicationRecord; end\n",
        "app/models/follow.rb": "class Follow < ApplicationRecord; end\n",
        "config/initializers/u.rb": "User.first\n",
    }
    check(["acts_as_favoritor"], files, dead=["Follow"], live=["Favorite"])
    # without the gem the macro is someone else's
    check([], files, dead=["Follow", "Favorite"])


def test_association_macros_in_a_concern(check):
    check(["acts_as_favoritor"], {
        "app/models/concerns/lister.rb": "module Lister\n  extend ActiveSupport::Concern\n  included do\n    acts_as_favoritor\n  end\nend\n",
        "app/models/user.rb": "class User < ApplicationRecord\n  include Lister\nend\n",
        "app/models/favorite.rb": "class Favorite < ApplicationRecord; end\n",
        "config/initializers/u.rb": "User.first\n",
    }, live=["Favorite", "Lister"])


def test_blacklight_loads_its_default_document_and_search_builder(check):
    files = {
        "app/models/solr_document.rb": "class SolrDocument\n  include Blacklight::Solr::Document\nend\n",
        "app/models/search_builder.rb": "class SearchBuilder < Blacklight::SearchBuilder; end\n",
        "app/models/other_document.rb": "class OtherDocument; end\n",
    }
    check(["blacklight"], files, dead=["OtherDocument"], live=["SolrDocument", "SearchBuilder"])
    check([], files, dead=["SolrDocument", "OtherDocument"])
