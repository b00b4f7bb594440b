"""Rails conventions as plugins: routes, associations, tables, schedulers,
helpers, naming conventions, validators, factories.

Each plugin adds references, entry points or definitions (tables, actions);
none declares anything dead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import inflect
from ..model import Definition, Location, Role
from .base import CallRef, Plugin

if TYPE_CHECKING:  # pragma: no cover
    from ..index import Index
    from ..model import RawCall


def _read(index: "Index", rel: str) -> bytes | None:
    """A file a plugin needs whole (routes, structure.sql, inflections); what it held is
    recorded as an input of the analysis beyond the facts (see scan.py)."""
    from ..discovery import read_inside, whole_file_digest

    memo = getattr(index, "_raw_texts", None)
    if memo is None:
        memo = index._raw_texts = {}  # type: ignore[attr-defined]
    if rel in memo:   # (the routes files: read for their route helpers, then parsed)
        return memo[rel]
    data = read_inside(index.root, rel)
    index.raw_reads.append((rel, whole_file_digest(data)))
    if data is not None and len(data) <= 1 << 20:
        memo[rel] = data
    return data


def _inflections(index: "Index") -> inflect.Inflections:
    cached = getattr(index, "_inflections", None)
    if cached is not None:
        return cached
    inf = inflect.default_inflections()
    src = _read(index, "config/initializers/inflections.rb")
    if src:
        try:
            inf = inflect.load_inflections_initializer(src)
            warnings = list(dict.fromkeys(inf.warnings))     # a loop repeats its warning
            index.notes.extend(f"config/initializers/inflections.rb {w}" for w in warnings[:5])
            if len(warnings) > 5:
                index.notes.append(f"config/initializers/inflections.rb: {len(warnings) - 5} "
                                   "more rules skipped")
        except Exception:  # noqa: BLE001 - an odd initializer falls back to the defaults
            index.notes.append("config/initializers/inflections.rb could not be read; default inflections used")
    index._inflections = inf  # type: ignore[attr-defined]
    return inf


def _engines(index: "Index") -> dict[str, str]:
    """In-repo engines that isolate a namespace: engine class -> namespace
    (``class Spree::Core::Engine < Rails::Engine; isolate_namespace Spree``): the namespace's
    models get its table prefix (``spree_``), the engine's routes its controllers."""
    cached = getattr(index, "_isolated_engines", None)
    if cached is None:
        cached = {}
        for path in sorted(index.facts):
            for call in index.facts[path].calls:
                if call.method == "isolate_namespace" and call.args and call.args[0][0] == "const":
                    targets, certainty = index.resolve(call.args[0][1], call.scope)
                    ns = index.definitions[targets[0]].name if certainty == "exact" and targets \
                        else call.args[0][1].lstrip(":")
                    engine = index.definitions.get(call.owner) if call.owner else None
                    cached[engine.name if engine is not None else ns + "::Engine"] = ns
        index._isolated_engines = cached  # type: ignore[attr-defined]
    return cached


def _opt(args, key: str):
    """Value of keyword option ``key`` among encoded call args."""
    for a in args:
        if a[0] == "pair" and a[1][0] == "sym" and a[1][1] == key:
            return a[2]
        if a[0] == "hash":
            for p in a[1]:
                if p[1][0] == "sym" and p[1][1] == key:
                    return p[2]
    return None


# ---------------------------------------------------------------------------
# Controllers and routes
# ---------------------------------------------------------------------------

# a migration an engine's install:migrations task copied: <version>_<name>.<engine>.rb
_ENGINE_MIGRATION = re.compile(r"(?:^|/)db/migrate/\d+_\w+\.(\w+)\.rb$")


