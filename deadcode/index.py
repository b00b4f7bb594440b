"""The index: every definition and every resolved reference of a repository.

``build_index`` merges per-file facts into definitions (a class reopened in
several files is one definition with several locations), resolves constant
names the way Ruby does (lexical scope outward, then top level), gives each
class its kind, lets the enabled plugins add references and entry points, and
records why anything could not be pinned down.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import (
    ROOT, TEST_ROOT, Definition, EntryPoint, FileFacts, Location, RawCall, Reference, Role,
    SourceFile,
)
if TYPE_CHECKING:   # the plugins are imported when an index is built, not to read its options
    from .plugins import CallRef, Plugin
from .blind_spots import add_blind_spot_caps
from .globs import NameIndex
from .ruby.constants import ancestors, reopened, repo_external_roots, self_class_lookup
from .ruby.loading import link_loading

MIGRATION_ROOT = "<migrations>"

# Location and Reference are frozen dataclasses, whose __init__ sets every field through
# object.__setattr__. The index makes hundreds of thousands of them; filling the
# instance __dict__ directly makes the very same objects two to three times faster.
assert [f.name for f in dataclasses.fields(Location)] == ["path", "line", "end_line"]
assert [f.name for f in dataclasses.fields(Reference)] == [
    "target", "source", "name", "location", "role", "via", "certainty"]
assert not any(hasattr(c, "__post_init__") or hasattr(c, "__slots__") for c in (Location, Reference))
_new_object = object.__new__


def _location(path: str, line: int, end_line: int) -> Location:
    """``Location(path, line, end_line)``, made faster (see above)."""
    loc = _new_object(Location)
    fields = loc.__dict__
    fields["path"] = path
    fields["line"] = line
    fields["end_line"] = end_line
    return loc


def _reference(target: str, source: str, name: str, location: Location, role: Role, via: str,
               certainty: str) -> Reference:
    """``Reference(...)`` with every field given, made faster (see above)."""
    ref = _new_object(Reference)
    fields = ref.__dict__
    fields["target"] = target
    fields["source"] = source
    fields["name"] = name
    fields["location"] = location
    fields["role"] = role
    fields["via"] = via
    fields["certainty"] = certainty
    return ref


DISPATCH_MAP_NAME = re.compile(r"TASK|JOB|DISPATCH|SCHEDUL|WORKER|CRON|HANDLER|ROUT", re.I)
NON_CANDIDATE_ROLES = {Role.CONFIG, Role.SCRIPT, Role.VIEW, Role.TEXT}


@dataclass
class IndexOptions:
    dispatch_maps: tuple[str, ...] = ()       # constant names always treated as dispatch maps
    roots: tuple[tuple[str, str], ...] = ()   # (name or glob, reason)
    keep: tuple[tuple[str, str], ...] = ()    # (name or glob, reason) - already filtered by date
    # naming conventions: (suffix, kinds of the base definition), e.g. ("Policy", ("model",))
    conventions: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass
class Index:
    root: str
    files: dict[str, SourceFile] = field(default_factory=dict)
    facts: dict[str, FileFacts] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    entry_points: list[EntryPoint] = field(default_factory=list)
    kept: dict[str, tuple[str, str]] = field(default_factory=dict)   # id -> (reason, origin)
    # id -> [(level, reason)]: the most a verdict on it may claim ("low" / "medium"), and why.
    # Rules that cannot see a mechanism say so here; they never declare anything dead.
    caps: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)
    constants: dict[str, str | None] = field(default_factory=dict)   # plain constant fq -> owner id
    includes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    plugins: list[Plugin] = field(default_factory=list)
    gems: set[str] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    partial: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw_reads: list[tuple[str, str | None]] = field(default_factory=list)   # (path, digest) of files plugins read whole
    methods: dict[str, list[tuple[str, str, Location]]] = field(default_factory=lambda: defaultdict(list))
    method_keeps: dict[tuple[str, str], str] = field(default_factory=dict)   # (owner, method) -> reason
    attributes: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    options: IndexOptions = field(default_factory=IndexOptions)
    _suffixes: dict[str, list[str]] = field(default_factory=dict)

    # -- lookups ---------------------------------------------------------------
    def const_id(self, fq: str) -> str:
        return f"const:{fq}"

    def defined(self, fq: str) -> bool:
        return f"const:{fq}" in self.definitions or fq in self.constants

    def resolve(self, name: str, scope: tuple[str, ...] = (), *, fallback: bool = True
                ) -> tuple[list[str], str]:
        """Constant name -> (node ids, certainty). Certainty: exact | ambiguous | none."""
        if not name:
            return [], "none"
        if name.startswith("::"):
            fq = name[2:]
            return (self._target(fq), "exact") if self.defined(fq) else ([], "none")
        definitions, constants = self.definitions, self.constants   # defined(), inlined
        for cref in reversed(scope):
            fq = f"{cref}::{name}"
            if f"const:{fq}" in definitions or fq in constants:
                return self._target(fq), "exact"
        if scope:
            # then the ancestors of the innermost class: `Error` in `class Disk < Storage`
            for anc in ancestors(definitions, self.includes, scope[-1]):
                fq = f"{anc}::{name}"
                if f"const:{fq}" in definitions or fq in constants:
                    return self._target(fq), "exact"
        if f"const:{name}" in definitions or name in constants:
            return self._target(name), "exact"
        if not fallback:
            return [], "none"
        matches = self._suffixes.get(name, [])
        if len(matches) == 1:
            return self._target(matches[0]), "exact"
        if len(matches) > 1:
            ids: list[str] = []
            for m in matches:
                for t in self._target(m):
                    if t not in ids:
                        ids.append(t)
            return ids, "ambiguous"
        return [], "none"

    def _target(self, fq: str) -> list[str]:
        nid = f"const:{fq}"
        if nid in self.definitions:
            return [nid]
        owner = self.constants.get(fq)
        return [owner] if owner and owner in self.definitions else []

    def by_kind(self, *kinds: str) -> list[Definition]:
        return [d for d in self.definitions.values() if d.kind in kinds]

    def add_reference(self, source: str, target: str, name: str, location: Location, role: Role,
                      via: str = "", certainty: str = "exact") -> None:
        if source == target:
            return
        self.references.append(_reference(target, source, name, location, role, via, certainty))

    def add_entry_point(self, target: str, reason: str, origin: str,
                        location: Location | None = None) -> None:
        if target in self.definitions:
            self.entry_points.append(EntryPoint(target, reason, origin, location))

    def keep(self, target: str, reason: str, origin: str) -> None:
        if target in self.definitions and target not in self.kept:
            self.kept[target] = (reason, origin)

    def cap(self, target: str, level: str, reason: str, when_live: str | None = None) -> None:
        """A verdict on ``target`` may be at most ``level`` certain, because of ``reason``
        (only while the node ``when_live`` is live, when given)."""
        if target in self.definitions:
            lst = self.caps.setdefault(target, [])
            if (level, reason, when_live) not in lst:
                lst.append((level, reason, when_live))

    def source_for(self, owner: str | None, role: Role) -> str:
        """The graph node a reference comes from."""
        if owner and owner in self.definitions:
            return owner
        if role == Role.TEST:
            return TEST_ROOT
        if role == Role.MIGRATION:
            return MIGRATION_ROOT
        return ROOT


# ---------------------------------------------------------------------------

_KIND_TABLES = object()   # memo key of the plugins' merged kind tables (built once)


def _kind_tables(index: Index, memo: dict) -> tuple[dict[str, str], dict[str, str], list]:
    tables = memo.get(_KIND_TABLES)
    if tables is None:
        parent_kinds: dict[str, str] = {}
        include_kinds: dict[str, str] = {}
        path_kinds: list = []
        for p in index.plugins:
            parent_kinds.update(p.parent_kinds)
            include_kinds.update(p.include_kinds)
            path_kinds.extend((re.compile(rx), k) for rx, k in p.path_kinds)
        tables = memo[_KIND_TABLES] = (parent_kinds, include_kinds, path_kinds)
    return tables


def _kind_of(index: Index, d: Definition, memo: dict, depth: int = 0) -> str:
    if d.id in memo:
        return memo[d.id]
    memo[d.id] = d.kind  # cycle guard
    kind = None
    parent_kinds, include_kinds, path_kinds = _kind_tables(index, memo)
    if d.kind == "class" and d.superclass:
        sup = d.superclass
        if sup in parent_kinds and f"const:{sup}" not in index.definitions:
            kind = parent_kinds[sup]
        elif f"const:{sup}" in index.definitions and depth < 50:
            parent = index.definitions[f"const:{sup}"]
            pk = _kind_of(index, parent, memo, depth + 1)
            if sup in parent_kinds:
                kind = parent_kinds[sup]
            elif pk not in ("class", "module", "concern", "helper"):
                kind = pk
    if kind is None:
        for inc in index.includes.get(d.id, ()):
            if inc in include_kinds:
                kind = include_kinds[inc]
                break
    if kind is None:
        for loc in d.locations:
            for pattern, k in path_kinds:
                if pattern.search(loc.path):
                    kind = k
                    break
            if kind:
                break
    if kind == "concern" and d.kind == "class":
        kind = None
    if kind is None and d.kind == "class" and d.superclass and f"const:{d.superclass}" not in index.definitions:
        # a gem's base class (Clearance::SessionsController, Devise::Mailer): go by the names
        for suffix, k in (("Controller", "controller"), ("Mailer", "mailer"), ("Job", "job")):
            if d.name.endswith(suffix) and d.superclass.endswith(suffix):
                kind = k
                break
        else:
            # a gem's ActiveRecord base (OmniAuth::Identity::Models::ActiveRecord): a model,
            # whose table follows it
            if re.search(r"(^|::)ActiveRecord$|::(ActiveRecord|Models?)::Base$", d.superclass) \
                    and not d.superclass.startswith("ActiveRecord::"):
                kind = "model"
    result = kind or d.kind
    memo[d.id] = result
    return result


def parse_gems(lock_text: str | None, gemfile_text: str | None) -> set[str]:
    gems: set[str] = set()
    if lock_text:
        for line in lock_text.splitlines():
            m = re.match(r"^    ([A-Za-z0-9_.\-]+) \(", line)
            if m:
                gems.add(m.group(1))
            m = re.match(r"^  ([A-Za-z0-9_.\-]+)(?:!| \(|$)", line)
            if m and not line.startswith("  remote") and not line.startswith("  specs"):
                gems.add(m.group(1))
    if gemfile_text:
        for m in re.finditer(r"""^\s*gem\s+["']([^"']+)["']""", gemfile_text, re.M):
            gems.add(m.group(1))
    return gems


def build_index(
    root: str,
    files: list[SourceFile],
    facts: dict[str, FileFacts],
    plugins: list[Plugin],
    options: IndexOptions | None = None,
    gems: set[str] | None = None,
) -> Index:
    options = options or IndexOptions()
    index = Index(root=root, plugins=plugins, gems=set(gems or ()), options=options)
    index.files = {f.path: f for f in files}
    index.facts = facts

    # -- definitions -------------------------------------------------------------
    paths = sorted(facts)
    raw_supers: dict[str, tuple[str, tuple[str, ...]]] = {}
    entry_owner: dict[str, str | None] = {}
    entry_map: dict[str, str] = {}
    methods = index.methods
    aliases: dict[str, tuple[str, tuple[str, ...]]] = {}   # X = Mod: X -> (Mod, scope)
    for path in paths:
        f = facts[path]
        role = index.files[path].role
        if role == Role.CONTEXT:
            continue   # another repository's classes are not this one's
        for rd in f.definitions:
            if rd.kind == "method":   # the most common kind first
                if rd.owner:
                    methods[rd.owner].append((rd.name, rd.detail, _location(path, rd.line, rd.end_line)))
                    if rd.keep:   # `# deadcode:keep reason` on an action
                        index.method_keeps[(rd.owner, rd.name)] = rd.keep
                continue
            if rd.kind in ("class", "module"):
                nid = f"const:{rd.name}"
            elif rd.kind == "constant":
                owner = rd.owner if rd.owner and rd.owner.startswith("const:") else None
                index.constants.setdefault(rd.name, owner)
                if rd.detail:
                    aliases.setdefault(rd.name, (rd.detail, rd.scope))
                continue
            elif rd.kind == "attribute":
                # (a literal value is not undone by a computed one, "", of the same name; an
                # attribute outside any class, `ActiveRecord::Base.x = ...`, is kept under <top>)
                attrs = index.attributes[rd.owner or "<top>"]
                if rd.detail or not attrs.get(rd.name):
                    attrs[rd.name] = rd.detail
                continue
            elif rd.kind == "rake_task":
                nid = f"rake_task:{rd.name}"
            elif rd.kind == "dispatch_entry":
                nid = f"dispatch_entry:{rd.detail}:{rd.name}"
                entry_owner[nid] = rd.owner
                entry_map[nid] = rd.detail
            else:  # pragma: no cover - future kinds
                nid = f"{rd.kind}:{rd.name}"
            d = index.definitions.get(nid)
            if d is None:
                d = Definition(nid, rd.kind, rd.name, detail=rd.detail, owner=rd.owner)
                index.definitions[nid] = d
            elif d.kind == "module" and rd.kind == "class":
                d.kind = "class"
            d.locations.append(_location(path, rd.line, rd.end_line))
            d.roles.add(role)
            if rd.keep and not d.keep:
                d.keep = rd.keep
            if rd.superclass and nid not in raw_supers:
                raw_supers[nid] = (rd.superclass, rd.scope)
            if rd.detail and not d.detail:
                d.detail = rd.detail
    for c in list(index.constants):
        # a constant that is also a class name is the class
        if f"const:{c}" in index.definitions:
            del index.constants[c]

    suffixes: dict[str, list[str]] = defaultdict(list)
    for d in index.definitions.values():
        if d.id.startswith("const:"):
            parts = d.name.split("::")
            for i in range(1, len(parts)):
                suffixes["::".join(parts[i:])].append(d.name)
    for c in index.constants:
        parts = c.split("::")
        for i in range(1, len(parts)):
            suffixes["::".join(parts[i:])].append(c)
    index._suffixes = {k: sorted(set(v)) for k, v in suffixes.items()}

    # The same (name, scope) is resolved over and over (every `has_many :users` in one
    # namespace...). Constant definitions no longer change from here on, except that a
    # plugin's define() may add some: the memos are reset after it.
    resolved: dict[tuple, tuple[list[str], str]] = {}
    # A name no definition or constant ends with (no `X::name` anywhere) is found neither
    # in the lexical scope nor by the suffix fallback: only at the top level, whatever
    # the scope. Such names (gems' constants, top-level classes) are memoised by name alone.
    scoped_names = index._suffixes
    unscoped: dict[str, tuple[list[str], str]] = {}
    by_name_ok = True

    def resolve(name: str, scope: tuple[str, ...] = (), fallback: bool = True) -> tuple[list[str], str]:
        if by_name_ok and name not in scoped_names and not name.startswith("::"):
            hit = unscoped.get(name)
            if hit is None:
                hit = unscoped[name] = index.resolve(name, (), fallback=False)
            return hit
        key = (name, scope, fallback)
        hit = resolved.get(key)
        if hit is None:
            hit = resolved[key] = index.resolve(name, scope, fallback=fallback)
        return hit

    # -- superclasses and includes ------------------------------------------------
    def outer(name: str, scope: tuple[str, ...], itself: str) -> tuple[list[str], str]:
        """`module Publish; class UserForm < UserForm`: the superclass is looked up before
        the class exists, so it is never the class itself but the next one out."""
        for i in range(len(scope) - 1, -1, -1):
            targets, certainty = resolve(name, scope[:i])
            if targets and itself not in targets:
                return targets, certainty
        return [], "none"

    for nid, (sup, scope) in raw_supers.items():
        targets, certainty = resolve(sup, scope)
        if nid in targets:
            targets, certainty = outer(sup, scope, nid)
        if certainty == "exact" and targets:
            index.definitions[nid].superclass = index.definitions[targets[0]].name
        else:
            index.definitions[nid].superclass = sup.lstrip(":")
    mixins = ("include", "extend", "prepend")
    for path in paths:
        for call in [c for c in facts[path].calls if c.method in mixins]:
            if call.receiver in (None, "self") and call.owner and call.owner.startswith("const:"):
                for a in call.args:
                    if a[0] == "const":
                        targets, certainty = resolve(a[1], call.scope)
                        name = index.definitions[targets[0]].name if certainty == "exact" and targets \
                            else a[1].lstrip(":")
                        index.includes[call.owner].append(name)

    memo: dict[str, str] = {}
    kinds = {nid: _kind_of(index, d, memo) for nid, d in index.definitions.items()
             if nid.startswith("const:")}
    for nid, k in kinds.items():
        index.definitions[nid].kind = k

    # -- dispatch maps: accept or fold back into their owner ----------------------
    rejected: dict[str, str | None] = {}
    by_map: dict[str, list[str]] = defaultdict(list)
    for eid, m in entry_map.items():
        by_map[m].append(eid)
    entry_targets: dict[str, list[str]] = defaultdict(list)
    for path in paths if entry_map else ():
        for r in facts[path].references:
            if r.owner in entry_map and r.kind in ("constant", "string"):
                targets, _ = resolve(r.name, r.scope)
                entry_targets[r.owner] += targets
    for m, eids in by_map.items():
        short = m.rsplit("::", 1)[-1]
        accepted = (
            m in options.dispatch_maps or short in options.dispatch_maps
            or "#case@" in m
            or bool(DISPATCH_MAP_NAME.search(short))
            or any(index.definitions[t].kind in ("job", "worker")
                   for e in eids for t in entry_targets.get(e, ()))
        )
        if not accepted:
            for e in eids:
                rejected[e] = entry_owner.get(e)
                del index.definitions[e]

    # -- plugins may add definitions (tables, actions) before references resolve --
    n_consts = (sum(1 for nid in index.definitions if nid.startswith("const:")), len(index.constants))
    for p in plugins:
        p.define(index)
    resolved.clear()
    unscoped.clear()
    if n_consts != (sum(1 for nid in index.definitions if nid.startswith("const:")), len(index.constants)):
        by_name_ok = False   # a plugin defined constants: _suffixes no longer covers them

    # -- references --------------------------------------------------------------
    # the hot loops below inline index.source_for / index.add_reference (same order)
    definitions = index.definitions
    add_ref = index.references.append
    loading: list = []     # (path, registry or file_glob reference), for link_loading
    recv_memo: dict = {}   # receiving_classes tables, built on first `self.class::X`
    const_names = None     # (NameIndex of the constants, their definitions, len(definitions))
    for path in paths:
        f = facts[path]
        role = index.files[path].role
        top_source = index.source_for(None, role)
        for r in f.references:
            owner = rejected[r.owner] if r.owner in rejected else r.owner
            source = owner if owner and owner in definitions else top_source
            kind = r.kind
            if kind == "constant" or kind == "string":
                if r.via == "self.class":
                    hits = self_class_lookup(definitions, index.constants, index.includes,
                                             r.name, r.scope, recv_memo)
                    if hits:
                        loc = _location(path, r.line, r.line)
                        for recv, fq in hits:
                            for t in index._target(fq):
                                if t != source:
                                    add_ref(_reference(t, source, r.name, loc, role,
                                                       f"self.class::{r.name} on {recv}", "exact"))
                        continue
                targets, certainty = resolve(r.name, r.scope, kind == "constant")
                if r.via == "superclass" and source in targets:
                    targets, certainty = outer(r.name, r.scope, source)
                if not targets and aliases and kind == "constant" and "::" in r.name:
                    targets, certainty = _through_alias(r.name, r.scope, aliases, resolve)
                if not targets:
                    if kind == "constant" and "::" in r.name.lstrip(":"):
                        # `Types::Integer`, Integer not defined under Types: a use of Types
                        head = r.name.rsplit("::", 1)[0]
                        while head and not targets:
                            targets, certainty = resolve(head, r.scope, False)
                            head = head.rsplit("::", 1)[0] if "::" in head.lstrip(":") else ""
                        if certainty == "exact":
                            loc = _location(path, r.line, r.line)
                            for t in targets:
                                if t != source:
                                    add_ref(_reference(t, source, r.name, loc, role,
                                                       f"namespace of {r.name} (not defined in the repo)",
                                                       "exact"))
                    continue
                loc = _location(path, r.line, r.line)
                via = r.via or ("string" if kind == "string" else "constant")
                for t in targets:
                    if t != source:
                        add_ref(_reference(t, source, r.name, loc, role, via, certainty))
                continue
            loc = _location(path, r.line, r.line)
            if kind == "comment":
                # a name in a comment is evidence, never a use
                targets, certainty = resolve(r.name, r.scope, False)
                for t in targets:
                    index.add_reference(source, t, r.name, loc, role, "comment", "comment")
            elif r.kind == "pattern":
                glob = r.name
                if glob.strip("*") == "":
                    continue
                if glob.endswith("::*") and "*" not in glob[:-3]:
                    # Namespace.const_get(x): resolve the namespace lexically
                    ns_targets, ns_certainty = index.resolve(glob[:-3], r.scope)
                    if ns_certainty == "exact" and ns_targets:
                        glob = index.definitions[ns_targets[0]].name + "::*"
                if const_names is None or const_names[2] != len(definitions):
                    # one index of the constants' names for every pattern (not pairs)
                    consts_ = [d for d in definitions.values() if d.id.startswith("const:")]
                    const_names = (NameIndex([d.name for d in consts_]), consts_, len(definitions))
                for i in const_names[0].matching(glob):
                    index.add_reference(source, const_names[1][i].id, r.name, loc, role,
                                        f"dynamic {r.via} of \"{glob}\"", "dynamic")
            elif r.kind == "zeitwerk_path":
                from . import inflect
                const = inflect.camelize(r.name)
                targets, certainty = resolve(const, (), False)
                for t in targets:
                    index.add_reference(source, t, r.name, loc, role, "Zeitwerk path", certainty)
            elif r.kind == "table":
                nid = f"table:{r.name}"
                if nid in index.definitions:
                    index.add_reference(source, nid, r.name, loc, role, r.via or "table")
            elif kind == "registry" or kind == "file_glob":
                loading.append((path, r))
            elif r.kind == "const_doc":
                targets, certainty = resolve(r.name, (), False)
                if certainty == "exact":
                    for t in targets:
                        index.cap(t, "low", f"named in a code example at {path}:{r.line}: "
                                            f"run from a console?")
            elif r.kind == "rake_doc":
                nid = f"rake_task:{r.name.lstrip(':')}"
                if nid in index.definitions:
                    index.cap(nid, "low", f"named in documentation at {path}:{r.line}: run by hand?")
            elif r.kind == "rake_task":
                name = r.name.lstrip(":")
                nid = f"rake_task:{name}"
                if nid in index.definitions:
                    index.add_reference(source, nid, name, loc, role, r.via or "rake")
                elif r.via == "prerequisite" and ":" in name:
                    top = name.rsplit(":", 1)[-1]
                    if f"rake_task:{top}" in index.definitions:
                        index.add_reference(source, f"rake_task:{top}", top, loc, role, "prerequisite")

    # -- calls through plugins -------------------------------------------------------
    # per method name, the plugins that may turn such a call into references (in plugin
    # order): one with neither an argument rule for the method nor its own on_call hook
    # (for that method, if it lists its ``on_call_methods``) adds nothing, so it is not asked
    from .plugins import Plugin
    hooked = [getattr(p.on_call, "__func__", None) is not Plugin.on_call for p in plugins]
    plugins_for: dict[str, list[Plugin]] = {}
    # the methods some plugin is asked about (None: all of them), to skip the other calls
    # in one pass
    wanted: set[str] | None = set()
    for p, h in zip(plugins, hooked):
        if h and p.on_call_methods is None:
            wanted = None
            break
        wanted.update(p.on_call_methods if h else ())
        wanted.update(m for m, mode in p.call_args.items() if mode)
    for path in paths:
        role = index.files[path].role
        calls = facts[path].calls
        for call in calls if wanted is None else [c for c in calls if c.method in wanted]:
            asked = plugins_for.get(call.method)
            if asked is None:
                asked = plugins_for[call.method] = [
                    p for p, h in zip(plugins, hooked)
                    if (h and (p.on_call_methods is None or call.method in p.on_call_methods))
                    or p.call_args.get(call.method)]
            if not asked:
                continue
            owner = rejected.get(call.owner, call.owner) if call.owner in rejected else call.owner
            source = index.source_for(owner, role)
            for p in asked:
                for ref in _plugin_call_refs(p, call, index):
                    _add_call_ref(index, source, ref, call, path, role, resolve)

    # -- Ruby's file loading and subclass registries ------------------------------------
    link_loading(index, paths, loading, resolve)

    # -- dispatch keys: literal strings/symbols and words of text sources -----------
    keys: dict[str, list[str]] = defaultdict(list)
    for d in index.definitions.values():
        if d.kind == "dispatch_entry":
            keys[d.name].append(d.id)
    tables = {d.name: d.id for d in index.definitions.values() if d.kind == "table"}
    # `execute :rake, "reports:weekly"`, `invoke_task("reports:weekly")`: a namespaced task name
    tasks = {d.name: d.id for d in index.definitions.values() if d.kind == "rake_task" and ":" in d.name}
    if keys or tables or tasks:
        wanted = tables.keys() | keys.keys() | tasks.keys()
        # text sources are read again for the keys, only when there are any; a file
        # none of them occurs in (one combined matcher) is not looked at further
        matcher = None
        if keys:
            from .discovery import read_inside, whole_file_digest
            from .extract import key_matcher, text_word_lines
            matcher = key_matcher(keys)
        for path in paths:
            f = facts[path]
            role = index.files[path].role
            if matcher is not None and index.files[path].lang == "text":
                data = read_inside(index.root, path)
                index.raw_reads.append((path, whole_file_digest(data)))
                if data is not None and matcher.search(data.decode("utf-8", "replace")):
                    found = text_word_lines(data, keys)
                    for key, eids in keys.items():
                        line = found.get(key)
                        if line is not None:
                            for eid in eids:
                                index.add_reference(index.source_for(None, role), eid, key,
                                                    Location(path, line, line), role,
                                                    "task name in text")
            # (only the few literals that name a table or a key, picked out in one pass)
            for text, line, owner, is_symbol in [lit for lit in f.literals if lit[0] in wanted]:
                if not is_symbol and text in tables:
                    owner = rejected.get(owner, owner) if owner in rejected else owner
                    index.add_reference(index.source_for(owner, role), tables[text], text,
                                        Location(path, line, line), role, "table name string")
                if not is_symbol and text in tasks:
                    owner = rejected.get(owner, owner) if owner in rejected else owner
                    index.add_reference(index.source_for(owner, role), tasks[text], text,
                                        Location(path, line, line), role, "task name string")
                if text in keys:
                    owner = rejected.get(owner, owner) if owner in rejected else owner
                    source = index.source_for(owner, role)
                    for eid in keys[text]:
                        if source != eid and not _same_map(index, source, eid):
                            index.add_reference(source, eid, text, Location(path, line, line), role,
                                                "task name literal")

    # -- namespaces: a module around a live definition is live -------------------------
    for d in index.definitions.values():
        if d.id.startswith("const:") and "::" in d.name:
            parent = d.name.rsplit("::", 1)[0]
            pid = f"const:{parent}"
            if pid in index.definitions:
                index.add_reference(d.id, pid, parent, d.location, Role.APP, "namespace")
        if d.kind == "dispatch_entry" and d.owner and d.owner in index.definitions:
            # an entry keeps the class holding its map
            index.add_reference(d.id, d.owner, index.definitions[d.owner].name, d.location,
                                Role.APP, "dispatch map owner")

    # -- entry points: definitions outside app code, framework-called classes -------
    framework = set()
    for p in plugins:
        framework |= set(p.framework_parents)
        for task in p.hook_tasks:
            if f"rake_task:{task}" in index.definitions:
                index.add_entry_point(f"rake_task:{task}", f"invoked by the tasks of {p.gems[0]}", p.name)
    for d in index.definitions.values():
        if d.roles and d.roles <= NON_CANDIDATE_ROLES and d.kind not in ("rake_task", "dispatch_entry"):
            where = sorted(r.value for r in d.roles)
            index.add_entry_point(d.id, f"defined in {'/'.join(where)} code ({d.location})", "discovery")
        if d.superclass and d.superclass in framework:
            index.add_entry_point(d.id, f"subclass of {d.superclass}, called by the framework", "railties")
        if d.keep:
            index.keep(d.id, d.keep, f"inline comment at {d.location}")
    core, gem_names = repo_external_roots(index)
    for d in index.definitions.values():
        if d.id.startswith("const:"):
            hit = reopened(d.name, core, gem_names)
            if hit is not None:
                by, top = hit
                index.add_entry_point(d.id, f"reopens {top}, which {by} defines: a patch, live while "
                                            f"its file is loaded", "ruby")
    if options.roots or options.keep:
        all_defs = list(index.definitions.values())
        names = NameIndex([d.name for d in all_defs])     # not every rule against every name
        for pattern, reason in options.roots:
            for i in names.matching(pattern, or_equal=True):
                index.add_entry_point(all_defs[i].id, reason or "configured root", "config")
        for pattern, reason in options.keep:
            for i in names.matching(pattern, or_equal=True):
                index.keep(all_defs[i].id, reason or "configured keep", "config")

    for p in plugins:
        p.finalize(index)
    add_blind_spot_caps(index)

    # Location orders like the tuple of its compared fields (path, line, end_line);
    # comparing a flat tuple of them avoids a Python-level dataclass __lt__/__eq__ per
    # comparison, and a nested tuple per reference
    index.references.sort(key=lambda r: (r.target, r.location.path, r.location.line,
                                         r.location.end_line, r.source, r.via))
    index.entry_points.sort(key=lambda e: (e.target, e.reason))
    return index


# the sort above relies on these being Location's compared fields, in this order
assert [f.name for f in dataclasses.fields(Location) if f.compare] == ["path", "line", "end_line"]


def _through_alias(name: str, scope: tuple[str, ...], aliases: dict, resolve):
    """``CLP::Caching`` where ``CLP = CustomLandingPage``: ``CustomLandingPage::Caching``."""
    head, _, rest = name.lstrip(":").partition("::")
    for cref in [*reversed(scope), ""]:
        fq = f"{cref}::{head}" if cref else head
        hit = aliases.get(fq)
        if hit is not None:
            value, value_scope = hit
            return resolve(f"{value}::{rest}", value_scope, False)
    return [], "none"


def _same_map(index: Index, source: str, eid: str) -> bool:
    """A literal inside the same dispatch map (e.g. a sibling entry) does not trigger an entry."""
    s = index.definitions.get(source)
    e = index.definitions.get(eid)
    return bool(s and e and s.kind == "dispatch_entry" and s.detail == e.detail)


def _plugin_call_refs(plugin: Plugin, call: RawCall, index: Index):
    from .plugins import CallRef
    mode = plugin.call_args.get(call.method)
    if mode:
        yield from plugin_arg_refs(mode, call)
    yield from plugin.on_call(call, index) or ()


def plugin_arg_refs(mode: str, call: RawCall):
    """Declarative argument conventions shared by plugins."""
    from . import inflect  # local: inflection rules are only needed here
    from .plugins import CallRef
    for a in call.args:
        if a[0] in ("sym", "str") and mode in ("camelize", "classify", "const"):
            if mode == "camelize":
                yield CallRef(inflect.camelize(a[1]), "string", call.method)
            elif mode == "classify":
                yield CallRef(inflect.camelize(inflect.singularize(a[1])), "string", call.method)
            else:
                yield CallRef(a[1], "string", call.method)


def _add_call_ref(index: Index, source: str, ref: CallRef, call: RawCall, path: str, role: Role,
                  resolve=None) -> None:
    resolve = resolve or index.resolve   # build_index passes its memoised resolver
    loc = _location(path, call.line, call.line)
    if ref.kind in ("constant", "string"):
        targets, certainty = resolve(ref.name, call.scope, fallback=False)
        if certainty == "none" and ref.kind == "constant":
            targets, certainty = resolve(ref.name, call.scope)
        for t in targets:
            index.add_reference(source, t, ref.name, loc, role, ref.via or call.method, certainty)
    else:
        nid = f"{ref.kind}:{ref.name}"
        if nid in index.definitions:
            index.add_reference(source, nid, ref.name, loc, role, ref.via or call.method)
