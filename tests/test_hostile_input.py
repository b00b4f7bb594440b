"""Hostile and pathological input (#18): a cache never runs code, and every input
is bounded. Sizes here are scaled down; growth is checked by counting work, never
by timing it. ``benchmarks/hostile.py`` builds the full-size cases."""

from __future__ import annotations

import os
import pickle
import sqlite3
import zlib
from pathlib import Path

import pytest

from deadcode.index import IndexOptions
from deadcode.report.data import build_report
from deadcode.scan import ScanOptions, run_scan

from cli_support import make_app

PACKAGE = Path(__file__).resolve().parent.parent / "deadcode"


def _scan(app: Path, cache_dir: str | None):
    result = run_scan(str(app), ScanOptions(cache_dir=cache_dir, jobs=1, reuse_analysis=True,
                                            index=IndexOptions()))
    return result, {(c["name"], c["verdict"]) for c in build_report(result)["candidates"]}


class _Touch:
    """What an attacker plants: unpickling it runs ``touch``."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


# -- 1. the cache holds data, never code --------------------------------------------

def test_no_pickle_anywhere_in_the_package():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import pickle" not in text and "pickle.loads" not in text, path


def test_a_poisoned_cache_runs_nothing_and_is_rebuilt(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    _, expected = _scan(app, str(cache))
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Touch(str(marker)))
    db = sqlite3.connect(cache / "facts.sqlite3")
    # every shape the old loader unpickled: a 'P' facts blob, a zlib'd analysis
    db.execute("UPDATE blobs SET value = ?", (b"P\0\0\0\0" + payload,))
    db.execute("UPDATE analyses SET value = ?", (zlib.compress(payload),))
    db.execute("UPDATE manifests SET value = ?", (zlib.compress(payload),))
    db.commit()
    db.close()
    result, cands = _scan(app, str(cache))
    assert not marker.exists()
    assert not result.reused and cands == expected
    damaged = [n for n in result.notes if n.startswith("cache: ")]
    assert len(damaged) == 1 and damaged[0].endswith("damaged entries ignored and rebuilt")
    result, cands = _scan(app, str(cache))           # rebuilt: reused cleanly now
    assert result.reused and cands == expected
    assert not [n for n in result.notes if n.startswith("cache: ")]
    assert not marker.exists()


def test_cache_rows_of_the_wrong_type_are_ignored_not_a_traceback(tmp_path):
    app, cache = make_app(tmp_path / "app"), tmp_path / "cache"
    _, expected = _scan(app, str(cache))
    db = sqlite3.connect(cache / "facts.sqlite3")
    n = db.execute("SELECT count(*) FROM blobs").fetchone()[0]
    db.execute("UPDATE blobs SET value = 42")
    db.execute("UPDATE analyses SET value = 'text'")
    db.execute("DELETE FROM manifests")        # so every file is looked up by content
    db.commit()
    db.close()
    result, cands = _scan(app, str(cache))
    assert cands == expected and not result.reused
    assert f"cache: {n + 1} damaged entries ignored and rebuilt" in result.notes


def test_a_blob_with_a_wrong_digest_is_a_miss():
    from deadcode.cache import check_blob, decode_facts, encode_facts
    from deadcode.model import FileFacts

    blob = encode_facts(FileFacts(note="x", lines=3))
    assert check_blob(blob) and decode_facts(blob).note == "x" and decode_facts(blob).lines == 3
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    assert not check_blob(flipped) and decode_facts(flipped) is None
    assert decode_facts(blob + b"\0") is None             # length no longer matches
    assert decode_facts(b"F\x02" + blob[2:]) is None       # another format version


def test_a_default_cache_folder_writable_by_others_is_refused(tmp_path, monkeypatch):
    app = make_app(tmp_path / "app")
    home = tmp_path / "xdg"
    (home / "deadcode").mkdir(parents=True)
    os.chmod(home / "deadcode", 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    result, _ = _scan(app, None)
    assert (f"cache not used: {home / 'deadcode'} is writable by other users "
            "(pass --cache-dir to use it anyway)") in result.notes
    assert not (home / "deadcode" / "facts.sqlite3").exists()
    # named explicitly, it is used
    result, _ = _scan(app, str(home / "deadcode"))
    assert not [n for n in result.notes if n.startswith("cache not used")]
    assert (home / "deadcode" / "facts.sqlite3").exists()


def test_a_cache_file_writable_by_others_is_refused(tmp_path, monkeypatch):
    app = make_app(tmp_path / "app")
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    result, _ = _scan(app, None)                    # made private
    assert not [n for n in result.notes if n.startswith("cache not used")]
    assert (os.stat(home / "deadcode").st_mode & 0o777) == 0o700
    os.chmod(home / "deadcode" / "facts.sqlite3", 0o666)
    result, _ = _scan(app, None)
    assert (f"cache not used: {home / 'deadcode' / 'facts.sqlite3'} is writable by other "
            "users (pass --cache-dir to use it anyway)") in result.notes


# -- 2. inflections.rb: user regexes and loops are bounded ----------------------------

def test_a_nested_quantifier_rule_is_rejected_with_a_note():
    from deadcode import inflect

    inf = inflect.load_inflections_initializer(
        b'ActiveSupport::Inflector.inflections(:en) do |inflect|\n'
        b'  inflect.plural /^(a+)+$/i, "x"\n  inflect.plural /(ox)$/i, "\\\\1en"\nend\n')
    assert inf.warnings == [
        "line 2: skipped rule /^(a+)+$/i: nested quantifier (a repeated group that itself "
        "repeats or alternates can take exponential time)"]
    assert inflect.pluralize("a" * 40 + "1", inf) == "a" * 40 + "1s"
    assert inflect.pluralize("box", inf) == "boxen"


@pytest.mark.parametrize("source", [r"(a|aa)*$", r"(a*)*", r"((ab)+x)+", r"(?:\w+\s?){2,}"])
def test_repeated_groups_that_repeat_or_alternate_are_refused(source):
    from deadcode.inflect import RubyRegexError, ruby_regex

    with pytest.raises(RubyRegexError, match="^nested quantifier"):
        ruby_regex(source)


@pytest.mark.parametrize("source", [r"(quiz)$", r"(alias|status)(es)?$", r"(a+)b+", r"(\w{2})+x",
                                    r"([^aeiouy]|qu)y$", r"(matr|vert|ind)(?:ix|ex)$"])
def test_ordinary_rules_still_translate(source):
    from deadcode.inflect import ruby_regex

    ruby_regex(source, "i")


def test_nested_literal_loops_stop_at_the_statement_budget():
    from deadcode import inflect

    def initializer(n):
        words = " ".join(f"w{i}" for i in range(n)).encode()
        return (b"ActiveSupport::Inflector.inflections(:en) do |inflect|\n"
                b"  %w[" + words + b"].each do |a|\n    %w[" + words + b"].each do |b|\n"
                b"      %w[" + words + b"].each do |c|\n        inflect.irregular a, c\n"
                b"      end\n    end\n  end\nend\n")

    small = inflect.load_inflections_initializer(initializer(5))     # 125 calls: all read
    assert small.warnings == [] and small._steps < inflect.MAX_STEPS
    big = inflect.load_inflections_initializer(initializer(300))     # 27 million: stopped
    assert big._steps == inflect.MAX_STEPS + 1
    assert big.warnings == [f"line 5: stopped after {inflect.MAX_STEPS} statements (loops too "
                            "large to evaluate statically); later rules ignored"]


# -- 3. Ruby nested past the budget is skipped, named, never guessed at --------------

def _extract(src: str):
    from deadcode.scan import _extract_data

    return _extract_data("app/services/x.rb", "ruby", src.encode())


@pytest.mark.parametrize("src, reason", [
    ("class Chain\n  X" + ".a" * 3000 + "\nend\n",
     "not analysed: syntax nested more than 1200 levels deep"),
    ("".join(f"module A{i}\n" for i in range(1300)) + "class Leaf; end\n" + "end\n" * 1300,
     "not analysed: syntax nested more than 1200 levels deep"),
    ("class Parens\n  def x\n    foo" + "(" * 6000 + "\n",
     "not analysed: a syntax error region of more than 5000 pieces"),
])
def test_a_file_past_the_nesting_budget_is_skipped_with_its_reason(src, reason):
    assert _extract(src) == (None, reason)


def test_just_under_the_budget_is_still_analysed():
    facts, reason = _extract("class Chain\n  X" + ".a" * 1100 + "\nend\n")
    assert reason is None and [d.name for d in facts.definitions] == ["Chain"]
    assert "X" in {r.name for r in facts.references}


def test_the_depth_check_enters_only_subtrees_big_enough():
    """Counted work: an ordinary file of many small methods costs a few nodes, not all."""
    from deadcode import extract
    from deadcode.parsing import parse_ruby

    src = ("class Big\n" + "".join(f"  def m{i}\n    Foo.bar({i})\n  end\n" for i in range(3000))
           + "end\n").encode()
    root = parse_ruby(src).root_node
    stack, seen = [(root, 0)], 0
    # the same walk as _deeper_than, counting what it enters
    while stack:
        node, depth = stack.pop()
        seen += 1
        for child in node.children:
            if child.descendant_count + depth + 1 > extract.MAX_DEPTH:
                stack.append((child, depth + 1))
    assert root.descendant_count > 30_000 and seen < 10
    assert extract._deeper_than(root, extract.MAX_DEPTH) is False


def test_a_skipped_deep_file_is_named_in_the_report_and_its_class_not_dead(tmp_path):
    app = make_app(tmp_path / "app")
    (app / "app/services/deep.rb").write_text(
        "".join(f"module A{i}\n" for i in range(1300)) + "class Leaf; end\n" + "end\n" * 1300)
    result, cands = _scan(app, "")
    assert ("app/services/deep.rb", "not analysed: syntax nested more than 1200 levels deep") \
        in result.skipped
    assert not any(name.endswith("Leaf") for name, _ in cands)


def test_classes_nested_past_the_namespace_budget_are_skipped_with_the_reason():
    """590 nested modules (under the syntax budget) made a 595 MB report: each name is as
    long as the chain and each dead member lists the whole chain."""
    from deadcode.extract import MAX_NAMESPACE_DEPTH

    def nested(n):
        return "".join(f"module A{i}\n" for i in range(n)) + "class Leaf; end\n" + "end\n" * n

    assert _extract(nested(590)) == (
        None, f"not analysed: classes and modules nested more than {MAX_NAMESPACE_DEPTH} levels deep")
    facts, reason = _extract(nested(MAX_NAMESPACE_DEPTH - 1))
    assert reason is None and len(facts.definitions) == MAX_NAMESPACE_DEPTH


# -- 3b. templates: no per-node parent lookups ------------------------------------------

def test_extraction_never_asks_tree_sitter_for_a_parent():
    """``node.parent`` walks the parent's children from the first: called once per
    identifier of a 200,000-directive ERB template (one flat program) it was quadratic.
    Parents come from the queries instead."""
    import re

    text = (PACKAGE / "extract.py").read_text(encoding="utf-8")
    assert not re.search(r"[\w)\]]\.parent\b(?!`)", text)


def test_called_names_from_the_query_skip_what_names_no_call():
    from deadcode.extract import _called_names
    from deadcode.parsing import parse_ruby

    src = (b"def show(a, b = 1, *c, d:, **e, &f)\n  x = helper_one\n  y += 2\n  obj.not_me\n"
           b"  helper_two(a)\n  [1].each { |g| g }\nrescue => err\n  log\nend\n"
           b"alias new_name old_name\n")
    root = parse_ruby(src).root_node
    # what the parent-walking version gave
    assert _called_names(root, lambda n: n.text.decode()) == (
        "a", "g", "helper_one", "helper_two", "log", "obj")


def test_a_template_of_many_tiny_directives_and_an_unterminated_one_is_read():
    from deadcode.extract import extract_file

    facts = extract_file("app/views/a/b.html.erb", "erb",
                         b"<%= helper_x %>" * 20_000 + b"<% unterminated")
    assert "helper_x" in facts.names


def test_case_dispatch_still_found_without_parent_lookups():
    facts, reason = _extract(
        "class D\n  def go(t)\n    case t\n    when 'a' then AJob.perform_later\n"
        "    when 'b' then BJob.perform_later\n    end\n  end\nend\n")
    assert reason is None
    assert {d.name for d in facts.definitions if d.kind == "dispatch_entry"} >= {"a", "b"}


# -- 6. patterns and configured globs: one index of names, not pairs -------------------

def test_the_name_index_gives_fnmatch_answers():
    import fnmatch
    import random

    from deadcode.globs import NameIndex

    rnd = random.Random(18)
    names = ["".join(rnd.choice("AK1:x[]!") for _ in range(rnd.randint(0, 6))) for _ in range(300)]
    index = NameIndex(names)
    for _ in range(2000):
        glob = "".join(rnd.choice("AK1:x*?[]!") for _ in range(rnd.randint(0, 7)))
        assert index.matching(glob) == [i for i, n in enumerate(names) if fnmatch.fnmatchcase(n, glob)]
        assert index.matching(glob, or_equal=True) == [
            i for i, n in enumerate(names) if n == glob or fnmatch.fnmatchcase(n, glob)]


def test_dynamic_patterns_try_only_the_names_they_could_match():
    from deadcode.globs import NameIndex

    n = 3000
    index = NameIndex([f"C{i}K{i}" for i in range(n)] + [f"Billing::T{i}" for i in range(n)])
    for i in range(n):
        assert index.matching(f"*K{i}") == [i]
    index.matching("Billing::*")
    index.matching("*K1*")                 # no prefix or suffix: by its literal piece
    # pairwise this was 2 * n * (n + 2) tries
    assert index.tried < 6 * n


def test_constantize_patterns_against_many_classes_in_a_scan(tmp_path):
    app = make_app(tmp_path / "app")
    n = 300
    (app / "app/services/dyn.rb").write_text(
        "class Dyn\n  def go(x)\n" + "".join(f'    "#{{x}}K{i}".constantize\n' for i in range(n))
        + "  end\nend\n")
    (app / "app/services/many.rb").write_text("".join(f"class C{i}K{i}\nend\n" for i in range(n)))
    (app / "config/initializers/boot.rb").write_text("Dyn.new.go(1)\n")
    result, cands = _scan(app, "")
    low = {c.definition.name for c in result.classification.candidates if c.confidence == "low"}
    assert {f"C{i}K{i}" for i in range(n)} <= low


def test_a_config_list_of_many_keeps_is_read_and_applied(tmp_path):
    from deadcode.config import parse_config

    n = 5000
    cfg = parse_config("keep:\n" + "".join(f"  - {{name: 'Keep{i}::*', reason: r}}\n" for i in range(n)))
    assert len(cfg.keep) == n and cfg.keep[-1].name == f"Keep{n - 1}::*"
    assert cfg.keep[-1].origin.endswith(f":{n + 1}")


@pytest.mark.parametrize("text", [
    "keep: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "keep:\n" + "".join(" " * i + "- \n" for i in range(3000)),
])
def test_config_yaml_nested_too_deep_is_one_line_naming_the_file(text):
    from deadcode.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match=r"^\.deadcode\.yml:\d+: invalid YAML: nested more than "
                                          r"1000 levels deep$"):
        parse_config(text, ".deadcode.yml")


# -- 7. runtime logs: linear matching, blank floods, timestamps past the calendar -------

def test_the_old_sidekiq_format_matches_as_its_regex_did_in_linear_steps():
    import random
    import re

    from deadcode import runtime

    const = r"(?:::)?[A-Za-z_]\w*(?:::\w+)*"
    regex = re.compile(r"TID-\S+ (" + const + r") JID-\w")
    rnd = random.Random(7)
    toks = ["TID-", "TID-a", "A", "::B", "Foo::Bar", " ", "\t", "JID-", " JID-1", " JID-", "x", ":"]
    for _ in range(20_000):
        line = "".join(rnd.choice(toks) for _ in range(rnd.randint(0, 10)))
        m = regex.search(line)
        assert runtime._sk_old(line) == ((m.group(1), m.end()) if m else None), line
    assert runtime._sk_old("2024 1 TID-ab12 HardWorker JID-99 INFO: start") == ("HardWorker", 32)


def test_a_line_shaped_to_backtrack_the_sidekiq_regex_is_read(tmp_path):
    from deadcode import runtime

    log = tmp_path / "sidekiq.log"
    log.write_text(("TID-" * 200_000 + " JID-\n") * 2 + "TID-x Good JID-1 INFO: start\n")
    result = runtime.read_runtime_logs([str(log)])
    assert result.lines_read == 3 and result.lines_matched == {"sidekiq": 1}
    assert ("job", "Good") in result.observations


def test_a_gzip_of_blank_lines_is_counted_without_a_step_per_line(tmp_path, monkeypatch):
    import gzip

    from deadcode import runtime

    fed = []
    real = runtime._Aggregator.feed_lines
    monkeypatch.setattr(runtime._Aggregator, "feed_lines",
                        lambda self, lines: (fed.append(len(lines)), real(self, lines))[1])
    path = tmp_path / "empty.log.gz"
    with gzip.open(path, "wb") as fh:
        for _ in range(8):
            fh.write(b"\n" * (1 << 20))
        fh.write(b"Processing by PagesController#show as HTML\n")
    result = runtime.read_runtime_logs([str(path)])
    assert result.lines_read == 8 * (1 << 20) + 1      # every line counted
    assert result.lines_matched == {"rails": 1}
    assert sum(fed) < 2 * (1 << 20)        # blocks with no marker never reach feed_lines


def test_timestamps_past_the_calendar_skip_their_line_with_a_count(tmp_path):
    from deadcode import runtime

    bad = ("9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00")
    lines = []
    for ts in bad + ("2024-01-01T00:00:00+01:00",):
        lines.append(f'{{"ts":"{ts}","msg":"start","ctx":{{"class":"HardJob","jid":"1"}}}}')
        lines.append(f"I, [{ts} #1]  INFO -- : Processing by PagesController#show as HTML")
        lines.append(f"{ts} rake db:migrate")
    log = tmp_path / "prod.log"
    log.write_text("\n".join(lines) + "\n")
    result = runtime.read_runtime_logs([str(log)])
    assert result.lines_read == 9 and result.lines_unmatched == 6
    assert result.lines_matched == {"sidekiq_json": 1, "rails": 1, "rake": 1}
    assert result.warnings == [f"runtime log {log}: 6 lines skipped: a timestamp out of the "
                               "calendar's range once shifted to UTC"]
    assert result.observations[("job", "HardJob")].first_seen == "2023-12-31T23:00:00Z"


# -- 10, 13. directory chains and baselines: no recursion, one-line errors -------------

def _chain(top: Path, depth: int) -> None:
    fd = os.open(top, os.O_RDONLY)
    for _ in range(depth):          # one level at a time: the path outgrows PATH_MAX calls
        os.mkdir("d", dir_fd=fd)
        fd, old = os.open("d", os.O_RDONLY, dir_fd=fd), fd
        os.close(old)
    with open(os.open("x.rb", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as fh:
        fh.write("class Chained; end\n")
    os.close(fd)


@pytest.fixture
def chain_dir(tmp_path):
    """A folder for a chain, removed level by level afterwards (rmtree recurses)."""
    yield tmp_path
    fds = [os.open(tmp_path, os.O_RDONLY)]
    while True:
        try:
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        except FileNotFoundError:
            break
    try:
        os.unlink("x.rb", dir_fd=fds[-1])
    except FileNotFoundError:
        pass
    for parent in reversed(fds[:-1]):
        os.rmdir("d", dir_fd=parent)
    for fd in fds:
        os.close(fd)


def test_a_chain_of_1200_folders_is_walked_without_recursion(chain_dir):
    tmp_path = chain_dir
    from deadcode.discovery import _walk_files

    _chain(tmp_path, 1200)
    files = _walk_files(str(tmp_path), ())
    assert files == ["/".join(["d"] * 1200 + ["x.rb"])]


def test_a_folder_past_path_max_is_named_as_skipped(chain_dir):
    tmp_path = chain_dir
    from deadcode.discovery import _walk_files

    _chain(tmp_path, 2100)              # 4,200 characters: past PATH_MAX
    skipped: list = []
    assert _walk_files(str(tmp_path), (), skipped) == []
    assert len(skipped) == 1 and skipped[0][0].startswith("d/d/")
    assert skipped[0][1] == "folder not entered: its path is longer than the system allows"


@pytest.mark.parametrize("text, message", [
    ("[" * 100_000 + "]" * 100_000, "not a deadcode baseline (nested too deep)"),
    ('{"version": ' + "9" * 5000 + "}", "not a deadcode baseline (a number of more than 4300 digits)"),
])
def test_a_hostile_baseline_is_one_line_naming_the_file(tmp_path, text, message):
    from deadcode.suppress import BaselineError, load_baseline

    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(BaselineError) as err:
        load_baseline(str(path))
    assert str(err.value) == f"baseline {path}: {message}"


def test_a_json_file_over_the_big_limit_is_searched_not_loaded(monkeypatch):
    """Over BIG_JSON a JSON file is read as bytes for the strings that begin like a
    constant (and rake lines): the same references as loading it, without its objects."""
    from deadcode import extract

    text = ('[\n {"class": "Billing::Invoice", "x": "lower", "y": ":sym"},\n'
            ' {"cmd": "Exporter.run(1)", "e": "Esc\\u0061ped::Name", "job": "bundle exec rake data:sync"},\n'
            ' {"deep": {"k": ["Other"]}}\n]\n').encode()
    small = extract.extract_text(text, "config/export.json")
    monkeypatch.setattr(extract, "BIG_JSON", 10)
    big = extract.extract_text(text, "config/export.json")
    key = lambda f: sorted((r.name, r.kind, r.line, r.via) for r in f.references)  # noqa: E731
    assert key(big) == key(small)
    assert ("Billing::Invoice", "string", 2, "string in JSON") in key(big)
    assert ("Escaped::Name", "string", 3, "string in JSON") in key(big)
    assert ("data:sync", "rake_task", 3, "rake invocation") in key(big)
    assert big.lines == small.lines == 5