class RoutesPlugin(Plugin):
    """config/routes.rb (and drawn files) make controllers and actions live."""

    name = "routes"
    gems = ("actionpack", "rails", "railties")
    methods = frozenset({"isolate_namespace", "before_action", "after_action", "around_action", "skip_before_action",
                         "prepend_before_action", "append_before_action", "helper_method",
                         "before_filter", "after_filter", "rescue_from", "layout", "action",
                         "append", "prepend"})
    CALLBACKS = methods - {"action", "append", "prepend"}
    # public methods without arguments that Rails or a common gem calls on a controller
    FRAMEWORK_HOOKS = frozenset({
        "initialize", "default_url_options", "url_options", "action_missing", "process_action",
        "default_render", "verify_authenticity_token", "handle_unverified_request",
        "method_missing", "respond_to_missing?", "to_s", "inspect",
        "pundit_user", "policy_class", "policy_scope_class", "current_ability", "user_for_paper_trail", "info_for_paper_trail",
        "serialization_scope", "default_serializer_options",
    })
    on_call_methods = frozenset({"action"})

    def on_call(self, call: "RawCall", index: "Index"):
        # SessionsController.action(:oauth_failure) - a Rack endpoint made from an action
        if call.method == "action" and call.receiver and call.receiver[:1].isupper() and call.args \
                and call.args[0][0] in ("sym", "str"):
            targets, certainty = index.resolve(call.receiver, call.scope)
            if certainty == "exact" and targets:
                name = index.definitions[targets[0]].name
                yield CallRef(f"{name}#{call.args[0][1]}", "action", f"{call.receiver}.action")

    def define(self, index: "Index") -> None:
        # a method named after a gem (doorkeeper_unauthorized_render_options) is most
        # likely a hook that gem calls on the controller, not an action
        gem_prefixes = tuple(sorted({g.replace("-", "_") + "_" for g in index.gems if len(g) >= 4}
                                    - {"rails_", "action_", "active_"}))
        from ..ruby.constants import owner_of_reopened, repo_external_roots
        core, gem_names = repo_external_roots(index)
        # one action node per public method of each controller
        for d in list(index.definitions.values()):
            if d.kind != "controller" or d.is_test:
                continue
            patch = owner_of_reopened(d.name, core, gem_names) == "a gem"
            inherited = self._ancestor_methods(index, d)
            # a module of a gem the controller itself includes (GITWizard::Controller) may
            # call the methods it expects the controller to define
            gem_mixins = sorted(m for m in index.includes.get(d.id, ())
                                if f"const:{m}" not in index.definitions
                                and not m.lstrip(":").startswith(self.FRAMEWORK_MODULES))
            for name, vis, loc in index.methods.get(d.id, ()):
                words = vis.split()
                if words[0] != "public" or "args" in words or name.startswith("_") \
                        or name in self.FRAMEWORK_HOOKS:
                    continue   # private, protected, needs arguments, or a hook: not an action
                aid = f"action:{d.name}#{name}"
                if aid not in index.definitions:
                    a = Definition(aid, "action", f"{d.name}#{name}", [loc], roles={Role.APP}, owner=d.id,
                                   keep=index.method_keeps.get((d.id, name)))
                    index.definitions[aid] = a
                    gem = next((p[:-1] for p in gem_prefixes if name.startswith(p)), None) \
                        if gem_prefixes and name.startswith(gem_prefixes) else None
                    if gem:
                        index.cap(aid, "low", f"named after the {gem} gem: likely a hook that gem "
                                              f"calls on the controller")
                    if patch:
                        index.cap(aid, "low", f"{d.name} reopens a gem's controller (an engine's, "
                                              f"overridden in the app): that engine's routes may reach it")
                    if name in inherited:
                        index.cap(aid, "low", f"it overrides {inherited[name]}#{name}: what calls that "
                                              f"calls this")
                    elif gem_mixins:
                        index.cap(aid, "low", f"{d.name} includes {gem_mixins[0]}, a gem's module, "
                                              f"which may call its methods")
                    if "super" in words:
                        index.cap(aid, "low", "it calls super: it overrides a method of an ancestor "
                                              "(the framework's or a gem's), which may call it")
                    # an action is part of its controller
                    index.add_reference(aid, d.id, d.name, loc, Role.APP, "action of")

    _MAPPER_INCLUDE = re.compile(
        r"Mapper\s*\.\s*(?:send\s*\(?\s*:include\s*,|include\b\s*\(?)\s*((?:::)?[A-Z][\w:]*)")

    FRAMEWORK_MODULES = ("ActionController::", "AbstractController::", "ActionView::", "ActiveSupport::",
                         "ActionDispatch::", "Rails::", "ActiveModel::", "ActiveRecord::", "Turbo::")

    @staticmethod
    def _ancestor_methods(index: "Index", d: Definition) -> dict[str, str]:
        """Method name -> the nearest app ancestor class (superclass chain) defining it."""
        out: dict[str, str] = {}
        seen = {d.id}
        anc = index.definitions.get(f"const:{d.superclass}") if d.superclass else None
        while anc is not None and anc.id not in seen:
            seen.add(anc.id)
            for name, _vis, _loc in index.methods.get(anc.id, ()):
                out.setdefault(name, anc.name)
            anc = index.definitions.get(f"const:{anc.superclass}") if anc.superclass else None
        return out

    def _route_helpers(self, index: "Index") -> tuple[dict[str, str], dict[str, str]]:
        """Methods the app adds to the routing DSL whose name says they make resources
        (`ActionDispatch::Routing::Mapper.send :include, Routes::JsonApiRoutes`, or
        methods of a reopened ActionDispatch::Routing::Mapper): name -> "resources" or
        "resource", and name -> where it is defined."""
        owners: list[Definition] = []
        mapper = index.definitions.get("const:ActionDispatch::Routing::Mapper")
        if mapper is not None:
            owners.append(mapper)
        for path in sorted(p for p in index.files if p.endswith(".rb") and (
                "config/" in p or p.startswith("lib/")) and p in index.facts):
            if "config/" not in path and not any(c.method == "include" for c in index.facts[path].calls):
                continue
            text = _read(index, path)
            if not text or b"Mapper" not in text:
                continue
            for m in self._MAPPER_INCLUDE.finditer(text.decode("utf-8", "replace")):
                targets, certainty = index.resolve(m.group(1))
                if certainty == "exact":
                    owners += [index.definitions[t] for t in targets]
        helpers: dict[str, str] = {}
        where: dict[str, str] = {}
        for owner in owners:
            for name, vis, loc in index.methods.get(owner.id, ()):
                if vis.split()[0] != "public" or "resource" not in name:
                    continue
                helpers.setdefault(name, "resource" if name.endswith("resource") else "resources")
                where.setdefault(name, f"{loc.path}:{loc.line}")
        return helpers, where

    def _route_files(self, index: "Index") -> list[str]:
        # (the substring test spares the regex for nearly every path)
        files = sorted(p for p in index.files
                       if "config/routes" in p and re.search(r"(^|/)config/routes(\.rb$|/.*\.rb$)", p))
        return files

    def finalize(self, index: "Index") -> None:
        from ..routes import parse_routes

        inf = _inflections(index)
        routed_any: dict[str, tuple] = {}
        routed_actions: dict[tuple[str, str], tuple] = {}
        catch_all = False
        files = self._route_files(index)
        # config/routes.rb first, then the files it draws (with the module active at the
        # `draw`), then route files nothing draws (engines' own routes) without a scope
        pending = [(p, None) for p in files if p.endswith("config/routes.rb")]
        pending += [(p, None) for p in files if not p.endswith("config/routes.rb")]
        # route blocks in other config files: `app.routes.append do ... end` in application.rb
        elsewhere = sorted(p for p, f in index.facts.items()
                           if "config/" in p and p.endswith(".rb") and p not in files
                           and any(c.method in ("append", "prepend") and c.has_block for c in f.calls))
        pending += [(p, None) for p in elsewhere]
        done: set[str] = set()
        helpers, helper_at = self._route_helpers(index)
        helper_routed: dict[str, tuple[str, Location]] = {}
        while pending:
            path, scope_module = pending.pop(0)
            if path in done:
                continue
            done.add(path)
            src = _read(index, path)
            if src is None:
                continue
            try:
                result = parse_routes(src, scope_module, inflections=inf, engines=_engines(index),
                                      nested_only=path in elsewhere, helpers=helpers)
            except Exception as exc:  # noqa: BLE001 - a routes file we cannot read is reported
                index.partial.append((path, f"routes could not be read ({type(exc).__name__})"))
                continue
            catch_all = catch_all or result.catch_all
            base = path.rsplit("config/routes", 1)[0]
            drawn = [(f"{base}config/routes/{name}.rb", module)
                     for name, module in result.draw_scopes or [(n, None) for n in result.draws]]
            pending[:0] = [d for d in drawn if d[0] not in done]
            for r in result.routes:
                if r.action is None:
                    if r.controller not in routed_any:
                        routed_any[r.controller] = (Location(path, r.line, r.line), r.via)
                elif (r.controller, r.action) not in routed_actions:
                    routed_actions[(r.controller, r.action)] = (Location(path, r.line, r.line), r.via)
            for cname, (helper, line) in result.helper_routed.items():
                helper_routed.setdefault(cname, (helper, Location(path, line, line)))
            for const, line in result.mounts:
                targets, certainty = index.resolve(const)
                for t in targets:
                    index.add_reference("<root>", t, const, Location(path, line, line), Role.CONFIG, "mount")

        defs = index.definitions
        controllers = {d.name: d for d in defs.values() if d.id.startswith("const:")}
        add_reference = index.add_reference

        routed_controllers: set[str] = set()
        # (controller, None): every action of it may be routed; (controller, action): that one
        routes = [((c, None), v) for c, v in routed_any.items()] + list(routed_actions.items())
        # a route's controller differing only in case (Api:: for API::) names a class whose
        # acronym an inflection declares that the tool does not see (Hyrax declares "API");
        # Zeitwerk could not load the file otherwise
        folded: dict[str, Definition | None] = {}
        for d in controllers.values():
            if d.kind == "controller":
                key = d.name.lower()
                folded[key] = None if key in folded else d
        for (cname, action), (loc, via) in sorted(routes, key=lambda r: (r[0][0], r[0][1] or "")):
            d = controllers.get(cname) or folded.get(cname.lower())
            if d is None:
                continue
            cname = d.name
            routed_controllers.add(d.id)
            reason = f"route: {via}"
            add_reference("<root>", d.id, cname, loc, Role.CONFIG, reason)
            # the controller and its ancestors
            anc, seen = d, set()
            while anc is not None and anc.id not in seen:
                seen.add(anc.id)
                if action is None:
                    for name, _vis, _loc in index.methods.get(anc.id, ()):
                        aid = f"action:{anc.name}#{name}"
                        if aid in defs:
                            add_reference("<root>", aid, f"{cname}#{name}", loc, Role.CONFIG, reason)
                else:
                    aid = f"action:{anc.name}#{action}"
                    if aid in defs:
                        add_reference("<root>", aid, f"{cname}#{action}", loc, Role.CONFIG, reason)
                        break   # the nearest definition of a routed action is the one that runs
                sup = anc.superclass
                anc = defs.get(f"const:{sup}") if sup else None

        # methods named by callbacks/helper_method, or called by name elsewhere, are not actions
        callback_names: dict[str, set[str]] = {}
        callbacks = self.CALLBACKS
        for path, facts in index.facts.items():
            for call in [c for c in facts.calls if c.method in callbacks]:
                if call.owner:
                    for a in call.args:
                        if a[0] in ("sym", "str") and call.method != "rescue_from":
                            callback_names.setdefault(call.owner, set()).add(a[1])
                    handler = _opt(call.args, "with")
                    if handler is not None and handler[0] in ("sym", "str"):
                        callback_names.setdefault(call.owner, set()).add(handler[1])
        names_of: dict[str, set[str]] = {}   # controller id -> method names its callbacks use

        subclasses: dict[str, list[Definition]] = {}
        for d in controllers.values():
            if d.superclass and d.kind == "controller":
                subclasses.setdefault(d.superclass.lstrip(":"), []).append(d)

        def family(ctrl: Definition) -> list[Definition]:
            """The controller, its ancestors and its subclasses (transitively): a callback or
            call in any of them may name a method the controller defines."""
            out, seen = [], set()
            anc = ctrl
            while anc is not None and anc.id not in seen:
                seen.add(anc.id)
                out.append(anc)
                anc = index.definitions.get(f"const:{anc.superclass}") if anc.superclass else None
            stack = list(subclasses.get(ctrl.name, ()))
            while stack:
                sub = stack.pop()
                if sub.id not in seen:
                    seen.add(sub.id)
                    out.append(sub)
                    stack.extend(subclasses.get(sub.name, ()))
            return out

        def callback_methods(ctrl: Definition) -> set[str]:
            """Callbacks declared in a controller, its ancestors or its subclasses name its
            methods (`before_action :load_challenge` in a subclass, defined in the parent)."""
            found = names_of.get(ctrl.id)
            if found is None:
                found = set()
                for rel in family(ctrl):
                    found |= callback_names.get(rel.id, set())
                names_of[ctrl.id] = found
            return found

        # names called without a receiver in views and helpers, and per controller in its own
        # files, its ancestors' and its mixins'
        view_names: set[str] = set()
        for path, facts in index.facts.items():
            if facts.names and index.files[path].role == Role.VIEW or "/helpers/" in f"/{path}":
                view_names.update(n for n in facts.names if n[:1] not in (":", "<"))
        called_of: dict[str, set[str]] = {}

        def called_names(ctrl: Definition) -> set[str]:
            found = called_of.get(ctrl.id)
            if found is None:
                found = set()
                seen: set[str] = set()
                stack = family(ctrl)
                while stack:
                    anc = stack.pop()
                    if anc.id in seen:
                        continue
                    seen.add(anc.id)
                    for loc in anc.locations:
                        facts = index.facts.get(loc.path)
                        if facts is not None:
                            found.update(facts.names)
                    for inc in index.includes.get(anc.id, ()):
                        m = index.definitions.get(f"const:{inc}")
                        if m is not None:
                            stack.append(m)
                    sup = index.definitions.get(f"const:{anc.superclass}") if anc.superclass else None
                    if sup is not None:
                        stack.append(sup)
                if "<send>" in found:   # extract.DYNAMIC_SEND: literal words may be called
                    found |= {n[1:] for n in found if n[:1] == ":"}
                called_of[ctrl.id] = found
            return found

        # a controller handed to something in config (config.errors_controller = "ErrorsController",
        # config.exceptions_app = ErrorsController.action(:show)): that may call any of its actions
        handed_to: dict[str, Location] = {}
        # (`SessionsController.action(:oauth_failure)` names its one action: not handed whole)
        ctrl_ids = {d.id for d in controllers.values() if d.kind == "controller"}
        one_action = {(p, c.line) for p, f in index.facts.items() if "config/" in p
                      for c in f.calls if c.method == "action" and c.receiver}
        for r in index.references:
            if r.target in ctrl_ids and r.role in (Role.APP, Role.CONFIG) and "config/" in r.location.path \
                    and r.location.path not in done and r.target not in handed_to \
                    and (r.location.path, r.location.line) not in one_action:
                handed_to[r.target] = r.location

        from ..blind_spots import external_base
        for d in list(index.definitions.values()):
            if d.kind != "action" or d.owner not in index.definitions:
                continue
            if d.owner in handed_to:
                index.cap(d.id, "low", f"{index.definitions[d.owner].name} is named in "
                                       f"{handed_to[d.owner]}, outside the routes: what it is handed "
                                       f"to may call its actions")
            ctrl = index.definitions[d.owner]
            meth = d.name.split("#", 1)[1]
            if meth in callback_methods(ctrl):
                index.add_reference(d.owner, d.id, d.name, d.location, Role.APP, "callback / helper_method")
            elif meth in called_names(ctrl) or meth in view_names:
                index.add_reference(d.owner, d.id, d.name, d.location, Role.APP,
                                    "method called by name in the controller, its ancestors, mixins or views")
            base = external_base(index.definitions, ctrl)
            if base and not base.lstrip(":").startswith(("ActionController::", "AbstractController::")):
                index.cap(d.id, "low", f"{ctrl.name} inherits from {base}, whose gem may call its "
                                       f"public methods")
            if ctrl.name in helper_routed:
                helper, hloc = helper_routed[ctrl.name]
                index.cap(d.id, "low", f"{ctrl.name} is routed by {helper} ({hloc.path}:{hloc.line}), a route "
                                       f"helper the app defines ({helper_at[helper]}): read as resources, "
                                       f"it may route other actions too")
            if d.owner not in routed_controllers and not catch_all:
                # an unrouted controller is reported whole, not action by action
                index.add_reference(d.owner, d.id, d.name, d.location, Role.APP, "action of unrouted controller")
            elif catch_all:
                index.add_reference(d.owner, d.id, d.name, d.location, Role.APP, "catch-all route")
        if catch_all:
            index.notes.append("a catch-all route (:controller/:action) exists: every action may be routed")
            for d in controllers.values():
                index.add_entry_point(d.id, "a catch-all route may reach it", "routes")


