"""`deadcode scan` output formats and destinations, and one-line usage errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_support import assert_one_line_error, make_app, run

EXT = {"text": "txt", "json": "json", "html": "html", "markdown": "md", "sarif": "sarif",
       "github": "github.txt"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("formats") / "app")


def check_format(fmt: str, text: str) -> None:
    """Enough of each format to know the right renderer ran on the right report."""
    if fmt == "text":
        assert "medium  Orphan (class)  DC103 dead_callers_only\n        app/services/orphan.rb:1 · " in text
        assert "\033[" not in text
    elif fmt == "json":
        report = json.loads(text)
        assert [c["id"] for c in report["candidates"]] == [
            "class:Orphan", "class:Tested", "dispatch_entry:nightly_export",
            "dispatch_entry:weekly_cleanup"]
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert "app/services/orphan.rb" in text
    elif fmt == "markdown":
        assert text.startswith("## deadcode report\n")
        assert "<code>app/services/orphan.rb:1</code>" in text
    elif fmt == "sarif":
        sarif = json.loads(text)
        assert sarif["version"] == "2.1.0"
        assert len(sarif["runs"][0]["results"]) == 4
    elif fmt == "github":
        assert text.startswith("::notice file=app/services/orphan.rb,line=1,")   # medium: a notice
        assert len(text.splitlines()) == 4
    else:  # pragma: no cover
        raise AssertionError(fmt)


@pytest.mark.parametrize("fmt", [f for f in EXT if f != "html"])
def test_format_to_stdout(app, fmt):
    proc = run("scan", app, "--format", fmt, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    check_format(fmt, proc.stdout)


@pytest.mark.parametrize("fmt", list(EXT))
def test_format_to_output_file(app, tmp_path, fmt):
    out = tmp_path / "sub" / f"report.{EXT[fmt]}"
    proc = run("scan", app, "--format", fmt, "--output", out, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == f"deadcode: wrote {out}\n"
    check_format(fmt, out.read_text(encoding="utf-8"))


def test_format_names_are_case_insensitive(app):
    proc = run("scan", app, "--format", "JSON", "--no-cache")
    assert proc.returncode == 0
    check_format("json", proc.stdout)


def test_several_formats_write_one_file_each(app, tmp_path):
    out = tmp_path / "out"
    args = [a for f in EXT for a in ("--format", f)]
    proc = run("scan", app, *args, "--output-dir", out, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    names = [f"deadcode.{ext}" for ext in EXT.values()]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert proc.stderr == "".join(f"deadcode: wrote {out / n}\n" for n in names)
    for fmt, ext in EXT.items():
        check_format(fmt, (out / f"deadcode.{ext}").read_text(encoding="utf-8"))


def test_one_format_into_output_dir(app, tmp_path):
    proc = run("scan", app, "--format", "sarif", "--output-dir", tmp_path / "o", "--no-cache", "-q")
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["deadcode.sarif"]


def test_several_formats_need_output_dir(app):
    proc = run("scan", app, "--format", "json", "--format", "html", "--no-cache")
    assert_one_line_error(proc, "2 formats need --output-dir DIR (one file per format)")


def test_output_and_output_dir_are_exclusive(app, tmp_path):
    proc = run("scan", app, "--output", tmp_path / "a.txt", "--output-dir", tmp_path / "d")
    assert_one_line_error(proc, "--output and --output-dir cannot be used together")


def test_html_without_output_goes_to_dated_reports_file(app, tmp_path):
    proc = run("scan", app, "--format", "html", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rel = f"reports/deadcode-app-{dt.date.today().isoformat()}.html"   # the app's folder name
    assert proc.stdout == ""
    assert proc.stderr == f"{rel}\n"
    check_format("html", (tmp_path / rel).read_text(encoding="utf-8"))


def test_html_report_dir_from_config(app, tmp_path):
    cfg = tmp_path / "conf" / "deadcode.yml"
    cfg.parent.mkdir()
    cfg.write_text("report_dir: html-out\n")
    proc = run("scan", app, "--format", "html", "--config", cfg, "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    expected = tmp_path / "conf" / "html-out" / f"deadcode-app-{dt.date.today().isoformat()}.html"
    assert expected.is_file()
    assert proc.stderr == f"{expected}\n"


def test_output_dash_is_stdout(app):
    proc = run("scan", app, "--format", "html", "--output", "-", "--no-cache")
    assert proc.returncode == 0
    check_format("html", proc.stdout)


def test_own_output_files_inside_the_root_are_not_scanned(tmp_path):
    # a JSON report written into the repo names the dispatch keys; read as a text
    # source it would trigger them on the next scan
    app = make_app(tmp_path / "app")
    first = run("scan", app, "--format", "json", "--output", app / "deadcode.json", "--no-cache")
    assert first.returncode == 0
    again = run("scan", app, "--format", "json", "--output", app / "deadcode.json", "--no-cache")
    assert again.returncode == 0
    ids = [c["id"] for c in json.loads((app / "deadcode.json").read_text())["candidates"]]
    assert "dispatch_entry:nightly_export" in ids


# -- usage errors: one line, exit 2, no traceback -------------------------------

def assert_click_error(proc, start: str, command: str = "deadcode scan") -> None:
    """Click's own usage errors, as one line (their wording varies between click versions)."""
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"deadcode: error: {start}")
    assert proc.stderr.endswith(f" (see '{command} --help')\n")
    assert proc.stderr.count("\n") == 1


