"""Find the files of a repository and give each one a role and a language.

In a git work tree the files are the ones git tracks plus untracked ones it does
not ignore; elsewhere the tree is walked. Either way the scanned tree is only
read: git runs with the repository's fsmonitor hook and optional index writes
switched off, against the repository named explicitly (its ``.git`` checked, not
trusted), each command bounded by a timeout, and only once the files it would
block on if they were FIFOs are known to be regular; otherwise the tree is walked
with a note saying why. Symlinked folders are never entered (git does not enter them
either; their targets inside the root are scanned where they are), a symlink
pointing outside the root or nowhere is skipped with its reason, and a symlink
to a file that is scanned anyway is skipped as a duplicate. FIFOs, sockets and
devices are never opened for reading in a way that could block.
"""

from __future__ import annotations

import fnmatch
import hashlib
import errno
import os
import re
import stat
import subprocess
from dataclasses import dataclass, field

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
# documentation: read only for the rake tasks it tells people to run (never a reference)
DOC_EXTS = (".md", ".markdown", ".rdoc")
TEXT_NAME_PATTERNS = ("Procfile*", "Dockerfile*", "Makefile", "crontab*", "*.crontab",
                      "Jenkinsfile", "*.dockerfile", "docker-compose*", "Justfile")
RUBY_SHEBANG = re.compile(rb"^#!.*\bruby\b")

