"""deadcode only reads the scanned tree: it never writes to it and never runs what it contains.

A copy of ``fixtures/estimation_app`` (plain, and as a git work tree) gets traps
that leave a marker file outside the tree if anything in it is ever executed:
a Rakefile, bin scripts, ERB, YAML with Python tags, a Gemfile with backticks,
and in the git variant a ``core.fsmonitor`` command, filters and hooks in
``.git``. Every command that does not edit files runs against it; afterwards
the tree (hidden files and ``.git`` included) must be byte-identical, with the
same folders and file modes, and no marker may exist.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "estimation_app"
HAS_GIT = shutil.which("git") is not None


def cli(*args: str, cwd: os.PathLike | str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("DEADCODE_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "deadcode", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (hidden ones and .git included): type, mode, content hash.

    Folders also carry their mtime: a file created and removed again still shows.
    """
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", st.st_mode, st.st_mtime_ns)
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
                out[rel] = ("file", st.st_mode, st.st_size, digest, st.st_mtime_ns)
            else:
                out[rel] = ("other", st.st_mode)
    st = os.stat(root)
    out["."] = ("dir", st.st_mode, st.st_mtime_ns)
    return out


def _trap(marker_dir: Path, name: str) -> str:
    return str(marker_dir / name)


def plant_traps(root: Path, markers: Path) -> None:
    """Files that would create ``markers/<name>`` if anything executed them."""
    def m(name: str) -> str:
        return _trap(markers, name)

    with open(root / "Rakefile", "a", encoding="utf-8") as fh:
        fh.write(f'\nsystem("touch {m("rakefile")}")\nFile.write("{m("rakefile_write")}", "x")\n')
    with open(root / "Gemfile", "a", encoding="utf-8") as fh:
        fh.write(f"\n`touch {m('gemfile')}`\n")
    (root / "bin").mkdir(exist_ok=True)
    for name, body in {
        "setup": f"#!/bin/sh\ntouch {m('bin_setup')}\n",
        "evil": f"#!/usr/bin/env ruby\nsystem('touch {m('bin_evil')}')\n",
    }.items():
        path = root / "bin" / name
        path.write_text(body, encoding="utf-8")
        path.chmod(0o755)
    (root / "lib" / "tasks" / "evil.rake").write_text(
        f"task :evil do\n  sh 'touch {m('rake_task')}'\nend\n", encoding="utf-8")
    (root / "config" / "evil.yml").write_text(
        f"apply: !!python/object/apply:os.system [\"touch {m('yaml_apply')}\"]\n"
        f"new: !!python/object/new:os.system [\"touch {m('yaml_new')}\"]\n"
        f"name: !!python/name:os.system\n"
        f"erb: <%= system('touch {m('yaml_erb')}') %>\n"
        f"worker: Payments::NightlySyncWorker\n", encoding="utf-8")
    (root / "config" / "evil.json").write_text(
        f'{{"__reduce__": "os.system", "args": ["touch {m("json")}"]}}\n', encoding="utf-8")
    views = root / "app" / "views" / "evil"
    views.mkdir(parents=True, exist_ok=True)
    (views / "show.html.erb").write_text(
        f"<% system('touch {m('erb')}') %>\n<%= `touch {m('erb_backtick')}` %>\n", encoding="utf-8")
    (root / "Procfile").write_text(f"web: touch {m('procfile')}\n", encoding="utf-8")
    (root / "Makefile").write_text(f"all:\n\ttouch {m('makefile')}\n", encoding="utf-8")