# ---------------------------------------------------------------------------
# Models: associations, validators, tables
# ---------------------------------------------------------------------------

class ActiveRecordConventionsPlugin(Plugin):
    name = "associations"
    gems = ("activerecord", "rails")
    # embeds_*/embedded_in: Mongoid's embedded documents, named like associations
    ASSOCIATIONS = frozenset({"has_many", "has_one", "belongs_to", "has_and_belongs_to_many",
                              "embeds_many", "embeds_one", "embedded_in"})
    methods = ASSOCIATIONS | {"validates", "validates_with", "validates_each", "create_table",
                              "accepts_nested_attributes_for"}
    # the options of `validates`, never a validator; a built-in validator's key
    # (`uniqueness:`) still names an app's UniquenessValidator when one is defined at the top
    # level (a non-ActiveRecord model finds it first)
    BUILTIN_VALIDATORS = frozenset({"if", "unless", "on", "allow_nil", "allow_blank", "strict", "message"})
    on_call_methods = ASSOCIATIONS | {"validates"}

    def on_call(self, call: "RawCall", index: "Index"):
        # the references depend on the method and the arguments alone, and the same call
        # (`validates :name, presence: true`) recurs in many models: one answer per distinct call
        inf = _inflections(index)
        memo = getattr(index, "_association_refs", None)
        if memo is None:
            memo = index._association_refs = {}  # type: ignore[attr-defined]
        key = (call.method, call.args)
        try:
            refs = memo.get(key)
        except TypeError:   # an unhashable argument: nothing to share
            return tuple(self._refs(call.method, call.args, inf))
        if refs is None:
            refs = memo[key] = tuple(self._refs(call.method, call.args, inf))
        return refs

    def _refs(self, m: str, args: tuple, inf: inflect.Inflections):
        if m in self.ASSOCIATIONS and args:
            first = args[0]
            if first[0] not in ("sym", "str"):
                return
            if _opt(args, "polymorphic") == ("lit", "true"):
                return
            if _opt(args, "through") is not None and _opt(args, "class_name") is None \
                    and _opt(args, "source") is not None:
                return
            cn = _opt(args, "class_name")
            if cn is not None and cn[0] in ("str", "sym"):
                yield CallRef(cn[1], "string", f"{m} :{first[1]}, class_name:")
            elif cn is not None and cn[0] == "const":
                return  # the constant itself is already a reference
            else:
                word = first[1]
                if m in ("has_many", "has_and_belongs_to_many", "embeds_many"):
                    word = inflect.singularize(word, inf)
                yield CallRef(inflect.camelize(word, inflections=inf), "string", f"{m} :{first[1]}")
            if m == "has_and_belongs_to_many":
                jt = _opt(args, "join_table")
                if jt is not None and jt[0] in ("str", "sym"):
                    yield CallRef(jt[1], "table", "join_table:")
        elif m == "validates":
            for a in args:
                # the key may be a string and a path: "content_revision/contents" => true
                # is ContentRevision::ContentsValidator (Rails camelizes the key)
                if a[0] == "pair" and a[1][0] in ("sym", "str") and a[1][1] not in self.BUILTIN_VALIDATORS:
                    yield CallRef(inflect.camelize(a[1][1], inflections=inf) + "Validator", "string",
                                  f"validates {a[1][1]}:")
                if a[0] == "hash":
                    for p in a[1]:
                        if p[1][0] in ("sym", "str") and p[1][1] not in self.BUILTIN_VALIDATORS:
                            yield CallRef(inflect.camelize(p[1][1], inflections=inf) + "Validator",
                                          "string", f"validates {p[1][1]}:")


