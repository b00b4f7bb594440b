"""Property tests: ``extract_file`` never raises and its line numbers stay inside the file.

Inputs are real-looking Ruby and ERB snippets, mutated (characters deleted,
inserted, lines swapped, truncated) plus plain random text. Line invariants:
every definition has ``1 <= line <= end_line <= rows``, every reference, call
and literal ``1 <= line <= rows``, where ``rows`` is the number of newlines + 1
(tree-sitter's last row, 1-based).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deadcode.extract import extract_file

RUBY_CORPUS = [
    "class Invoice < ApplicationRecord\n  belongs_to :customer\n  has_many :payments, dependent: :destroy\n"
    "  scope :open, -> { where(paid_at: nil) }\n\n  def total\n    payments.sum(:amount)\n  end\nend\n",
    "module Billing\n  class TaxCalculator\n    RATES = { \"de\" => 0.19, \"fr\" => 0.2 }.freeze\n\n"
    "    def call(invoice)\n      invoice.total * RATES.fetch(invoice.country)\n    end\n  end\nend\n",
    "class InvoicesController < ApplicationController\n  before_action :load_invoice, only: %i[show edit]\n"
    "  rescue_from ActiveRecord::RecordNotFound, with: :not_found\n\n  def index\n"
    "    @invoices = Invoice.open.includes(:customer)\n  end\n\n  private\n\n  def load_invoice\n"
    "    @invoice = Invoice.find(params[:id])\n  end\nend\n",
    "class TaskDispatcher\n  HANDLERS = {\n    \"fetch\" => Estimation::FetchWorker,\n"
    "    \"analyse\" => \"Estimation::AnalysisWorker\",\n    refresh: Payments::NightlySyncWorker,\n  }.freeze\n\n"
    "  def self.dispatch(name, *args)\n    HANDLERS.fetch(name).perform_async(*args)\n  end\nend\n",
    "namespace :billing do\n  desc \"Send the weekly digest\"\n  task weekly_digest: :environment do\n"
    "    DigestWorker.perform_async\n  end\n\n  task :reconcile, [:day] => [:environment, :weekly_digest] do |_t, args|\n"
    "    Rake::Task[\"billing:weekly_digest\"].invoke\n  end\nend\n",
    "Point = Struct.new(:x, :y) do\n  def dist = Math.sqrt(x**2 + y**2)\nend\nFallback = Class.new(StandardError)\n"
    "klass = \"#{kind.camelize}Exporter\".constantize\nObject.const_get(:Foo)\n",
    "case job_name\nwhen \"sync\" then SyncWorker.perform_async\nwhen :purge\n  PurgeWorker.perform_in(5.minutes)\n"
    "else\n  raise ArgumentError, <<~MSG\n    unknown job #{job_name}\n  MSG\nend\n",
    "class Estimation::DownloadWorker\n  include Sidekiq::Worker\n  sidekiq_options queue: :low, retry: 3\n"
    "  # deadcode:keep called from the ops runbook\n  def perform(id) = ::Estimation::CsvFetcher.new(id).call\nend\n",
    "Rails.application.routes.draw do\n  root \"invoices#index\"\n  resources :invoices, only: [:index, :show] do\n"
    "    member { post :pay }\n  end\n  namespace :admin do\n    get \"reports/:id\", to: \"reports#show\"\n  end\nend\n",
    "x = ->(a, b = {}, *c, d:, **e, &f) { a&.b&.c }\n%w[a b c].each { |s| puts s }\n"
    "begin\n  foo\nrescue Foo::Bar, Baz => e\n  retry if (@n += 1) < 3\nensure\n  bar\nend\n",
    "class << self\n  attr_accessor :config\n  def configure\n    yield(config ||= Config.new)\n  end\nend\n"
    "=begin\nclass Commented\nend\n=end\n__END__\nclass NotCode\n",
    "def method_missing(name, *args)\n  return super unless name.to_s.start_with?(\"find_\")\n"
    "  send(:\"#{name}_by\", *args)\nend\nalias_method :old, :new\nundef_method :x rescue nil\n",
]

ERB_CORPUS = [
    "<h1><%= @invoice.number %></h1>\n<% @invoice.payments.each do |p| %>\n"
    "  <%= render partial: \"payments/row\", locals: { p: p } %>\n<% end %>\n",
    "<%# a comment %>\n<%= link_to \"Back\", invoices_path, class: \"btn\" %>\n<%- if current_user.admin? -%>\n"
    "  <%== InvoicesHelper.badge(@invoice) %>\n<%- end -%>\n",
    "<table>\n<% Billing::Report.rows.each do |row| %><tr><td><%= row.name %></td></tr><% end %>\n</table>\n"
    "<script>var x = <%= raw @data.to_json %>;</script>\n",
]

# characters that matter to the Ruby and ERB grammars, plus some that do not
NOISE = st.sampled_from(list("\n\t ()[]{}<>%=-#:;,.|&*\"'`\\/@$?!~^+_") + [
    "end", "do", "class ", "module ", "def ", "<%", "%>", "<<~EOS\n", "EOS", "#{", "=begin\n",
    "\r", "\u00e9", "\u65e5", "\ufeff", "\x00",
])


@st.composite
def mutated(draw, corpus: list[str]) -> str:
    text = draw(st.sampled_from(corpus))
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        op = draw(st.sampled_from(["delete", "insert", "truncate", "duplicate", "swap"]))
        n = len(text)
        i = draw(st.integers(min_value=0, max_value=n))
        if op == "delete" and n:
            j = draw(st.integers(min_value=i, max_value=min(n, i + 12)))
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + "".join(draw(st.lists(NOISE, min_size=1, max_size=4))) + text[i:]
        elif op == "truncate":
            text = text[:i]
        elif op == "duplicate" and n:
            j = draw(st.integers(min_value=i, max_value=min(n, i + 40)))
            text = text[:j] + text[i:j] + text[j:]
        elif op == "swap":
            lines = text.split("\n")
            if len(lines) > 1:
                a = draw(st.integers(min_value=0, max_value=len(lines) - 1))
                b = draw(st.integers(min_value=0, max_value=len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
                text = "\n".join(lines)
    return text


RUBY_INPUTS = st.one_of(
    mutated(RUBY_CORPUS),
    mutated(RUBY_CORPUS).map(lambda s: s.replace("\n", "\r\n")),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.lists(NOISE, max_size=40).map("".join),
)
ERB_INPUTS = st.one_of(mutated(ERB_CORPUS), mutated(RUBY_CORPUS).map(lambda s: f"<% {s} %>"),
                       st.lists(NOISE, max_size=40).map("".join))

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_lines(source: bytes, facts) -> None:
    rows = source.count(b"\n") + 1
    for d in facts.definitions:
        assert 1 <= d.line <= d.end_line <= rows, (d, rows)
    for r in facts.references:
        assert 1 <= r.line <= rows, (r, rows)
    for c in facts.calls:
        assert 1 <= c.line <= rows, (c, rows)
    for lit in facts.literals:              # (text, line, owner, ...)
        assert 1 <= lit[1] <= rows, (lit, rows)
    for entry in facts.hashes:              # (map name, owner, line, end line)
        assert 1 <= entry[2] <= entry[3] <= rows, (entry, rows)
    assert 0 <= facts.error_regions
    assert 0 <= facts.lines <= rows


@FUZZ
@given(RUBY_INPUTS)
def test_ruby_never_raises_and_lines_stay_in_range(text):
    source = text.encode("utf-8")
    for path in ("app/models/fuzz.rb", "lib/tasks/fuzz.rake"):
        facts = extract_file(path, "ruby", source)
        check_lines(source, facts)


@FUZZ
@given(ERB_INPUTS)
def test_erb_never_raises_and_lines_stay_in_range(text):
    source = text.encode("utf-8")
    facts = extract_file("app/views/fuzz/show.html.erb", "erb", source)
    check_lines(source, facts)
    assert facts.definitions == ()


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(RUBY_CORPUS), mutated(ERB_CORPUS)),
       st.sampled_from(["haml", "slim", "text"]),
       st.sampled_from(["x.yml", "x.json", "Procfile"]))
def test_other_languages_never_raise(text, lang, name):
    source = text.encode("utf-8")
    facts = extract_file(f"config/{name}" if lang == "text" else f"app/views/x.html.{lang}", lang, source)
    check_lines(source, facts)


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(RUBY_CORPUS).map(lambda s: s.encode("utf-8")),
                 st.binary(max_size=200)),
       st.binary(min_size=1, max_size=3), st.integers(min_value=0, max_value=400))
def test_arbitrary_bytes_never_raise(source, junk, at):
    source = source[:at] + junk + source[at:]
    for lang, path in (("ruby", "app/models/fuzz.rb"), ("erb", "app/views/f/x.html.erb")):
        facts = extract_file(path, lang, source)
        check_lines(source, facts)


def test_same_input_same_facts():
    for text in RUBY_CORPUS:
        source = text.encode()
        assert extract_file("app/x.rb", "ruby", source) == extract_file("app/x.rb", "ruby", source)