def plant_git_traps(root: Path, markers: Path) -> None:
    """Repository config and hooks that run commands when git touches the work tree."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "--no-verify", "-m", "fixture"],
                   check=True, env=env)
    (root / ".gitattributes").write_text("*.rb filter=trap diff=trap\n", encoding="utf-8")
    settings = {
        "core.fsmonitor": f"touch {_trap(markers, 'git_fsmonitor')}; false",
        "filter.trap.clean": f"touch {_trap(markers, 'git_clean')}; cat",
        "filter.trap.smudge": f"touch {_trap(markers, 'git_smudge')}; cat",
        "filter.trap.process": f"touch {_trap(markers, 'git_process')}",
        "diff.trap.textconv": f"touch {_trap(markers, 'git_textconv')}; cat",
        "core.pager": f"touch {_trap(markers, 'git_pager')}; cat",
        "core.untrackedCache": "true",
    }
    for key, value in settings.items():
        subprocess.run(["git", "-C", str(root), "config", key, value], check=True)
    hooks = root / ".git" / "hooks"
    for hook in ("post-index-change", "post-checkout", "pre-commit", "reference-transaction",
                 "fsmonitor-watchman"):
        path = hooks / hook
        path.write_text(f"#!/bin/sh\ntouch {_trap(markers, 'hook_' + hook)}\n", encoding="utf-8")
        path.chmod(0o755)
    # an untracked and a modified file, so git has something to look at
    (root / "app" / "models" / "untracked.rb").write_text("class Untracked\nend\n", encoding="utf-8")
    with open(root / "app" / "models" / "payment.rb", "a", encoding="utf-8") as fh:
        fh.write("# touched\n")


@pytest.fixture(params=["plain", "git"])
def trapped(request, tmp_path):
    if request.param == "git" and not HAS_GIT:
        pytest.skip("git is not installed")
    root = tmp_path / "tree" / "estimation_app"
    shutil.copytree(FIXTURE, root, symlinks=True)
    markers = tmp_path / "markers"
    markers.mkdir()
    plant_traps(root, markers)
    if request.param == "git":
        plant_git_traps(root, markers)
    out = tmp_path / "out"
    out.mkdir()
    return root, markers, out


def _help(*args: str) -> str:
    proc = cli(*args, "--help", cwd=FIXTURE)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _commands() -> set[str]:
    text = _help()
    block = text.split("Commands:", 1)[1] if "Commands:" in text else ""
    return {m.group(1) for m in re.finditer(r"^\s{2}([a-z][\w-]*)\s", block, re.M)}


def _scan_formats() -> list[str]:
    m = re.search(r"--format \[([^\]]+)\]", _help("scan"))
    return m.group(1).split("|") if m else ["text"]


def read_only_commands(root: Path, out: Path) -> list[tuple[list[str], Path]]:
    """(argv, cwd) of every command that must leave the tree alone."""
    cmds = _commands()
    scan_help = _help("scan")
    cache = ["--cache-dir", str(out / "cache")]
    r = str(root)
    runs: list[tuple[list[str], Path]] = [
        (["scan", "-q", *cache], root),                       # in the tree, report on stdout
        (["scan", r, "--no-cache"], out),
        (["scan", r, *cache, "--jobs", "2", "--format", "json"], out),
        (["scan", r, "--cache-dir", str(root / ".deadcode-cache")], out),   # cache asked inside
    ]
    formats = _scan_formats()
    for fmt in formats:
        runs.append((["scan", r, *cache, "--format", fmt, "-o", str(out / f"report.{fmt}")], out))
    if "html" in formats:
        runs.append((["scan", r, *cache, "--format", "html"], out))   # default report folder: cwd
    if "--output-dir" in scan_help:
        multi = [a for fmt in formats for a in ("--format", fmt)]
        runs.append((["scan", r, *cache, *multi, "--output-dir", str(out / "all")], out))
    if "--timings" in scan_help:
        runs.append((["scan", r, *cache, "--timings", "--format", "json"], out))
    if "baseline" in cmds:
        base = out / "baseline.json"
        runs.append((["baseline", r, *cache, "-o", str(base)], out))
        if "--baseline" in scan_help:
            runs.append((["scan", r, *cache, "--baseline", str(base), "--fail-on", "new"], out))
    if "explain" in cmds:
        runs.append((["explain", "Billing::StatementBuilder", r, *cache], out))
        runs.append((["explain", "Billing::StatementBuilder", r, *cache, "--format", "json"], out))
    if "graph" in cmds:
        runs.append((["graph", "Billing::StatementBuilder", r, *cache], out))
        runs.append((["graph", "Billing::StatementBuilder", r, *cache, "--format", "dot"], out))
    return runs


def test_read_only_commands_leave_the_tree_alone(trapped):
    root, markers, out = trapped
    before = snapshot(root)
    runs = read_only_commands(root, out)
    assert len(runs) >= 8
    for argv, cwd in runs:
        proc = cli(*argv, cwd=cwd)
        assert proc.returncode == 0, (argv, proc.stderr)
        assert "Traceback" not in proc.stderr, argv
        after = snapshot(root)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        assert not changed, f"deadcode {' '.join(argv)} changed the tree: {changed}"
        assert not list(markers.iterdir()), f"deadcode {' '.join(argv)} ran code: {list(markers.iterdir())}"
    # the reports were written where asked, outside the tree
    assert (out / "report.json").is_file()
    assert (out / "cache").is_dir()


def test_the_scan_saw_the_trapped_files(trapped):
    """The traps were read as sources (so not executing them means something)."""
    root, markers, out = trapped
    proc = cli("scan", str(root), "--no-cache", "--format", "json", cwd=out)
    assert proc.returncode == 0, proc.stderr
    import json
    report = json.loads(proc.stdout)
    assert report["summary"]["files_scanned"] >= 75
    skipped = {s["file"] for s in report["skipped"]}
    assert not skipped & {"Rakefile", "Gemfile", "config/evil.yml", "app/views/evil/show.html.erb",
                          "bin/evil", "lib/tasks/evil.rake"}
    assert not list(markers.iterdir())


def test_cache_inside_the_tree_is_refused(tmp_path):
    """A cache in the scanned tree would write to it, and unpickle whatever the tree ships."""
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    planted = root / ".cache" / "deadcode"
    planted.mkdir(parents=True)
    (planted / "facts.sqlite3").write_bytes(b"planted by the repository")
    before = snapshot(root)
    from deadcode.scan import ScanOptions, run_scan
    result = run_scan(str(root), ScanOptions(cache_dir=str(planted), jobs=1))
    assert snapshot(root) == before
    assert result.notes and result.notes[0].startswith("cache not used: ")
    assert result.files_scanned > 0


def test_default_cache_never_lands_in_the_tree(tmp_path, monkeypatch):
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / ".xdg"))   # e.g. CI caching in the checkout
    before = snapshot(root)
    from deadcode.scan import ScanOptions, run_scan
    run_scan(str(root), ScanOptions(jobs=1))
    assert snapshot(root) == before
