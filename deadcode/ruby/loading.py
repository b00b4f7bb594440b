"""How Ruby code gets loaded and enumerated at run time.

* A file loaded by live code (``require``, ``require_relative``, ``require_dependency``,
  ``load``, ``autoload``, or a ``Dir[glob]`` of files) runs its class bodies: every class and
  module it defines is reached from the code that loads it.
* A subclass registry (``Parent.descendants`` / ``.subclasses``, ``eager_load_namespace(Parent)``,
  a ``def self.inherited`` hook) reaches every subclass of the parent (every constant under the
  namespace, for ``eager_load_namespace``) from the code that enumerates them. When that code is
  dead, so are the subclasses: they follow it.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from ..model import Location

TEXT_RUN = "file a command in a text file runs"   # extract_text's via for such a path
LOAD_METHODS = frozenset({"require", "require_relative", "require_dependency", "load", "autoload"})
_LOAD_PATH_DIR = re.compile(r"(^|/)(lib|app/[^/]+)/$")   # folders on the load path


class _Files:
    """The class and module definitions of each file (built on first use)."""

    def __init__(self, index) -> None:
        self.index = index
        self._by_path: dict[str, list[str]] | None = None
        self._by_stem: dict[str, list[str]] | None = None

    def defs(self, path: str) -> list[str]:
        if self._by_path is None:
            by_path: dict[str, list[str]] = defaultdict(list)
            for nid, d in self.index.definitions.items():
                if nid.startswith("const:"):
                    for loc in d.locations:
                        by_path[loc.path].append(nid)
            self._by_path = by_path
        return self._by_path.get(path, [])

    def required(self, feature: str) -> list[str]:
        """Repo files ``require "feature"`` may load: ``lib/feature.rb``, ``app/*/feature.rb``,
        the same under an engine or path gem."""
        if self._by_stem is None:
            by_stem: dict[str, list[str]] = defaultdict(list)
            for path in self.index.files:
                if path.endswith(".rb"):
                    by_stem[path.rsplit("/", 1)[-1][:-3]].append(path)
            self._by_stem = by_stem
        feature = feature[:-3] if feature.endswith(".rb") else feature
        out = []
        for path in self._by_stem.get(feature.rsplit("/", 1)[-1], ()):
            if path == f"{feature}.rb" or (path.endswith(f"/{feature}.rb")
                                           and _LOAD_PATH_DIR.search(path[: -len(feature) - 3])):
                out.append(path)
        return out

    def globbed(self, glob: str) -> list[str]:
        """Repo files a Ruby ``Dir`` glob matches (``*`` stays within a folder, ``**/`` crosses
        folders), anchored at the repo root or at any folder (the root may be a parent)."""
        rx = _glob_regex(glob)
        return sorted(p for p in self.index.files if rx.search("/" + p))


def _glob_regex(glob: str):
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "{" and "}" in glob[i:]:
            j = glob.index("}", i)
            out.append("(?:" + "|".join(re.escape(x) for x in glob[i + 1:j].split(",")) + ")")
            i = j + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("/" + "".join(out).lstrip("/") + "$")


def link_loading(index, paths: list[str], refs: list, resolve) -> None:
    """Add the references that file loading (``refs``: the registry and Dir-glob references
    with their paths; the load calls of ``paths``) and subclass registries make."""
    files = _Files(index)
    children: dict[str, list[str]] | None = None
    definitions = index.definitions

    def subclasses(fq: str) -> list[str]:
        nonlocal children
        if children is None:
            children = defaultdict(list)
            for nid, d in definitions.items():
                if nid.startswith("const:") and d.superclass:
                    children[d.superclass].append(nid)
        out, seen, stack = [], {fq}, [fq]
        while stack:
            for nid in children.get(stack.pop(), ()):
                name = definitions[nid].name
                if name not in seen:
                    seen.add(name)
                    out.append(nid)
                    stack.append(name)
        return sorted(out)

    for path, r in refs:
        role = index.files[path].role
        if r.kind == "registry":
            source = index.source_for(r.owner, role)
            if r.name == "self":
                owner = definitions.get(r.owner) if r.owner else None
                if owner is None or not r.owner.startswith("const:"):
                    continue
                parent = owner.name
            else:
                targets, certainty = resolve(r.name, r.scope, False)
                if certainty != "exact" or not targets:
                    continue
                parent = definitions[targets[0]].name
            loc = Location(path, r.line, r.line)
            if r.via.startswith("eager_load_namespace"):
                members = sorted(nid for nid in definitions
                                 if nid.startswith(f"const:{parent}::"))
            else:
                members = subclasses(parent)
            for nid in members:
                index.add_reference(source, nid, definitions[nid].name, loc, role,
                                    f"{r.via} of {parent}")
        elif r.kind == "file_glob":
            source = index.source_for(r.owner, role)
            loc = Location(path, r.line, r.line)
            for p in files.globbed(r.name):
                for nid in files.defs(p):
                    index.add_reference(source, nid, definitions[nid].name, loc, role,
                                        f"file loaded by Dir glob \"{r.name}\"" if r.via != TEXT_RUN
                                        else f"{TEXT_RUN}: {r.name}")
    for path in paths:
        role = index.files[path].role
        for call in index.facts[path].calls:
            if call.method not in LOAD_METHODS or not call.args:
                continue
            arg = call.args[-1] if call.method == "autoload" else call.args[0]
            if arg[0] != "str" or not arg[1]:
                continue
            feature = arg[1]
            if call.method == "require_relative":
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), feature))
                loaded = [p for p in (target, target + ".rb") if p in index.files]
            else:
                loaded = files.required(feature)
            if not loaded:
                continue
            source = index.source_for(call.owner, role)
            loc = Location(path, call.line, call.line)
            for p in loaded:
                for nid in files.defs(p):
                    index.add_reference(source, nid, definitions[nid].name, loc, role,
                                        f"file loaded by {call.method} \"{feature}\"")