class TablesPlugin(Plugin):
    """db/schema.rb and db/structure.sql tables, mapped to their models."""

    name = "tables"
    gems = ("activerecord", "rails")
    methods = frozenset({"isolate_namespace", "has_and_belongs_to_many"})
    # first words of gem names too common to say whose a table is
    GENERIC_GEM_HEADS = frozenset({"rails", "active", "action", "ruby", "rspec", "test", "rack",
                                   "omniauth", "google", "json", "html", "http", "web", "sass",
                                   "image", "simple", "open", "easy", "api"})
    # words of gem names too common to say a table of that name is the gem's
    # (sidekiq-unique-jobs and an app's own dead `jobs` table)
    GENERIC_GEM_WORDS = frozenset({"jobs", "core", "client", "server", "plugin", "engine", "tools",
                                   "support", "helpers", "import", "export", "storage", "cloud",
                                   "store", "cache", "data", "events", "assets", "models", "records",
                                   "users", "accounts", "files", "logs", "tasks", "reports"})
    FRAMEWORK_TABLES = re.compile(
        r"^(schema_migrations|ar_internal_metadata|active_storage_.*|action_text_.*|action_mailbox_.*"
        r"|solid_queue_.*|solid_cache_.*|solid_cable_.*|good_job.*|delayed_jobs|que_.*|versions"
        r"|taggings|tags|friendly_id_slugs|active_admin_comments|flipper_.*|sessions|oauth_.*"
        r"|audits|data_migrations|blazer_.*|ahoy_.*|pghero_.*|noticed_.*|maintenance_tasks_.*|task_records"
        r"|active_record_doctor_.*|pg_search_documents|mobility_.*|translations)$")

    # tables of models that gems ship, not named after the gem
    GEM_TABLES = {
        "activities": ("public_activity",),
        "searches": ("blacklight",), "bookmarks": ("blacklight",),
        "settings": ("ledermann-rails-settings", "rails-settings-cached"),
        "impressions": ("impressionist",), "votes": ("acts_as_votable",),
        "follows": ("acts_as_follower",), "read_marks": ("unread",),
        "actions": ("action-store",), "favorites": ("acts_as_favoritor",),
    }

    def define(self, index: "Index") -> None:
        schema_files = sorted(p for p in index.files
                              if p.endswith("schema.rb") and re.search(r"(^|/)db/[\w]*schema\.rb$", p))
        for path in schema_files:
            for call in index.facts[path].calls:
                if call.method == "create_table" and call.args and call.args[0][0] in ("str", "sym"):
                    self._add_table(index, call.args[0][1], Location(path, call.line, call.line))
        for path in sorted(p for p in index.files if p.endswith("structure.sql")) or ["db/structure.sql"]:
            src = _read(index, path)
            if not src:
                continue
            text = src.decode("utf-8", "replace")
            for m in re.finditer(r"(?im)^CREATE TABLE (?:IF NOT EXISTS )?(?:[\"`]?\w+[\"`]?\.)?[\"`]?(\w+)[\"`]?",
                                 text):
                line = text.count("\n", 0, m.start()) + 1
                self._add_table(index, m.group(1), Location(path, line, line))

    def _add_table(self, index: "Index", name: str, loc: Location) -> None:
        name = name.split(".")[-1]
        tid = f"table:{name}"
        if tid in index.definitions:
            index.definitions[tid].locations.append(loc)
            return
        d = Definition(tid, "table", name, [loc], roles={Role.APP})
        index.definitions[tid] = d
        if self.FRAMEWORK_TABLES.match(name) or (
                not self._pluralizes_by_default(index)
                and self.FRAMEWORK_TABLES.match(inflect.pluralize(name, _inflections(index)))):
            # (with pluralize_table_names = false a gem's `audits` is `audit`)
            index.add_entry_point(tid, "framework or gem table", "tables")
            return
        for gem in self.GEM_TABLES.get(name, ()):
            if gem in index.gems:
                index.add_entry_point(tid, f"table of the {gem} gem's model", "tables")
                return
        for gem, prefix in self._gem_table_prefixes(index):
            if name.startswith(prefix):
                index.add_entry_point(tid, f"table of the {gem} gem", "tables")
                break

    def _gem_table_prefixes(self, index: "Index") -> list[tuple[str, str]]:
        """(gem, table name prefix) of the gems whose tables are theirs, e.g. ("pay", "pay_")
        (in gem name order; worked out once per index)."""
        cached = getattr(index, "_gem_table_prefixes", None)
        if cached is None or cached[0] != index.gems:
            prefixes = []
            for gem in sorted(index.gems):
                g = gem.replace("-", "_")
                if len(g) > 3 and g not in ("rails", "active", "action"):
                    prefixes.append((gem, g + "_"))
            cached = (set(index.gems), prefixes)
            index._gem_table_prefixes = cached  # type: ignore[attr-defined]
        return cached[1]

    def finalize(self, index: "Index") -> None:
        if not any(d.kind == "table" for d in index.definitions.values()):
            return
        inf = _inflections(index)
        models = [d for d in index.definitions.values() if d.kind == "model"]
        by_suffix: dict[str, list[str]] | None = None
        for d in sorted(models, key=lambda d: d.id):
            table = self.table_of(index, d, inf)
            if table is None:
                continue
            tid = f"table:{table}"
            if tid in index.definitions:
                index.add_reference(d.id, tid, table, d.location, Role.APP, "model table")
            elif self._computed_name(index, d):
                # `self.table_name = table_name.singularize`, a table_name_prefix built from
                # another model's: the tables ending in the model's own name may be its table
                if by_suffix is None:
                    by_suffix = {}
                    for t in index.definitions.values():
                        if t.kind == "table":
                            parts = t.name.split("_")
                            for i in range(len(parts)):
                                by_suffix.setdefault("_".join(parts[i:]), []).append(t.name)
                for name in self._computed_tables(d, by_suffix, inf):
                    index.add_reference(d.id, f"table:{name}", name, d.location, Role.APP, "model table")
        # has_and_belongs_to_many join tables (ActiveRecord's derive_join_table)
        for path, facts in index.facts.items():
            for call in [c for c in facts.calls if c.method == "has_and_belongs_to_many"]:
                if not call.args or not call.owner:
                    continue
                owner = index.definitions.get(call.owner)
                if owner is None or owner.kind != "model" or call.args[0][0] not in ("sym", "str"):
                    continue
                explicit = _opt(call.args, "join_table")
                if explicit is not None and explicit[0] in ("str", "sym"):
                    join = explicit[1]
                else:
                    a = self.table_of(index, owner, inf) or ""
                    cls = _opt(call.args, "class_name")
                    other_name = cls[1] if cls is not None and cls[0] in ("str", "sym") else \
                        inflect.camelize(inflect.singularize(call.args[0][1], inf))
                    targets, certainty = index.resolve(other_name, call.scope)
                    other = index.definitions.get(targets[0]) if certainty == "exact" and targets else None
                    b = (self.table_of(index, other, inf) if other is not None else None) or call.args[0][1]
                    join = _derive_join_table(a, b)
                tid = f"table:{join}"
                if tid in index.definitions:
                    index.add_reference(call.owner, tid, join, Location(path, call.line, call.line),
                                        index.files[path].role, "has_and_belongs_to_many join table")
        # a family of tables no model of the repo maps to (comfy_cms_pages, comfy_cms_sites, ...):
        # most likely the models of a gem or mounted engine, which deadcode does not read
        mapped = {r.target for r in index.references if r.via == "model table"}
        families: dict[str, list[str]] = {}
        for d in index.definitions.values():
            if d.kind == "table" and "_" in d.name:
                families.setdefault(d.name.split("_", 1)[0], []).append(d.id)
        model_tables = {index.definitions[t].name for t in mapped}
        for head, tids in sorted(families.items()):
            if len(tids) >= 3 and not any(t in mapped for t in tids) \
                    and head not in model_tables and inflect.pluralize(head, inf) not in model_tables:
                for tid in tids:
                    index.cap(tid, "low", f"one of {len(tids)} {head}_* tables no model in the repo "
                                          f"maps to: likely a gem's or engine's models")
        # a table no model maps to whose name begins like a gem's (delayed_workers and the
        # delayed_job_heartbeat_plugin gem): most likely a model of that gem
        # or that is named as a word of a gem's name (settings and ledermann-rails-settings,
        # whose RailsSettings::SettingObject model sets that table name)
        heads: dict[str, str] = {}
        words: dict[str, str] = {}
        for gem in sorted(index.gems):
            parts = re.split(r"[-_]", gem)
            if len(parts[0]) >= 4 and parts[0] not in self.GENERIC_GEM_HEADS:
                heads.setdefault(parts[0], gem)
            for w in parts[1:] if len(parts) > 1 else ():
                if len(w) >= 4 and w not in self.GENERIC_GEM_HEADS and w not in self.GENERIC_GEM_WORDS:
                    words.setdefault(w, gem)
        if heads or words:
            for d in sorted((d for d in index.definitions.values() if d.kind == "table"), key=lambda d: d.id):
                if d.id in mapped:
                    continue
                gem = heads.get(d.name.split("_", 1)[0]) if "_" in d.name else None
                if gem:
                    index.cap(d.id, "low", f"no model in the repo maps to {d.name}, and its name begins "
                                           f"like the {gem} gem's: likely that gem's table")
                elif d.name in words:
                    index.cap(d.id, "low", f"no model in the repo maps to {d.name}, and the "
                                           f"{words[d.name]} gem is named after it: likely that gem's table")
        # a table created by a migration copied from an engine gem
        # (db/migrate/20160328222154_create_single_use_links.hyrax.rb, written by
        # `rails hyrax:install:migrations`): that engine's own models read it
        engine_tables: dict[str, tuple[str, str]] = {}
        for path in sorted(index.files):
            m = _ENGINE_MIGRATION.search(path)
            if m is None or path not in index.facts:
                continue
            for call in index.facts[path].calls:
                if call.method == "create_table" and call.args and call.args[0][0] in ("str", "sym"):
                    engine_tables.setdefault(str(call.args[0][1]).split(".")[-1], (m.group(1), path))
        for name, (engine, path) in sorted(engine_tables.items()):
            tid = f"table:{name}"
            if tid in index.definitions and tid not in mapped:
                index.cap(tid, "low", f"no model in the repo maps to {name}, and {path} comes from the "
                                      f"{engine} engine (copied by {engine}:install:migrations): likely "
                                      f"that engine's table")
        # single-table inheritance: rows of the parent's table name the subclass in `type`
        for d in sorted(models, key=lambda d: d.id):
            sup = index.definitions.get(f"const:{d.superclass}") if d.superclass else None
            if sup is None or sup.kind != "model" or sup.name == "ApplicationRecord" \
                    or index.attributes.get(sup.id, {}).get("abstract_class") == "true":
                continue
            column = index.attributes.get(sup.id, {}).get("inheritance_column") or "type"
            if column in ("", "nil", "_type_disabled", "_disabled"):
                continue
            table = self.table_of(index, d, inf) or inflect.table_name_for(sup.name, inf)
            index.cap(d.id, "low", f"single-table inheritance: a row of {table} whose {column} is "
                                   f"'{d.name}' loads it ({sup.name}.find, .create!({column}: ...)); confirm "
                                   f"with SELECT count(*) FROM {table} WHERE {column} = '{d.name}'",
                      when_live=sup.id)

    def _isolated(self, index: "Index") -> dict[str, str]:
        """Namespaces an engine isolates, with the table prefix that gives their models."""
        return {ns: inflect.underscore(ns).replace("/", "_") + "_" for ns in _engines(index).values()}

    def _computed_name(self, index: "Index", d: Definition) -> bool:
        """Whether the model's table name or the prefix of its namespace is computed by code
        (recorded as an empty value), so that the default name may not be its table."""
        if index.attributes.get(d.id, {}).get("table_name") == "":
            return True
        name = d.name
        while name:
            if index.attributes.get(f"const:{name}", {}).get("table_name_prefix") == "":
                return True
            name = name.rsplit("::", 1)[0] if "::" in name else ""
        return False

    def _computed_tables(self, d: Definition, by_suffix: dict[str, list[str]], inf) -> list[str]:
        """Tables named like the model's own undecorated name, singular or plural
        (`course_lesson_plan_todos` for Course::LessonPlan::Todo), those that also name its
        namespace first."""
        own = inflect.underscore(inflect.demodulize(d.name), inf)
        found = sorted(set(by_suffix.get(inflect.pluralize(own, inf), [])) | set(by_suffix.get(own, [])))
        parent = d.name.rsplit("::", 2)[-2] if "::" in d.name else ""
        word = inflect.underscore(parent, inf) if parent else ""
        near = [t for t in found if word and word in t]
        return near or found

    def _pluralizes(self, index: "Index", d: Definition) -> bool:
        """ActiveRecord's pluralize_table_names for a model: its own or an ancestor's
        `self.pluralize_table_names =`, else the application's
        (`config.active_record.pluralize_table_names = false`)."""
        anc, seen = d, set()
        while anc is not None and anc.id not in seen:
            seen.add(anc.id)
            value = index.attributes.get(anc.id, {}).get("pluralize_table_names")
            if value in ("true", "false"):
                return value == "true"
            anc = index.definitions.get(f"const:{anc.superclass}") if anc.superclass else None
        return self._pluralizes_by_default(index)

    def _pluralizes_by_default(self, index: "Index") -> bool:
        cached = getattr(index, "_pluralize_default", None)
        if cached is None:
            cached = True
            for did, attrs in sorted(index.attributes.items()):
                if attrs.get("pluralize_table_names") != "false":
                    continue
                owner = index.definitions.get(did)
                if did == "<top>" or (owner is not None and owner.kind not in ("model",)
                                      and any("config/" in loc.path for loc in owner.locations)):
                    cached = False
            index._pluralize_default = cached  # type: ignore[attr-defined]
        return cached

    def table_of(self, index: "Index", d: Definition, inf) -> str | None:
        attrs = index.attributes.get(d.id, {})
        if attrs.get("abstract_class") == "true":
            return None
        if "table_name" in attrs and attrs["table_name"]:
            return attrs["table_name"]
        sup = index.definitions.get(f"const:{d.superclass}") if d.superclass else None
        if sup is not None and sup.kind == "model" and sup.name not in ("ApplicationRecord",) \
                and index.attributes.get(sup.id, {}).get("abstract_class") != "true":
            return self.table_of(index, sup, inf)   # STI: the parent's table
        if d.name in ("ApplicationRecord",) or d.superclass is None:
            return None
        prefix = ""
        parent_name = d.name.rsplit("::", 1)[0] if "::" in d.name else ""
        parent = index.definitions.get(f"const:{parent_name}") if parent_name else None
        if parent is not None and parent.kind == "model":
            prefix = inflect.singularize(self.table_of(index, parent, inf) or "", inf) + "_"
        else:
            # the nearest enclosing module that defines table_name_prefix (Rails' module_parents)
            name = parent_name
            isolated = self._isolated(index)
            while name:
                p = index.definitions.get(f"const:{name}")
                value = index.attributes.get(p.id, {}).get("table_name_prefix") if p else None
                value = value or isolated.get(name)
                if value:
                    prefix = value
                    break
                name = name.rsplit("::", 1)[0] if "::" in name else ""
            else:
                # no enclosing module has one: the class's own (`def self.table_name_prefix`)
                prefix = attrs.get("table_name_prefix") or ""
        return inflect.table_name_for(d.name, inf, prefix=prefix,
                                      pluralize_table_names=self._pluralizes(index, d))


