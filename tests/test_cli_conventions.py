"""Command-line conventions of issue #13: --color/FORCE_COLOR/NO_COLOR, shell completion,
`deadcode init`."""

from __future__ import annotations

import re

import pytest

from cli_support import make_app, run

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("conventions") / "app")


@pytest.fixture(scope="module")
def plain(app):
    proc = run("scan", app, "--color", "never")
    assert proc.returncode == 0 and "\x1b" not in proc.stdout
    assert "Orphan" in proc.stdout
    return proc.stdout


@pytest.mark.parametrize("args, env, coloured", [
    (["--color", "always"], {}, True),                                      # NO_COLOR=1 is set: always wins
    (["--color", "never"], {"FORCE_COLOR": "1", "NO_COLOR": None}, False),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": None}, True),                     # a pipe, as through less -R
    (["--color", "auto"], {"FORCE_COLOR": "1", "NO_COLOR": None}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),                     # NO_COLOR wins over FORCE_COLOR
    ([], {"NO_COLOR": None}, False),                                        # auto: not a terminal
    ([], {"FORCE_COLOR": "", "NO_COLOR": None}, False),                     # empty means unset
])
def test_color_modes(app, plain, args, env, coloured):
    proc = run("scan", app, *args, env=env)
    assert proc.returncode == 0, proc.stderr
    assert ("\x1b[" in proc.stdout) is coloured
    assert ANSI.sub("", proc.stdout) == plain     # colour changes nothing else


def test_color_applies_to_stdout_text_only(app, tmp_path):
    out = tmp_path / "report.txt"
    proc = run("scan", app, "--color", "always", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in out.read_text() and "Orphan" in out.read_text()
    dash = run("scan", app, "--color", "always", "-o", "-")
    assert "\x1b[" in dash.stdout
    js = run("scan", app, "--color", "always", "--format", "json")
    assert "\x1b" not in js.stdout


def test_explain_color(app):
    coloured = run("explain", "Orphan", app, "--color", "always")
    assert coloured.returncode == 0, coloured.stderr
    assert "\x1b[" in coloured.stdout
    never = run("explain", "Orphan", app, "--color", "never", env={"FORCE_COLOR": "1"})
    assert "\x1b" not in never.stdout
    assert ANSI.sub("", coloured.stdout) == never.stdout


def test_bad_color_value(app):
    proc = run("scan", app, "--color", "sometimes")
    assert proc.returncode == 2
    assert proc.stderr.startswith("deadcode: error: Invalid value for '--color': 'sometimes' is not one of")


# ---------------------------------------------------------------------------
# shell completion (click's _DEADCODE_COMPLETE)
# ---------------------------------------------------------------------------

def test_shell_completion_as_documented():
    script = run(env={"_DEADCODE_COMPLETE": "bash_source"})
    assert script.returncode == 0
    assert script.stdout.startswith("_deadcode_completion() {")
    assert "complete -o nosort -F _deadcode_completion deadcode" in script.stdout
    words = run(env={"_DEADCODE_COMPLETE": "bash_complete", "COMP_WORDS": "deadcode sc",
                     "COMP_CWORD": "1"})
    assert words.stdout == "plain,scan\n"
    values = run(env={"_DEADCODE_COMPLETE": "zsh_complete", "COMP_WORDS": "deadcode scan --color ",
                      "COMP_CWORD": "3"})
    assert values.stdout.split("\n")[1::3] == ["auto", "always", "never"]


# ---------------------------------------------------------------------------
# deadcode init
# ---------------------------------------------------------------------------

def test_init_writes_a_commented_config_that_scan_uses(tmp_path):
    import yaml
    from cli_support import write
    app = make_app(tmp_path / "shop")
    write(app, "Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n"
                               "    rails (7.1.0)\n    sidekiq (7.2.0)\n\nDEPENDENCIES\n  rails\n")
    write(app, "config/application.rb", "module Shop\n  class Application < Rails::Application\n  end\nend\n")
    write(app, ".gitignore", "/log/*\n/tmp\n")
    write(app, "app/services/smoke_probe.rb", "class SmokeProbe\nend\n")
    write(app, "qa/smoke.rb", "SmokeProbe.new\n")
    before = json_ids(app)
    assert "class:SmokeProbe" not in dict(before)   # qa/ is ordinary code until configured

    proc = run("init", app)
    assert proc.returncode == 0, proc.stderr
    target = app / ".deadcode.yml"
    assert proc.stderr == (f"deadcode: wrote {target} (13 plugins enabled by Gemfile.lock; "
                           f"report_dir: tmp/deadcode)\n")
    assert proc.stdout == ""
    text = target.read_text()
    assert yaml.safe_load(text) == {"plugins": {}, "test_paths": ["qa/*"], "report_dir": "tmp/deadcode"}
    for line in ("# App root: the folder of this file (shop)",
                 "#   a Rails app: config/application.rb, Gemfile.lock names rails",
                 "#   sidekiq (sidekiq)",
                 "# Found here: spec/",
                 "# Where `deadcode scan --format html` writes without -o (tmp/ is in .gitignore, "
                 "so reports stay out of git):"):
        assert line + "\n" in text

    # the scan reads it: qa/ is now test code, so SmokeProbe is referenced only from tests
    assert dict(json_ids(app))["class:SmokeProbe"] == "test_only"

    # never overwritten
    again = run("init", app)
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr == f"deadcode: error: {target} already exists; not overwritten\n"
    assert target.read_text() == text


def json_ids(app):
    import json
    proc = run("scan", app, "--format", "json", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    return [(c["id"], c["verdict"]) for c in json.loads(proc.stdout)["candidates"]]


def test_init_refuses_beside_a_deadcode_yaml(tmp_path):
    app = make_app(tmp_path / "app")
    (app / ".deadcode.yaml").write_text("exclude: []\n")
    proc = run("init", app)
    assert proc.returncode == 2
    assert proc.stderr == f"deadcode: error: {app / '.deadcode.yaml'} already exists; not overwritten\n"
    assert not (app / ".deadcode.yml").exists()


def test_init_outside_rails_warns(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    proc = run("init", folder)
    assert proc.returncode == 0
    assert proc.stderr == (
        f"deadcode: wrote {folder / '.deadcode.yml'} (0 plugins enabled by no Gemfile; "
        f"report_dir: reports)\n"
        f"deadcode: warning: {folder} shows no sign of Rails (no config/application.rb, "
        f"no Gemfile naming rails)\n")
    text = (folder / ".deadcode.yml").read_text()
    assert "#   no sign of Rails here" in text and "test_paths: []\n" in text


def test_init_help_says_it_edits_the_repository():
    proc = run("init", "--help")
    assert proc.returncode == 0
    assert "This edits the repository: it creates that one file" in " ".join(proc.stdout.split())


def test_write_file_without_replace_never_overwrites(tmp_path):
    from deadcode.writing import WriteError, write_file
    target = tmp_path / "cfg.yml"
    write_file(str(target), "first\n", base=str(tmp_path), replace=False)
    assert target.read_text() == "first\n"
    with pytest.raises(WriteError, match="^it already exists$"):
        write_file(str(target), "second\n", base=str(tmp_path), replace=False)
    assert target.read_text() == "first\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cfg.yml"]   # no temporary file left
