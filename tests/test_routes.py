"""deadcode.routes: the static config/routes.rb reader."""

from __future__ import annotations

from deadcode.inflect import default_inflections
from deadcode.routes import Route, RoutesResult, controller_class_name, parse_routes

RESOURCES_ALL = {"index", "create", "new", "edit", "show", "update", "destroy"}
RESOURCE_ALL = {"create", "new", "edit", "show", "update", "destroy"}


def pairs(result: RoutesResult) -> set[tuple[str, str | None]]:
    return {(r.controller, r.action) for r in result.routes}


def parse(src: str, **kw) -> RoutesResult:
    return parse_routes(src.encode(), **kw)


def of(controller: str, actions) -> set[tuple[str, str | None]]:
    return {(controller, a) for a in actions}


# ---------------------------------------------------------------------------
# A realistic routes file
# ---------------------------------------------------------------------------

REALISTIC = """\
Rails.application.routes.draw do
  concern :commentable do
    resources :comments, only: [:index, :create]
  end

  root "pages#home"
  get "up" => "rails/health#show", as: :rails_health_check
  get "pages/about"
  get "/contact", to: "pages#contact"
  get "search", controller: "search", action: "results"
  match "legacy/:action", controller: "legacy", via: [:get, :post]
  get "old", to: redirect("/new")

  resources :invoices do
    member do
      get :preview
      post :send_reminder
    end
    collection do
      get :overdue
    end
    get :download, on: :member
    resources :line_items, except: %i[destroy]
  end
  resource :profile, only: %i[show edit update]
  resources :photos, controller: "images", only: :index
  resources :posts, concerns: :commentable
  resources :tags, module: :blog, only: [:show]

  namespace :admin do
    root to: "dashboard#index"
    resources :users do
      get :impersonate, on: :member
    end
    get "stats", to: "reports#stats"
    get "/health", to: "/status#show"
    scope module: :billing do
      resources :plans, only: :index
    end
    concerns :commentable
  end

  scope "/app", module: "portal" do
    resources :projects, only: [:index, :show]
  end
  scope path: "/x" do
    get "y", to: "things#y"
  end
  controller :sessions do
    get "login" => :new
    post "login" => :create
  end
  constraints(subdomain: "api") do
    namespace :api, path: "/" do
      namespace :v1 do
        resources :widgets, only: [:index]
      end
    end
  end
  scope only: [:index, :show] do
    resources :articles
  end
  devise_for :users, controllers: { sessions: "users/sessions" }
  mount Sidekiq::Web => "/sidekiq"
  mount MyEngine::Engine, at: "/engine"
  mount ActionCable.server => "/cable"
  draw :admin
  %i[alpha beta].each do |name|
    resources name, only: :show
  end
  get "*path", to: "errors#not_found"
  match ":controller(/:action(/:id))", via: :get
  direct(:homepage) { "https://example.com" }
end
"""


def test_realistic_routes_file():
    r = parse(REALISTIC)
    expected = (
        {("PagesController", "home"), ("Rails::HealthController", "show"),
         ("PagesController", "about"), ("PagesController", "contact"),
         ("SearchController", "results"), ("LegacyController", None)}
        | of("InvoicesController", RESOURCES_ALL | {"preview", "send_reminder", "overdue", "download"})
        | of("LineItemsController", RESOURCES_ALL - {"destroy"})
        | of("ProfilesController", {"show", "edit", "update"})
        | {("ImagesController", "index")}
        | of("PostsController", RESOURCES_ALL)
        | of("CommentsController", {"index", "create"})
        | {("Blog::TagsController", "show")}
        | {("Admin::DashboardController", "index")}
        | of("Admin::UsersController", RESOURCES_ALL | {"impersonate"})
        | {("Admin::ReportsController", "stats"), ("StatusController", "show"),
           ("Admin::Billing::PlansController", "index")}
        | of("Admin::CommentsController", {"index", "create"})
        | of("Portal::ProjectsController", {"index", "show"})
        | {("ThingsController", "y"), ("SessionsController", "new"), ("SessionsController", "create")}
        | {("Api::V1::WidgetsController", "index")}
        | of("ArticlesController", {"index", "show"})
        | {("Users::SessionsController", None)}
        | {("AlphaController", "show"), ("BetaController", "show")}
        | {("ErrorsController", "not_found")}
    )
    assert pairs(r) == expected
    assert r.catch_all is True
    assert r.draws == ["admin"]
    assert r.draw_scopes == [("admin", None)]
    assert r.mounts == [("Sidekiq::Web", 64), ("MyEngine::Engine", 65)]
    assert r.warnings == []
    # lines and via
    assert Route("InvoicesController", "index", 14, "resources :invoices") in r.routes
    assert Route("InvoicesController", "preview", 16, "get :preview") in r.routes
    assert Route("CommentsController", "create", 3,
                 "resources :comments, only: [:index, :create]") in r.routes
    assert Route("PagesController", "home", 6, 'root "pages#home"') in r.routes
    assert Route("LegacyController", None, 11,
                 'match "legacy/:action", controller: "legacy", via: [:get, :post]') in r.routes
    assert Route("AlphaController", "show", 69, "resources name, only: :show") in r.routes
    assert len(r.routes) == len(set(r.routes))