def _derive_join_table(a: str, b: str) -> str:
    """ActiveRecord's join table of two tables: sorted, joined with `_`, a shared prefix
    written once (`catalog_categories` + `catalog_products` -> `catalog_categories_products`)."""
    x, y = sorted([a, b])
    m = re.match(r"^(.*_)(.+)\0\1(.+)$", f"{x}\0{y}")
    return f"{m.group(1)}{m.group(2)}_{m.group(3)}" if m else f"{x}_{y}"


# ---------------------------------------------------------------------------
# Schedulers and jobs
# ---------------------------------------------------------------------------

class SchedulersPlugin(Plugin):
    """whenever's config/schedule.rb, good_job cron hashes, Sidekiq::Client pushes."""

    name = "schedulers"
    methods = frozenset({"runner", "rake", "command", "every"})
    on_call_methods = frozenset({"runner", "rake"})

    def on_call(self, call: "RawCall", index: "Index"):
        if call.receiver is not None or not call.args:
            return
        first = call.args[0]
        if first[0] != "str":
            return
        if call.method == "runner":
            m = re.match(r"^\s*((?:::)?[A-Z][\w]*(?:::[A-Z]\w*)*)", first[1])
            if m:
                yield CallRef(m.group(1), "string", "whenever runner")
        elif call.method == "rake":
            yield CallRef(first[1].split("[", 1)[0].strip(), "rake_task", "whenever rake")


