#!/usr/bin/env python3
"""Generate a synthetic, deterministic Rails application for benchmarking deadcode.

    python benchmarks/generate_app.py OUT_DIR --units N [--seed S] [--dead-ratio 0.1]
                                              [--verify K]

Each of the N "units" is one small domain slice (names like ``Invoice123``):

    app/models/<name>.rb                      class X < ApplicationRecord (associations,
                                              validations, scopes, methods)
    db/schema.rb                              create_table "<name>s" ... (one per unit)
    app/services/<ns>/<name>_service.rb       module Ns; class XService ... enqueues XWorker
    app/workers/<name>_worker.rb              class XWorker; include Sidekiq::Job
    app/controllers/<name>s_controller.rb     actions calling the service (routed)
    config/routes.rb                          resources :<name>s
    spec/models/<name>_spec.rb
    spec/workers/<name>_worker_spec.rb

so the app has about 6*N Ruby files of ~40-60 lines each, plus the usual Rails
scaffolding (ApplicationRecord, ApplicationController, ApplicationJob and a few live
ActiveJob subclasses, Gemfile, Gemfile.lock, config/application.rb, config/sidekiq.yml).

A deterministic ``--dead-ratio`` fraction of units is *planted dead*:

* the unit's service class is referenced only from its own spec
  (``spec/services/<ns>/<name>_service_spec.rb``)           -> kind "class",  verdict "test_only"
* the unit's worker is enqueued only from that dead service
  (no worker spec for it)                                   -> kind "worker", verdict "dead_callers_only"

The unit's model, table, controller and route stay live (the controller is routed and
uses the model directly). Everything else is reachable: routes -> controllers -> live
services -> live workers / jobs; every model is used by its routed controller; every
table has its model; every namespace module holds at least one live service.

The planted definitions are written beside the app, to ``OUT_DIR.expected.json`` (the
convention of ``fixtures/<app>.expected.json``)::

    {"candidates": [{"name": ..., "kind": ..., "verdict": ...}, ...], "units": N, ...}

Never inside the app: deadcode reads JSON files as text sources, so a list naming every
planted class would itself reference them and keep them all alive.

Output is a pure function of (units, seed, dead-ratio). Only the standard library is
needed, except for ``--verify`` which parses a sample of files with tree-sitter.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time

# (CamelCase parts) of domain nouns; a unit name is "".join(parts) + str(i).
WORDS: tuple[tuple[str, ...], ...] = (
    ("Invoice",), ("Customer",), ("Payment",), ("Order",), ("Shipment",), ("Product",),
    ("Account",), ("Subscription",), ("Refund",), ("Coupon",), ("Warehouse",),
    ("Supplier",), ("Ticket",), ("Report",), ("Campaign",), ("Vendor",), ("Contract",),
    ("Receipt",), ("Budget",), ("Ledger",), ("Parcel",), ("Voucher",), ("Quote",),
    ("Estimate",), ("Lead",), ("Review",), ("Booking",), ("Profile",), ("Document",),
    ("Notification",), ("Device",), ("Session",), ("Membership",), ("Reward",),
    ("Transfer",), ("Deposit",), ("Asset",), ("License",), ("Schedule",), ("Task",),
    ("LineItem",), ("PurchaseOrder",), ("CreditNote",), ("TaxRate",), ("PriceList",),
    ("StockMove",), ("DeliverySlot",), ("ReturnRequest",), ("GiftCard",), ("LoyaltyTier",),
    ("SupportCase",), ("AuditEntry",), ("ExchangeRate",), ("PayoutBatch",),
    ("ShippingLabel",), ("WorkOrder",), ("ServicePlan",), ("BillingCycle",),
    ("FeatureFlag",), ("ApiToken",),
)

NAMESPACES: tuple[str, ...] = (
    "Billing", "Accounts", "Catalog", "Shipping", "Reporting", "Inventory",
    "Payments", "Support", "Marketing", "Analytics", "Fulfillment", "Compliance",
)

JOB_EVERY = 40          # every JOB_EVERY-th live unit also gets an ActiveJob subclass
APP_MODULE = "SyntheticShop"


class Unit:
    __slots__ = ("i", "cls", "snake", "plural", "ns", "ns_snake", "dead", "parent",
                 "children", "has_job")

    def __init__(self, i: int, parts: tuple[str, ...]):
        self.i = i
        self.cls = "".join(parts) + str(i)                    # Invoice123 / LineItem7
        words = [w for part in parts for w in re.findall(r"[A-Z][a-z0-9]*", part)]
        self.snake = "_".join(w.lower() for w in words) + str(i)  # invoice123 / line_item7
        self.plural = self.snake + "s"                         # invoice123s (table, route)
        self.ns = ""
        self.ns_snake = ""
        self.dead = False
        self.parent: Unit | None = None
        self.children: list[Unit] = []
        self.has_job = False


# ---------------------------------------------------------------------------
# Templates (plain f-strings; fast enough for 20k+ files)
# ---------------------------------------------------------------------------

def model_rb(u: Unit) -> str:
    assoc = []
    if u.parent is not None:
        assoc.append(f"  belongs_to :{u.parent.snake}, optional: true")
    for k, child in enumerate(u.children[:2]):
        dep = "destroy" if k == 0 else "nullify"
        assoc.append(f"  has_many :{child.plural}, dependent: :{dep}")
    if not assoc:
        assoc.append("  # no associations yet")
    assoc_s = "\n".join(assoc)
    return f"""# frozen_string_literal: true