# ---------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------

def test_resources_default_actions_and_order():
    r = parse("resources :invoices\nresource :profile\n")
    assert [(x.controller, x.action, x.line) for x in r.routes] == [
        ("InvoicesController", a, 1) for a in ("index", "create", "new", "edit", "show", "update", "destroy")
    ] + [("ProfilesController", a, 2) for a in ("new", "edit", "show", "update", "destroy", "create")]
    assert all(x.via == "resources :invoices" for x in r.routes[:7])


def test_only_except_forms():
    r = parse("""
resources :a, only: :index
resources :b, only: [:index, :show]
resources :c, only: %i[new create]
resources :d, except: :destroy
resources :e, except: %w[index show]
resources :f, only: []
resources :g, only: "show"
resource :h, except: [:new, :create, :destroy]
resources :i, only: [:index, :preview]
""")
    assert pairs(r) == (
        {("AController", "index")} | of("BController", {"index", "show"})
        | of("CController", {"new", "create"}) | of("DController", RESOURCES_ALL - {"destroy"})
        | of("EController", RESOURCES_ALL - {"index", "show"}) | {("GController", "show")}
        | of("HsController", {"show", "edit", "update"}) | {("IController", "index")}  # only non-default actions add nothing
    )


def test_singular_resource_controller_is_plural():
    r = parse("resource :profile, only: :show\nresource :person, only: :show\n"
              "resource :account, controller: 'account', only: :show\n")
    assert pairs(r) == {("ProfilesController", "show"), ("PeopleController", "show"),
                        ("AccountController", "show")}


def test_nested_resources_keep_namespace():
    r = parse("""
namespace :admin do
  resources :posts, only: [] do
    resources :comments, only: :index do
      resources :votes, only: :create
    end
  end
end
""")
    assert pairs(r) == {("Admin::CommentsController", "index"), ("Admin::VotesController", "create")}


def test_member_collection_new_and_on():
    r = parse("""
resources :photos, only: [] do
  member do
    get :preview
    patch "crop"
  end
  collection { get :search }
  new do
    get :draft
  end
  get :download, on: :member
  post :bulk, on: :collection
  get :latest
  get "photos/export"
end
resource :cart, only: [] do
  post :checkout
end
""")
    assert pairs(r) == (
        of("PhotosController", {"preview", "crop", "search", "draft", "download", "bulk", "latest", "export"})
        | {("CartsController", "checkout")}
    )


def test_resource_options_controller_and_module():
    r = parse("""
resources :photos, controller: "images", only: :index
resources :photos, controller: "gallery/images", only: :show
resources :reports, module: :analytics, only: :index
resources :reports, module: "legacy/v1", controller: "old_reports", only: :show
namespace :admin do
  resources :things, controller: "/things", only: :index
end
resources :posts, path: "articles", as: "articles", param: :slug, shallow: true, only: :index
""")
    assert pairs(r) == {
        ("ImagesController", "index"), ("Gallery::ImagesController", "show"),
        ("Analytics::ReportsController", "index"), ("Legacy::V1::OldReportsController", "show"),
        ("ThingsController", "index"), ("PostsController", "index"),
    }


def test_multiple_resources_in_one_call():
    r = parse("resources :a, :b, only: :index\n")
    assert pairs(r) == {("AController", "index"), ("BController", "index")}
    assert {x.via for x in r.routes} == {"resources :a, :b, only: :index"}


def test_scope_only_except_applies_to_resources_without_their_own():
    r = parse("""
scope only: [:index, :show] do
  resources :articles
  resources :notes, only: :new
  resource :profile
end
scope except: :destroy do
  resources :drafts
end
""")
    assert pairs(r) == (of("ArticlesController", {"index", "show"}) | {("NotesController", "new")}
                        | {("ProfilesController", "show")}
                        | of("DraftsController", RESOURCES_ALL - {"destroy"}))


