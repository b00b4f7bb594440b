"""Extraction on inline Ruby: definitions, scopes, owners, literals, templates."""

from deadcode.extract import extract_file, text_word_lines


def defs(src: str, path: str = "app/models/x.rb"):
    return {(d.kind, d.name) for d in extract_file(path, "ruby", src.encode()).definitions
            if d.kind in ("class", "module", "rake_task", "dispatch_entry")}


def refs(src: str, path: str = "app/models/x.rb", lang: str = "ruby"):
    return [(r.kind, r.name, r.scope, r.owner) for r in extract_file(path, lang, src.encode()).references]


def test_nested_and_compact_names():
    src = "module A\n  class B < C; end\n  class ::Top; end\nend\nclass A::D; end\n"
    assert defs(src) == {("module", "A"), ("class", "A::B"), ("class", "Top"), ("class", "A::D")}


def test_definition_name_is_not_a_reference_but_superclass_is():
    r = refs("module Billing\n  class Invoice < Base\n  end\nend\n")
    assert r == [("constant", "Base", ("Billing",), "const:Billing::Invoice")]


def test_scope_of_compact_class_excludes_outer_module():
    r = refs("class A::B\n  def x; Helper.call; end\nend\n")
    assert r == [("constant", "Helper", ("A::B",), "const:A::B")]


def test_scoped_path_is_one_reference():
    r = refs("Foo::Bar::Baz.run\n::Top.x\n")
    assert [x[1] for x in r] == ["Foo::Bar::Baz", "::Top"]


def test_constant_path_strings_and_patterns():
    r = refs('x = "Estimators::ClairV2"\ny = "#{kind.camelize}Exporter".constantize\nz = "hello world"\n')
    assert ("string", "Estimators::ClairV2", (), None) in r
    assert ("pattern", "*Exporter", (), None) in r
    assert not any(x[1] == "hello world" for x in r)


def test_dispatch_hash_entries_own_their_values():
    src = 'class D\n  TASKS = { "a" => AWorker, b: "BWorker" }.freeze\nend\n'
    assert {("dispatch_entry", "a"), ("dispatch_entry", "b")} <= defs(src)
    owners = {r[1]: r[3] for r in refs(src)}
    assert owners == {"AWorker": "dispatch_entry:D::TASKS:a", "BWorker": "dispatch_entry:D::TASKS:b"}


def test_case_dispatch_only_with_enqueues():
    src = 'def run(n)\n  case n\n  when "x" then XWorker.perform_async\n  when "y" then YWorker.perform_async\n  end\nend\n'
    assert {("dispatch_entry", "x"), ("dispatch_entry", "y")} <= defs(src)
    plain = 'def run(n)\n  case n\n  when "pdf" then Pdf.new\n  when "csv" then Csv.new\n  end\nend\n'
    assert not any(k == "dispatch_entry" for k, _ in defs(plain))


def test_rake_tasks_with_namespaces_and_prereqs():
    src = 'namespace :billing do\n  desc "x"\n  task reconcile: :environment do\n    Foo.run\n  end\n  task all: [:reconcile, "other:thing"]\nend\n'
    f = extract_file("lib/tasks/billing.rake", "ruby", src.encode())
    assert {d.name for d in f.definitions if d.kind == "rake_task"} == {"billing:reconcile", "billing:all"}
    assert ("rake_task", "billing:reconcile") in {(r.kind, r.name) for r in f.references}
    assert ("constant", "Foo", "rake_task:billing:reconcile") in {(r.kind, r.name, r.owner) for r in f.references}


def test_erb_lines_map_back_to_template():
    src = "<h1>Hi</h1>\n<%= link_to \"x\", Admin::Thing.path %>\n<% if Flag.on? %>\n<p>x</p>\n<% end %>\n"
    r = extract_file("app/views/a.html.erb", "erb", src.encode()).references
    assert [(x.name, x.line) for x in r] == [("Admin::Thing", 2), ("Flag", 3)]


def test_haml_ruby_lines():
    src = "%h1= Widget.title\n- Gadget.all.each do |g|\n  %p= g.name\n"
    r = extract_file("app/views/a.html.haml", "haml", src.encode()).references
    assert [(x.name, x.line) for x in r] == [("Widget", 1), ("Gadget", 2)]


def test_keep_comment_is_recorded():
    f = extract_file("app/x.rb", "ruby", b"# deadcode:keep used from the console\nclass Legacy; end\n")
    assert [d.keep for d in f.definitions if d.name == "Legacy"] == ["used from the console"]


def test_syntax_errors_keep_later_definitions():
    f = extract_file("app/x.rb", "ruby", b"class A\n  def x(\nend\nclass B; end\n")
    assert f.error_regions >= 1
    assert "B" in {d.name for d in f.definitions}