TEST_DIRS = ("spec/", "test/", "features/")
TEST_PATTERNS = re.compile(
    r"(^|/)(spec|test|features)/|(^|/)factories/|_spec\.rb$|_test\.rb$|(^|/)test_helper\.rb$"
    # mailer and component previews: a `*_preview.rb` file inside a `previews/` folder (a model
    # `lesson_preview.rb` or a view folder `app/views/lessons/previews/` is app code)
    r"|(^|/)(\w+_)?previews/([^/]+/)*[^/]+_preview\.rb$"
    r"|(^|/)(test_helpers|test_support|spec_support)/"   # test-support code kept in lib/
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
    notes: list[str] = field(default_factory=list)   # e.g. why git was not used


class DiscoveryError(Exception):
    """The scan root cannot be used (one-line message)."""


def read_fd(fd: int, limit: int | None) -> bytes | None:
    """All bytes from an open file; None once more than ``limit`` came. What fstat says
    the file holds is read in one call (so a large file is held once, not twice while
    pieces are joined), then 1 MiB reads for anything it grew by."""
    try:
        expect = os.fstat(fd).st_size
    except OSError:
        expect = 0
    if limit is not None:
        expect = min(expect, limit)
    chunks = [os.read(fd, expect + 1)] if expect else []
    size = len(chunks[0]) if chunks else 0
    if limit is not None and size > limit:
        return None
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            return None
    if len(chunks) == 1:
        return chunks[0]
    return b"".join(chunks)


def read_regular_file(abspath: str, limit: int | None = None) -> tuple[bytes | None, str | None]:
    """The bytes of a regular file, or why it was not read.

    Opens without blocking (a FIFO named ``x.rb`` must not hang the scan), checks
    the opened file is a regular one, and reads at most ``limit`` bytes.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(abspath, flags)
    except FileNotFoundError:
        return None, "vanished before it could be read"
    except PermissionError:
        return None, "permission denied"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not a regular file"
        if limit is not None and st.st_size > limit:
            return None, f"larger than {limit} bytes ({st.st_size} bytes)"
        data = read_fd(fd, limit)
        if data is None:
            return None, f"larger than {limit} bytes (grew while being read)"
        return data, None
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    finally:
        os.close(fd)


WHOLE_FILE_LIMIT = 5_000_000


def read_inside(root: str, rel: str, limit: int = WHOLE_FILE_LIMIT) -> bytes | None:
    """A file some rule reads whole (routes, structure.sql, inflections), by its
    repo-relative path: only a regular file inside ``root``, never blocking on a FIFO."""
    path = os.path.join(root, *rel.split("/"))
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    if not real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return read_regular_file(path, limit)[0]


def whole_file_digest(data: bytes | None) -> str | None:
    """How a whole-read file is recorded as an input of the analysis (None: absent)."""
    return hashlib.sha256(data).hexdigest() if data is not None else None


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
    if path.endswith(RUBY_EXTS) or path.rpartition("/")[2] in RUBY_NAMES:
        if APP_PATTERNS.search(path):
            return Role.APP
        return Role.CONFIG
    return Role.TEXT


# File names some role rule looks at beyond their extension (see classify_path).
_NAME_SENSITIVE = re.compile(
    r"_spec\.rb$|_test\.rb$|^test_helper\.rb$|_preview\.rb$|schema\.rb$|structure\.sql$|^seeds"
    r"|\.rake$|\.gemspec$|^(Rakefile|Gemfile|config\.ru|Guardfile|Capfile)$")


class _RoleMemo:
    """``classify_path`` once per folder and extension: a big app has thousands of
    files per folder, and apart from the names ``_NAME_SENSITIVE`` lists, the rules
    only look at a file's folders and extension."""

    def __init__(self, test_patterns: tuple[str, ...]):
        self.test_patterns = test_patterns
        self.memo: dict[tuple[str, str], Role] = {}

    def __call__(self, rel: str) -> Role:
        if self.test_patterns:
            return classify_path(rel, self.test_patterns)
        rel_dir, _, name = rel.rpartition("/")
        if _NAME_SENSITIVE.search(name):
            return classify_path(rel)
        ext = name.rpartition(".")[2] if "." in name else ""
        key = (rel_dir, ext)
        role = self.memo.get(key)
        if role is None:
            stand_in = f"x.{ext}" if ext else "x"
            role = self.memo[key] = classify_path(f"{rel_dir}/{stand_in}" if rel_dir else stand_in)
        return role


def language_of(path: str, abspath: str) -> str | None:
    """"ruby", "erb", "haml", "slim", "text", "doc", or None (not a source we read)."""
    name = path.rpartition("/")[2]
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
    if name.lower().endswith(DOC_EXTS):
        return "doc"
    if "." not in name:
        head = _read_head(abspath)
        if head is None:
            return None
        if RUBY_SHEBANG.match(head):
            return "ruby"
        if head.startswith(b"#!"):
            return "text"
    return None


def _read_head(abspath: str, n: int = 128) -> bytes | None:
    """The first bytes of a regular file; None for anything else (never blocks)."""
    try:
        fd = os.open(abspath, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, n)
    except OSError:
        return None
    finally:
        os.close(fd)


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


# Variables that point git at another repository or index (``git rev-parse
# --local-env-vars``); set when deadcode runs from a git hook, wrong for the root.
_GIT_LOCAL_ENV = frozenset({
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_OBJECT_DIRECTORY", "GIT_DIR",
    "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE", "GIT_INDEX_FILE",
    "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_SHALLOW_FILE", "GIT_COMMON_DIR",
})


GIT_TIMEOUT = 10   # seconds any one git command may take before the tree is walked instead


class _NoGit(Exception):
    """git is not used for this root; the message (if any) is the note saying why."""


def _git(root: str, git_dir: str, work_tree: str, *args: str,
         unset_ok: bool = False) -> subprocess.CompletedProcess | None:
    """Run a read-only git command in ``root`` against the given repository.

    The repository is named explicitly (``--git-dir``, ``--work-tree``): a
    ``core.worktree`` in the scanned repository's config, or git location variables
    inherited from a hook, cannot point git at another folder. The repository's own
    config must not run anything: ``core.fsmonitor`` names a command git would
    execute, so it is switched off (command-line ``-c`` wins over every config
    file), and optional index writes are disabled. Raises ``_NoGit``: silently when
    git is missing or fails, with a note when it did not finish in ``GIT_TIMEOUT``.
    ``unset_ok``: exit status 1 (``git config``: not set) gives None.
    """
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCAL_ENV}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env["GIT_TERMINAL_PROMPT"] = "0"
    cmd = ["git", "--no-optional-locks", "-c", "core.fsmonitor=false",
           "-c", "core.untrackedCache=false", f"--git-dir={git_dir}", f"--work-tree={work_tree}",
           "-C", root, *args]
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=GIT_TIMEOUT, env=env,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise _NoGit(f"git not used: `git {args[0]}` did not finish within {GIT_TIMEOUT} s "
                     f"(a FIFO among the files it reads?); the tree was walked instead") from None
    except (OSError, subprocess.SubprocessError):
        raise _NoGit() from None
    if out.returncode == 1 and unset_ok:
        return None
    if out.returncode != 0:
        raise _NoGit()
    return out


