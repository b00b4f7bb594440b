"""deadcode.inflect: ActiveSupport's English inflector and the initializer reader.

Expected values were produced by running ActiveSupport's own inflector code
(Ruby) on the same inputs, so the quirks (``"valves"`` -> ``"valf"``,
``"black_sheep"`` -> ``"black_sheeps"``) are Rails' too.
"""

from __future__ import annotations

import re

import pytest

from deadcode import inflect
from deadcode.inflect import (
    DEFAULT_INFLECTIONS, Inflections, RubyRegexError, camelize, classify,
    deconstantize, default_inflections, demodulize, foreign_key,
    load_inflections_initializer, pluralize, ruby_regex, singularize,
    table_name_for, tableize, underscore,
)

PLURALS = [
    ("invoice", "invoices"), ("line_item", "line_items"), ("company", "companies"),
    ("box", "boxes"), ("church", "churches"), ("wish", "wishes"), ("knife", "knives"),
    ("leaf", "leafs"), ("wolf", "wolves"), ("hero", "heros"), ("potato", "potatos"),
    ("criterion", "criterions"), ("bacterium", "bacteria"), ("thesis", "theses"),
    ("crisis", "crises"), ("vertex", "vertices"), ("appendix", "appendixes"),
    ("mouse", "mice"), ("house", "houses"), ("ox", "oxen"), ("quiz", "quizzes"),
    ("status", "statuses"), ("alias", "aliases"), ("bus", "buses"),
    ("person", "people"), ("salesperson", "salespeople"), ("woman", "women"),
    ("child", "children"), ("grandchild", "grandchildren"), ("sex", "sexes"),
    ("move", "moves"), ("zombie", "zombies"), ("money", "money"), ("sheep", "sheep"),
    ("fish", "fish"), ("jeans", "jeans"), ("police", "police"), ("species", "species"),
    ("series", "series"), ("equipment", "equipment"), ("information", "information"),
    ("rice", "rice"), ("news", "news"), ("movie", "movies"), ("shoe", "shoes"),
    ("database", "databases"), ("axis", "axes"), ("testis", "testes"),
    ("octopus", "octopi"), ("day", "days"), ("key", "keys"), ("safe", "saves"),
    ("valve", "valves"), ("my_money", "my_moneys"), ("black_sheep", "black_sheeps"),
    ("admin/equipment", "admin/equipment"), ("Person", "People"), ("CamelOctopus", "CamelOctopi"),
    ("", ""),
]

SINGULARS = [
    ("invoices", "invoice"), ("line_items", "line_item"), ("companies", "company"),
    ("boxes", "box"), ("churches", "church"), ("knives", "knife"), ("wolves", "wolf"),
    ("bacteria", "bacterium"), ("theses", "thesis"), ("crises", "crisis"),
    ("vertices", "vertex"), ("mice", "mouse"), ("oxen", "ox"), ("quizzes", "quiz"),
    ("statuses", "status"), ("aliases", "alias"), ("buses", "bus"),
    ("people", "person"), ("salespeople", "salesperson"), ("women", "woman"),
    ("children", "child"), ("sexes", "sex"), ("moves", "move"), ("zombies", "zombie"),
    ("money", "money"), ("sheep", "sheep"), ("series", "series"), ("news", "news"),
    ("movies", "movie"), ("shoes", "shoe"), ("databases", "database"), ("axes", "axis"),
    ("testes", "testis"), ("octopi", "octopus"), ("saves", "safe"), ("valves", "valf"),
    ("analyses", "analysis"), ("address", "address"), ("status", "status"),
]


@pytest.mark.parametrize("singular,plural", PLURALS)
def test_pluralize(singular, plural):
    assert pluralize(singular) == plural


@pytest.mark.parametrize("plural,singular", SINGULARS)
def test_singularize(plural, singular):
    assert singularize(plural) == singular


def test_camelize():
    assert camelize("admin/line_items") == "Admin::LineItems"
    assert camelize("line_item") == "LineItem"
    assert camelize("active_model/errors") == "ActiveModel::Errors"
    assert camelize("active_model", False) == "activeModel"
    assert camelize("admin/LineItems") == "Admin::Lineitems"  # Rails downcases the rest
    assert camelize("x") == "X"
    assert camelize("") == ""


def test_underscore():
    assert underscore("Admin::LineItem") == "admin/line_item"
    assert underscore("HTMLParser") == "html_parser"
    assert underscore("SSLError") == "ssl_error"
    assert underscore("Area51Controller") == "area51_controller"
    assert underscore("AppCDir") == "app_c_dir"
    assert underscore("foo-bar") == "foo_bar"
    assert underscore("already_snake") == "already_snake"
    assert camelize(underscore("SSLError")) == "SslError"


