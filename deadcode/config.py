"""The project configuration file, ``.deadcode.yml``.

Read with ``yaml.safe_load``; the same text is also composed into a node tree
so every error can name the file and line it comes from
(``.deadcode.yml:7: unknown key 'exlude' (did you mean 'exclude'?)``).

Keys (all optional):

=================  ==========================================================
include            globs of repo-relative paths to scan (default: everything)
exclude            globs of repo-relative paths never to scan
roots              ``[{name: glob, reason: str}]``: definitions that are entry
                   points (called from outside the repo)
keep               ``[{name: glob, reason: str, until: YYYY-MM-DD}]``: never
                   report these; a keep past its ``until`` date no longer
                   applies and is reported as expired
dispatch_maps      constant names always treated as dispatch maps
trigger_sources    globs of extra text files (runbooks, ops scripts) whose
                   words can trigger dispatch-map entries and tasks
plugins            ``{plugin_name: true|false}``: force a plugin on or off
conventions        ``[{suffix: Policy, of_kinds: [model]}]``: ``XPolicy`` is
                   used whenever the model ``X`` is
test_paths         extra globs of test code
max_file_size      files larger than this many bytes are skipped
report_dir         where ``--format html`` writes without ``--output``
                   (relative to the configuration file's folder)
=================  ==========================================================

Globs are ``fnmatch`` patterns; in paths ``*`` also crosses ``/``. In ``roots``
and ``keep`` they match definition names (``Billing::*``, ``ops:*``).

This module only reads and checks the file; ``cli`` turns a ``Config`` into
scan options, ``suppress`` applies the keeps.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
import stat
from dataclasses import dataclass, field

from .discovery import read_fd
from .model import KINDS

CONFIG_NAME = ".deadcode.yml"
CONFIG_NAMES = (CONFIG_NAME, ".deadcode.yaml")   # looked for in this order


class ConfigError(Exception):
    """A one-line message naming the file and line: ``FILE:LINE: problem``."""


@dataclass(frozen=True)
class Rule:
    """One ``roots`` or ``keep`` entry."""

    name: str                       # a definition name or a glob over names
    reason: str
    origin: str                     # "FILE:LINE" of the entry
    until: _dt.date | None = None   # keep only: last day it applies


@dataclass
class Config:
    path: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    roots: tuple[Rule, ...] = ()
    keep: tuple[Rule, ...] = ()
    dispatch_maps: tuple[str, ...] = ()
    trigger_sources: tuple[str, ...] = ()
    plugins: dict[str, bool] = field(default_factory=dict)
    conventions: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (suffix, of_kinds)
    test_paths: tuple[str, ...] = ()
    max_file_size: int | None = None
    report_dir: str | None = None        # already joined to the config file's folder


KEYS = (
    "include", "exclude", "roots", "keep", "dispatch_maps", "trigger_sources", "plugins",
    "conventions", "test_paths", "max_file_size", "report_dir",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def find_config(root: str) -> str | None:
    """``ROOT/.deadcode.yml`` (else ``ROOT/.deadcode.yaml``) if it exists (a symbolic link
    too: ``load_config`` refuses one that leads out of the tree rather than ignore it
    silently)."""
    for name in CONFIG_NAMES:
        path = os.path.normpath(os.path.join(root, name))
        if os.path.isfile(path) or os.path.islink(path):
            return path
    return None


ROOT_MARKERS = ("Gemfile", *CONFIG_NAMES, ".git")


def find_app_root(path: str) -> tuple[str, str | None]:
    """(the app root for PATH, the marker that named it): the nearest folder, PATH itself
    or one above it, holding a ``Gemfile``, a deadcode config file or ``.git`` (the way
    rubocop and git find theirs). (PATH, None) when no folder up to ``/`` has one."""
    here = os.path.abspath(path)
    while True:
        for marker in ROOT_MARKERS:
            if os.path.lexists(os.path.join(here, marker)):
                return here, marker
        up = os.path.dirname(here)
        if up == here:
            return path, None
        here = up


_RAILS_GEM = re.compile(r"""^\s*(?:gem|s\.add(?:_runtime)?_dependency|spec\.add(?:_runtime)?_dependency)\s*\(?\s*["'](?:rails|railties|activerecord|actionpack)["']""", re.M)


def rails_signs(root: str) -> list[str]:
    """What says ROOT is a Rails app: ``config/application.rb``, a Gemfile (or gemspec,
    for an engine) naming rails, a ``Gemfile.lock`` listing it. Empty: no sign at all."""
    signs = []
    if os.path.isfile(os.path.join(root, "config", "application.rb")):
        signs.append("config/application.rb")
    candidates = ["Gemfile", "Gemfile.lock"]
    try:
        candidates += sorted(n for n in os.listdir(root) if n.endswith(".gemspec"))
    except OSError:
        pass
    for name in candidates:
        full = os.path.join(root, name)
        if not os.path.isfile(full) or os.path.islink(full):
            continue
        try:
            with open(full, "rb") as fh:
                text = fh.read(1_000_000).decode("utf-8", "replace")
        except OSError:
            continue
        if (name == "Gemfile.lock" and re.search(r"^    (?:rails|railties) \(", text, re.M)) \
                or (name != "Gemfile.lock" and _RAILS_GEM.search(text)):
            signs.append(name)
    return signs


USER_FILE_LIMIT = 10_000_000   # bytes of a configuration or baseline file
EXCERPT_CHARS = 24             # at most this much of a value is quoted in an error


def _under(path: str, folder: str) -> bool:
    folder = folder.rstrip(os.sep)
    return path == folder or path.startswith(folder + os.sep)


def in_tree(path: str, root: str) -> bool:
    """Is ``path`` inside ``root`` by its name (the folder it names, before links)?"""
    path = os.path.abspath(path)
    return _under(path, os.path.abspath(root)) or _under(path, os.path.realpath(root))


def leads_outside(path: str, root: str) -> bool:
    """A path inside ``root`` that a symbolic link (of the file or a folder on the
    way) takes out of it."""
    return in_tree(path, root) and not _under(os.path.realpath(path), os.path.realpath(root))


def excerpt(value, limit: int = EXCERPT_CHARS) -> str:
    """A value from a file, quoted for an error message: at most ``limit`` characters
    (a longer one is cut, ``…``), control characters escaped. Error messages never
    quote more, so a file that is not what it seems cannot be echoed to a log."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                       for ch in text)
    return f"'{text}'"


def _clip(message: str, limit: int = 120) -> str:
    """A message from a parser (it may quote the input): one line, at most ``limit``."""
    message = " ".join(message.split())
    if not message.isprintable():
        message = "".join(ch if ch.isprintable() else "?" for ch in message)
    return message if len(message) <= limit else message[:limit] + "…"


def read_user_file(path: str, prefix: str, what: str, error: type[Exception],
                   root: str | None = None) -> str:
    """The text of a file the user named (config, baseline); every failure is one
    ``error`` message starting with ``prefix``.

    ``root``: the scanned tree. A file inside it that a symbolic link takes out of it
    (``.deadcode.yml -> ~/.ssh/id_ed25519``) is not read. The file is opened without
    blocking (a FIFO is refused, not waited on) and read up to ``USER_FILE_LIMIT``.
    """
    if root is not None and leads_outside(path, root):
        raise error(f"{prefix}: symbolic link to a file outside the repository (not followed)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{prefix}: {what} not found") from None
    except IsADirectoryError:
        raise error(f"{prefix}: is a folder, not a {what}") from None
    except OSError as exc:
        raise error(f"{prefix}: cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{prefix}: is a folder, not a {what}")
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{prefix}: not a regular file")
        data = read_fd(fd, USER_FILE_LIMIT)
        if data is None:
            raise error(f"{prefix}: larger than {USER_FILE_LIMIT} bytes")
    except OSError as exc:
        raise error(f"{prefix}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{prefix}: not UTF-8 text") from None


def load_config(path: str, known_plugins: set[str] | None = None, root: str | None = None) -> Config:
    """Read and check a configuration file; raises ``ConfigError``.

    ``root``: the scanned tree. A configuration inside it may only name a
    ``report_dir`` inside it (writing elsewhere takes a command-line flag), and is
    not read through a symbolic link that leads out of it.
    """
    text = read_user_file(path, path, "configuration file", ConfigError, root)
    confine = root if root is not None and in_tree(path, root) else None
    return parse_config(text, path, known_plugins, confine)


def parse_config(text: str, path: str = CONFIG_NAME, known_plugins: set[str] | None = None,
                 confine: str | None = None) -> Config:
    import yaml     # only when there is a configuration file to read
    fast = getattr(yaml, "CSafeLoader", None)
    _check_depth(yaml, fast or yaml.SafeLoader, text, path)
    if fast is not None:
        # libyaml, one pass: the pure-Python loader took minutes on a 20,000-entry list
        # (and twice: safe_load, then compose). A file it refuses is read again by the
        # pure-Python loader below, whose messages say what is wrong more plainly.
        loader = fast(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
            return _Checker(path, known_plugins, confine).config(data, node)
        except yaml.YAMLError as exc:
            if "maximum nesting depth" in str(exc):
                raise ConfigError(f"{path}{_mark_line(exc)}: invalid YAML: nested more than "
                                  f"{_YAML_DEPTH} levels deep") from None
        except (ValueError, TypeError, OverflowError):
            pass
        finally:
            loader.dispose()
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested more than {_YAML_DEPTH} levels deep") \
            from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}{line}: invalid YAML: {_clip(problem)}") from None
    except (ValueError, TypeError, OverflowError) as exc:   # e.g. a date like 2024-13-01
        line = _bad_scalar_line(text)
        raise ConfigError(f"{path}{line}: invalid value: {_clip(str(exc))}") from None
    return _Checker(path, known_plugins, confine).config(data, node)


# deeper documents are refused (recent libyaml refuses them too; older builds, as in
# PyYAML 6.0.3's wheels, and the pure-Python loader's recursion do not)
_YAML_DEPTH = 1000


def _check_depth(yaml, loader_cls, text: str, path: str) -> None:
    """Raise ConfigError when a collection opens more than _YAML_DEPTH levels deep.
    Reads the event stream only (no recursion, no constructor); any other YAML error is
    left for the loader, whose message says what is wrong."""
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = loader_cls(text)
    depth = 0
    try:
        get = loader.get_event
        while True:
            ev = get()
            cls = type(ev)
            if cls in starts:
                depth += 1
                if depth > _YAML_DEPTH:
                    raise ConfigError(f"{path}:{ev.start_mark.line + 1}: invalid YAML: nested "
                                      f"more than {_YAML_DEPTH} levels deep")
            elif cls in ends:
                depth -= 1
            elif cls is yaml.StreamEndEvent:
                return
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            raise ConfigError(f"{path}{_mark_line(exc)}: invalid YAML: nested more than "
                              f"{_YAML_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def _mark_line(exc) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f":{mark.line + 1}" if mark is not None else ""


def _bad_scalar_line(text: str) -> str:
    """``:LINE`` of the first scalar that safe_load cannot construct, or ``""``."""
    import yaml
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:  # pragma: no cover - safe_load would have said so
        return ""
    stack = [root] if root is not None else []
    seen: set[int] = set()   # aliases share nodes: visit each once (no "billion laughs")
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node, deep=True)
            except Exception:  # noqa: BLE001 - any failure is the one we look for
                return f":{node.start_mark.line + 1}"
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                stack.extend((v, k))
    return ""


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return excerpt(value)
    if isinstance(value, (int, float, _dt.date)):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"  # pragma: no cover - safe_load makes nothing else


class _Checker:
    def __init__(self, path: str, known_plugins: set[str] | None, confine: str | None = None):
        self.path = path
        self.known_plugins = known_plugins
        self.confine = confine   # the tree a report_dir must stay in

    # -- helpers ---------------------------------------------------------------
    def where(self, node) -> str:
        return f"{self.path}:{node.start_mark.line + 1}" if node is not None else self.path

    def fail(self, node, message: str) -> ConfigError:
        return ConfigError(f"{self.where(node)}: {message}")

    def pairs(self, value: dict, node, what: str, allowed: tuple[str, ...], noun: str = "key"):
        """(key, value, key node, value node) of a mapping, in file order, checked."""
        import yaml
        if not isinstance(value, dict) or not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping, got {_describe(value)}")
        seen: set = set()
        key_nodes = []
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise self.fail(knode, f"{what}: keys must be plain names")
            if knode.value in seen:
                raise self.fail(knode, f"duplicate key {excerpt(knode.value)}")
            seen.add(knode.value)
            key_nodes.append((knode, vnode))
        aligned = len(key_nodes) == len(value)
        for i, (key, val) in enumerate(value.items()):
            knode, vnode = key_nodes[i] if aligned else (node, node)
            if not isinstance(key, str) or key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                if hint:
                    extra = f" (did you mean '{hint[0]}'?)"
                elif noun != "key":
                    extra = f" (known: {', '.join(allowed)})"
                elif len(allowed) <= 4:
                    extra = f" (expected {', '.join(allowed)})"
                else:
                    extra = ""
                inside = "" if what == "the configuration" or noun != "key" else f" in {what}"
                raise self.fail(knode, f"unknown {noun} {excerpt(key)}{inside}{extra}")
            yield key, val, knode, vnode

    def items(self, value, node, key: str):
        """(item, item node) of a list; null is an empty list."""
        import yaml
        if value is None:
            return []
        if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{key} must be a list, got {_describe(value)}")
        nodes = node.value if len(node.value) == len(value) else [node] * len(value)
        return list(zip(value, nodes))

    def string(self, value, node, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, f"{what} must be a non-empty string, got {_describe(value)}")
        return value

    def strings(self, value, node, key: str) -> tuple[str, ...]:
        return tuple(self.string(v, n, f"{key}[{i}]")
                     for i, (v, n) in enumerate(self.items(value, node, key)))

    # -- keys ------------------------------------------------------------------
    def config(self, data, node) -> Config:
        cfg = Config(path=self.path)
        if data is None:
            return cfg
        if not isinstance(data, dict):
            # a file that is no configuration at all: say what it is, quote none of it
            got = "text" if isinstance(data, str) else _describe(data)
            raise self.fail(node, f"expected a mapping of settings at the top level, got {got}")
        for key, value, _knode, vnode in self.pairs(data, node, "the configuration", KEYS):
            if key in ("include", "exclude", "dispatch_maps", "trigger_sources", "test_paths"):
                setattr(cfg, key, self.strings(value, vnode, key))
            elif key in ("roots", "keep"):
                setattr(cfg, key, self.rules(value, vnode, key))
            elif key == "plugins":
                cfg.plugins = self.plugins(value, vnode)
            elif key == "conventions":
                cfg.conventions = self.conventions(value, vnode)
            elif key == "max_file_size":
                if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                    raise self.fail(vnode, f"max_file_size must be a positive number of bytes, "
                                           f"got {_describe(value)}")
                cfg.max_file_size = value
            elif key == "report_dir":
                folder = self.string(value, vnode, "report_dir")
                joined = os.path.normpath(os.path.join(os.path.dirname(self.path), folder))
                if self.confine is not None and not in_tree(joined, self.confine):
                    raise self.fail(vnode, f"report_dir must be a folder inside the repository, "
                                           f"got {excerpt(folder)} (write elsewhere with "
                                           f"--output or --output-dir)")
                cfg.report_dir = joined
        return cfg

    def rules(self, value, node, key: str) -> tuple[Rule, ...]:
        allowed = ("name", "reason", "until") if key == "keep" else ("name", "reason")
        out = []
        for i, (item, inode) in enumerate(self.items(value, node, key)):
            what = f"{key}[{i}]"
            fields = {k: (v, vn) for k, v, _kn, vn in self.pairs(item, inode, what, allowed)}
            for required in ("name", "reason"):
                if required not in fields:
                    raise self.fail(inode, f"{what} needs a '{required}'")
            name = self.string(*fields["name"], f"{what}.name")
            reason = self.string(*fields["reason"], f"{what}.reason")
            until = None
            if "until" in fields:
                until = self.date(*fields["until"], f"{what}.until")
            out.append(Rule(name.strip(), reason.strip(), self.where(inode), until))
        return tuple(out)

    def date(self, value, node, what: str) -> _dt.date:
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        if isinstance(value, str) and _DATE.match(value.strip()):
            try:
                return _dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(node, f"{what} must be a date YYYY-MM-DD, got {_describe(value)}")

    def plugins(self, value, node) -> dict[str, bool]:
        if value is None:
            return {}
        out = {}
        names = tuple(sorted(self.known_plugins)) if self.known_plugins else None
        allowed = names or (tuple(map(str, value)) if isinstance(value, dict) else ())
        for name, on, _knode, vnode in self.pairs(value, node, "plugins", allowed, noun="plugin"):
            if not isinstance(on, bool):
                raise self.fail(vnode, f"plugins.{name} must be true or false, got {_describe(on)}")
            out[name] = on
        return out

    def conventions(self, value, node) -> tuple[tuple[str, tuple[str, ...]], ...]:
        out = []
        for i, (item, inode) in enumerate(self.items(value, node, "conventions")):
            what = f"conventions[{i}]"
            fields = {k: (v, vn) for k, v, _kn, vn in self.pairs(item, inode, what, ("suffix", "of_kinds"))}
            for required in ("suffix", "of_kinds"):
                if required not in fields:
                    raise self.fail(inode, f"{what} needs a '{required}'")
            suffix = self.string(*fields["suffix"], f"{what}.suffix")
            kinds = self.strings(*fields["of_kinds"], f"{what}.of_kinds")
            for k, (_v, knode) in zip(kinds, self.items(*fields["of_kinds"], f"{what}.of_kinds")):
                if k not in KINDS:
                    raise self.fail(knode, f"unknown kind {excerpt(k)} in {what}.of_kinds "
                                           f"(expected one of {', '.join(KINDS)})")
            out.append((suffix, kinds))
        return tuple(out)