def _read_small_file(path: str) -> str | None:
    data, _ = read_regular_file(path, 64 * 1024)
    return data.decode("utf-8", "replace") if data is not None else None


def _repository(real_root: str) -> tuple[str, str]:
    """(git dir, work tree) of the repository ``real_root`` is in, found as git finds
    it (the nearest ``.git`` upwards) but checked rather than trusted.

    A ``.git`` file must be a linked worktree's (its git dir's ``gitdir`` file points
    back at it) or a submodule's (its git dir lies in an enclosing repository's
    ``.git/modules``): one pointing at any other repository would list that
    repository's files. Raises ``_NoGit`` (no note: not a git tree at all).
    """
    cur = real_root
    while True:
        dotgit = os.path.join(cur, ".git")
        try:
            st = os.lstat(dotgit)
        except FileNotFoundError:
            parent = os.path.dirname(cur)
            if parent == cur:
                raise _NoGit() from None
            cur = parent
            continue
        except OSError:
            raise _NoGit() from None
        break
    shown = _shown(dotgit, real_root)
    if stat.S_ISDIR(st.st_mode):
        return dotgit, cur
    if not stat.S_ISREG(st.st_mode):
        raise _NoGit(f"git not used: {shown} is not a folder or a regular file; "
                     f"the tree was walked instead")
    text = _read_small_file(dotgit) or ""
    line = text.strip().splitlines()[0] if text.strip() else ""
    target = line[len("gitdir:"):].strip() if line.startswith("gitdir:") else ""
    git_dir = os.path.realpath(os.path.join(cur, target)) if target else ""
    back = _read_small_file(os.path.join(git_dir, "gitdir")) if git_dir else None
    worktree = back is not None and \
        os.path.realpath(os.path.join(git_dir, back.strip())) == os.path.realpath(dotgit)
    marker = f"{os.sep}.git{os.sep}modules{os.sep}"
    owner = git_dir.split(marker, 1)[0] if marker in git_dir else None
    submodule = owner is not None and _inside(cur, owner) and cur != owner \
        and os.path.isdir(os.path.join(owner, ".git"))
    if not (worktree or submodule):
        raise _NoGit(f"git not used: {shown} points at a repository that is not this "
                     f"folder's; the tree was walked instead")
    return git_dir, cur


def _shown(path: str, real_root: str) -> str:
    """A path for a note: relative to the scanned root when it is inside it."""
    if _inside(path, real_root):
        return os.path.relpath(path, real_root).replace(os.sep, "/")
    return path


def _check_regular(paths, real_root: str) -> None:
    """git blocks opening a FIFO (``.gitignore``, ``.git/index``, an excludes file):
    each of these that exists must be a regular file."""
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            raise _NoGit(f"git not used: {_shown(path, real_root)} is not a regular file; "
                         f"the tree was walked instead")


def _git_inputs(git_dir: str, work_tree: str, real_root: str) -> list[str]:
    """The files ``git ls-files`` reads before it looks at the tree."""
    common = git_dir
    rel = _read_small_file(os.path.join(git_dir, "commondir"))
    if rel is not None and rel.strip():
        common = os.path.realpath(os.path.join(git_dir, rel.strip()))
    paths = [os.path.join(git_dir, n) for n in ("HEAD", "index", "config.worktree")]
    paths += [os.path.join(common, n) for n in ("config", "HEAD", os.path.join("info", "exclude"))]
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    paths += [os.path.join(xdg, "git", "config"), os.path.join(xdg, "git", "ignore"),
              os.path.join(os.path.expanduser("~"), ".gitconfig")]
    folder = real_root       # the .gitignore of every folder from the work tree down to the root
    while True:
        paths.append(os.path.join(folder, ".gitignore"))
        if folder == work_tree or os.path.dirname(folder) == folder:
            break
        folder = os.path.dirname(folder)
    return paths


