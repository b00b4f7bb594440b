"""Static reader for ``config/routes.rb`` (the app is never booted).

The interpreter mirrors ``ActionDispatch::Routing::Mapper`` closely enough to
answer one question: which controller actions can a request reach? It keeps a
scope stack like Rails' (module, controller, action, path, scope level,
current resource, ``only``/``except`` defaults) and resolves each route's
controller exactly as ``Mapping#normalize_options!`` does: ``to: "c#a"``
first, then ``controller:``/the scope controller, then the scope module is
prepended unless the controller starts with ``/``.

Only literal arguments are evaluated (strings, symbols, ``%i``/``%w`` arrays,
hashes, and loop variables of ``[...].each do |x|`` over literal arrays).
Anything that cannot be evaluated is skipped with a warning; unknown DSL
calls with a block are descended into with the scope unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from deadcode.inflect import (
    Const, Inflections, Opaque, RubyRegex, Sym, UNKNOWN, block_parts,
    call_args, camelize, parse_ruby, pluralize, ruby_value, underscore,
)

__all__ = ["Route", "RoutesResult", "parse_routes", "controller_class_name"]


@dataclass(frozen=True)
class Route:
    controller: str    # fully-qualified class name, e.g. "Admin::InvoicesController"
    action: str | None  # None: any action of the controller may be routed
    line: int          # 1-based line of the DSL call in the routes file
    via: str           # the DSL call, e.g. 'resources :invoices'


@dataclass
class RoutesResult:
    routes: list[Route] = field(default_factory=list)
    catch_all: bool = False
    draws: list[str] = field(default_factory=list)
    mounts: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (draw name, controller module path active at the `draw` call, e.g. "admin")
    # so a caller can parse config/routes/<name>.rb with scope_module=<module>.
    draw_scopes: list[tuple[str, str | None]] = field(default_factory=list)
    # controller class -> (route helper of the app, line): routed by a method the app adds
    # to the routing DSL (`json_api_resources :projects`), read as `resources`
    helper_routed: dict[str, tuple[str, int]] = field(default_factory=dict)


RESOURCES_ACTIONS = ("index", "create", "new", "show", "update", "destroy", "edit")
RESOURCE_ACTIONS = ("show", "create", "update", "destroy", "new", "edit")
_API_RESOURCES_ACTIONS = ("index", "create", "show", "update", "destroy")
_API_RESOURCE_ACTIONS = ("show", "create", "update", "destroy")
# Order in which Rails defines the default routes (for a stable output order).
_RESOURCES_EMIT_ORDER = ("index", "create", "new", "edit", "show", "update", "destroy")
_RESOURCE_EMIT_ORDER = ("new", "edit", "show", "update", "destroy", "create")

_RESOURCE_OPTIONS = {"as", "controller", "path", "only", "except", "param", "concerns"}
_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "options", "match", "connect", "query"}
_DEVISE_CONTROLLERS = ("sessions", "passwords", "registrations", "confirmations",
                       "unlocks", "omniauth_callbacks")
# Calls whose blocks are not route definitions.
_NO_DESCEND = {"direct", "resolve", "redirect", "lambda", "proc"}

_ROUTE_NAME_OK = re.compile(r"[\w\-/]+", re.ASCII)
_SHORTHAND = re.compile(r"/?[-\w]+/[-\w/]+", re.ASCII)
_CONTROLLER_PARAM = re.compile(r"[:*]controller(?![\w])")
_ACTION_PARAM = re.compile(r"[:*]action(?![\w])")


def controller_class_name(controller: str, inflections: Inflections | None = None) -> str:
    """Rails controller path -> class name: ``"admin/invoices"`` -> ``"Admin::InvoicesController"``."""
    c = controller.strip("/")
    if re.search(r"[A-Z]|::", c):
        c = underscore(c, inflections)  # lenient: Rails rejects such names
    return camelize(c, inflections=inflections) + "Controller"


@dataclass(frozen=True)
class _Mapper:
    """Value of a block parameter that stands for the route mapper."""
    options: dict  # with_options(...) defaults merged into each call




@dataclass(frozen=True)
class _Resource:
    name: str
    controller: str
    singleton: bool


@dataclass(frozen=True)
class _Scope:
    module: str | None = None
    controller: str | None = None
    action: str | None = None
    to: object = None
    path: str = ""
    level: str | None = None          # resources/resource/member/collection/new/nested/root
    resource: _Resource | None = None
    action_options: tuple | None = None  # (only, except) from `scope only:/except:`
    concern_stack: tuple = ()


def _evolve(scope: _Scope, **changes) -> _Scope:
    """``dataclasses.replace`` for the hot path (every resource): copies the fields
    instead of re-running the frozen class's ``__init__``. Only known fields."""
    new = object.__new__(_Scope)
    fields = new.__dict__
    fields.update(scope.__dict__)
    fields.update(changes)
    return new


