"""Where deadcode cannot see the mechanism, it says so rather than guess.

Each rule here only lowers how certain a verdict may be (``Index.cap``), with the reason a
user needs to check it; none makes anything live or dead:

* a class in an ``app/`` folder no rule models (``app/reflexes/``, ``app/sweepers/``): a gem
  may load that folder by convention;
* a class whose first ancestor outside the repository comes from a gem no plugin models
  (``< StimulusReflex::Reflex``, ``< Grape::API``): the gem may call its subclasses;
* a class whose file-style name (``feed_sweeper``) appears as a symbol or string in live
  code (``cache_sweeper :feed_sweeper``): a DSL may turn it into the class.
"""

from __future__ import annotations

import re

from .model import Role, underscore_name
from .ruby.constants import RUBY_CORE

# app/<folder>/ holding plain Ruby that code names by constant, or that a core rule models
PLAIN_APP_FOLDERS = frozenset("""
models controllers helpers mailers jobs workers services views channels mailboxes concerns lib
validators forms queries query_objects presenters policies components uploaders values
value_objects commands interactors operations builders errors exceptions utils utilities clients
adapters parsers importers exporters notifiers notifications events listeners records structs
types graphql admin avo dashboards fields assets javascript frontend webpacker packs
serializers decorators contracts calculators generators models_concerns support
""".split())

# framework namespaces whose base classes are used by explicit reference or modelled by a plugin
KNOWN_NAMESPACES = ("ActiveRecord::", "ActiveModel::", "ActiveSupport::", "ActionController::",
                    "ActionView::", "ActionDispatch::", "ActiveJob::", "ActionMailer::", "Rails::",
                    "ActionCable::", "ActiveStorage::", "ActionMailbox::", "ActionText::",
                    "AbstractController::", "Rack::", "Sidekiq::", "Thor")

_APP_FOLDER = re.compile(r"(?:^|/)app/([^/]+)/")

# the app's conventional base classes, which gems and engines name as superclasses
# (Spree::BaseJob < ApplicationJob, Devise's parent_controller "ApplicationController")
HOST_BASES = frozenset({"ApplicationJob", "ApplicationMailer", "ApplicationController",
                        "ApplicationRecord", "ApplicationHelper", "ApplicationCable::Channel",
                        "ApplicationCable::Connection"})


def _known_bases(index) -> set[str]:
    known: set[str] = set()
    for p in index.plugins:
        known |= set(p.parent_kinds) | set(p.framework_parents)
        known |= set(getattr(p, "PARENTS", ()))
    return known


def add_blind_spot_caps(index) -> None:
    folders = set(PLAIN_APP_FOLDERS)
    for p in index.plugins:
        folders |= set(p.app_folders)
    known = _known_bases(index)
    definitions = index.definitions
    wanted: dict[str, list[str]] = {}
    for nid, d in definitions.items():
        if not nid.startswith("const:") or Role.APP not in d.roles:
            continue
        for loc in d.locations:
            m = _APP_FOLDER.search(loc.path)
            if m and m.group(1) not in folders and "." not in m.group(1):
                index.cap(nid, "low", f"app/{m.group(1)}/ is a folder no rule of deadcode models: "
                                      f"a gem may load it by convention")
                break
        if d.kind == "class" or d.superclass:
            base = external_base(definitions, d)
            if base and not _is_known_base(base, known):
                index.cap(nid, "low", f"its ancestor {base} comes from a gem deadcode has no rule "
                                      f"for: the gem may use it by convention")
        if d.name in HOST_BASES:
            index.cap(nid, "low", f"{d.name} is the app's conventional base class: gems and engines "
                                  f"may inherit from it by name")
        short = underscore_name(d.name.rsplit("::", 1)[-1])
        if "_" in short:   # a one-word name (`user`) is every other symbol
            wanted.setdefault(short, []).append(nid)
    if not wanted:
        return
    for path in sorted(index.facts):
        role = index.files[path].role
        if role in (Role.TEST, Role.MIGRATION):
            continue
        for text, line, owner, is_symbol in index.facts[path].literals:
            nids = wanted.get(text)
            if not nids:
                continue
            source = index.source_for(owner, role)
            for nid in nids:
                if source != nid and not _inside(definitions, source, nid):
                    index.cap(nid, "low", f"the {'symbol :' if is_symbol else 'string '}{text} at "
                                          f"{path}:{line} may name it through a convention deadcode "
                                          f"does not model", when_live=source)


def _inside(definitions, source: str, nid: str) -> bool:
    s = definitions.get(source)
    d = definitions.get(nid)
    return bool(s and d and (s.name.startswith(d.name + "::") or d.name.startswith(s.name + "::")))


def external_base(definitions, d) -> str | None:
    """The first ancestor (superclass chain) the repository does not define."""
    seen = set()
    cur = d
    while cur is not None and cur.superclass and cur.superclass not in seen:
        seen.add(cur.superclass)
        nxt = definitions.get(f"const:{cur.superclass}")
        if nxt is None:
            return cur.superclass
        cur = nxt
    return None


def _is_known_base(base: str, known: set[str]) -> bool:
    base = base.lstrip(":")
    if base in known or base.split("::", 1)[0] in RUBY_CORE:
        return True
    if base.endswith(("Error", "Exception")):
        return True   # raised and rescued by name
    return base.startswith(KNOWN_NAMESPACES)