# == Schema Information
#
# Table name: {u.plural}
#
class {u.cls} < ApplicationRecord
  STATUSES = %w[draft active archived].freeze

{assoc_s}

  validates :name, presence: true, length: {{ maximum: 120 }}
  validates :status, inclusion: {{ in: STATUSES }}
  validates :amount_cents, numericality: {{ greater_than_or_equal_to: 0 }}

  scope :active, -> {{ where(status: "active") }}
  scope :recent, -> {{ order(created_at: :desc).limit(50) }}
  scope :named, ->(q) {{ where("name ILIKE ?", "%#{{q}}%") }}

  before_validation :normalize_name

  def amount
    amount_cents.to_i / 100.0
  end

  def active?
    status == "active"
  end

  def archive!
    update!(status: "archived", archived_at: Time.current)
  end

  def display_name
    [name, code].compact.join(" - ")
  end

  def as_summary
    {{ id: id, name: display_name, status: status, amount: amount }}
  end

  private

  def normalize_name
    self.name = name.to_s.strip.squeeze(" ")
  end
end
"""


def table_rb(u: Unit) -> str:
    fk = ""
    fk_index = ""
    if u.parent is not None:
        fk = f'\n    t.bigint "{u.parent.snake}_id"'
        fk_index = (f'\n    t.index ["{u.parent.snake}_id"], '
                    f'name: "index_{u.plural}_on_{u.parent.snake}_id"')
    return f"""  create_table "{u.plural}", force: :cascade do |t|
    t.string "name", null: false
    t.string "code"
    t.string "status", default: "draft", null: false
    t.bigint "amount_cents", default: 0, null: false{fk}
    t.datetime "archived_at"
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false{fk_index}
    t.index ["status"], name: "index_{u.plural}_on_status"
  end

"""


def schema_rb(units: list[Unit]) -> str:
    out = ["""# This file is auto-generated from the current state of the database. Instead
# of editing this file, please use the migrations feature of Active Record to
# incrementally modify your database, and then regenerate this schema definition.

ActiveRecord::Schema[7.1].define(version: 2024_05_01_120000) do
  # These are extensions that must be enabled in order to support this database
  enable_extension "plpgsql"

"""]
    ordered = sorted(units, key=lambda u: u.plural)
    out.extend(table_rb(u) for u in ordered)
    for u in ordered:
        if u.parent is not None:
            out.append(f'  add_foreign_key "{u.plural}", "{u.parent.plural}"\n')
    out.append("end\n")
    return "".join(out)


def service_rb(u: Unit) -> str:
    job_line = ""
    if u.has_job:
        job_line = f"\n      {u.cls}SyncJob.perform_later(@record.id)"
    return f"""# frozen_string_literal: true

