"""Constants Ruby or a gem owns, and constant lookup through ancestors.

A class or module the repository *reopens* (``class String``, ``module Faraday; class
Response``, ``class ActiveRecord::Associations::CollectionProxy``) is a patch on a constant
owned by Ruby or a gem: never a candidate, and what it defines runs while its file loads.
"""

from __future__ import annotations

import re

# Ruby's core and standard-library top-level constants (a known list).
RUBY_CORE = frozenset("""
BasicObject Object Module Class Kernel Comparable Enumerable Enumerator Array Hash String Symbol
Numeric Integer Float Rational Complex BigDecimal NilClass TrueClass FalseClass Range Regexp
MatchData Proc Method UnboundMethod Binding Exception StandardError RuntimeError ArgumentError
TypeError NameError NoMethodError KeyError IndexError StopIteration IOError EOFError
NotImplementedError ScriptError LoadError SecurityError SystemExit Interrupt SignalException
ZeroDivisionError FloatDomainError RangeError FrozenError EncodingError FiberError ThreadError
Errno IO File Dir FileTest Time Date DateTime Struct Data Math Process Signal Thread Mutex Queue
SizedQueue ConditionVariable Fiber ObjectSpace GC Marshal Random Encoding Warning Ractor
Set SortedSet OpenStruct URI Net JSON YAML Psych CSV ERB Logger Pathname Tempfile Tmpdir
SecureRandom Digest Base64 OpenSSL Socket TCPSocket UDPSocket IPAddr Resolv Timeout Benchmark
Forwardable Singleton Observable Open3 OptionParser PP PrettyPrint StringIO Zlib Shellwords
Etc Find FileUtils Coverage Ripper RubyVM TracePoint Monitor MonitorMixin WeakRef Delegator
SimpleDelegator DRb Rake Gem Bundler
""".split())

# Gems whose constants are not their camelized name.
GEM_CONSTANTS = {
    "activerecord": ("ActiveRecord", "Arel"),
    "activesupport": ("ActiveSupport",),
    "actionpack": ("ActionController", "ActionDispatch", "AbstractController"),
    "actionview": ("ActionView",),
    "activemodel": ("ActiveModel",),
    "activejob": ("ActiveJob",),
    "actionmailer": ("ActionMailer",),
    "actioncable": ("ActionCable",),
    "activestorage": ("ActiveStorage",),
    "actiontext": ("ActionText",),
    "actionmailbox": ("ActionMailbox",),
    "railties": ("Rails",),
    "rails": ("Rails",),
    "rack": ("Rack",),
}


def _norm(name: str) -> str:
    return re.sub(r"[-_]", "", name).lower()


def external_roots(gems: set[str], own_gems: set[str]) -> tuple[frozenset[str], set[str]]:
    """(top-level constants Ruby owns, normalised names of the gems' top-level constants).
    Gems built from the repository itself (its gemspecs, path gems) own nothing external."""
    names: set[str] = set()
    for gem in gems:
        if gem in own_gems:
            continue
        names.update(_norm(c) for c in GEM_CONSTANTS.get(gem, ()))
        names.add(_norm(gem))
        head = gem.split("-", 1)[0]
        if head != gem and head in gems and head not in own_gems:
            names.add(_norm(head))
        word = gem.split("_", 1)[0]
        if word != gem and "-" not in gem and len(word) >= 4 and word not in ("active", "action", "rails"):
            names.add(_norm(word))   # ahoy_matey -> Ahoy, devise_invitable -> Devise
    return RUBY_CORE, names


def repo_external_roots(index) -> tuple[frozenset[str], set[str]]:
    """``external_roots`` of an index's gems, its own gemspecs left out (once per index)."""
    cached = getattr(index, "_external_roots", None)
    if cached is None:
        own_gems = {p.rsplit("/", 1)[-1][: -len(".gemspec")] for p in index.files if p.endswith(".gemspec")}
        cached = index._external_roots = external_roots(index.gems, own_gems)
    return cached


