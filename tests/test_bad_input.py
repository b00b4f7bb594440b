"""Bad input never crashes a scan: broken Ruby, hostile files, names and arguments.

Every hostile tree is built inside the test (``tmp_path``); nothing binary is
committed. Scans run in-process through ``run_scan`` where the result is what
matters, and through the real command line (a subprocess) where exit codes and
stderr are the point.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from deadcode import discovery, scan as scan_mod
from deadcode.extract import extract_file
from deadcode.report import github, html, markdown, sarif
from deadcode.report.data import build_report, render_json
from deadcode.report.text import render_text
from deadcode.scan import ScanOptions, run_scan

HAS_GIT = shutil.which("git") is not None
POSIX = os.name == "posix"
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root.joinpath(*rel.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def git_commit_all(root: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "--no-verify", "-m", "init"],
                   check=True, env=env)


def scan(root: Path, **options):
    options.setdefault("cache_dir", "")
    options.setdefault("jobs", 1)
    return run_scan(str(root), ScanOptions(**options))


def skipped(result) -> dict[str, str]:
    return dict(result.skipped)


def partial(result) -> dict[str, str]:
    return dict(result.partial)


def def_names(result) -> set[str]:
    return {d.name for d in result.index.definitions.values()}


def def_files(result) -> set[str]:
    return {loc.path for d in result.index.definitions.values() for loc in d.locations}


def cli(*args: str, cwd: str | os.PathLike | None = None, timeout: float = 120):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("DEADCODE_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "deadcode", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


def assert_one_line_error(proc) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("deadcode: error: "), proc.stderr
    assert proc.stdout == ""


# ---------------------------------------------------------------------------
# Ruby with syntax errors: keep what was recovered, count the error regions
# ---------------------------------------------------------------------------

ONE_ERROR = "class Broken\n  def total(\nend\n\nclass AfterOneError\nend\n"
TWO_ERRORS = (
    "foo(1,\nbar)\n\n"
    "baz]\n\n"
    "class Between\nend\n\n"
    "qux}\n\n"
    "class AfterTwoErrors\nend\n"
)
CLEAN = "class Clean\n  def total\n    1\n  end\nend\n"


@pytest.mark.parametrize("source, regions", [
    (CLEAN, 0),
    (ONE_ERROR, 1),
    (TWO_ERRORS, 2),
    ("class A\n  def x\n", 1),                 # missing ends: one region
    ("x = (\nclass A; end\ny = ]\n", 1),        # an open paren swallows the rest
])
def test_error_regions_are_counted(source, regions):
    facts = extract_file("app/models/x.rb", "ruby", source.encode())
    assert facts.error_regions == regions


def test_definitions_after_a_syntax_error_still_count(tmp_path):
    write(tmp_path, "app/models/broken.rb", ONE_ERROR)
    write(tmp_path, "app/models/two.rb", TWO_ERRORS)
    write(tmp_path, "app/models/clean.rb", CLEAN)
    result = scan(tmp_path)
    assert {"AfterOneError", "Between", "AfterTwoErrors", "Clean"} <= def_names(result)
    assert partial(result) == {
        "app/models/broken.rb": "the parser does not support this construct: 1 region (Ruby newer than its grammar, or a syntax error); kept what parsed",
        "app/models/two.rb": "the parser does not support these constructs: 2 regions (Ruby newer than its grammar, or a syntax error); kept what parsed",
    }
    report = json.loads(render_json(build_report(result)))
    assert report["partial"] == [
        {"file": "app/models/broken.rb", "reason": "the parser does not support this construct: 1 region (Ruby newer than its grammar, or a syntax error); kept what parsed"},
        {"file": "app/models/two.rb", "reason": "the parser does not support these constructs: 2 regions (Ruby newer than its grammar, or a syntax error); kept what parsed"},
    ]
    # a partly read file still feeds the index: its later class is a candidate like any other
    assert "AfterTwoErrors" in {c["name"] for c in report["candidates"]}


def test_erb_with_broken_ruby_is_read(tmp_path):
    write(tmp_path, "app/models/widget.rb", "class Widget\nend\n")
    write(tmp_path, "app/views/w/show.html.erb", "<% if (x %>\n<%= Widget.new %>\n<% end %>\n<%= %>\n")
    result = scan(tmp_path)
    assert "app/views/w/show.html.erb" not in skipped(result)
    assert "Widget" not in {c.definition.name for c in result.classification.candidates}


# ---------------------------------------------------------------------------
# Hostile file contents
# ---------------------------------------------------------------------------

def test_binary_file_with_ruby_name_is_skipped(tmp_path):
    write(tmp_path, "app/models/blob.rb", b"class Blob\x00\x01\x02\nend\n")
    write(tmp_path, "app/models/ok.rb", "class Ok\nend\n")
    result = scan(tmp_path)
    assert skipped(result)["app/models/blob.rb"] == "binary file (contains NUL bytes)"
    assert "Ok" in def_names(result) and "Blob" not in def_names(result)


def test_invalid_utf8_is_decoded_with_replacement(tmp_path):
    # Latin-1 bytes in a comment, a string and a constant name
    write(tmp_path, "app/models/legacy.rb",
          b"# encoding: iso-8859-1\n# caf\xe9\nclass Legacy\n  NAME = 'r\xe9sum\xe9'\nend\n"
          b"class Caf\xe9\nend\nclass AfterLatin\nend\n")
    write(tmp_path, "app/views/l/show.html.erb", b"<p>caf\xe9</p>\n<%= Legacy.new %>\n")
    write(tmp_path, "config/settings.yml", b"name: caf\xe9\nworker: Legacy\n")
    result = scan(tmp_path)
    assert not skipped(result)
    assert {"Legacy", "AfterLatin"} <= def_names(result)
    notes = partial(result)
    assert notes["app/models/legacy.rb"].startswith("not valid UTF-8 (from line 2)")
    assert notes["app/views/l/show.html.erb"].startswith("not valid UTF-8 (from line 1)")
    # line numbers are unchanged by the replacement
    after = next(d for d in result.index.definitions.values() if d.name == "AfterLatin")
    assert after.location.line == 8
    text = render_text(build_report(result))
    assert "app/models/legacy.rb: not valid UTF-8" in text


def test_extract_file_survives_invalid_utf8():
    """Direct callers (not only the scan) get facts, not an exception."""
    facts = extract_file("app/models/x.rb", "ruby", b"# caf\xe9\nclass After\nend\n")
    assert [d.name for d in facts.definitions if d.kind == "class"] == ["After"]


def test_large_files_are_skipped_with_the_limit(tmp_path):
    write(tmp_path, "app/models/huge.rb", "# padding\n" * 300_000)   # 3 MB
    write(tmp_path, "app/models/medium.rb", "class Medium\nend\n" + "# x\n" * 2_000)
    result = scan(tmp_path)
    assert skipped(result)["app/models/huge.rb"] == "larger than 2000000 bytes (3000000 bytes)"
    assert "Medium" in def_names(result)
    small = scan(tmp_path, max_size=1_000)
    assert skipped(small)["app/models/medium.rb"].startswith("larger than 1000 bytes")


def test_max_file_size_option_on_the_command_line(tmp_path):
    write(tmp_path, "app/models/medium.rb", "class Medium\nend\n" + "# x\n" * 2_000)
    proc = cli("scan", str(tmp_path), "--no-cache", "--format", "json", "--max-file-size", "1000")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["skipped"] == [{"file": "app/models/medium.rb",
                                  "reason": "larger than 1000 bytes (8017 bytes)"}]


def test_file_that_grows_after_listing_is_still_capped(tmp_path, monkeypatch):
    target = write(tmp_path, "app/models/grows.rb", "class Grows\nend\n")
    real = scan_mod.discover_files

    def listing_then_grow(*args, **kwargs):
        out = real(*args, **kwargs)
        target.write_text("class Grows\nend\n" + "# x\n" * 1_000, encoding="utf-8")
        return out

    monkeypatch.setattr(scan_mod, "discover_files", listing_then_grow)
    result = scan(tmp_path, max_size=1_000)
    assert skipped(result)["app/models/grows.rb"].startswith("larger than 1000 bytes")


def test_empty_files(tmp_path):
    for rel in ("app/models/empty.rb", "config/empty.yml", "app/views/e/empty.html.erb",
                "config/empty.json", "Gemfile", "Gemfile.lock"):
        write(tmp_path, rel, "")
    result = scan(tmp_path)
    assert not result.skipped
    assert result.files_scanned == 5     # Gemfile.lock is read for gems, not scanned
    assert not any(p.endswith(".rb") or p.endswith(".erb") for p in partial(result))


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    """Root reads a chmod-000 file anyway, so the refusal is simulated at ``os.open``."""
    write(tmp_path, "app/models/secret.rb", "class Secret\nend\n")
    write(tmp_path, "app/models/ok.rb", "class Ok\nend\n")
    secret = str(tmp_path / "app" / "models" / "secret.rb")
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if os.fspath(path) == secret:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(discovery.os, "open", refusing_open)
    result = scan(tmp_path)
    monkeypatch.undo()
    assert skipped(result)["app/models/secret.rb"] == "permission denied"
    assert "Ok" in def_names(result) and "Secret" not in def_names(result)


@pytest.mark.skipif(not POSIX or os.geteuid() == 0,
                    reason="root reads chmod-000 files; covered by test_unreadable_file_is_skipped")
def test_chmod_000_file_is_skipped(tmp_path):
    path = write(tmp_path, "app/models/secret.rb", "class Secret\nend\n")
    path.chmod(0)
    try:
        result = scan(tmp_path)
    finally:
        path.chmod(0o644)
    assert skipped(result)["app/models/secret.rb"] == "permission denied"


def test_file_vanishing_between_listing_and_reading(tmp_path, monkeypatch):
    gone = write(tmp_path, "app/models/gone.rb", "class Gone\nend\n")
    write(tmp_path, "app/models/ok.rb", "class Ok\nend\n")
    real = scan_mod.discover_files

    def listing_then_delete(*args, **kwargs):
        out = real(*args, **kwargs)
        gone.unlink()
        return out

    monkeypatch.setattr(scan_mod, "discover_files", listing_then_delete)
    for cache_dir in ("", str(tmp_path.parent / f"{tmp_path.name}-cache")):
        gone.write_text("class Gone\nend\n", encoding="utf-8")
        result = scan(tmp_path, cache_dir=cache_dir)
        assert skipped(result)["app/models/gone.rb"] == "vanished before it could be read"
        assert "Ok" in def_names(result)


def _scan_in_thread(root: Path, timeout: float = 60):
    """run_scan, failing (not hanging) when something blocks."""
    box: dict = {}

    def target():
        try:
            box["result"] = scan(root)
        except BaseException as exc:  # noqa: BLE001 - reported below
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "the scan blocked (a FIFO was opened for reading?)"
    if "error" in box:
        raise box["error"]
    return box["result"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifos_and_other_special_files_never_block(tmp_path):
    write(tmp_path, "app/models/ok.rb", "class Ok\nend\n")
    (tmp_path / "bin").mkdir()
    os.mkfifo(tmp_path / "app" / "models" / "pipe.rb")
    os.mkfifo(tmp_path / "bin" / "pipe")             # extensionless: its head would be sniffed
    os.mkfifo(tmp_path / "Gemfile.lock")             # read for the gem list
    result = _scan_in_thread(tmp_path)
    assert skipped(result)["app/models/pipe.rb"] == "not a regular file"
    assert "Ok" in def_names(result)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_file_replaced_by_a_fifo_after_listing(tmp_path, monkeypatch):
    target = write(tmp_path, "app/models/swap.rb", "class Swap\nend\n")
    real = scan_mod.discover_files

    def listing_then_swap(*args, **kwargs):
        out = real(*args, **kwargs)
        target.unlink()
        os.mkfifo(target)
        return out

    monkeypatch.setattr(scan_mod, "discover_files", listing_then_swap)
    box: dict = {}
    t = threading.Thread(target=lambda: box.setdefault("r", scan(tmp_path)), daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), "reading a FIFO blocked the scan"
    assert skipped(box["r"])["app/models/swap.rb"] == "not a regular file"


FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "estimation_app"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_where_a_plugin_reads_directly(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    (root / "config" / "initializers").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "config" / "initializers" / "inflections.rb")
    proc = cli("scan", str(root), "--no-cache", "--format", "json", "--jobs", "1", timeout=10)
    assert proc.returncode == 0, proc.stderr
    skipped_files = {s["file"]: s["reason"] for s in json.loads(proc.stdout)["skipped"]}
    assert skipped_files["config/initializers/inflections.rb"] == "not a regular file"


def test_deeply_nested_sources_do_not_stop_the_scan(tmp_path):
    write(tmp_path, "app/models/ok.rb", "class Ok\nend\n")
    write(tmp_path, "app/models/deep.rb", "X = " + "[" * 20_000 + "]" * 20_000 + "\n")
    # under the namespace budget (MAX_NAMESPACE_DEPTH, 100): analysed; deeper is skipped
    # with its reason (tests/test_hostile_input.py)
    write(tmp_path, "app/models/modules.rb",
          "".join(f"module M{i}\n" for i in range(90)) + "class Inner\nend\n" + "end\n" * 90)
    write(tmp_path, "app/models/deeper.rb",
          "".join(f"module N{i}\n" for i in range(500)) + "class Inner\nend\n" + "end\n" * 500)
    write(tmp_path, "config/deep.yml", "a: " + "[" * 5_000 + "]" * 5_000 + "\n")
    write(tmp_path, "config/deep.json", "[" * 50_000 + "]" * 50_000 + "\n")
    result = scan(tmp_path)
    assert "Ok" in def_names(result)
    assert any(n.endswith("::Inner") for n in def_names(result))
    for rel in ("config/deep.yml", "config/deep.json", "app/models/deeper.rb"):
        assert rel in skipped(result) or rel in partial(result), rel


def test_yaml_alias_bomb_does_not_hang(tmp_path):
    """'Billion laughs': aliases nest 10**8 strings into a few hundred bytes."""
    lines = ['a0: &a0 ["Foo", "Bar", "Baz", "Qux", "Quux", "A1", "B1", "C1", "D1", "E1"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    write(tmp_path, "config/bomb.yml", "\n".join(lines) + "\n")
    write(tmp_path, "app/models/ok.rb", "class Ok\nend\n")
    proc = cli("scan", str(tmp_path), "--no-cache", "--format", "json", "--jobs", "1", timeout=10)
    assert proc.returncode == 0, proc.stderr
    assert "Ok" in {c["name"] for c in json.loads(proc.stdout)["candidates"]}


# ---------------------------------------------------------------------------
# Broken config and text sources: partial, with the reason
# ---------------------------------------------------------------------------

def test_broken_yaml_and_json_sources_are_partial(tmp_path):
    write(tmp_path, "app/workers/nightly_worker.rb", "class NightlyWorker\nend\n")
    write(tmp_path, "config/broken.yml", "jobs:\n  - NightlyWorker\n  bad: [1, 2\n")
    write(tmp_path, "config/broken.json", '{"worker": "NightlyWorker",\n')
    write(tmp_path, "config/tags.yml",
          "cmd: !!python/object/apply:os.system ['echo hacked']\n"
          "ref: !Ref Something\nworker: !Sub NightlyWorker\n")
    result = scan(tmp_path)
    notes = partial(result)
    assert notes["config/broken.yml"].startswith("invalid YAML at line ")
    assert notes["config/broken.yml"].endswith("; scanned as plain text")
    assert notes["config/broken.json"].startswith("invalid JSON at line ")
    assert "config/tags.yml" not in notes and "config/tags.yml" not in skipped(result)
    # the scan went on and still read the names in the broken files
    assert "NightlyWorker" not in {c.definition.name for c in result.classification.candidates}


def test_invalid_project_config_is_one_line_error(tmp_path):
    write(tmp_path, "app/models/a.rb", "class A\nend\n")
    write(tmp_path, ".deadcode.yml", "exclude: [unclosed\n")
    proc = cli("scan", str(tmp_path), "--no-cache")
    assert_one_line_error(proc)
    assert ".deadcode.yml" in proc.stderr


def test_project_config_with_python_tags_is_refused(tmp_path):
    marker = tmp_path.parent / f"{tmp_path.name}-config-marker"
    write(tmp_path, ".deadcode.yml",
          f"exclude: !!python/object/apply:os.system ['touch {marker}']\n")
    proc = cli("scan", str(tmp_path), "--no-cache")
    assert_one_line_error(proc)
    assert not marker.exists()


# ---------------------------------------------------------------------------
# Symlinks: never out of the root, loops detected, in plain trees and git trees
# ---------------------------------------------------------------------------

@pytest.fixture(params=["plain", "git"])
def linked_tree(request, tmp_path):
    if request.param == "git" and not HAS_GIT:
        pytest.skip("git is not installed")
    if not POSIX:
        pytest.skip("symlinks need a POSIX file system")
    outside = tmp_path / "outside"
    write(outside, "secret.rb", "class OutsideSecret\nend\n")
    write(outside, "lib/leak.rb", "class OutsideLeak\nend\n")
    root = tmp_path / "app_root"
    write(root, "app/models/real.rb", "class Real\nend\n")
    write(root, "lib/shared/util.rb", "class SharedUtil\nend\n")
    links = {
        "app/models/outside.rb": str(outside / "secret.rb"),     # file out of the root
        "app/outside_dir": str(outside / "lib"),                  # folder out of the root
        "app/models/dangling.rb": "nowhere.rb",                   # target missing
        "app/models/loop": "..",                                  # loop to an ancestor
        "a/b": "..",                                              # the a/b -> ..
        "self": ".",                                              # the root itself
        "app/models/alias.rb": "real.rb",                         # duplicate of a scanned file
        "app/shared": "../lib/shared",                            # folder inside the root
        "app/models/chain.rb": "alias.rb",                        # link to a link
        "app/models/relative_out.rb": "../../../outside/secret.rb",
    }
    (root / "a").mkdir()
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    if request.param == "git":
        git_commit_all(root)
    return root, request.param


def test_symlinks_never_leave_the_root(linked_tree):
    root, _mode = linked_tree
    result = _scan_in_thread(root)
    names = def_names(result)
    assert "OutsideSecret" not in names and "OutsideLeak" not in names
    assert {"Real", "SharedUtil"} <= names
    sk = skipped(result)
    assert sk["app/models/outside.rb"] == "symlink pointing outside the scanned root"
    assert sk["app/models/relative_out.rb"] == "symlink pointing outside the scanned root"
    assert sk["app/outside_dir"] == "symlink pointing outside the scanned root"
    assert sk["app/models/dangling.rb"] == "broken symlink (its target does not exist)"
    assert sk["app/models/alias.rb"] == "symlink to app/models/real.rb, which is scanned itself"
    assert sk["app/models/chain.rb"] == "symlink to app/models/real.rb, which is scanned itself"


def test_symlinked_folders_and_loops_are_not_entered(linked_tree):
    root, _mode = linked_tree
    result = _scan_in_thread(root)
    files = {f.path for f in result.discovery.files}
    assert files == {"app/models/real.rb", "lib/shared/util.rb"}
    # each definition once, at its real path
    real = next(d for d in result.index.definitions.values() if d.name == "Real")
    assert [loc.path for loc in real.locations] == ["app/models/real.rb"]
    util = next(d for d in result.index.definitions.values() if d.name == "SharedUtil")
    assert [loc.path for loc in util.locations] == ["lib/shared/util.rb"]


@needs_git
def test_git_index_path_through_a_symlinked_folder_is_not_read(tmp_path):
    """The index lists ``cfg/leak.rb``; on disk ``cfg`` is now a link out of the root."""
    outside = tmp_path / "outside"
    write(outside, "leak.rb", "class OutsideLeak\nend\n")
    root = tmp_path / "repo"
    write(root, "cfg/leak.rb", "class Inside\nend\n")
    git_commit_all(root)
    shutil.rmtree(root / "cfg")
    os.symlink(outside, root / "cfg")
    result = scan(root)
    assert "OutsideLeak" not in def_names(result)
    assert skipped(result)["cfg/leak.rb"] == "inside a symlinked folder (not followed)"


@needs_git
def test_git_repo_config_cannot_run_commands(tmp_path):
    """``core.fsmonitor`` in the scanned repo's own .git/config names a command git would run."""
    marker = tmp_path / "fsmonitor-ran"
    root = tmp_path / "repo"
    write(root, "app/models/a.rb", "class A\nend\n")
    git_commit_all(root)
    subprocess.run(["git", "-C", str(root), "config", "core.fsmonitor",
                    f"touch {marker}; false"], check=True)
    result = scan(root)
    assert "A" in def_names(result)
    assert not marker.exists()