module {u.ns}
  # Coordinates {u.snake} lifecycle changes and background processing.
  class {u.cls}Service
    def self.call(record, **options)
      new(record, **options).call
    end

    def initialize(record, actor: nil)
      @record = record
      @actor = actor
    end

    def call
      return failure(["record is missing"]) if @record.nil?

      {u.cls}.transaction do
        @record.status ||= "active"
        @record.save!
      end
      {u.cls}Worker.perform_async(@record.id){job_line}
      success
    rescue ActiveRecord::RecordInvalid => e
      failure(e.record.errors.full_messages)
    end

    def archive
      return failure(["already archived"]) if @record.status == "archived"

      @record.archive!
      {u.cls}Worker.perform_async(@record.id)
      success
    end

    private

    def success
      {{ success: true, record: @record, errors: [] }}
    end

    def failure(errors)
      {{ success: false, record: @record, errors: errors }}
    end

    def actor_name
      @actor.respond_to?(:name) ? @actor.name : "system"
    end
  end
end
"""


def worker_rb(u: Unit) -> str:
    return f"""# frozen_string_literal: true

class {u.cls}Worker
  include Sidekiq::Job

  sidekiq_options queue: :default, retry: 5

  def perform(id, options = {{}})
    record = {u.cls}.find_by(id: id)
    return if record.nil?

    if options["force"] || stale?(record)
      refresh(record)
    else
      touch_only(record)
    end
  end

  private

  def stale?(record)
    record.updated_at < 1.hour.ago
  end

  def refresh(record)
    record.with_lock do
      record.code ||= generate_code(record)
      record.save!
    end
    Rails.logger.info("[{u.cls}Worker] refreshed #{{record.id}}")
  end

  def touch_only(record)
    record.touch
  end

  def generate_code(record)
    format("{u.snake[:3].upper()}-%06d", record.id)
  end
end
"""


def job_rb(u: Unit) -> str:
    return f"""# frozen_string_literal: true

class {u.cls}SyncJob < ApplicationJob
  queue_as :low

  def perform(id)
    record = {u.cls}.find_by(id: id)
    return if record.nil?

    payload = record.as_summary
    Rails.logger.info("[{u.cls}SyncJob] syncing #{{payload[:id]}}")
    payload
  end
end
"""


def controller_rb(u: Unit) -> str:
    s = u.snake
    if u.dead:
        create_body = f"""    @{s} = {u.cls}.new({s}_params)
    if @{s}.save
      render json: @{s}.as_summary, status: :created
    else
      render json: {{ errors: @{s}.errors.full_messages }}, status: :unprocessable_entity
    end"""
        update_body = f"""    if @{s}.update({s}_params)
      render json: @{s}.as_summary
    else
      render json: {{ errors: @{s}.errors.full_messages }}, status: :unprocessable_entity
    end"""
    else:
        svc = f"{u.ns}::{u.cls}Service"
        create_body = f"""    @{s} = {u.cls}.new({s}_params)
    result = {svc}.call(@{s}, actor: current_user)
    if result[:success]
      render json: @{s}.as_summary, status: :created
    else
      render json: {{ errors: result[:errors] }}, status: :unprocessable_entity
    end"""
        update_body = f"""    @{s}.assign_attributes({s}_params)
    result = {svc}.call(@{s}, actor: current_user)
    if result[:success]
      render json: @{s}.as_summary
    else
      render json: {{ errors: result[:errors] }}, status: :unprocessable_entity
    end"""
    permit = ":name, :code, :status, :amount_cents"
    if u.parent is not None:
        permit += f", :{u.parent.snake}_id"
    return f"""# frozen_string_literal: true

class {u.cls}sController < ApplicationController
  before_action :set_{s}, only: %i[show update destroy]

  def index
    @{u.plural} = {u.cls}.active.recent
    render json: @{u.plural}.map(&:as_summary)
  end

  def show
    render json: @{s}.as_summary
  end

  def create
{create_body}
  end

  def update
{update_body}
  end

  def destroy
    @{s}.destroy!
    head :no_content
  end

  private

  def set_{s}
    @{s} = {u.cls}.find(params[:id])
  end

  def {s}_params
    params.require(:{s}).permit({permit})
  end