def test_api_only_default_actions():
    r = parse("resources :a\nresource :b\n", api_only=True)
    assert pairs(r) == (of("AController", {"index", "create", "show", "update", "destroy"})
                        | of("BsController", {"create", "show", "update", "destroy"}))


# ---------------------------------------------------------------------------
# Scopes and namespaces
# ---------------------------------------------------------------------------

def test_namespace_and_scope_forms():
    r = parse("""
namespace :admin do
  get "stats", to: "reports#stats"
  namespace :billing, module: "money" do
    get "x", to: "invoices#x"
  end
  namespace :ops, path: "operations" do
    get "y", to: "jobs#y"
  end
end
namespace "api/v2" do
  get "z", to: "things#z"
end
scope module: :admin do
  get "a", to: "a#a"
end
scope "/x", module: "admin" do
  get "b", to: "b#b"
end
scope "(:locale)", locale: /en|nl/ do
  get "c", to: "c#c"
end
scope path: "/x", as: "x" do
  get "d", to: "d#d"
end
scope module: "Admin::Deep" do
  get "e", to: "e#e"
end
""")
    assert pairs(r) == {
        ("Admin::ReportsController", "stats"), ("Admin::Money::InvoicesController", "x"),
        ("Admin::Ops::JobsController", "y"), ("Api::V2::ThingsController", "z"),
        ("Admin::AController", "a"), ("Admin::BController", "b"), ("CController", "c"),
        ("DController", "d"), ("Admin::Deep::EController", "e"),
    }


def test_controller_scope_and_scope_controller():
    r = parse("""
controller :invoices do
  get "x" => :foo
  get "overdue"
  get "about-us"
  post "pay", action: :charge
  get "mine", to: "accounts#mine"
end
scope controller: :static, action: :page do
  get "faq"
end
scope controller: "static" do
  get "terms"
end
""")
    assert pairs(r) == {
        ("InvoicesController", "foo"), ("InvoicesController", "overdue"),
        ("InvoicesController", "about_us"), ("InvoicesController", "charge"),
        ("AccountsController", "mine"), ("StaticController", "page"), ("StaticController", "terms"),
    }


def test_constraints_defaults_and_unknown_blocks_are_descended():
    r = parse("""
constraints(subdomain: "api") do
  get "a", to: "a#a"
end
constraints lambda { |req| req.ssl? } do
  get "b", to: "b#b"
end
defaults format: :json do
  get "c", to: "c#c"
end
authenticate :user, ->(u) { u.admin? } do
  mount Sidekiq::Web => "/sidekiq"
  get "d", to: "d#d"
end
if Rails.env.development?
  mount LetterOpenerWeb::Engine, at: "/letter_opener"
  get "e", to: "e#e"
else
  get "f", to: "f#f"
end
get "g", to: "g#g" unless ENV["NO_G"]
shallow do
  resources :h, only: :index
end
""")
    assert pairs(r) == {(f"{c}Controller", c.lower()) for c in "ABCDEFG"} | {("HController", "index")}
    assert r.mounts == [("Sidekiq::Web", 12), ("LetterOpenerWeb::Engine", 16)]


def test_scope_module_for_drawn_files():
    src = 'resources :users, only: :index\nget "x", to: "y#z"\n'
    assert pairs(parse(src, scope_module="admin")) == {
        ("Admin::UsersController", "index"), ("Admin::YController", "z")}
    assert pairs(parse(src, scope_module="Admin::V1")) == {
        ("Admin::V1::UsersController", "index"), ("Admin::V1::YController", "z")}


def test_draw_records_scope():
    r = parse("draw :api\nnamespace :admin do\n  draw(:admin)\nend\n")
    assert r.draws == ["api", "admin"]
    assert r.draw_scopes == [("api", None), ("admin", "admin")]


# ---------------------------------------------------------------------------
# Verb routes
# ---------------------------------------------------------------------------