@needs_git
def test_git_hook_environment_does_not_redirect_discovery(tmp_path, monkeypatch):
    """Run from another repository's git hook, GIT_DIR/GIT_INDEX_FILE point elsewhere."""
    other = tmp_path / "other"
    write(other, "app/models/other.rb", "class Other\nend\n")
    git_commit_all(other)
    root = tmp_path / "repo"
    write(root, "app/models/mine.rb", "class Mine\nend\n")
    git_commit_all(root)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    result = scan(root)
    assert def_names(result) == {"Mine"}


# ---------------------------------------------------------------------------
# Names: spaces, quotes, markup, non-ASCII, control characters
# ---------------------------------------------------------------------------

HOSTILE_NAMES = {
    "app/models/with space.rb": "WithSpace",
    "app/models/quote\"d'.rb": "Quoted",
    "app/models/<img src=x onerror=alert(1)> & co.rb": "Markup",
    "app/models/café ünïcode 日本.rb": "Unicode",
    "app/models/new\nline.rb": "NewLine",
    "app/models/tab\tand\rcr.rb": "TabCr",
    "app/models/esc\x1b[31mred.rb": "Escape",
    "app/models/comma,colon:percent%25.rb": "Punct",
    "app/models/back`tick`|pipe*star[1].rb": "Backtick",
}


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    if not POSIX:
        pytest.skip("file names with control characters need a POSIX file system")
    root = tmp_path_factory.mktemp("names") / "app root"
    for rel, cls in HOSTILE_NAMES.items():
        write(root, rel, f"class {cls}\nend\n")
    result = scan(root)
    assert result.files_scanned == len(HOSTILE_NAMES)
    return build_report(result)