end
"""


def model_spec_rb(u: Unit) -> str:
    return f"""# frozen_string_literal: true

require "rails_helper"

RSpec.describe {u.cls}, type: :model do
  subject(:record) {{ described_class.new(name: "  Sample  name ", status: "active", amount_cents: 1250) }}

  describe "validations" do
    it "is valid with the defaults" do
      expect(record).to be_valid
    end

    it "requires a name" do
      record.name = nil
      expect(record).not_to be_valid
    end

    it "rejects unknown statuses" do
      record.status = "bogus"
      expect(record).not_to be_valid
    end
  end

  describe "#amount" do
    it "converts cents" do
      expect(record.amount).to eq(12.5)
    end
  end

  describe "#display_name" do
    it "joins name and code" do
      record.code = "X1"
      record.valid?
      expect(record.display_name).to eq("Sample name - X1")
    end
  end

  describe ".active" do
    it "is a relation" do
      expect(described_class.active).to respond_to(:to_a)
    end
  end
end
"""


def worker_spec_rb(u: Unit) -> str:
    return f"""# frozen_string_literal: true

require "rails_helper"

RSpec.describe {u.cls}Worker, type: :worker do
  let(:record) {{ {u.cls}.create!(name: "Sample", status: "active", amount_cents: 100) }}

  it "enqueues a job" do
    expect {{ described_class.perform_async(record.id) }}
      .to change(described_class.jobs, :size).by(1)
  end

  it "ignores missing records" do
    expect {{ described_class.new.perform(-1) }}.not_to raise_error
  end

  it "refreshes stale records" do
    record.update_column(:updated_at, 2.hours.ago)
    described_class.new.perform(record.id)
    expect(record.reload.code).to start_with("{u.snake[:3].upper()}-")
  end

  it "only touches fresh records" do
    expect {{ described_class.new.perform(record.id) }}
      .not_to(change {{ record.reload.code }})
  end
end
"""


def service_spec_rb(u: Unit) -> str:
    # Must not mention the worker: the worker's only reference is the dead service.
    return f"""# frozen_string_literal: true

require "rails_helper"

RSpec.describe {u.ns}::{u.cls}Service do
  let(:record) {{ {u.cls}.new(name: "Sample", status: "draft", amount_cents: 10) }}

  describe ".call" do
    it "saves the record" do
      result = described_class.call(record)
      expect(result[:success]).to be(true)
      expect(record).to be_persisted
    end

    it "fails without a record" do
      result = described_class.call(nil)
      expect(result[:success]).to be(false)
      expect(result[:errors]).to include("record is missing")
    end
  end

  describe "#archive" do
    it "archives the record" do
      record.save!
      described_class.new(record).archive
      expect(record.reload.status).to eq("archived")
    end
  end
end
"""


def routes_rb(units: list[Unit]) -> str:
    lines = ["# frozen_string_literal: true\n\nRails.application.routes.draw do\n"]
    lines.append('  get "up" => "rails/health#show", as: :rails_health_check\n\n')
    lines.extend(f"  resources :{u.plural}\n" for u in units)
    lines.append("end\n")
    return "".join(lines)


STATIC_FILES: dict[str, str] = {
    "app/models/application_record.rb": """# frozen_string_literal: true

class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end
""",
    "app/controllers/application_controller.rb": """# frozen_string_literal: true

class ApplicationController < ActionController::Base
  protect_from_forgery with: :null_session

  rescue_from ActiveRecord::RecordNotFound, with: :render_not_found

  helper_method :current_user

  private

  def current_user
    @current_user ||= request.env["warden"]&.user
  end

  def render_not_found
    render json: { error: "not found" }, status: :not_found
  end
end
""",
    "app/jobs/application_job.rb": """# frozen_string_literal: true