def _merge_module(parent: str | None, child: str | None) -> str | None:
    if child is None or child == "":
        return parent
    child = _module_path(child)
    return f"{parent}/{child}" if parent else child


def _module_path(value: str) -> str:
    v = str(value)
    if re.search(r"[A-Z]|::", v):
        v = underscore(v)
    return v.strip("/")


def _merge_path(parent: str, child: object) -> str:
    if not isinstance(child, str):
        return parent
    return f"{parent}/{child}".replace("//", "/")


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _as_name(value: object) -> str | None:
    if isinstance(value, str):
        return str(value)
    return None


def _action_list(value: object) -> list[str] | None:
    """Evaluate an ``only:``/``except:`` value; None when not literal."""
    if isinstance(value, str):
        v = str(value)
        if v == "all":
            return list(RESOURCES_ACTIONS)
        if v == "none":
            return []
        return [v]
    if isinstance(value, list):
        out = []
        for v in value:
            if not isinstance(v, str):
                return None
            out.append(str(v))
        return out
    if value is None:
        return []
    return None


class _Interpreter:
    def __init__(self, source: bytes, inflections: Inflections | None, api_only: bool,
                 engines: dict[str, str] | None = None, helpers: dict[str, str] | None = None) -> None:
        self.source = source
        self.helpers = helpers or {}
        self.engines = engines or {}
        self.inflections = inflections
        self.api_only = api_only
        self.result = RoutesResult()
        self.concerns: dict[str, tuple] = {}
        # `def api_routes ... end` in a routes file, drawn where it is called
        self.methods: dict[str, object] = {}
        self._expanding: set[str] = set()
        self._seen: set[tuple] = set()    # Route fields of the routes found
        self._with_options: dict[int, dict] = {}
        # memos: a `resources` line emits up to seven routes with the same controller
        # and the same `via` text
        self._class_names: dict[str, str] = {}
        self._vias: dict[int, str] = {}
        self._where: dict[int, tuple[int, str]] = {}   # node id -> (line, via)

    def args(self, node, env: dict) -> tuple[list, dict, bool]:
        """``call_args`` plus any ``with_options`` defaults (the call's own win)."""
        pos, opts, splat = call_args(node, env)
        extra = self._with_options.get(node.id)
        if extra:
            merged = dict(extra)
            for k, v in opts.items():
                if isinstance(v, dict) and isinstance(merged.get(k), dict):
                    merged[k] = {**merged[k], **v}
                else:
                    merged[k] = v
            opts = merged
        return pos, opts, splat

    # -- output -------------------------------------------------------------

    def warn(self, node, message: str) -> None:
        self.result.warnings.append(f"line {node.start_point[0] + 1}: {message}")

    def via(self, node) -> str:
        text = self._vias.get(node.id)
        if text is None:
            block = node.child_by_field_name("block")
            end = block.start_byte if block is not None else node.end_byte
            text = self.source[node.start_byte:end].decode("utf-8", "replace")
            text = " ".join(text.split())
            text = self._vias[node.id] = text if len(text) <= 160 else text[:157] + "..."
        return text

    def add(self, controller: str, action: str | None, node) -> None:
        class_name = self._class_names.get(controller)
        if class_name is None:
            class_name = self._class_names[controller] = controller_class_name(controller, self.inflections)
        where = self._where.get(node.id)
        if where is None:
            where = self._where[node.id] = (node.start_point[0] + 1, self.via(node))
        # deduplicated on the plain tuple (cheaper to hash than the dataclass)
        key = (class_name, action) + where
        if key not in self._seen:
            self._seen.add(key)
            self.result.routes.append(Route(*key))

    # -- walking ------------------------------------------------------------

    def walk(self, stmts, scope: _Scope, env: dict) -> None:
        for stmt in stmts:
            self.stmt(stmt, scope, env)

    def walk_block(self, call, scope: _Scope, env: dict, bind: object = UNKNOWN) -> None:
        block = call.child_by_field_name("block")
        if block is None:
            return
        names, stmts = block_parts(block)
        if names:
            env = dict(env)
            env[names[0]] = bind
        elif bind is not UNKNOWN:
            # a block without parameters: Ruby 3.4's `it` and numbered `_1` name the item
            env = dict(env)
            env["it"] = env["_1"] = bind
        self.walk(stmts, scope, env)

    def stmt(self, node, scope: _Scope, env: dict) -> None:
        t = node.type
        if t == "call":
            self.call(node, scope, env)
        elif t == "assignment":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None and left.type == "identifier" and right is not None:
                env[_text(left)] = ruby_value(right, env)
        elif t == "module":
            # `module ApiRoutes; def self.extended(router); router.instance_exec do ... end`
            # in config/routes/*.rb, `extend ApiRoutes` in the draw block: its routes
            body = node.child_by_field_name("body")
            if body is not None:
                self.walk(body.named_children, scope, env)
        elif t == "singleton_method":
            name = node.child_by_field_name("name")
            params = node.child_by_field_name("parameters")
            body = node.child_by_field_name("body")
            if name is not None and _text(name) in ("extended", "included") and body is not None:
                env = dict(env)
                if params is not None and params.named_children:
                    env[_text(params.named_children[0])] = _Mapper({})
                self.walk(body.named_children, scope, env)
        elif t == "method":
            name = node.child_by_field_name("name")
            params = node.child_by_field_name("parameters")
            body = node.child_by_field_name("body")
            if name is not None and body is not None and (params is None or not params.named_children):
                self.methods[_text(name)] = body
        elif t == "identifier":
            self.expand(_text(node), scope, env)
        elif t in ("class", "comment", "string", "simple_symbol", "heredoc_body"):
            return
        else:
            for c in node.named_children:
                self.stmt(c, scope, env)

    def expand(self, name: str, scope: _Scope, env: dict) -> bool:
        """Draw the routes of a method the routes file defines, where it is called."""
        body = self.methods.get(name)
        if body is None or name in self._expanding or name in env or len(self._expanding) >= 20:
            return False
        self._expanding.add(name)
        try:
            self.walk(body.named_children, scope, dict(env))
        finally:
            self._expanding.discard(name)
        return True

    def call(self, node, scope: _Scope, env: dict) -> None:
        m = node.child_by_field_name("method")
        method = _text(m) if m is not None else ""
        recv = node.child_by_field_name("receiver")
        if recv is None and method in self.methods and node.child_by_field_name("arguments") is None \
                and self.expand(method, scope, env):
            return
        if recv is not None:
            mapper = env.get(_text(recv)) if recv.type == "identifier" else None
            if not isinstance(mapper, _Mapper):
                self.receiver_call(node, method, recv, scope, env)
                return
            if mapper.options:
                self._with_options[node.id] = mapper.options
        handler = getattr(self, f"dsl_{method}", None)
        if handler is not None:
            handler(node, scope, env)
        elif method in _HTTP_VERBS:
            self.dsl_match(node, scope, env, verb=method)
        elif method in self.helpers:
            # a route helper the app defines (wrapping `resources`): its own options dropped
            before = len(self.result.routes)
            self._resources(node, scope, env, singleton=self.helpers[method] == "resource",
                            known_only=True)
            for r in self.result.routes[before:]:
                self.result.helper_routed.setdefault(r.controller, (method, r.line))
        elif method == "with_options":
            # with_options(only: [:index]) do |map| map.resources :x end
            _pos, opts, _ = self.args(node, env)
            self.walk_block(node, scope, env, bind=_Mapper(opts))
        elif method not in _NO_DESCEND:
            # unknown blocks: a block parameter, if any, stands for the mapper. A `module:`
            # option scopes controllers as `scope module:` does (versionist's
            # `api_version(module: "Api::V1") do ... end` and similar gems' DSLs).
            if node.child_by_field_name("block") is not None:
                _pos, opts, _ = self.args(node, env)
                mod = opts.get(Sym("module"))
                if isinstance(mod, str):
                    scope = replace(scope, module=_merge_module(scope.module, str(mod)))
            self.walk_block(node, scope, env, bind=_Mapper({}))

    def receiver_call(self, node, method: str, recv, scope: _Scope, env: dict) -> None:
        if node.child_by_field_name("block") is None:
            return
        if method in ("each", "each_with_index", "map", "each_key"):
            items = ruby_value(recv, env)
            if isinstance(items, dict):
                items = list(items.keys())
            if isinstance(items, list):
                for item in items:
                    self.walk_block(node, scope, env, bind=item)
                return
            self.warn(node, f"loop over a non-literal collection: {self.via(node)}")
        # Rails.application.routes.draw do, MyEngine::Engine.routes.draw do,
        # routes.prepend do, ...: same scope, but an isolated engine's routes name the
        # controllers inside its namespace
        if method == "draw" and recv is not None and recv.type == "call":
            engine = recv.child_by_field_name("receiver")
            ns = self.engines.get(_text(engine).lstrip(":")) if engine is not None else None
            if ns:
                scope = _evolve(scope, module=_merge_module(scope.module, ns))
        self.walk_block(node, scope, env)

    # -- route resolution (Mapper#map_match / add_route / Mapping) ---------------

    def match_one(self, node, scope: _Scope, path_or_action: object, *, to: object = None,
                  controller: object = None, action: object = None, path_opt: object = None,
                  on: object = None) -> None:
        if on is not None:
            if not isinstance(on, str) or str(on) not in ("member", "collection", "new"):
                self.warn(node, f"unknown on: value: {self.via(node)}")
                return
            if scope.resource is None:
                self.warn(node, f"on: :{on} outside a resources block: {self.via(node)}")
                return
            scope = replace(scope, level=str(on))
        if scope.to is not None and to is None:
            to = scope.to
        if scope.controller and scope.action and to is None:
            to = f"{scope.controller}#{scope.action}"
        if controller is None:
            controller = scope.controller

        if isinstance(path_or_action, Sym):
            action_name = str(path_or_action)
        elif isinstance(path_or_action, str):
            action_name = str(path_or_action)
            if to is None and action is None:
                to = _shorthand_to(action_name)
        else:
            self.warn(node, f"could not evaluate route path: {self.via(node)}")
            return

        route_path = path_opt if isinstance(path_opt, str) else action_name
        full_path = f"{scope.path}/{route_path}"

        default_action = _as_name(action) if action is not None else None
        if isinstance(action, RubyRegex):
            default_action = None
        if default_action is None:
            default_action = scope.action
        if _ROUTE_NAME_OK.fullmatch(action_name) and "/" not in action_name:
            default_action = default_action or action_name.replace("-", "_")

        # Mapping#normalize_options!
        if to is None:
            ctrl, act = controller, default_action
        elif isinstance(to, Sym):  # Rails raises; read it as an action name
            ctrl, act = controller, str(to)
        elif isinstance(to, str):
            if "#" in to:
                parts = [p for p in to.split("#")]
                while parts and parts[-1] == "":
                    parts.pop()
                ctrl = parts[0] if parts and parts[0] else None
                act = parts[1] if len(parts) > 1 else None
            else:
                ctrl, act = controller, str(to)
        elif isinstance(to, (Opaque, Const)):
            return  # redirect(...), a Rack app, a lambda: no controller action
        else:
            self.warn(node, f"could not evaluate to: in {self.via(node)}")
            return

        # (the substring tests skip the regex searches for nearly every path)
        if "controller" in full_path and _CONTROLLER_PARAM.search(full_path):
            self.result.catch_all = True
            return
        if isinstance(ctrl, RubyRegex):
            self.result.catch_all = True
            return
        if ctrl is not None and not isinstance(ctrl, str):
            self.warn(node, f"could not evaluate controller in {self.via(node)}")
            return
        ctrl = _add_controller_module(str(ctrl) if ctrl is not None else None, scope.module)
        any_action = "action" in full_path and bool(_ACTION_PARAM.search(full_path))
        if ctrl is None:
            if any_action:
                self.result.catch_all = True
            else:
                self.warn(node, f"route without a controller: {self.via(node)}")
            return
        if any_action:
            self.add(ctrl, None, node)
        elif act is None:
            self.warn(node, f"route without an action: {self.via(node)}")
        else:
            self.add(ctrl, str(act), node)

    # -- HTTP verbs / match / root ------------------------------------------

    def dsl_match(self, node, scope: _Scope, env: dict, verb: str = "match") -> None:
        pos, opts, splat = self.args(node, env)
        to = opts.get(Sym("to"))
        controller = opts.get(Sym("controller"))
        action = opts.get(Sym("action"))
        on = opts.get(Sym("on"))
        path_opt = opts.get(Sym("path"))
        if not pos:
            # get "path" => "c#a": the first String key is the path
            for key, value in opts.items():
                if isinstance(key, str) and not isinstance(key, Sym):
                    pos = [str(key)]
                    if isinstance(value, Sym):
                        action = action if action is not None else value
                    elif isinstance(value, str):
                        if "#" in value:
                            to = to if to is not None else str(value)
                        else:
                            controller = controller if controller is not None else str(value)
                    else:
                        to = to if to is not None else value
                    break
            else:
                # get locale.to_s => "locales#set": a run-time path, a literal target
                for key, value in opts.items():
                    if not isinstance(key, Sym) and isinstance(value, str) \
                            and not isinstance(value, Sym) and "#" in value:
                        pos, to = ["(run-time path)"], to if to is not None else str(value)
                        break
        if not pos:
            if splat:
                self.warn(node, f"could not evaluate route arguments: {self.via(node)}")
            else:
                self.warn(node, f"route path not specified: {self.via(node)}")
            return
        for p in pos:
            if isinstance(p, list):  # old-style multiple paths in an array
                for q in p:
                    self.match_one(node, scope, q, to=to, controller=controller,
                                   action=action, path_opt=path_opt, on=on)
            else:
                self.match_one(node, scope, p, to=to, controller=controller, action=action,
                               path_opt=path_opt, on=on)

    def dsl_root(self, node, scope: _Scope, env: dict) -> None:
        pos, opts, _ = self.args(node, env)
        to = opts.get(Sym("to"))
        if pos and isinstance(pos[0], str) and not isinstance(pos[0], Sym):
            to = str(pos[0])
        elif pos:
            self.warn(node, f"could not evaluate root: {self.via(node)}")
            return
        self.match_one(node, replace(scope, level="root") if scope.level in ("resources", "resource") else scope,
                       "/", to=to, controller=opts.get(Sym("controller")),
                       action=opts.get(Sym("action")))

    # -- scoping ---------------------------------------------------------------

    def dsl_scope(self, node, scope: _Scope, env: dict) -> None:
        pos, opts, _ = self.args(node, env)
        new = scope
        path_parts = [p for p in pos if isinstance(p, str)]
        if path_parts:
            new = replace(new, path=_merge_path(new.path, "/".join(map(str, path_parts))))
        if Sym("path") in opts:
            new = replace(new, path=_merge_path(new.path, opts[Sym("path")]))
        if Sym("module") in opts:
            mod = opts[Sym("module")]
            if isinstance(mod, str):
                new = replace(new, module=_merge_module(new.module, str(mod)))
            elif mod is not None:
                self.warn(node, f"could not evaluate module: {self.via(node)}")
        if Sym("controller") in opts:
            c = opts[Sym("controller")]
            new = replace(new, controller=str(c) if isinstance(c, str) else None)
        if Sym("action") in opts:
            a = opts[Sym("action")]
            new = replace(new, action=str(a) if isinstance(a, str) else None)
        if Sym("to") in opts:
            new = replace(new, to=opts[Sym("to")])
        if Sym("only") in opts or Sym("except") in opts:
            new = replace(new, action_options=(
                _action_list(opts[Sym("only")]) if Sym("only") in opts else None,
                _action_list(opts[Sym("except")]) if Sym("except") in opts else None))
        self.walk_block(node, new, env)

    def dsl_namespace(self, node, scope: _Scope, env: dict) -> None:
        pos, opts, _ = self.args(node, env)
        if not pos or not isinstance(pos[0], str):
            self.warn(node, f"could not evaluate namespace name: {self.via(node)}")
            self.walk_block(node, scope, env)
            return
        name = str(pos[0])
        mod = opts.get(Sym("module"), name)
        if mod is None:
            mod = name
        path = opts.get(Sym("path"), name)
        new = scope
        if scope.level in ("resources", "resource"):
            new = replace(new, level="nested")
        if isinstance(mod, str):
            new = replace(new, module=_merge_module(new.module, str(mod)))
        else:
            self.warn(node, f"could not evaluate namespace module: {self.via(node)}")
        new = replace(new, path=_merge_path(new.path, path))
        self.walk_block(node, new, env)

    def dsl_controller(self, node, scope: _Scope, env: dict) -> None:
        pos, opts, _ = self.args(node, env)
        if not pos or not isinstance(pos[0], str):
            self.warn(node, f"could not evaluate controller name: {self.via(node)}")
            self.walk_block(node, replace(scope, controller=None), env)
            return
        new = replace(scope, controller=str(pos[0]))
        if opts:  # Rails < 7.1 accepted scope options here
            if isinstance(opts.get(Sym("module")), str):
                new = replace(new, module=_merge_module(new.module, str(opts[Sym("module")])))
            if isinstance(opts.get(Sym("action")), str):
                new = replace(new, action=str(opts[Sym("action")]))
        self.walk_block(node, new, env)

    def _level(self, node, scope: _Scope, env: dict, level: str) -> None:
        if scope.resource is None:  # Rails raises ArgumentError here
            self.warn(node, f"{level} outside a resources block")
            return
        self.walk_block(node, replace(scope, level=level), env)

    def dsl_member(self, node, scope, env):
        self._level(node, scope, env, "member")

    def dsl_collection(self, node, scope, env):
        self._level(node, scope, env, "collection")

    def dsl_new(self, node, scope, env):
        self._level(node, scope, env, "new")

    def dsl_nested(self, node, scope, env):
        self._level(node, scope, env, "nested")

    def dsl_direct(self, node, scope, env):
        return

    def dsl_resolve(self, node, scope, env):
        return

    # -- resources ---------------------------------------------------------------

    def dsl_resources(self, node, scope: _Scope, env: dict) -> None:
        self._resources(node, scope, env, singleton=False)

    # jsonapi-resources' routing DSL routes like resources / resource
    def dsl_jsonapi_resources(self, node, scope: _Scope, env: dict) -> None:
        self.dsl_resources(node, scope, env)

    def dsl_jsonapi_resource(self, node, scope: _Scope, env: dict) -> None:
        self.dsl_resource(node, scope, env)

    def dsl_resource(self, node, scope: _Scope, env: dict) -> None:
        self._resources(node, scope, env, singleton=True)

    def _resources(self, node, scope: _Scope, env: dict, singleton: bool, known_only: bool = False) -> None:
        kind = "resource" if singleton else "resources"
        names, opts, splat = self.args(node, env)
        if known_only:
            opts = {k: v for k, v in opts.items() if str(k) in _RESOURCE_OPTIONS | {"module", "shallow"}}
        flat: list = []
        for n in names:
            flat.extend(n if isinstance(n, list) else [n])
        if not flat:
            self.warn(node, f"could not evaluate {kind} arguments: {self.via(node)}")
            self.walk_block(node, scope, env)
            return
        concerns = opts.pop(Sym("concerns"), None)
        for name in flat:
            if not isinstance(name, str):
                self.warn(node, f"could not evaluate {kind} name: {self.via(node)}")
                self.walk_block(node, scope, env)
                continue
            self._one_resource(node, scope, env, str(name), dict(opts), concerns, singleton)

    def _one_resource(self, node, scope: _Scope, env: dict, name: str, opts: dict,
                      concerns: object, singleton: bool) -> None:
        if scope.level in ("resources", "resource"):
            scope = replace(scope, level="nested")
        # options that are not resource options become a surrounding scope
        if Sym("module") in opts:
            mod = opts[Sym("module")]
            if isinstance(mod, str):
                scope = replace(scope, module=_merge_module(scope.module, str(mod)))
            elif mod is not None:
                self.warn(node, f"could not evaluate module: {self.via(node)}")

        # only/except (own options win over `scope only:/except:`)
        defaults = (_API_RESOURCE_ACTIONS if singleton else _API_RESOURCES_ACTIONS) if self.api_only \
            else (RESOURCE_ACTIONS if singleton else RESOURCES_ACTIONS)
        only = except_ = None
        if Sym("only") in opts or Sym("except") in opts:
            if Sym("only") in opts:
                only = _action_list(opts[Sym("only")])
                if only is None:
                    self.warn(node, f"could not evaluate only: in {self.via(node)}")
            if Sym("except") in opts:
                except_ = _action_list(opts[Sym("except")])
                if except_ is None:
                    self.warn(node, f"could not evaluate except: in {self.via(node)}")
        elif scope.action_options is not None:
            s_only, s_except = scope.action_options
            applicable = RESOURCE_ACTIONS if singleton else RESOURCES_ACTIONS
            only = [a for a in s_only if a in applicable] if s_only is not None else None
            except_ = [a for a in s_except if a in applicable] if s_except is not None else None
        available = list(only) if only is not None else list(defaults)
        actions = [a for a in available if not except_ or a not in except_]

        ctrl_opt = opts.get(Sym("controller"))
        if ctrl_opt is not None and not isinstance(ctrl_opt, str):
            self.warn(node, f"could not evaluate controller: in {self.via(node)}")
            ctrl_opt = None
        if ctrl_opt is not None:
            controller = str(ctrl_opt)
        else:
            controller = pluralize(name, self.inflections) if singleton else name
        res = _Resource(name, controller, singleton)
        inner = _evolve(scope, level="resource" if singleton else "resources", resource=res,
                        controller=controller)

        self.walk_block(node, inner, env)
        if concerns is not None:
            self.apply_concerns(node, inner, env, concerns)
        order = _RESOURCE_EMIT_ORDER if singleton else _RESOURCES_EMIT_ORDER
        member = _evolve(inner, level="member")
        # Fast path for the usual case, where match_one(node, member, Sym(action)) comes
        # down to this: no `to:`/action in the scope, so the route is the resource
        # controller (under the scope module) and the action itself, unless the path
        # holds a :controller/:action segment (then match_one decides).
        simple = member.to is None and member.action is None
        ctrl = _add_controller_module(str(controller), member.module) if simple else None
        for action in order:
            if action in actions:
                if simple and "controller" not in member.path and "action" not in member.path:
                    self.add(ctrl, action, node)
                else:
                    self.match_one(node, member, Sym(action))

    # -- concerns ------------------------------------------------------------------

    def dsl_concern(self, node, scope: _Scope, env: dict) -> None:
        pos, _opts, _ = self.args(node, env)
        if not pos or not isinstance(pos[0], str):
            self.warn(node, f"could not evaluate concern name: {self.via(node)}")
            return
        name = str(pos[0])
        block = node.child_by_field_name("block")
        if block is None:
            self.warn(node, f"concern :{name} is not a block; its routes are unknown")
            self.concerns[name] = None  # type: ignore[assignment]
            return
        self.concerns[name] = (node, dict(env))

    def dsl_concerns(self, node, scope: _Scope, env: dict) -> None:
        pos, opts, _ = self.args(node, env)
        self.apply_concerns(node, scope, env, pos, opts)

    def apply_concerns(self, node, scope: _Scope, env: dict, names: object, opts: dict | None = None) -> None:
        items = names if isinstance(names, list) else [names]
        flat: list = []
        for it in items:
            flat.extend(it if isinstance(it, list) else [it])
        for name in flat:
            if not isinstance(name, str):
                self.warn(node, f"could not evaluate concern name: {self.via(node)}")
                continue
            name = str(name)
            if name not in self.concerns:
                self.warn(node, f"concern :{name} not defined before use")
                continue
            entry = self.concerns[name]
            if entry is None:
                continue
            if name in scope.concern_stack:
                self.warn(node, f"recursive concern :{name}")
                continue
            cnode, cenv = entry
            self.walk_block(cnode, replace(scope, concern_stack=scope.concern_stack + (name,)),
                            dict(cenv), bind=opts or {})

    # -- misc ----------------------------------------------------------------------

    def dsl_mount(self, node, scope: _Scope, env: dict) -> None:
        pos, opts, _ = self.args(node, env)
        app = pos[0] if pos else None
        if app is None:
            for key in opts:
                if isinstance(key, (Const, Opaque)):
                    app = key
                    break
        if isinstance(app, Const):
            self.result.mounts.append((app.path, node.start_point[0] + 1))
        elif app is None:
            self.warn(node, f"could not evaluate mounted app: {self.via(node)}")

    def dsl_draw(self, node, scope: _Scope, env: dict) -> None:
        pos, _opts, _ = self.args(node, env)
        if pos and isinstance(pos[0], str):
            self.result.draws.append(str(pos[0]))
            self.result.draw_scopes.append((str(pos[0]), scope.module))
        else:
            self.warn(node, f"could not evaluate draw name: {self.via(node)}")

    def dsl_use_doorkeeper(self, node, scope: _Scope, env: dict) -> None:
        """doorkeeper: `use_doorkeeper do controllers authorizations: "oauth2_authorizations" end`."""
        block = node.child_by_field_name("block")
        if block is None:
            return
        _names, stmts = block_parts(block)
        for stmt in stmts:
            if stmt.type != "call":
                continue
            m = stmt.child_by_field_name("method")
            if m is None or _text(m) != "controllers":
                continue
            _pos, opts, _ = self.args(stmt, env)
            for value in opts.values():
                if isinstance(value, str) and value:
                    self.add(str(value).lstrip("/"), None, stmt)

    def dsl_devise_for(self, node, scope: _Scope, env: dict) -> None:
        _pos, opts, _ = self.args(node, env)
        explicit = opts.get(Sym("controllers"))
        overridden: set[str] = set()
        if isinstance(explicit, dict):
            for key, value in explicit.items():
                if isinstance(value, str) and value:
                    overridden.add(str(key))
                    self.add(str(value).lstrip("/"), None, node)
        elif explicit is not None:
            self.warn(node, f"could not evaluate devise controllers: {self.via(node)}")
        mod = opts.get(Sym("module"))
        mod = _module_path(str(mod)) if isinstance(mod, str) else scope.module
        if mod and mod != "devise":
            skip = _action_list(opts.get(Sym("skip"))) or []
            only = _action_list(opts[Sym("only")]) if Sym("only") in opts else None
            for c in _DEVISE_CONTROLLERS:
                if c in overridden or c in skip or (only is not None and c not in only):
                    continue
                self.add(f"{mod}/{c}", None, node)