def test_verb_route_forms():
    r = parse("""
get "a", to: "alpha#a"
post "b" => "beta#b"
put "/c", controller: "gamma", action: "c"
patch "d", to: "delta#d", as: :d
delete "e", :to => "eps#e"
match "f", to: "phi#f", via: [:get, :post]
match "g" => "gee#g", :via => :all
get "h" => "hotel"
get "admin/users/list"
options "i", to: "india#i"
get "j", to: "/juliet#j"
get "photos/:id", to: "photos#show", constraints: { id: /\\d+/ }
get "k", to: "kilo#k", defaults: { format: "json" }
""")
    assert pairs(r) == {
        ("AlphaController", "a"), ("BetaController", "b"), ("GammaController", "c"),
        ("DeltaController", "d"), ("EpsController", "e"), ("PhiController", "f"),
        ("GeeController", "g"), ("HotelController", "h"), ("Admin::UsersController", "list"),
        ("IndiaController", "i"), ("JulietController", "j"), ("PhotosController", "show"),
        ("KiloController", "k"),
    }
    assert r.warnings == []


def test_to_in_namespace_gets_module():
    r = parse('namespace :admin do\n  get "x", to: "c#a"\n  get "y", to: "/c#a"\nend\n')
    assert pairs(r) == {("Admin::CController", "a"), ("CController", "a")}


def test_root_forms():
    r = parse("""
root "pages#home"
root to: "welcome#index"
root controller: "landing", action: "show"
root :to => "old#index"
namespace :admin do
  root "dashboard#show"
end
resources :users, only: [] do
  root to: "users#dash"
end
root to: redirect("/home")
""")
    assert pairs(r) == {
        ("PagesController", "home"), ("WelcomeController", "index"), ("LandingController", "show"),
        ("OldController", "index"), ("Admin::DashboardController", "show"), ("UsersController", "dash"),
    }


def test_non_controller_targets_are_ignored():
    r = parse("""
get "a", to: redirect("/b")
get "c" => redirect("/d")
get "e", to: proc { [200, {}, ["ok"]] }
get "f", to: ->(env) { [200, {}, []] }
get "g", to: SomeRackApp
direct :homepage do
  "https://example.com"
end
resolve("Basket") { [:basket] }
""")
    assert r.routes == []
    assert r.warnings == []


def test_catch_all_and_action_segments():
    assert parse('get ":controller(/:action(/:id))"\n').catch_all is True
    assert parse('match ":controller/:action", via: :all\n').catch_all is True
    assert parse('match ":action", via: :get\n').catch_all is True
    r = parse('controller :pages do\n  get ":action"\nend\nget "legacy/:action", controller: "legacy"\n')
    assert r.catch_all is False
    assert pairs(r) == {("PagesController", None), ("LegacyController", None)}
    r = parse('get "*path", to: "errors#not_found"\nget ":id", to: "pages#show"\n')
    assert r.catch_all is False
    assert pairs(r) == {("ErrorsController", "not_found"), ("PagesController", "show")}


# ---------------------------------------------------------------------------
# Concerns
# ---------------------------------------------------------------------------

def test_concerns_applied_at_each_use():
    r = parse("""
concern :commentable do
  resources :comments, only: :index
end
concern :reviewable do |options|
  resources :reviews, options
  get :rate, on: :member
end
resources :posts, only: [], concerns: :commentable
resources :products, only: [], concerns: [:commentable, :reviewable]
namespace :admin do
  concerns :commentable
end
scope module: :shop do
  concerns :reviewable, only: :show
end
""")
    assert pairs(r) == {
        ("CommentsController", "index"), ("Admin::CommentsController", "index"),
        ("ReviewsController", "index"), *of("ReviewsController", RESOURCES_ALL),
        ("ProductsController", "rate"), ("Shop::ReviewsController", "show"),
    }
    # Rails raises for `on: :member` outside a resource; it is skipped here
    assert r.warnings == ["line 7: on: :member outside a resources block: get :rate, on: :member"]


def test_concern_errors_are_warnings():
    r = parse("concerns :missing\nconcern :x, SomeCallable.new\nconcerns :x\n"
              "concern :loop do\n  concerns :loop\nend\nconcerns :loop\n")
    assert r.routes == []
    assert r.warnings == [
        "line 1: concern :missing not defined before use",
        "line 2: concern :x is not a block; its routes are unknown",
        "line 5: recursive concern :loop",
    ]


# ---------------------------------------------------------------------------
# mount, devise_for, loops, with_options, dynamic values
# ---------------------------------------------------------------------------