class ApplicationJob < ActiveJob::Base
  # Automatically retry jobs that encountered a deadlock
  retry_on ActiveRecord::Deadlocked

  # Most jobs are safe to ignore if the underlying records are no longer available
  discard_on ActiveJob::DeserializationError
end
""",
    "config/application.rb": f"""# frozen_string_literal: true

require_relative "boot"

require "rails/all"

# Require the gems listed in Gemfile, including any gems
# you've limited to :test, :development, or :production.
Bundler.require(*Rails.groups)

module {APP_MODULE}
  class Application < Rails::Application
    config.load_defaults 7.1

    config.autoload_lib(ignore: %w[assets tasks])
    config.active_job.queue_adapter = :sidekiq
    config.time_zone = "UTC"
    config.api_only = false
  end
end
""",
    "config/boot.rb": """# frozen_string_literal: true

ENV["BUNDLE_GEMFILE"] ||= File.expand_path("../Gemfile", __dir__)

require "bundler/setup" # Set up gems listed in the Gemfile.
""",
    "config/environment.rb": """# frozen_string_literal: true

# Load the Rails application.
require_relative "application"

# Initialize the Rails application.
Rails.application.initialize!
""",
    "config.ru": """# This file is used by Rack-based servers to start the application.

require_relative "config/environment"

run Rails.application
Rails.application.load_server
""",
    "Rakefile": """# Add your own tasks in files placed in lib/tasks ending in .rake,
# for example lib/tasks/capistrano.rake, and they will automatically be available to Rake.

require_relative "config/application"

Rails.application.load_tasks
""",
    "config/sidekiq.yml": """---
:concurrency: 10
:timeout: 25
:max_retries: 5
:queues:
  - critical
  - default
  - low
""",
    "spec/spec_helper.rb": """# frozen_string_literal: true

RSpec.configure do |config|
  config.expect_with :rspec do |expectations|
    expectations.include_chain_clauses_in_custom_matcher_descriptions = true
  end

  config.mock_with :rspec do |mocks|
    mocks.verify_partial_doubles = true
  end

  config.shared_context_metadata_behavior = :apply_to_host_groups
  config.order = :random
end
""",
    "spec/rails_helper.rb": """# frozen_string_literal: true

require "spec_helper"
ENV["RAILS_ENV"] ||= "test"
require_relative "../config/environment"
abort("The Rails environment is running in production mode!") if Rails.env.production?
require "rspec/rails"
require "sidekiq/testing"

Sidekiq::Testing.fake!

RSpec.configure do |config|
  config.fixture_paths = [Rails.root.join("spec/fixtures")]
  config.use_transactional_fixtures = true
  config.infer_spec_type_from_file_location!
  config.filter_rails_from_backtrace!
end
""",
    "Gemfile": """source "https://rubygems.org"

ruby "3.2.2"

gem "rails", "~> 7.1.3"
gem "pg", "~> 1.5"
gem "puma", "~> 6.4"
gem "sidekiq", "~> 7.2"
gem "bootsnap", require: false

group :development, :test do
  gem "debug", platforms: %i[mri windows]
  gem "rspec-rails", "~> 6.1"