def _shorthand_to(path: str) -> str | None:
    """Mapper#get_to_from_path: ``get "pages/about"`` -> ``"pages#about"``."""
    p = re.sub(r"\(\.:format\)$", "", path)
    if _SHORTHAND.fullmatch(p):
        p = p[1:] if p.startswith("/") else p
        return re.sub(r"/([^/]*)$", r"#\1", p).replace("-", "_")
    return None


def _add_controller_module(controller: str | None, module: str | None) -> str | None:
    if module:
        if controller is not None and controller.startswith("/"):
            return controller[1:]
        return "/".join(p for p in (module, controller) if p)
    return controller.lstrip("/") if controller is not None else None


def parse_routes(source: bytes, scope_module: str | None = None, *,
                 inflections: Inflections | None = None, api_only: bool = False,
                 engines: dict[str, str] | None = None, nested_only: bool = False,
                 helpers: dict[str, str] | None = None) -> RoutesResult:
    """Statically read a routes file.

    ``scope_module`` is the controller module active where a drawn file is
    ``draw``-n (``"admin"`` or ``"Admin"``; see ``RoutesResult.draw_scopes``).
    ``inflections`` is used for singular-resource pluralisation and for
    camelizing controller paths (acronyms). ``api_only`` drops ``new``/``edit``
    from the default resource actions, as ``config.api_only = true`` does.
    ``nested_only`` reads only the ``routes.append/prepend/draw`` blocks of a
    file that is not a routes file (config/application.rb, an initializer).
    ``helpers`` names route helpers the app adds to the mapper ("resources" or
    "resource": what each is read as).
    """
    if isinstance(source, str):
        source = source.encode("utf-8")
    interp = _Interpreter(source, inflections, api_only, engines, helpers)
    module = _module_path(scope_module) if scope_module else None
    tree = parse_ruby(source)
    if tree.root_node.has_error:
        interp.result.warnings.append("routes file has syntax errors; results may be incomplete")
    if nested_only:
        # config/application.rb: `app.routes.append { match "*path", to: "errors#show" }`
        # inside classes and blocks; only those route blocks are read
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            if node.type == "call" and node.child_by_field_name("block") is not None:
                m, recv = node.child_by_field_name("method"), node.child_by_field_name("receiver")
                if m is not None and recv is not None and _text(m) in ("append", "prepend", "draw") \
                        and _text(recv).endswith("routes"):
                    interp.receiver_call(node, _text(m), recv, _Scope(module=module or None), {})
                    continue
            stack.extend(reversed(node.named_children))
        return interp.result
    interp.walk(tree.root_node.named_children, _Scope(module=module or None), {})
    return interp.result
