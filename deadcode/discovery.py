"""Find the files of a repository and give each one a role and a language.

In a git work tree the files are the ones git tracks plus untracked ones it does
not ignore; elsewhere the tree is walked. Symlinks are never followed out of the
root, and a symlinked directory loop is entered only once.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .model import Role, SourceFile

ALWAYS_SKIP_DIRS = frozenset({
    "vendor", "node_modules", "tmp", "log", "coverage", "public", ".git", ".bundle",
})

RUBY_NAMES = frozenset({"Rakefile", "Gemfile", "config.ru", "Guardfile", "Capfile"})
RUBY_EXTS = (".rb", ".rake", ".gemspec", ".ru")
ERB_EXTS = (".erb",)
HAML_EXTS = (".haml",)
SLIM_EXTS = (".slim",)
TEXT_EXTS = (
    ".yml", ".yaml", ".json", ".sh", ".bash", ".zsh", ".tf", ".tfvars", ".template",
    ".cron", ".crontab", ".toml", ".env", ".conf", ".ini",
)
TEXT_NAME_PATTERNS = ("Procfile*", "Dockerfile*", "Makefile", "crontab*", "*.crontab",
                      "Jenkinsfile", "*.dockerfile", "docker-compose*", "Justfile")
RUBY_SHEBANG = re.compile(rb"^#!.*\bruby\b")

TEST_DIRS = ("spec/", "test/", "features/")
TEST_PATTERNS = re.compile(
    r"(^|/)(spec|test|features)/|(^|/)factories/|_spec\.rb$|_test\.rb$|(^|/)test_helper\.rb$"
)
APP_PATTERNS = re.compile(r"(^|/)(app|lib|components|packs|engines|gems)/")
SCRIPT_PATTERNS = re.compile(r"(^|/)(bin|script)/|(^|/)lib/tasks/|\.rake$|(^|/)Rakefile$")
CONFIG_PATTERNS = re.compile(r"(^|/)config/|(^|/)db/seeds|(^|/)db/schema\.rb$|(^|/)config\.ru$|(^|/)Gemfile$|\.gemspec$")
# migrations and schema dumps describe tables; nothing they mention is kept alive by them
MIGRATION_PATTERNS = re.compile(r"(^|/)db/(migrate|data_migrate|post_migrate)/|(^|/)db/\w*schema\.rb$|(^|/)db/\w*structure\.sql$")


@dataclass
class DiscoveryResult:
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)


class DiscoveryError(Exception):
    """The scan root cannot be used (one-line message)."""


def classify_path(path: str, test_patterns: tuple[str, ...] = ()) -> Role:
    """The role of a repo-relative POSIX path."""
    if TEST_PATTERNS.search(path) or any(fnmatch.fnmatch(path, p) for p in test_patterns):
        return Role.TEST
    if path.endswith(ERB_EXTS + HAML_EXTS + SLIM_EXTS):
        return Role.VIEW
    if MIGRATION_PATTERNS.search(path):
        return Role.MIGRATION
    if SCRIPT_PATTERNS.search(path):
        return Role.SCRIPT
    if CONFIG_PATTERNS.search(path):
        return Role.CONFIG
    if path.endswith(RUBY_EXTS) or PurePosixPath(path).name in RUBY_NAMES:
        if APP_PATTERNS.search(path):
            return Role.APP
        return Role.CONFIG
    return Role.TEXT


def language_of(path: str, abspath: str) -> str | None:
    """"ruby", "erb", "haml", "slim", "text", or None (not a source we read)."""
    name = PurePosixPath(path).name
    if name.endswith(RUBY_EXTS) or name in RUBY_NAMES:
        return "ruby"
    if name.endswith(ERB_EXTS):
        return "erb"
    if name.endswith(HAML_EXTS):
        return "haml"
    if name.endswith(SLIM_EXTS):
        return "slim"
    if name.lower().endswith(TEXT_EXTS) or any(fnmatch.fnmatch(name, p) for p in TEXT_NAME_PATTERNS):
        return "text"
    if "." not in name:
        try:
            with open(abspath, "rb") as fh:
                head = fh.read(128)
        except OSError:
            return None
        if RUBY_SHEBANG.match(head):
            return "ruby"
        if head.startswith(b"#!"):
            return "text"
    return None


def _skip_dir(rel: str, exclude: tuple[str, ...]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    if name in ALWAYS_SKIP_DIRS and rel.count("/") == 0:
        return True
    if name in (".git", "node_modules", ".bundle"):
        return True
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel + "/", p) for p in exclude)


def _is_skipped_path(rel: str) -> bool:
    first = rel.split("/", 1)[0]
    if first in ALWAYS_SKIP_DIRS:
        return True
    return "/node_modules/" in rel or "/.git/" in rel


def _git_files(root: str) -> list[str] | None:
    """Files git tracks plus untracked, unignored ones; None when not a git work tree."""
    try:
        top = subprocess.run(
            ["git", "-C", root, "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if top.returncode != 0:
        return None
    try:
        out = subprocess.run(
            ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            capture_output=True, timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    files = []
    for raw in out.stdout.split(b"\0"):
        if raw:
            files.append(os.fsdecode(raw))
    return sorted(set(files))


def _walk_files(root: str, exclude: tuple[str, ...]) -> list[str]:
    real_root = os.path.realpath(root)
    seen_dirs: set[str] = set()
    files: list[str] = []

    def walk(abs_dir: str, rel_dir: str) -> None:
        real = os.path.realpath(abs_dir)
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(abs_dir), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not (target == real_root or target.startswith(real_root + os.sep)):
                    continue
            if is_dir:
                if not _skip_dir(rel, exclude):
                    walk(entry.path, rel)
            else:
                files.append(rel)

    walk(root, "")
    return files


def discover_files(
    root: str,
    *,
    exclude: tuple[str, ...] = (),
    include: tuple[str, ...] = (),
    test_patterns: tuple[str, ...] = (),
    max_size: int = 2_000_000,
    extra_text: tuple[str, ...] = (),
) -> DiscoveryResult:
    """List the sources under ``root`` with their roles, sorted by path.

    ``extra_text``: globs of files read as text sources (their words can trigger
    dispatch keys) whatever their extension, even when ``include`` leaves them out.
    """
    if not os.path.exists(root):
        raise DiscoveryError(f"path does not exist: {root}")
    if not os.path.isdir(root):
        raise DiscoveryError(f"not a directory: {root}")
    root_abs = os.path.abspath(root)
    real_root = os.path.realpath(root_abs)
    names = _git_files(root_abs)
    if names is None:
        names = _walk_files(root_abs, exclude)
    result = DiscoveryResult()
    for rel in names:
        if _is_skipped_path(rel):
            continue
        if exclude and any(fnmatch.fnmatch(rel, p) for p in exclude):
            continue
        extra = bool(extra_text) and any(fnmatch.fnmatch(rel, p) for p in extra_text)
        if include and not extra and not any(fnmatch.fnmatch(rel, p) for p in include):
            continue
        abspath = os.path.join(root_abs, *rel.split("/"))
        if os.path.islink(abspath):
            target = os.path.realpath(abspath)
            if not (target == real_root or target.startswith(real_root + os.sep)):
                result.skipped.append((rel, "symlink pointing outside the scanned root"))
                continue
        if os.path.isdir(abspath):
            continue  # a submodule or a symlink to a directory: git lists it as a file
        lang = language_of(rel, abspath)
        if lang is None and extra:
            lang = "text"
        if lang is None:
            continue
        try:
            size = os.stat(abspath).st_size
        except FileNotFoundError:
            result.skipped.append((rel, "vanished before it could be read"))
            continue
        except OSError as exc:
            result.skipped.append((rel, f"cannot stat: {exc.strerror or exc}"))
            continue
        if size > max_size:
            result.skipped.append((rel, f"larger than {max_size} bytes ({size} bytes)"))
            continue
        result.files.append(SourceFile(rel, abspath, classify_path(rel, test_patterns), lang, size))
    result.files.sort(key=lambda f: f.path)
    result.skipped.sort()
    return result