end
""",
    "Gemfile.lock": """GEM
  remote: https://rubygems.org/
  specs:
    actioncable (7.1.3)
      actionpack (= 7.1.3)
      activesupport (= 7.1.3)
    actionpack (7.1.3)
      actionview (= 7.1.3)
      activesupport (= 7.1.3)
      rack (>= 2.2.4)
    actionview (7.1.3)
      activesupport (= 7.1.3)
    activejob (7.1.3)
      activesupport (= 7.1.3)
      globalid (>= 0.3.6)
    activemodel (7.1.3)
      activesupport (= 7.1.3)
    activerecord (7.1.3)
      activemodel (= 7.1.3)
      activesupport (= 7.1.3)
    activesupport (7.1.3)
      concurrent-ruby (~> 1.0, >= 1.0.2)
      i18n (>= 1.6, < 2)
      tzinfo (~> 2.0)
    bootsnap (1.18.3)
      msgpack (~> 1.2)
    concurrent-ruby (1.2.3)
    connection_pool (2.4.1)
    debug (1.9.1)
    globalid (1.2.1)
      activesupport (>= 6.1)
    i18n (1.14.1)
      concurrent-ruby (~> 1.0)
    msgpack (1.7.2)
    pg (1.5.4)
    puma (6.4.2)
      nio4r (~> 2.0)
    nio4r (2.7.0)
    rack (3.0.9)
    rails (7.1.3)
      actioncable (= 7.1.3)
      actionpack (= 7.1.3)
      actionview (= 7.1.3)
      activejob (= 7.1.3)
      activemodel (= 7.1.3)
      activerecord (= 7.1.3)
      activesupport (= 7.1.3)
      railties (= 7.1.3)
    railties (7.1.3)
      actionpack (= 7.1.3)
      activesupport (= 7.1.3)
    redis-client (0.19.1)
      connection_pool
    rspec-rails (6.1.1)
      actionpack (>= 6.1)
      activesupport (>= 6.1)
      railties (>= 6.1)
    sidekiq (7.2.1)
      concurrent-ruby (< 2)
      connection_pool (>= 2.3.0)
      rack (>= 2.2.4)
      redis-client (>= 0.19.0)
    tzinfo (2.0.6)
      concurrent-ruby (~> 1.0)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  bootsnap
  debug
  pg (~> 1.5)
  puma (~> 6.4)
  rails (~> 7.1.3)
  rspec-rails (~> 6.1)
  sidekiq (~> 7.2)

RUBY VERSION
   ruby 3.2.2p53

BUNDLED WITH
   2.5.3