def test_mounts():
    r = parse("""
mount Sidekiq::Web => "/sidekiq"
mount MyEngine::Engine, at: "/engine"
mount(::Flipper::UI.app(Flipper) => "/flipper")
mount Api => "/"
mount ::GraphiQL::Rails::Engine, at: "/graphiql", graphql_path: "/graphql"
mount ActionCable.server => "/cable"
""")
    assert r.mounts == [("Sidekiq::Web", 2), ("MyEngine::Engine", 3), ("Api", 5),
                        ("GraphiQL::Rails::Engine", 6)]
    assert r.routes == []


def test_devise_for():
    r = parse("""
devise_for :users
devise_for :users, controllers: { sessions: "users/sessions", registrations: "users/registrations" }
devise_for :admins, module: "admins", skip: [:unlocks, :omniauth_callbacks], controllers: { passwords: "pw" }
""")
    assert pairs(r) == {
        ("Users::SessionsController", None), ("Users::RegistrationsController", None),
        ("PwController", None), ("Admins::SessionsController", None),
        ("Admins::RegistrationsController", None), ("Admins::ConfirmationsController", None),
    }


def test_literal_loops_and_locals():
    r = parse("""
%w[alpha beta].each do |name|
  resources name.to_sym, only: :index
  get "#{name}/feed", to: "#{name}#feed"
end
[:gamma].each { |n| resource n, only: :show }
pages = %w[faq terms]
pages.each do |p|
  get p, controller: "static", action: p
end
""")
    assert pairs(r) == {
        ("AlphaController", "feed"), ("BetaController", "feed"),
        ("GammasController", "show"), ("StaticController", "faq"), ("StaticController", "terms"),
    }
    assert r.warnings == [
        "line 3: could not evaluate resources name: resources name.to_sym, only: :index"] * 2


def test_loops_over_frozen_arrays_and_blocks_without_parameters():
    # `.freeze` keeps the literal; Ruby 3.4's `it` and numbered `_1` name the item
    r = parse("""
%w[goodbye update_browser].freeze.each do |page|
  get page, controller: "welcome", action: page
end
namespace :admin do
  %i[invoices exports].each { resources it, only: %i[index] }
  %i[sales].dup.each { resources _1, only: %i[show] }
end
%i[orphans].each { resources :fixed, only: :index }
""")
    assert pairs(r) == {
        ("WelcomeController", "goodbye"), ("WelcomeController", "update_browser"),
        ("Admin::InvoicesController", "index"), ("Admin::ExportsController", "index"),
        ("Admin::SalesController", "show"), ("FixedController", "index"),
    }
    assert r.warnings == []


def test_with_options():
    r = parse("""
with_options only: [:index], controller: "shared" do |r|
  r.resources :reports
  r.resources :logs, only: [:show]
end
""")
    assert pairs(r) == {("SharedController", "index"), ("SharedController", "show")}


def test_dynamic_values_warn_and_continue():
    r = parse("""
resources *RESOURCE_NAMES
namespace current_tenant do
  get "x", to: "y#z"
end
get path_for(:a), to: "b#c"
get "d"
resources :ok, only: :index
""")
    assert pairs(r) == {("YController", "z"), ("OkController", "index")}
    assert r.warnings == [
        "line 2: could not evaluate resources arguments: resources *RESOURCE_NAMES",
        "line 3: could not evaluate namespace name: namespace current_tenant",
        "line 6: could not evaluate route path: get path_for(:a), to: \"b#c\"",
        "line 7: route without a controller: get \"d\"",
    ]


def test_syntax_error_is_a_warning():
    r = parse("resources :a, only: :index\nresources :b, only: :show do\n  get :x,\n")
    assert ("AController", "index") in pairs(r)
    assert "routes file has syntax errors; results may be incomplete" in r.warnings


def test_acronyms_and_controller_class_name():
    inf = default_inflections()
    inf.acronym("API")
    r = parse('namespace :api do\n  resources :api_keys, only: :index\nend\n', inflections=inf)
    assert pairs(r) == {("API::APIKeysController", "index")}
    assert controller_class_name("admin/invoices") == "Admin::InvoicesController"
    assert controller_class_name("/admin/invoices") == "Admin::InvoicesController"
    assert controller_class_name("Admin::Invoices") == "Admin::InvoicesController"


def test_empty_and_str_source():
    r = parse_routes(b"")
    assert r == RoutesResult()
    r = parse_routes('Rails.application.routes.draw do\n  root "a#b"\nend\n')  # type: ignore[arg-type]
    assert pairs(r) == {("AController", "b")}