def _git_files(root: str, notes: list[str]) -> list[str] | None:
    """Files git tracks plus untracked, unignored ones, relative to ``root``; None when
    git is not used (not a git tree, git missing or failing, or something hostile or
    blocking found: then the reason is added to ``notes``)."""
    real_root = os.path.realpath(root)
    try:
        git_dir, work_tree = _repository(real_root)
        _check_regular(_git_inputs(git_dir, work_tree, real_root), real_root)
        excludes = _git(real_root, git_dir, work_tree, "config", "--path", "core.excludesFile",
                        unset_ok=True)
        if excludes is not None and excludes.stdout.strip():
            _check_regular([os.fsdecode(excludes.stdout.strip())], real_root)
        cached = _git(real_root, git_dir, work_tree, "ls-files", "-z", "--cached", "--", ".")
        names = {os.fsdecode(raw) for raw in cached.stdout.split(b"\0") if raw}
        # the .gitignore of every folder on the way to a tracked file, before git opens them
        folders: set[str] = set()
        for folder in {n.rpartition("/")[0] for n in names}:
            while folder and folder not in folders:
                folders.add(folder)
                folder = folder.rpartition("/")[0]
        _check_regular((os.path.join(real_root, *f.split("/"), ".gitignore") for f in folders
                        if f and ".." not in f.split("/") and not f.startswith("/")), real_root)
        others = _git(real_root, git_dir, work_tree, "ls-files", "-z", "--others",
                      "--exclude-standard", "--", ".")
    except _NoGit as exc:
        if exc.args:
            notes.append(exc.args[0])
        return None
    names.update(os.fsdecode(raw) for raw in others.stdout.split(b"\0") if raw)
    return sorted(names)


def git_revision(root: str) -> tuple[str | None, str]:
    """(the commit checked out, ``root``'s path inside the work tree as ``""`` or
    ``"sub/dir/"``), read-only through ``_git`` (no hooks, no fsmonitor, no filters: only
    ``rev-parse`` runs). The commit is None when ``root`` is not in a usable git
    checkout (not git, git missing, no commit yet, or a file git would block on)."""
    real_root = os.path.realpath(root)
    try:
        git_dir, work_tree = _repository(real_root)
        _check_regular(_git_inputs(git_dir, work_tree, real_root), real_root)
        out = _git(real_root, git_dir, work_tree, "rev-parse", "--verify", "--quiet",
                   "HEAD^{commit}")
    except _NoGit:
        return None, ""
    commit = out.stdout.decode("ascii", "replace").strip()
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
        return None, ""
    rel = os.path.relpath(real_root, os.path.realpath(work_tree))
    prefix = "" if rel == os.curdir else rel.replace(os.sep, "/") + "/"
    return commit, prefix