""",
}


# ---------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------

def plan(units_n: int, seed: int, dead_ratio: float) -> list[Unit]:
    rng = random.Random(seed)
    units = [Unit(i, rng.choice(WORDS)) for i in range(units_n)]

    n_dead = int(round(units_n * dead_ratio)) if dead_ratio > 0 else 0
    if dead_ratio > 0 and n_dead == 0 and units_n >= 2:
        n_dead = 1
    n_dead = max(0, min(n_dead, units_n - 1))   # keep at least one live unit
    for i in rng.sample(range(units_n), n_dead):
        units[i].dead = True

    # Namespaces: live units cycle through them (so every used namespace has a live
    # service); dead units only pick namespaces that already hold a live service.
    live = [u for u in units if not u.dead]
    live_ns = NAMESPACES[:min(len(NAMESPACES), len(live))]
    for k, u in enumerate(live):
        u.ns = live_ns[k] if k < len(live_ns) else rng.choice(live_ns)
        u.has_job = k % JOB_EVERY == 0
    for u in units:
        if u.dead:
            u.ns = rng.choice(live_ns)
        u.ns_snake = u.ns.lower()

    # belongs_to a random earlier unit (a forest), has_many back for the first two children.
    for u in units[1:]:
        p = units[rng.randrange(u.i)]
        u.parent = p
        p.children.append(u)
    return units


def expected(units: list[Unit]) -> list[dict]:
    out = []
    for u in units:
        if u.dead:
            out.append({"name": f"{u.ns}::{u.cls}Service", "kind": "class", "verdict": "test_only"})
            out.append({"name": f"{u.cls}Worker", "kind": "worker", "verdict": "dead_callers_only"})
    out.sort(key=lambda c: (c["name"], c["kind"], c["verdict"]))
    return out


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def generate(out_dir: str, units_n: int, seed: int = 1, dead_ratio: float = 0.1) -> dict:
    units = plan(units_n, seed, dead_ratio)
    files: dict[str, str] = dict(STATIC_FILES)
    for u in units:
        files[f"app/models/{u.snake}.rb"] = model_rb(u)
        files[f"app/services/{u.ns_snake}/{u.snake}_service.rb"] = service_rb(u)
        files[f"app/workers/{u.snake}_worker.rb"] = worker_rb(u)
        files[f"app/controllers/{u.plural}_controller.rb"] = controller_rb(u)
        files[f"spec/models/{u.snake}_spec.rb"] = model_spec_rb(u)
        if u.dead:
            files[f"spec/services/{u.ns_snake}/{u.snake}_service_spec.rb"] = service_spec_rb(u)
        else:
            files[f"spec/workers/{u.snake}_worker_spec.rb"] = worker_spec_rb(u)
        if u.has_job:
            files[f"app/jobs/{u.snake}_sync_job.rb"] = job_rb(u)
    files["config/routes.rb"] = routes_rb(units)
    files["db/schema.rb"] = schema_rb(units)
    cands = expected(units)

    os.makedirs(out_dir, exist_ok=True)
    made: set[str] = set()
    for rel in files:
        d = os.path.dirname(rel)
        if d and d not in made:
            os.makedirs(os.path.join(out_dir, d), exist_ok=True)
            made.add(d)
    for rel, text in files.items():
        with open(os.path.join(out_dir, rel), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    rb = sum(1 for rel in files if rel.endswith(".rb"))
    meta = {
        "candidates": cands,
        "units": units_n,
        "seed": seed,
        "dead_ratio": dead_ratio,
        "dead_units": sum(1 for u in units if u.dead),
        "files": len(files),
        "ruby_files": rb,
    }
    with open(expected_path(out_dir), "w", encoding="utf-8") as fh:
        json.dump(meta, fh, indent=2, sort_keys=False)
        fh.write("\n")
    return meta


def expected_path(out_dir: str) -> str:
    """Where the planted set goes: beside the app, never inside it."""
    return os.path.normpath(os.path.abspath(out_dir)) + ".expected.json"


def verify(out_dir: str, sample: int, seed: int = 0) -> list[str]:
    """Parse ``sample`` .rb files (stratified by directory) with tree-sitter.

    Returns the repo-relative paths whose tree has an ERROR or MISSING node.
    """
    import tree_sitter_ruby
    from tree_sitter import Language, Parser

    parser = Parser(Language(tree_sitter_ruby.language()))
    by_dir: dict[str, list[str]] = {}
    for dirpath, _dirs, names in os.walk(out_dir):
        for n in names:
            if n.endswith(".rb") or n in ("Gemfile", "Rakefile", "config.ru"):
                rel = os.path.relpath(os.path.join(dirpath, n), out_dir)
                by_dir.setdefault(os.path.dirname(rel), []).append(rel)
    rng = random.Random(seed)
    picked: list[str] = []
    dirs = sorted(by_dir)
    for d in dirs:                      # at least one per directory
        picked.append(rng.choice(sorted(by_dir[d])))
    pool = sorted(p for d in dirs for p in by_dir[d] if p not in set(picked))
    picked += rng.sample(pool, max(0, min(len(pool), sample - len(picked))))
    bad = []
    for rel in picked:
        with open(os.path.join(out_dir, rel), "rb") as fh:
            tree = parser.parse(fh.read())
        if tree.root_node.has_error:
            bad.append(rel)
    print(f"verify: parsed {len(picked)} files, {len(bad)} with ERROR/MISSING nodes",
          file=sys.stderr)
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--units", type=int, required=True, help="number of domain units (>= 1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dead-ratio", type=float, default=0.1,
                    help="fraction of units whose service+worker are planted dead (default 0.1)")
    ap.add_argument("--verify", type=int, default=0, metavar="K",
                    help="afterwards parse K sample files with tree-sitter; exit 1 on ERROR nodes")
    args = ap.parse_args(argv)
    if args.units < 1:
        ap.error("--units must be >= 1")
    if not 0.0 <= args.dead_ratio <= 1.0:
        ap.error("--dead-ratio must be within [0, 1]")

    t0 = time.perf_counter()
    meta = generate(args.out_dir, args.units, args.seed, args.dead_ratio)
    dt = time.perf_counter() - t0
    print(f"generated {meta['files']} files ({meta['ruby_files']} .rb), {args.units} units, "
          f"{meta['dead_units']} planted dead, {len(meta['candidates'])} expected candidates "
          f"in {dt:.2f}s -> {args.out_dir} (expected set: {expected_path(args.out_dir)})",
          file=sys.stderr)
    if args.verify:
        if verify(args.out_dir, args.verify):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