def test_json_keeps_every_name_exactly(hostile_report):
    report = json.loads(render_json(hostile_report))
    assert {c["file"]: c["name"] for c in report["candidates"]} == HOSTILE_NAMES


def test_text_report_one_candidate_per_line(hostile_report):
    text = render_text(hostile_report, color=False, width=None)
    assert "\x1b" not in text, "a file name wrote a terminal escape sequence"
    assert "\r" not in text
    lines = text.splitlines()
    for rel, cls in HOSTILE_NAMES.items():
        at = next((i for i, ln in enumerate(lines) if re.search(rf"\s{cls}\s", ln)), None)
        assert at is not None, cls
        printable = all(ch.isprintable() for ch in rel)
        if printable:   # the location is the candidate's second line
            assert lines[at + 1].startswith(f"        {rel}:1 · "), lines[at + 1]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_names(hostile_report):
    page = html.render_html(hostile_report)
    parser = _Collect()
    parser.feed(page)
    assert "onerror" not in parser.attrs, "a file name became markup"
    text = "".join(parser.text)
    assert "<img src=x onerror=alert(1)> & co.rb" in text
    assert "café ünïcode 日本.rb" in text


def test_markdown_escapes_names(hostile_report):
    md = markdown.render_markdown(hostile_report)
    assert "<img src=x" not in md, "a file name became markup"
    assert "café ünïcode 日本.rb" in md
    # table rows stay rows: a newline inside a name must not break the table
    for line in md.splitlines():
        if line.startswith("|"):
            assert line.rstrip().endswith("|"), line