# ---------------------------------------------------------------------------
# Views, helpers, naming conventions, factories
# ---------------------------------------------------------------------------

class HelpersPlugin(Plugin):
    """Helpers under app/helpers are included in every view: live while any view exists."""

    name = "helpers"
    gems = ("actionpack", "actionview", "rails")

    def finalize(self, index: "Index") -> None:
        if not any(f.role == Role.VIEW for f in index.files.values()):
            return
        for d in index.definitions.values():
            # (a helper that includes ActiveSupport::Concern is still a helper)
            if d.kind == "helper" or d.kind == "concern" and "app/helpers/" in f"/{d.location.path}":
                index.add_entry_point(d.id, "helpers under app/helpers are available in every view", "helpers")


DEFAULT_CONVENTIONS = (
    # (suffix, kinds of the base definition, gems that make the convention real)
    # (Pundit, serializers and decorators find `"#{obj.class}Policy"` for any object)
    ("Policy", (), ("pundit", "action_policy")),
    ("Serializer", (), ("active_model_serializers", "jsonapi-serializer", "fast_jsonapi")),
    ("Decorator", (), ("draper",)),
    ("Presenter", ("model",), ("draper", "keynote")),
    ("Blueprint", (), ("blueprinter",)),
    ("Resource", ("model",), ("jsonapi-resources",)),
    ("Dashboard", ("model",), ("administrate",)),
)