def test_text_source_words_and_rake_invocations():
    yml = 'Input: \'{"containerOverrides":[{"command":["bundle","exec","rake","tasks:dispatch[reconcile_payments]"]}]}\'\nclass: "Payments::Sync"\n'
    f = extract_file("infra/rules.yml", "text", yml.encode())
    # words are not kept: the index asks for dispatch keys in the files that hold one
    assert not hasattr(f, "words")
    assert text_word_lines(yml.encode(), {"reconcile_payments", "dispatch", "nowhere"}) == {
        "reconcile_payments": 1, "dispatch": 1}
    kinds = {(r.kind, r.name) for r in f.references}
    assert ("rake_task", "tasks:dispatch") in kinds
    assert ("string", "Payments::Sync") in kinds


def test_rake_invocation_skips_flags_and_shell_arguments():
    from deadcode.extract import RAKE_INVOCATION
    line = 'cd "$dir" && bundle exec rake --silent "$@" graphs:generate_user_use_graph'
    assert [m.group(1) for m in RAKE_INVOCATION.finditer(line)] == ["graphs:generate_user_use_graph"]


def test_rake_invocation_inside_an_interpolated_string():
    from deadcode.extract import extract_ruby
    facts = extract_ruby(b'def deploy(v)\n  heroku("run rake migrate_up[#{v}] --app x")\nend\n', "lib/deploy.rb")
    assert [(r.name, r.kind) for r in facts.references if r.kind == "rake_task"] == [("migrate_up", "rake_task")]


def test_anonymous_block_forwarding_without_parentheses_keeps_nesting():
    # `div class: "x", &` (Ruby 3.1) is an error for tree-sitter-ruby 0.23, whose error
    # region would re-nest every later class inside the first
    src = ('module Dialog\n  class Footer < Base\n    def view_template(&)\n'
           '      div class: "x", &   # forwarded\n    end\n  end\n'
           '  class Wrapper < Base\n    def view_template(&) = tag(&)\n  end\nend\n')
    f = extract_file("app/views/dialog.rb", "ruby", src.encode())
    assert f.error_regions == 0
    assert defs(src, "app/views/dialog.rb") == {
        ("module", "Dialog"), ("class", "Dialog::Footer"), ("class", "Dialog::Wrapper")}
    assert f.lines == 10


def test_hyphen_in_a_template_class_name_is_not_code():
    from deadcode.parsing import haml_to_ruby, slim_to_ruby
    assert haml_to_ruby(b"%span.preview-new.hidden\n- archive\n%p= title\n.x{a: 1}= body\n") == \
        b"\narchive\ntitle\nbody\n"
    assert slim_to_ruby(b"div.js-new\n- archive\np = title\nspan== body\n") == b"\narchive\ntitle\nbody\n"
    # a call whose arguments go on after a trailing comma, lines kept in place
    assert haml_to_ruby(b"  = f.radios :action,\n    Claims::Actions.all,\n    :to_s\n%p= x\n") == \
        b"f.radios :action, Claims::Actions.all, :to_s\n\n\nx\n"
    assert slim_to_ruby(b"= f.select :a,\n  Kinds::All\np\n") == b"f.select :a, Kinds::All\n\n\n"


def test_haml_interpolation_in_text_and_filters_is_ruby():
    src = ":javascript\n  var url = '#{S3Uploader.new(id).url}';\n%p Hello #{Greeting.for(user)}\n%p plain\n"
    r = extract_file("app/views/a.html.haml", "haml", src.encode()).references
    assert {(x.name, x.line) for x in r if x.kind == "constant"} == {("S3Uploader", 2), ("Greeting", 3)}


def test_heredoc_sql_and_rake_command_lines():
    src = ("class J\n  def run\n    x.execute(<<~SQL)\n      INSERT INTO abandoned_intakes(id)\n"
           "        (SELECT id from intakes)\n    SQL\n    system <<~SH\n"
           "      bundle exec rails setup:a setup:b\n    SH\n  end\nend\n")
    f = extract_file("app/jobs/j.rb", "ruby", src.encode())
    assert sorted((r.kind, r.name, r.line) for r in f.references if r.kind in ("table", "rake_task")) == [
        ("rake_task", "setup:a", 8), ("rake_task", "setup:b", 8),
        ("table", "abandoned_intakes", 4), ("table", "intakes", 5)]


def test_one_command_line_running_several_tasks():
    f = extract_file("Dockerfile", "text", b"RUN x \\\n  && bundle exec rails setup:fetch setup:unzip[1] setup:gyr\n")
    assert [(r.name, r.line) for r in f.references if r.kind == "rake_task"] == [
        ("setup:fetch", 2), ("setup:unzip", 2), ("setup:gyr", 2)]


def test_missing_identifiers_are_not_names():
    # a HAML call continued on the next line leaves a trailing comma: tree-sitter inserts a
    # zero-width MISSING identifier, which is no name
    f = extract_file("app/views/shared/_nav.haml", "haml", b'%li\n  = link_to t("x"), edit_path,\n')
    assert "" not in f.names and "link_to" in f.names