def _walk_files(root: str, exclude: tuple[str, ...],
                skipped: list[tuple[str, str]] | None = None) -> list[str]:
    """Every file and symlink under ``root``; symlinked folders are listed, not entered.
    Iterative (a chain of 1,200 folders recursed past Python's limit), in the order of
    a recursive walk; a folder whose path is too long to open goes to ``skipped``."""
    seen_dirs: set[tuple[int, int]] = set()
    files: list[str] = []

    def entries_of(abs_dir: str, rel_dir: str):
        try:
            st = os.stat(abs_dir)
            if (st.st_dev, st.st_ino) in seen_dirs:   # a bind mount looping back
                return None
            seen_dirs.add((st.st_dev, st.st_ino))
            with os.scandir(abs_dir) as it:
                return iter(sorted(it, key=lambda e: e.name))
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG and skipped is not None:
                skipped.append((rel_dir, "folder not entered: its path is longer than the "
                                         "system allows"))
            return None

    top = entries_of(root, "")
    stack = [(top, "")] if top is not None else []
    while stack:
        it, rel_dir = stack[-1]
        entry = next(it, None)
        if entry is None:
            stack.pop()
            continue
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        try:
            if entry.is_symlink():
                files.append(rel)   # discover_files decides what a link is worth
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            if not _skip_dir(rel, exclude):
                sub = entries_of(entry.path, rel)
                if sub is not None:
                    stack.append((sub, rel))
        else:
            files.append(rel)
    return files


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _printable(rel: str) -> str:
    """A path that was not valid UTF-8, with the bad bytes replaced, for the report."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
    result = DiscoveryResult()
    names = _git_files(root_abs, result.notes)
    if names is None:
        names = _walk_files(root_abs, exclude, result.skipped)
    role_of = _RoleMemo(test_patterns)
    folders: dict[str, tuple[str | None, bool]] = {}   # rel dir -> (abs dir, not behind a link)
    links: list[tuple[SourceFile, str]] = []    # (link, repo-relative target)
    for rel in names:
        if _is_skipped_path(rel):
            continue
        if exclude and any(fnmatch.fnmatch(rel, p) for p in exclude):
            continue
        extra = bool(extra_text) and any(fnmatch.fnmatch(rel, p) for p in extra_text)
        if include and not extra and not any(fnmatch.fnmatch(rel, p) for p in include):
            continue
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            result.skipped.append((_printable(rel), "file name is not valid UTF-8"))
            continue
        rel_dir, _, base = rel.rpartition("/")
        folder = folders.get(rel_dir)
        if folder is None:
            parts = rel_dir.split("/") if rel_dir else []
            if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
                folder = (None, False)   # not a plain repo-relative path (a hostile index)
            else:
                abs_dir = os.path.join(root_abs, *parts)
                folder = (abs_dir, os.path.realpath(abs_dir) == os.path.join(real_root, *parts))
            folders[rel_dir] = folder
        abs_dir, plain = folder
        if abs_dir is None or base in ("", ".", ".."):
            continue    # not a plain repo-relative path (a hostile index): never read
        if not plain:
            result.skipped.append((rel, "inside a symlinked folder (not followed)"))
            continue
        abspath = os.path.join(abs_dir, base)
        link_target = None
        try:
            st = os.lstat(abspath)   # one system call tells a link, a folder and a file apart
        except OSError as exc:
            if extra or language_of(rel, "") is not None:
                result.skipped.append((rel, "vanished before it could be read"
                                       if isinstance(exc, FileNotFoundError)
                                       else f"cannot stat: {exc.strerror or exc}"))
            continue
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(abspath)
            # worth a line in the report: a link to a folder, or one named like a source
            # (named: the target itself is not looked at)
            noted = extra or language_of(rel, "") is not None
            if not _inside(target, real_root):
                if noted or os.path.isdir(target):
                    result.skipped.append((rel, "symlink pointing outside the scanned root"))
                continue
            if not os.path.exists(target):
                if noted:
                    result.skipped.append((rel, "broken symlink (its target does not exist)"))
                continue
            if os.path.isdir(target):
                continue   # a symlinked folder: its target is scanned where it is
            link_target = os.path.relpath(target, real_root).replace(os.sep, "/")
        elif stat.S_ISDIR(st.st_mode):
            continue  # a submodule: git lists it as a file
        lang = language_of(rel, abspath)
        if extra and lang in (None, "doc"):
            lang = "text"   # a configured trigger source is read whole, documentation or not
        if lang is None:
            continue
        if link_target is not None:
            try:
                st = os.stat(abspath)
            except FileNotFoundError:
                result.skipped.append((rel, "vanished before it could be read"))
                continue
            except OSError as exc:
                result.skipped.append((rel, f"cannot stat: {exc.strerror or exc}"))
                continue
        if not stat.S_ISREG(st.st_mode):
            result.skipped.append((rel, "not a regular file"))
            continue
        if st.st_size > max_size:
            result.skipped.append((rel, f"larger than {max_size} bytes ({st.st_size} bytes)"))
            continue
        sf = SourceFile(rel, abspath, role_of(rel), lang, st.st_size,
                        (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        if link_target is not None:
            links.append((sf, link_target))
        else:
            result.files.append(sf)
    scanned = {f.path for f in result.files}
    for sf, target in links:
        if target in scanned:
            result.skipped.append((sf.path, f"symlink to {target}, which is scanned itself"))
        else:
            result.files.append(sf)
    result.files.sort(key=lambda f: f.path)
    result.skipped.sort()
    return result