def reopened(fq: str, core: frozenset[str], gem_names: set[str]) -> tuple[str, str] | None:
    """(``"Ruby"`` / ``"a gem"``, the namespace it owns) when ``fq`` lies in a constant
    Ruby or a gem defines: its top-level one, or a gem's two-part namespace
    (Samvera::Persona and the samvera-persona gem)."""
    parts = fq.split("::", 2)
    top = parts[0]
    if top in core:
        return "Ruby", top
    if _norm(top) in gem_names:
        return "a gem", top
    if len(parts) > 1 and _norm(top + parts[1]) in gem_names:
        return "a gem", f"{top}::{parts[1]}"
    return None


def owner_of_reopened(fq: str, core: frozenset[str], gem_names: set[str]) -> str | None:
    """``"Ruby"`` / ``"a gem"`` when ``fq`` lies in a constant they define (``reopened``)."""
    hit = reopened(fq, core, gem_names)
    return hit[0] if hit else None


def ancestors(definitions: dict, includes: dict, fq: str, limit: int = 25) -> list[str]:
    """The ancestors of class ``fq`` the repository defines or names: superclasses in order,
    each followed by the modules it includes (nearest first), without ``fq`` itself."""
    out: list[str] = []
    seen = {fq}
    cur = definitions.get(f"const:{fq}")
    for inc in reversed(includes.get(f"const:{fq}", ())):
        if inc not in seen:
            seen.add(inc)
            out.append(inc)
    while cur is not None and cur.superclass and len(out) < limit:
        sup = cur.superclass
        if sup in seen:
            break
        seen.add(sup)
        out.append(sup)
        for inc in reversed(includes.get(f"const:{sup}", ())):
            if inc not in seen:
                seen.add(inc)
                out.append(inc)
        cur = definitions.get(f"const:{sup}")
    return out


def receiving_classes(definitions: dict, includes: dict, cref: str, memo: dict,
                      limit: int = 500) -> list[str]:
    """What ``self.class`` can be inside ``cref``: ``cref`` itself, every class that
    includes it (also through modules that include it), and all their subclasses —
    nearest first, at most ``limit`` names."""
    tables = memo.get("_receivers")
    if tables is None:
        includers: dict[str, list[str]] = {}
        for nid, names in includes.items():
            for inc in names:
                includers.setdefault(inc, []).append(nid[6:])   # "const:" prefix
        subclasses: dict[str, list[str]] = {}
        for d in definitions.values():
            if d.superclass and d.id.startswith("const:"):
                subclasses.setdefault(d.superclass.lstrip(":"), []).append(d.name)
        tables = memo["_receivers"] = (includers, subclasses)
    includers, subclasses = tables
    out = [cref]
    seen = {cref}
    i = 0
    while i < len(out) and len(out) < limit:
        cur = out[i]
        i += 1
        for nxt in sorted(includers.get(cur, ())) + sorted(subclasses.get(cur, ())):
            if nxt not in seen:
                seen.add(nxt)
                out.append(nxt)
    return out[:limit]


def self_class_lookup(definitions: dict, constants: dict, includes: dict, name: str,
                      scope: tuple[str, ...], memo: dict) -> list[tuple[str, str]]:
    """``self.class::Name`` written inside ``scope``: ``(receiver, fq)`` for each class
    that can be ``self.class`` there and finds ``Name`` in itself or its ancestors
    (``Foo::Name`` does not fall back to the top level)."""
    if not scope:
        return []
    hits: list[tuple[str, str]] = []
    found: set[str] = set()
    for recv in receiving_classes(definitions, includes, scope[-1], memo):
        for anc in (recv, *ancestors(definitions, includes, recv)):
            fq = f"{anc}::{name}"
            if f"const:{fq}" in definitions or fq in constants:
                if fq not in found:
                    found.add(fq)
                    hits.append((recv, fq))
                break
    return hits