def test_unknown_block_with_module_option_scopes_controllers():
    src = b'''Rails.application.routes.draw do
  api_version(module: "Api::V1", path: {value: "api/v1"}) do
    resources :aspects, only: %i[index]
  end
end
'''
    r = parse_routes(src)
    assert [(x.controller, x.action) for x in r.routes] == [("Api::V1::AspectsController", "index")]
    assert r.warnings == []


def test_doorkeeper_controllers():
    src = b'''Rails.application.routes.draw do
  use_doorkeeper :scope => "oauth2" do
    controllers :authorizations => "oauth2_authorizations",
                :applications => "oauth2_applications"
  end
end
'''
    r = parse_routes(src)
    assert sorted((x.controller, x.action) for x in r.routes) == [
        ("Oauth2ApplicationsController", None), ("Oauth2AuthorizationsController", None)]


def test_run_time_path_with_a_literal_target():
    r = parse("Rails.application.routes.draw do\n  available_locales.each do |locale|\n"
              "    get locale.to_s => 'locales#set_initial_locale'\n    get locale.to_s => other\n"
              "  end\nend\n")
    assert pairs(r) == {("LocalesController", "set_initial_locale")}
    assert r.warnings == ["line 2: loop over a non-literal collection: available_locales.each",
                          "line 4: route path not specified: get locale.to_s => other"]


def test_route_helpers_the_app_adds_to_the_mapper(scan_tree):
    c = scan_tree({
        "lib/routes/json_api_routes.rb": (
            "module Routes\n  module JsonApiRoutes\n    def json_api_resources(path, options = {})\n"
            "      links = options.delete(:links)\n      resources(path, options) do\n"
            "        create_links(path, links) if links\n      end\n    end\n  end\nend\n"),
        "config/routes.rb": ("ActionDispatch::Routing::Mapper.send :include, Routes::JsonApiRoutes\n"
                             "Rails.application.routes.draw do\n  json_api_resources :projects, only: [:index, :update], links: [:owners]\nend\n"),
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
        "app/controllers/projects_controller.rb": (
            "class ProjectsController < ApplicationController\n  def index; end\n  def update; end\n"
            "  def update_links; end\n  def show; end\nend\n"),
        "app/controllers/orphans_controller.rb": "class OrphansController < ApplicationController\n  def index; end\nend\n",
    })
    assert c == {
        "OrphansController": ("controller", "unreferenced", "high"),
        # the helper may route more than its resources say (links: -> update_links)
        "ProjectsController#update_links": ("action", "unreferenced", "low"),
        "ProjectsController#show": ("action", "unreferenced", "low"),
    }
    cand = {x.definition.name: x for x in scan_tree.result.classification.candidates}
    assert any("json_api_resources (config/routes.rb:3), a route helper the app defines "
               "(lib/routes/json_api_routes.rb:3)" in r for r in cand["ProjectsController#show"].reasons)


def test_route_modules_extended_into_the_draw_block(scan_tree):
    c = scan_tree({
        "config/routes.rb": "Rails.application.routes.draw do\n  extend ApiRoutes\nend\n",
        "config/routes/api_routes.rb": (
            "module ApiRoutes\n  def self.extended(router)\n    router.instance_exec do\n"
            "      namespace :api do\n        resources :trainees, only: [:index]\n      end\n"
            "    end\n  end\nend\n"),
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
        "app/controllers/api/trainees_controller.rb": (
            "module Api\n  class TraineesController < ApplicationController\n    def index; end\n  end\nend\n"),
        "app/controllers/api/orphans_controller.rb": (
            "module Api\n  class OrphansController < ApplicationController\n    def index; end\n  end\nend\n"),
    })
    assert c == {"Api::OrphansController": ("controller", "unreferenced", "high")}


def test_routes_inside_a_method_of_the_routes_file_are_drawn_where_it_is_called(scan_tree):
    c = scan_tree({
        "config/routes.rb": ("Rails.application.routes.draw do\n  def api_routes\n"
                             "    resources :variants, only: [:index]\n  end\n"
                             "  scope module: 'api' do\n    api_routes\n  end\nend\n"),
        "app/controllers/application_controller.rb": "class ApplicationController < ActionController::Base\nend\n",
        "app/controllers/api/variants_controller.rb": (
            "module Api\n  class VariantsController < ApplicationController\n    def index; end\n  end\nend\n"),
        "app/controllers/variants_controller.rb": "class VariantsController < ApplicationController\n  def index; end\nend\n",
    })
    assert c == {"VariantsController": ("controller", "unreferenced", "high")}