def test_table_and_class_names():
    assert tableize("Admin::LineItem") == "admin/line_items"
    assert tableize("Person") == "people"
    assert table_name_for("Admin::LineItem") == "line_items"
    assert table_name_for("Person") == "people"
    assert table_name_for("Sheep") == "sheep"
    assert table_name_for("Admin::LineItem", prefix="admin_") == "admin_line_items"
    assert table_name_for("Person", pluralize_table_names=False) == "person"
    assert classify("line_items") == "LineItem"
    assert classify("admin/line_items") == "Admin::LineItem"
    assert classify("schema.people") == "Person"
    assert classify("data") == "Datum"
    assert demodulize("Admin::LineItem") == "LineItem"
    assert demodulize("LineItem") == "LineItem"
    assert deconstantize("Admin::Billing::LineItem") == "Admin::Billing"
    assert deconstantize("LineItem") == ""
    assert foreign_key("Admin::Post") == "post_id"


def test_acronyms():
    inf = default_inflections()
    for word in ("API", "HTML", "RESTful", "McDonald"):
        inf.acronym(word)
    assert camelize("api_keys", inflections=inf) == "APIKeys"
    assert camelize("api/v1/users", inflections=inf) == "API::V1::Users"
    assert camelize("html", inflections=inf) == "HTML"
    assert camelize("restful_controller", inflections=inf) == "RESTfulController"
    assert camelize("mcdonald", inflections=inf) == "McDonald"
    assert camelize("api_key", False, inflections=inf) == "apiKey"
    assert underscore("APIKeys", inflections=inf) == "api_keys"
    assert underscore("MyHTML", inflections=inf) == "my_html"
    assert underscore("RESTfulController", inflections=inf) == "restful_controller"
    assert underscore("API::V1::UsersController", inflections=inf) == "api/v1/users_controller"
    assert classify("api_keys", inflections=inf) == "APIKey"
    # the default instance is untouched
    assert camelize("api_keys") == "ApiKeys"


def test_inflections_api_prepends_and_uncountables():
    inf = default_inflections()
    inf.plural(ruby_regex(r"^(ox)$", "i"), r"\1es")  # later rules win
    assert pluralize("ox", inflections=inf) == "oxes"
    inf.irregular("cow", "kine")
    assert pluralize("cow", inflections=inf) == "kine"
    assert pluralize("Cow", inflections=inf) == "Kine"
    assert pluralize("brown_cow", inflections=inf) == "brown_kine"
    assert singularize("kine", inflections=inf) == "cow"
    assert singularize("Kine", inflections=inf) == "Cow"
    inf.uncountable("data", ["feedback", "metadata"])
    assert pluralize("feedback", inflections=inf) == "feedback"
    assert singularize("data", inflections=inf) == "data"
    inf.singular("data", "datum")  # a String rule removes the uncountable
    assert singularize("data", inflections=inf) == "datum"
    inf.plural("regatta", "regattae")  # String rules match literally
    assert pluralize("regatta", inflections=inf) == "regattae"
    inf.clear("plurals")
    assert pluralize("cat", inflections=inf) == "cat"
    assert inf.uncountables[-2:] == ["feedback", "metadata"]
    assert "data" not in inf.uncountables
    assert pluralize("cow") == "cows"  # default untouched


def test_default_instance_shape():
    d = DEFAULT_INFLECTIONS
    assert d.uncountables == ["equipment", "information", "rice", "money", "species",
                              "series", "fish", "sheep", "jeans", "police"]
    assert d.acronyms == {}
    # 2 plural and 2 singular rules per irregular (all share their first letter)
    assert len(d.plurals) == 21 + 2 * 6
    assert len(d.singulars) == 27 + 2 * 6


@pytest.mark.parametrize("src,flags,python", [
    (r"\Afoo\z", "i", r"\Afoo\Z"),
    (r"a(?i)b|c", "", r"a(?i:b|c)"),
    (r"(a(?i)b)c", "", r"(a(?i:b))c"),
    (r"(?<year>\d+)-\k<year>", "", r"(?P<year>\d+)-(?P=year)"),
    (r"[[:alpha:]]+\h", "", r"[a-zA-Z]+[0-9a-fA-F]"),
    (r"(?mi-x:a.b)", "", r"(?si-x:a.b)"),
    (r"[m|l]ice", "", r"[m\|l]ice"),
    (r"\p{L}+", "", r"[^\W\d_]+"),
    (r"x\Z", "", r"x(?=\n?\Z)"),
])
def test_ruby_regex_translation(src, flags, python):
    assert ruby_regex(src, flags).pattern == python


def test_ruby_regex_flags_and_semantics():
    p = ruby_regex("a.b", "mix")
    assert p.flags & re.IGNORECASE and p.flags & re.DOTALL and p.flags & re.VERBOSE
    assert p.flags & re.MULTILINE  # Ruby ^/$ are line anchors
    assert ruby_regex(r"a(?i)b|c").fullmatch("aC")
    assert not ruby_regex(r"a(?i)b|c").fullmatch("c")


