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


def owner_of_reopened(fq: str, core: frozenset[str], gem_names: set[str]) -> str | None:
    """``"Ruby"`` / ``"a gem"`` when the top-level constant of ``fq`` belongs to them."""
    top = fq.split("::", 1)[0]
    if top in core:
        return "Ruby"
    if _norm(top) in gem_names:
        return "a gem"
    return None


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