def test_unknown_format(app):
    proc = run("scan", app, "--format", "xml")
    assert_click_error(proc, "Invalid value for '--format': 'xml' is not one of 'text', 'json', "
                             "'html', 'markdown', 'sarif', 'github'.")


def test_missing_path(tmp_path):
    assert_one_line_error(run("scan", tmp_path / "nope"), f"path does not exist: {tmp_path / 'nope'}")


def test_file_instead_of_folder(app):
    assert_one_line_error(run("scan", app / "Gemfile"), f"not a directory: {app / 'Gemfile'}")


def test_unknown_option_and_command():
    assert_click_error(run("scan", "--frobnicate"), "No such option")
    assert_click_error(run("frobnicate"), "No such command 'frobnicate'", "deadcode")


def test_bad_option_value(app):
    assert_click_error(run("scan", app, "--jobs", "many"), "Invalid value for '--jobs' / '-j': 'many'")
    assert_click_error(run("scan", app, "--fail-on", "some"), "Invalid value for '--fail-on': 'some'")


def test_unwritable_output(app, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = run("scan", app, "--output", blocker / "x.txt", "--no-cache")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"deadcode: error: cannot write {blocker / 'x.txt'}: ")
    assert proc.stderr.count("\n") == 1


def test_no_arguments_shows_help_and_exits_2():
    proc = run()
    assert proc.returncode == 2
    assert "Commands:" in proc.stderr + proc.stdout


def test_help_and_version_exit_0():
    assert run("scan", "--help").returncode == 0
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("deadcode, version ")


# -- terminal niceties ----------------------------------------------------------

def test_quiet_silences_notes(app, tmp_path):
    proc = run("scan", app, "--output", tmp_path / "r.txt", "--no-cache", "--quiet")
    assert proc.returncode == 0
    assert proc.stderr == ""


def test_timings_on_stderr(app):
    proc = run("scan", app, "--timings", "--no-cache")
    assert proc.returncode == 0
    assert "timing: discover " in proc.stderr


def test_no_colour_and_no_progress_when_not_a_terminal(app):
    proc = run("scan", app, "--no-cache", env={"NO_COLOR": ""})
    assert "\033[" not in proc.stdout + proc.stderr
    assert "\r" not in proc.stderr


def test_progress_bar_draws_only_after_a_second(monkeypatch, capsys):
    from deadcode import cli

    clock = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    bar = cli._Progress(enabled=True)
    bar(10, 100)
    assert capsys.readouterr().err == ""
    clock[0] += 1.5
    bar(50, 100)
    err = capsys.readouterr().err
    assert err == "\rdeadcode: reading files [" + "#" * 15 + "." * 15 + "] 50/100"
    bar.close()
    assert capsys.readouterr().err == "\r" + " " * len(err) + "\r"


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    from deadcode import cli

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._color_ok(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._color_ok(Tty())


def test_cached_scan_gives_the_same_report(app, tmp_path):
    first = run("scan", app, "--format", "json", "--cache-dir", tmp_path / "cache")
    second = run("scan", app, "--format", "json", "--cache-dir", tmp_path / "cache")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert any((tmp_path / "cache").iterdir())


def test_cache_inside_the_scanned_folder_is_refused_with_a_note(tmp_path):
    app = make_app(tmp_path / "app")
    proc = run("scan", ".", "--cache-dir", "cache", cwd=app)
    assert proc.returncode == 0
    assert proc.stderr == "deadcode: cache not used: cache is inside the scanned folder\n"
    assert run("scan", ".", "--cache-dir", "cache", "-q", cwd=app).stderr == ""