class NamingConventionsPlugin(Plugin):
    """`XPolicy` is live while `X` is live, and so on (extendable in config)."""

    name = "conventions"

    def finalize(self, index: "Index") -> None:
        rules = [(suffix, kinds) for suffix, kinds, gems in DEFAULT_CONVENTIONS if index.gems & set(gems)]
        rules += list(index.options.conventions)
        consts = {d.name: d for d in index.definitions.values() if d.id.startswith("const:")}
        for d in sorted(consts.values(), key=lambda d: d.id):
            for suffix, kinds in rules:
                if not d.name.endswith(suffix) or d.name == suffix:
                    continue
                base = d.name[: -len(suffix)]
                parts = base.split("::")
                candidates = ["::".join(parts[i:]) for i in range(len(parts))]
                for b in candidates:
                    bd = consts.get(b)
                    if bd is not None and (not kinds or bd.kind in kinds):
                        index.add_reference(bd.id, d.id, d.name, d.location, Role.APP,
                                            f"naming convention: {suffix} of {bd.name}")
                        break


class FactoryBotPlugin(Plugin):
    """`factory :estimation_analysis` in spec/factories refers to EstimationAnalysis."""

    name = "factory_bot"
    gems = ("factory_bot", "factory_bot_rails", "factory_girl", "factory_girl_rails")
    methods = frozenset({"factory"})
    on_call_methods = methods

    def on_call(self, call: "RawCall", index: "Index"):
        if call.method != "factory" or not call.args or call.args[0][0] not in ("sym", "str"):
            return
        cls = _opt(call.args, "class")
        if cls is not None:
            if cls[0] in ("str", "sym"):
                yield CallRef(cls[1], "string", "factory class:")
            return
        yield CallRef(inflect.camelize(call.args[0][1]), "string", f"factory :{call.args[0][1]}")

    def finalize(self, index: "Index") -> None:
        # db/seeds.rb that builds records with FactoryBot runs the factories outside the
        # tests: what a factory references is not test-only there
        seeds = sorted(p for p in index.files if re.search(r"(^|/)db/seeds(\.rb$|/)", p)
                       and p in index.facts
                       and any(r.name.startswith("FactoryBot") for r in index.facts[p].references))
        if not seeds:
            return
        for r in sorted({(r.target, r.location.path) for r in index.references
                         if r.role == Role.TEST and "factories/" in r.location.path}):
            index.cap(r[0], "low", f"referenced from {r[1]}, and {seeds[0]} builds records with "
                                   f"FactoryBot: factories run outside the tests there")


