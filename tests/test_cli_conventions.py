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