@pytest.mark.parametrize("src", [r"[a-z&&[^aeiou]]", r"\p{Greek}", r"a\Gb", r"(?~abc)", r"(a", r"a)"])
def test_ruby_regex_untranslatable(src):
    with pytest.raises(RubyRegexError):
        ruby_regex(src)


INITIALIZER = rb"""
# Be sure to restart your server when you modify this file.
ActiveSupport::Inflector.inflections(:en) do |inflect|
  inflect.plural /^(ox)$/i, '\1es'
  inflect.singular(/^(ox)es/i, "\\1")
  inflect.plural(%r{(quiz)\z}i, '\1zez')
  inflect.irregular "cactus", "cacti"
  inflect.irregular 'octopus', 'octopodes'
  inflect.uncountable %w( data feedback )
  inflect.uncountable "metadata", "staff"
  inflect.acronym "API"
  inflect.acronym 'OAuth'
  %w[HTML CSV].each { |a| inflect.acronym a }
  inflect.plural "regatta", "regattae"
  inflect.plural /^(\w+)#{suffix}$/, '\1'
  inflect.plural /[a-z&&[^aeiou]]y$/, 'ies'
  inflect.human /_cnt$/i, '\1_count'
end

ActiveSupport::Inflector.inflections(:es) do |inflect|
  inflect.plural /$/, 'es'
  inflect.acronym "ES"
end

ActiveSupport::Inflector.inflections(:en).acronym("GraphQL")
"""


def test_load_inflections_initializer():
    inf = load_inflections_initializer(INITIALIZER)
    assert pluralize("ox", inflections=inf) == "oxes"
    assert singularize("oxes", inflections=inf) == "ox"
    assert pluralize("quiz", inflections=inf) == "quizzez"
    assert pluralize("cactus", inflections=inf) == "cacti"
    assert singularize("cacti", inflections=inf) == "cactus"
    assert pluralize("octopus", inflections=inf) == "octopodes"
    assert singularize("feedback", inflections=inf) == "feedback"
    assert pluralize("staff", inflections=inf) == "staff"
    assert pluralize("regatta", inflections=inf) == "regattae"
    assert pluralize("person", inflections=inf) == "people"  # defaults kept
    assert camelize("api/oauth_tokens", inflections=inf) == "API::OAuthTokens"
    assert camelize("html_csv_export", inflections=inf) == "HTMLCSVExport"
    assert underscore("GraphQLSchema", inflections=inf) == "graphql_schema"
    assert "ES" not in inf.acronyms.values()  # other locales ignored
    assert pluralize("bus", inflections=inf) == "buses"  # the :es /$/ rule ignored
    assert len(inf.humans) == 1
    # interpolated and untranslatable regexes are skipped with a warning each
    assert len(inf.warnings) == 2
    assert inf.warnings[0] == "line 15: skipped rule with a non-literal pattern"
    assert inf.warnings[1].startswith("line 16: skipped rule /[a-z&&[^aeiou]]y$/: ")
    # the default instance is not modified
    assert pluralize("ox") == "oxen"
    assert DEFAULT_INFLECTIONS.acronyms == {}


def test_load_inflections_initializer_base_and_no_block_param():
    base = Inflections()
    base.plural(ruby_regex("$"), "s")
    inf = load_inflections_initializer(
        b"ActiveSupport::Inflector.inflections { |i| i.irregular 'foot', 'feet' }", base=base)
    assert pluralize("foot", inflections=inf) == "feet"
    assert pluralize("person", inflections=inf) == "persons"
    assert pluralize("foot", inflections=base) == "foots"
    empty = load_inflections_initializer(b"")
    assert empty.warnings == [] and pluralize("person", inflections=empty) == "people"


def test_ruby_replacement_expansion():
    inf = Inflections()
    inf.plural(ruby_regex(r"(?<stem>bu)s$"), r"\k<stem>sses")
    assert pluralize("bus", inflections=inf) == "busses"
    inf.plural(ruby_regex(r"(x)(y)?$"), r"<\0|\1|\2|\&>")
    assert pluralize("ax", inflections=inf) == "a<x|x||x>"


def test_module_exports_literal_helpers():
    tree = inflect.parse_ruby(b'f "a#{1}", :b, %i[c d], { e: nil }, /x/m, Foo::Bar, 0x10')
    call = tree.root_node.named_children[0]
    pos, opts, splat = inflect.call_args(call)
    assert pos == ["a1", "b", ["c", "d"], {"e": None}, inflect.RubyRegex("x", "m"),
                   inflect.Const("Foo::Bar"), 16]
    assert isinstance(pos[1], inflect.Sym) and opts == {} and not splat
    call = inflect.parse_ruby(b'get "a" => "b#c", to: x, "d": 1').root_node.named_children[0]
    pos, opts, splat = inflect.call_args(call, {"x": "y"})
    assert pos == [] and opts == {"a": "b#c", "to": "y", "d": 1}
    assert not isinstance(list(opts)[0], inflect.Sym) and isinstance(list(opts)[1], inflect.Sym)