class ViewComponentPlugin(Plugin):
    """Components are rendered by constant (already references); sidecar templates are views."""

    name = "view_component"
    gems = ("view_component",)


class ActionMailboxPlugin(Plugin):
    """`routing /re/ => :inbox` in ApplicationMailbox refers to InboxMailbox."""

    name = "action_mailbox"
    gems = ("actionmailbox", "rails")
    methods = frozenset({"routing"})
    on_call_methods = methods
    framework_parents = ("ActionMailbox::Base",)

    def on_call(self, call: "RawCall", index: "Index"):
        if call.method != "routing":
            return

        def targets(v):
            if v[0] in ("sym", "str"):
                yield CallRef(inflect.camelize(v[1]) + "Mailbox", "string", "mailbox routing")
            elif v[0] == "const":
                return

        for a in call.args:
            if a[0] == "pair":
                yield from targets(a[2])
            elif a[0] == "hash":
                for p in a[1]:
                    yield from targets(p[2])


class RuboCopPlugin(Plugin):
    """Custom cops are loaded by .rubocop.yml, never referenced from Ruby."""

    name = "rubocop"

    def finalize(self, index: "Index") -> None:
        for d in index.definitions.values():
            if d.superclass in ("RuboCop::Cop::Base", "RuboCop::Cop::Cop") or (
                    d.superclass in ("Base", "Cop") and any("cop" in loc.path for loc in d.locations)):
                index.add_entry_point(d.id, f"RuboCop cop (subclass of {d.superclass})", "rubocop")


class PunditPlugin(Plugin):
    """Pundit finds `XPolicy::Scope` through `XPolicy`, and `NilClassPolicy` for nil records;
    `authorize :dashboard` names `DashboardPolicy` (headless policies)."""

    name = "pundit"
    gems = ("pundit", "action_policy")
    methods = frozenset({"authorize", "policy", "policy_scope", "authorized_scope", "allowed_to?"})
    on_call_methods = methods

    def on_call(self, call: "RawCall", index: "Index"):
        if call.method not in self.methods or not call.args:
            return
        first = call.args[0]
        if first[0] == "sym":
            yield CallRef(inflect.camelize(first[1]) + "Policy", "string", f"{call.method} :{first[1]}")
        elif first[0] == "const":
            # authorize CaseCourtReport -> CaseCourtReportPolicy (the class need not be a model)
            yield CallRef(first[1].lstrip(":") + "Policy", "string", f"{call.method} {first[1]}")
        elif first[0] == "array":
            parts = [inflect.camelize(x[1]) for x in first[1] if x[0] == "sym"]
            if parts:
                yield CallRef("::".join(parts) + "Policy", "string", f"{call.method} [namespaced]")

    def finalize(self, index: "Index") -> None:
        for d in list(index.definitions.values()):
            if not d.id.startswith("const:") or not d.name.endswith("Policy"):
                continue
            for inner in ("Scope",):
                sid = f"const:{d.name}::{inner}"
                if sid in index.definitions:
                    index.add_reference(d.id, sid, f"{d.name}::{inner}", d.location, Role.APP,
                                        "Pundit policy scope")
            if d.name.rsplit("::", 1)[-1] in ("NilClassPolicy", "ApplicationPolicy"):
                index.add_entry_point(d.id, "Pundit looks it up by convention", "pundit")


class EngineConventionsPlugin(Plugin):
    """Gems that load classes from folders by convention: everything there is called by the gem."""

    name = "engine_conventions"
    FOLDERS = (
        ("avo", r"(^|/)app/(avo|controllers/avo|components/avo)/", "loaded by Avo from app/avo"),
        ("activeadmin", r"(^|/)app/admin/", "registered with ActiveAdmin"),
        ("administrate", r"(^|/)app/(dashboards|fields)/", "loaded by Administrate"),
        ("graphql", r"(^|/)app/graphql/", "part of the GraphQL schema"),
        ("maintenance_tasks", r"(^|/)app/tasks/maintenance/", "listed by maintenance_tasks"),
        ("lookbook", r"(^|/)(spec|test)/components/previews/", "Lookbook preview"),
    )
    PARENTS = {
        "MaintenanceTasks::Task": "maintenance_tasks",
        "Shoryuken::Worker": "shoryuken",
    }
    # top-level classes a gem loads by its default configuration
    NAMES = (
        ("blacklight", "SolrDocument", "Blacklight's default document_model"),
        ("blacklight", "SearchBuilder", "Blacklight's default search_builder_class"),
    )

    def finalize(self, index: "Index") -> None:
        for gem, name, why in self.NAMES:
            if gem in index.gems and f"const:{name}" in index.definitions:
                index.add_entry_point(f"const:{name}", why, self.name)
        rules = [(re.compile(rx), why) for gem, rx, why in self.FOLDERS if gem in index.gems]
        for d in index.definitions.values():
            if not d.id.startswith("const:"):
                continue
            for rx, why in rules:
                if any(rx.search(loc.path) for loc in d.locations):
                    index.add_entry_point(d.id, why, self.name)
                    break
            if d.superclass in self.PARENTS:
                index.add_entry_point(d.id, f"subclass of {d.superclass}, called by the gem", self.name)
            for inc in index.includes.get(d.id, ()):
                if inc in ("Shoryuken::Worker",):
                    index.add_entry_point(d.id, "Shoryuken worker: polled from its queue", self.name)


class AfterPartyPlugin(Plugin):
    """after_party runs every task in lib/tasks/deployment through `rake after_party:run`."""

    name = "after_party"
    gems = ("after_party",)

    def finalize(self, index: "Index") -> None:
        for d in index.definitions.values():
            if d.kind == "rake_task" and d.name.startswith("after_party:"):
                index.add_entry_point(d.id, "run once by `rake after_party:run` (after_party gem)", self.name)


RAILS_PLUGINS = [AfterPartyPlugin, PunditPlugin, EngineConventionsPlugin, ActionMailboxPlugin, RuboCopPlugin, 
    RoutesPlugin, ActiveRecordConventionsPlugin, TablesPlugin, SchedulersPlugin, HelpersPlugin,
    NamingConventionsPlugin, FactoryBotPlugin, ViewComponentPlugin,
]