def test_sarif_uris_decode_to_the_names(hostile_report):
    doc = json.loads(sarif.render_sarif(hostile_report))
    uris = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in doc["runs"][0]["results"]}
    assert uris == set(HOSTILE_NAMES)


def test_github_annotations_one_line_each(hostile_report):
    out = github.render_github(hostile_report)
    lines = [ln for ln in out.splitlines() if ln.startswith("::")]
    assert len(lines) == len(HOSTILE_NAMES)
    assert "\r" not in out
    files = set()
    for ln in lines:
        m = re.match(r"^::\w+ (.*?)::", ln)
        assert m, ln
        props = dict(p.split("=", 1) for p in m.group(1).split(","))
        files.add(unquote(props["file"]))
    assert files == set(HOSTILE_NAMES)


@pytest.mark.skipif(sys.platform != "linux", reason="arbitrary bytes in names need Linux")
def test_file_name_that_is_not_utf8(tmp_path):
    root = tmp_path / "repo"
    write(root, "app/models/ok.rb", "class Ok\nend\n")
    os.makedirs(os.fsencode(root / "app" / "models"), exist_ok=True)
    with open(os.path.join(os.fsencode(root / "app" / "models"), b"caf\xe9.rb"), "wb") as fh:
        fh.write(b"class Cafe\nend\n")
    out = tmp_path / "report.json"
    proc = cli("scan", str(root), "--no-cache", "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["skipped"] == [{"file": "app/models/caf\ufffd.rb",
                                  "reason": "file name is not valid UTF-8"}]
    proc = cli("scan", str(root), "--no-cache")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr


# ---------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------

def test_path_that_does_not_exist(tmp_path):
    assert_one_line_error(cli("scan", str(tmp_path / "missing")))


def test_file_instead_of_a_folder(tmp_path):
    f = write(tmp_path, "Gemfile", "source 'x'\n")
    assert_one_line_error(cli("scan", str(f)))


def test_unknown_format(tmp_path):
    proc = cli("scan", str(tmp_path), "--format", "xml")
    assert_one_line_error(proc)
    assert "xml" in proc.stderr


def test_output_that_cannot_be_written(tmp_path):
    blocker = write(tmp_path, "not-a-folder", "x")
    write(tmp_path, "repo/app/models/a.rb", "class A\nend\n")
    proc = cli("scan", str(tmp_path / "repo"), "--no-cache", "-o", str(blocker / "report.txt"))
    assert_one_line_error(proc)


def test_baseline_that_is_not_json(tmp_path):
    write(tmp_path, "repo/app/models/a.rb", "class A\nend\n")
    bad = write(tmp_path, "baseline.json", "{not json")
    proc = cli("scan", str(tmp_path / "repo"), "--no-cache", "--baseline", str(bad))
    assert_one_line_error(proc)


@pytest.mark.parametrize("args", [
    ["scan", "--jobs", "-1"],
    ["scan", "--no-such-option"],
    ["no-such-command"],
    ["scan", "--format"],
])
def test_usage_errors_exit_2_without_traceback(args, tmp_path):
    proc = cli(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()


def test_unusable_cache_folder_is_not_fatal(tmp_path):
    write(tmp_path, "repo/app/models/a.rb", "class A\nend\n")
    blocker = write(tmp_path, "cache-is-a-file", "x")
    proc = cli("scan", str(tmp_path / "repo"), "--cache-dir", str(blocker / "sub"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["files_scanned"] == 1


def test_corrupt_cache_is_rebuilt(tmp_path):
    write(tmp_path, "repo/app/models/a.rb", "class A\nend\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "facts.sqlite3").write_bytes(b"this is not a database" * 100)
    first = cli("scan", str(tmp_path / "repo"), "--cache-dir", str(cache), "--format", "json")
    second = cli("scan", str(tmp_path / "repo"), "--cache-dir", str(cache), "--format", "json")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout


# ---------------------------------------------------------------------------
# Non-Rails and empty trees: the report still says what it found
# ---------------------------------------------------------------------------

def test_empty_tree(tmp_path):
    proc = cli("scan", str(tmp_path), "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"0 candidates in {tmp_path.name}\n  0 files scanned, 0 skipped, 0 definitions\n" \
                          "  no dead code found\n"


def test_tree_without_ruby(tmp_path):
    write(tmp_path, "README.md", "# hello\n")
    write(tmp_path, "src/main.c", "int main(void) { return 0; }\n")
    proc = cli("scan", str(tmp_path), "--no-cache")
    assert proc.returncode == 0, proc.stderr
    # the README is read for the rake tasks it names; the C file is not a source
    assert "1 files scanned" in proc.stdout and "no dead code found" in proc.stdout


def test_plain_ruby_library(tmp_path):
    write(tmp_path, "lib/greeter.rb", "require_relative 'formatter'\nclass Greeter\n"
                                      "  def hi\n    Formatter.new.call('hi')\n  end\nend\n")
    write(tmp_path, "lib/formatter.rb", "class Formatter\n  def call(s) = s\nend\n")
    write(tmp_path, "bin/greet", "#!/usr/bin/env ruby\nrequire_relative '../lib/greeter'\n"
                                 "puts Greeter.new.hi\n")
    proc = cli("scan", str(tmp_path), "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert "3 files scanned, 0 skipped" in proc.stdout
    assert "no dead code found" in proc.stdout


# ---------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------

def _generated_files(n: int = 240) -> dict[str, str]:
    files = {
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\n",
        "config/routes.rb": "Rails.application.routes.draw do\n  resources :items\nend\n",
        "config/jobs.yml": "nightly: Gen::Worker7\n",
    }
    for i in range(n):
        uses = f"    Gen::Service{(i * 7) % n}.new\n" if i % 3 else ""
        files[f"app/services/gen/service{i}.rb"] = (
            f"module Gen\n  class Service{i}\n  def call\n{uses}  end\n  end\nend\n")
        if i % 10 == 0:
            files[f"app/workers/gen/worker{i}.rb"] = (
                f"module Gen\n  class Worker{i}\n    def perform\n      Service{i}.new\n    end\n  end\nend\n")
    files["app/controllers/items_controller.rb"] = (
        "class ItemsController < ApplicationController\n  def index\n    Gen::Service1.new\n  end\nend\n")
    files["app/controllers/application_controller.rb"] = "class ApplicationController\nend\n"
    return files


def _build(root: Path, files: dict[str, str], order: list[str]) -> None:
    for rel in order:
        write(root, rel, files[rel])


def _json(root: Path, *extra: str) -> str:
    proc = cli("scan", str(root), "--format", "json", *extra)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_json_is_deterministic(tmp_path):
    files = _generated_files()
    names = sorted(files)
    rev = list(reversed(names))
    shuffled = names[:]
    random.Random(7).shuffle(shuffled)
    roots = []
    for label, order in (("a", names), ("b", rev), ("c", shuffled)):
        root = tmp_path / label / "app"     # same basename: the report names the root
        _build(root, files, order)
        roots.append(root)
    baseline = _json(roots[0], "--no-cache", "--jobs", "1")
    assert json.loads(baseline)["summary"]["files_scanned"] > 200   # enough for worker processes
    assert _json(roots[0], "--no-cache", "--jobs", "1") == baseline
    assert _json(roots[0], "--no-cache", "--jobs", "2") == baseline
    assert _json(roots[0], "--no-cache", "--jobs", "4") == baseline
    assert _json(roots[1], "--no-cache", "--jobs", "2") == baseline
    assert _json(roots[2], "--no-cache", "--jobs", "1") == baseline
    cache = str(tmp_path / "cache")
    assert _json(roots[2], "--cache-dir", cache, "--jobs", "2") == baseline    # cold
    assert _json(roots[1], "--cache-dir", cache, "--jobs", "1") == baseline    # warm
