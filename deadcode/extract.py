"""Per-file extraction: tree-sitter query matches turned into compact facts.

``extract_file`` is a pure function of (path, language, role, bytes): it knows
nothing of other files, so its result can be computed in a worker process and
cached by content hash. Lexical scope and owners are attached by looking positions
up in the segments cut by the (nested) byte ranges of the definitions, instead of
walking parents node by node.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import os
import json
import re
from bisect import bisect_right
from functools import lru_cache
from importlib import resources

from .model import TAKES_ARGUMENTS, FileFacts, RawCall, RawDefinition, RawReference

# tree-sitter, the grammars, PyYAML and the plugins are imported where they are first
# needed: a scan that reuses its cached facts and analysis never loads them.

CONST_PATH = re.compile(r"^(?:::)?[A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)*$")
CONST_IN_TEXT = re.compile(r"(?<![\w:])(?:::)?[A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)*")
CONST_CALL_EXPR = re.compile(r"^\s*((?:::)?[A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)*)\.[a-z_]\w*[!?]?")
LITERAL_WORD = re.compile(r"^[A-Za-z0-9_][\w.:\-/]{0,79}$")
TEXT_TOKEN = re.compile(r"[\w][\w.:\-]*")
TOKEN_PARTS = re.compile(r"[.:\-]+")
RAKE_INVOCATION = re.compile(
    r"""\b(?:rake|rails)\b(?:\\?["',\s]|\\")+(?:(?:-[\w-]+|[A-Z_]+=\S*|"?\$[@*]"?)\s+)*"""
    r"""([A-Za-z_][\w\-]*(?::[\w\-]+)+|[a-z_][\w\-]*)(\[[^\]\n]*\])?"""
)
# `rails setup:download setup:unzip setup:other`: more namespaced tasks after the first
_MORE_TASKS = re.compile(r"(?:\[[^\]\n]*\])?[ \t]+([A-Za-z_][\w\-]*(?::[\w\-]+)+)")


def rake_invocations(text: str):
    """(task name, offset) of each task a rake/rails command line in ``text`` runs."""
    for m in RAKE_INVOCATION.finditer(text):
        yield m.group(1), m.start()
        pos = m.end(1)
        for _ in range(50):
            more = _MORE_TASKS.match(text, pos)
            if more is None:
                break
            yield more.group(1), m.start()
            pos = more.end()


SQL_HINT = re.compile(r"(?i)\b(?:select|insert|update|delete|truncate|create|alter)\b")
SQL_TABLE = re.compile(
    r"""(?i)\b(?:from|join|into|update|table|truncate)\s+[`"']?(?:public\.)?([a-z_][a-z0-9_]*)""")
# a column qualified by its table in an SQL fragment: order("actions.id desc"), pluck("users.id")
SQL_COLUMN = re.compile(r"(?<![\w.:/@-])([a-z_][a-z0-9_]*)\.(\*|[a-z_][a-z0-9_]*)\b(?![.(/-])")
# alone in a string only with a column-like name: not an i18n key ("users.index")
SQL_COLUMN_ALONE = re.compile(r"^[a-z_][a-z0-9_]*\.(\*|id|[a-z0-9_]+_(?:id|at|on|count))$")
NOT_COLUMNS = frozenset({"rb", "yml", "yaml", "html", "css", "scss", "js", "png", "jpg", "jpeg", "gif",
                         "json", "xml", "csv", "txt", "com", "org", "net", "io", "pdf", "svg", "erb",
                         "md", "gz", "zip", "log", "haml", "slim", "rake", "sql", "keep", "new",
                         "now", "call", "each", "map", "first", "last", "count", "find", "where"})
CONST_IN_CODE_STRING = re.compile(
    r"(?<![\w:])((?:::)?[A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)+|[A-Z][A-Za-z0-9_]*[a-z][A-Za-z0-9_]*(?=\.[a-z_]\w*))")
ZEITWERK_PATH = re.compile(r"^[a-z][a-z0-9_]*(?:/[a-z][a-z0-9_]*)+$")
# constant names in comments: a path with ::, or a CamelCase word with two capitals
CAMEL_WORD = re.compile(r"\b[A-Z][a-z0-9]+[A-Z]\w*")
CONST_IN_COMMENT = re.compile(
    r"(?<![\w:])(?:::)?[A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)+|\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9_]*")
# enqueue calls that make a case/when branch a dispatch entry (all recorded as calls)
PERFORM_METHODS = frozenset({
    "perform_async", "perform_in", "perform_at", "perform_bulk", "perform_later", "perform_now",
    "set",
})

# calls that enumerate a class's subclasses (a registry): every subclass may be used
REGISTRY_METHODS = frozenset({"descendants", "subclasses", "direct_descendants",
                              "eager_load_namespace"})

CORE_METHODS = REGISTRY_METHODS | frozenset({
    "require", "require_relative", "require_dependency", "load", "autoload",
    "include", "extend", "prepend", "namespace", "task", "desc", "const_get",
    "perform_async", "perform_in", "perform_at", "perform_bulk", "perform_later",
    "perform_now", "set", "private", "protected", "public",
})


@lru_cache(maxsize=None)
def _query_source() -> str:
    return resources.files("deadcode").joinpath("queries/ruby.scm").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _call_methods() -> frozenset[str]:
    """Names of the calls recorded as facts: the core ones and those plugins read."""
    from .plugins import all_plugin_methods
    return frozenset(CORE_METHODS | all_plugin_methods())


@lru_cache(maxsize=None)
def _query():
    from tree_sitter import Query
    from .parsing import RUBY
    return Query(RUBY, _query_source())


# the tag of a pattern: the capture of its outer node ("definition.class", "comment"...)
_PATTERN_TAG = re.compile(r"@((?:definition|reference)\.\w+|visibility|comment)\b")


@lru_cache(maxsize=None)
def _pattern_kinds() -> tuple[str, ...]:
    """The tag of each query pattern, by pattern index: matches are dispatched on it."""
    query = _query()
    source = _query_source().encode()
    kinds = []
    for i in range(query.pattern_count):
        text = source[query.start_byte_for_pattern(i):query.end_byte_for_pattern(i)].decode()
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(";"))
        kinds.append(_PATTERN_TAG.findall(code)[-1])
    return tuple(kinds)


@lru_cache(maxsize=None)
def _error_query():
    from tree_sitter import Query
    from .parsing import RUBY
    return Query(RUBY, "(ERROR) @error (MISSING) @missing")


_PARAMETER_TYPES = frozenset({
    "block_parameters", "method_parameters", "lambda_parameters", "optional_parameter",
    "keyword_parameter", "splat_parameter", "hash_splat_parameter", "block_parameter",
    "destructured_parameter", "exception_variable",
})
DYNAMIC_SEND = "<send>"   # in FileFacts.names: the file calls send/public_send(non-literal)
_METHOD_WORD = re.compile(r"^[a-z_][A-Za-z0-9_]*[?!]?$")
_NAMES_PATH = re.compile(r"(^|/)app/(controllers|helpers|views)/|(^|/)concerns/")


@lru_cache(maxsize=None)
def _names_query():
    """Every identifier (@name), and those that name no call (@skip): a method of another
    object, a parameter, a method's own name, an assigned local. Said by the query, not
    by ``node.parent``: tree-sitter finds a parent by walking its siblings, which is
    quadratic in a template of 200,000 directives."""
    from tree_sitter import Query
    from .parsing import RUBY
    skip = ["(call receiver: _ method: (identifier) @skip)",
            "(assignment left: (identifier) @skip)",
            "(operator_assignment left: (identifier) @skip)"]
    skip += [f"({t} (identifier) @skip)" for t in sorted(_PARAMETER_TYPES
             | {"method", "singleton_method", "alias"})]
    # `public_send(mode)`: a dynamic send (@send) and the file's literal words (@literal)
    extra = """
(call method: (identifier) @send
  arguments: (argument_list . [(identifier) (call) (instance_variable) (element_reference)
                               (interpolation) (string (interpolation))])
  (#any-of? @send "send" "public_send" "__send__" "try"))
(pair key: (hash_key_symbol) @shorthand !value)
(simple_symbol) @literal
(string . (string_content) @literal .)
(bare_string . (string_content) @literal .)
(bare_symbol) @literal
"""
    return Query(RUBY, "(identifier) @name\n" + "\n".join(skip) + extra)


def _called_names(root, text_of) -> tuple:
    """Method names called without a receiver: bare identifiers and receiverless calls (a
    local variable of the same name counts too: it only makes fewer actions)."""
    from tree_sitter import QueryCursor
    caps = QueryCursor(_names_query()).captures(root)
    skip = {node.start_byte for node in caps.get("skip", ())}
    names = {text_of(node) for node in caps.get("name", ())
             if node.start_byte not in skip and node.end_byte > node.start_byte}   # not MISSING
    # `public_send(mode)` with `mode` from %w(search browse), maybe in another file of the
    # class: the literal words (":word") may be names called, if a dynamic send ("<send>")
    # is anywhere in the class, its ancestors or mixins
    if caps.get("send"):
        names.add(DYNAMIC_SEND)
    # `render(state_store:)`: Ruby 3.1's shorthand hash calls the method of that name
    names.update(text_of(node) for node in caps.get("shorthand", ()))
    for node in caps.get("literal", ()):
        word = text_of(node).lstrip(":")
        if _METHOD_WORD.match(word):
            names.add(":" + word)
    return tuple(sorted(names))


def queries_hash() -> str:
    """Identifies the extraction rules; part of every cache key."""
    h = hashlib.sha256((_query_source() + _loading_source() + "|names").encode())
    # which calls are kept is the plugins' say (``_call_methods``): their sources stand
    # for that set here, so that computing the hash imports no plugin
    plugins = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins")
    for folder, dirs, names in sorted(os.walk(plugins)):
        dirs.sort()
        for name in sorted(n for n in names if n.endswith(".py")):
            path = os.path.join(folder, name)
            h.update(os.path.relpath(path, plugins).encode() + b"\0")
            with open(path, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()[:16]


@lru_cache(maxsize=None)
def _loading_source() -> str:
    return resources.files("deadcode").joinpath("queries/loading.scm").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _loading_query():
    from tree_sitter import Query
    from .parsing import RUBY
    return Query(RUBY, _loading_source())


@lru_cache(maxsize=None)
def _call_method_query():
    from tree_sitter import Query
    from .parsing import RUBY
    return Query(RUBY, "(call method: (identifier) @method)")


@lru_cache(maxsize=None)
def _when_query():
    from tree_sitter import Query
    from .parsing import RUBY
    return Query(RUBY, "(case (when) @when) @case")


def _loading_items(root, path: str, text_of) -> list:
    """References of file loading (``Dir`` globs) and subclass registries (bare
    ``descendants``, ``def self.inherited``): (position, kind, name, line, via)."""
    from tree_sitter import QueryCursor
    items = []
    methods = None
    for _pattern, caps in QueryCursor(_loading_query()).matches(root):
        if "reference.dir_glob" in caps:
            node = caps["reference.dir_glob"][0]
            glob = _dir_glob(node, path) if not path.endswith(".gemspec") else None   # a file list
            if glob:
                items.append((node.start_byte, "file_glob", glob, _row(node), "Dir glob"))
        elif "reference.bare_registry" in caps:
            node = caps["reference.bare_registry"][0]
            if methods is None:     # the method names of calls, by a query (no parent lookups)
                methods = {c.start_byte for c in QueryCursor(_call_method_query()).captures(root)
                           .get("method", ())}
            if node.start_byte not in methods:   # no receiver: self's registry
                items.append((node.start_byte, "registry", "self", _row(node),
                              f"{text_of(node)} registry"))
        elif "reference.inherited_hook" in caps:
            node = caps["reference.inherited_hook"][0]
            items.append((node.start_byte, "registry", "self", _row(node), "inherited hook"))
    return items


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _row(node) -> int:
    return node.start_point[0] + 1


def _end_row(node) -> int:
    return node.end_point[0] + 1


# ---------------------------------------------------------------------------
# Fast records
# ---------------------------------------------------------------------------
# A frozen dataclass's __init__ sets every field through object.__setattr__, which
# costs more than the rest of a reference's extraction. These build the very same
# instances (same fields, same __dict__ order) directly; the parameters of each must
# be the fields of its class, in order, which is checked at import.

_new = object.__new__


def _reference(name, kind, line, scope, owner, via) -> RawReference:
    obj = _new(RawReference)
    obj.__dict__.update(name=name, kind=kind, line=line, scope=scope, owner=owner, via=via)
    return obj


def _call(method, receiver, args, line, scope, owner, has_block) -> RawCall:
    obj = _new(RawCall)
    obj.__dict__.update(method=method, receiver=receiver, args=args, line=line, scope=scope,
                        owner=owner, has_block=has_block)
    return obj


def _definition(kind, name, line, end_line, superclass, scope, owner, detail, keep) -> RawDefinition:
    obj = _new(RawDefinition)
    obj.__dict__.update(kind=kind, name=name, line=line, end_line=end_line, superclass=superclass,
                        scope=scope, owner=owner, detail=detail, keep=keep)
    return obj


def _check_records() -> None:
    for cls, make in ((RawReference, _reference), (RawCall, _call), (RawDefinition, _definition)):
        params = make.__code__.co_varnames[:make.__code__.co_argcount]
        if ([f.name for f in dataclasses.fields(cls)] != list(params)
                or hasattr(cls, "__post_init__") or hasattr(cls, "__slots__")):
            raise ImportError(f"{make.__name__} is out of date with {cls.__name__}")


_check_records()


# ---------------------------------------------------------------------------
# Argument encoding for RawCall
# ---------------------------------------------------------------------------

def _string_value(node) -> str | None:
    """Content of a plain string (no interpolation), else None."""
    kids = node.named_children
    if not kids:
        return ""
    if len(kids) == 1 and kids[0].type == "string_content":
        return _text(kids[0])
    return None


def _encode(node, depth: int = 0):
    # the most frequent node types first; leaves are encoded whatever the depth
    t = node.type
    if t == "simple_symbol":
        return ("sym", _text(node)[1:])
    if t == "hash_key_symbol" or t == "bare_symbol":
        return ("sym", _text(node))
    if t == "pair":
        if depth > 4:
            return ("other", "")
        key = node.child_by_field_name("key")
        value = node.child_by_field_name("value")
        return ("pair", _encode(key, depth + 1) if key else ("other", ""),
                _encode(value, depth + 1) if value else ("other", ""))
    if t == "string" or t == "bare_string":
        v = _string_value(node)
        return ("str", v) if v is not None else ("dstr", _text(node))
    if t == "constant" or t == "scope_resolution":
        return ("const", _text(node))
    if t == "delimited_symbol":
        v = _string_value(node)
        return ("sym", v) if v is not None else ("other", "")
    if depth > 4:
        return ("other", "")
    if t in ("array", "string_array", "symbol_array"):
        return ("array", tuple([_encode(c, depth + 1) for c in node.named_children]))
    if t == "hash":
        return ("hash", tuple([_encode(c, depth + 1) for c in node.named_children if c.type == "pair"]))
    if t in ("true", "false", "nil", "integer", "float"):
        return ("lit", _text(node))
    if t == "call":
        recv = node.child_by_field_name("receiver")
        meth = node.child_by_field_name("method")
        if meth is not None and recv is not None and recv.type in ("constant", "scope_resolution"):
            return ("call", _text(recv), _text(meth))
    if t == "method":
        name = node.child_by_field_name("name")
        return ("def", _text(name) if name is not None else "")
    if t == "lambda" or t == "block":
        return ("proc", "")
    return ("other", "")


# ---------------------------------------------------------------------------
# Interval nesting: who contains each position
# ---------------------------------------------------------------------------

def _containers(intervals, positions):
    """For each position, the payloads of the intervals containing it, outermost first.

    ``intervals``: [(start, end, payload)] properly nested (a tree);
    ``positions``: [int]. Returns a list aligned with ``positions``.
    Only used when ``_nesting`` finds intervals that overlap without nesting.
    """
    order = sorted(range(len(positions)), key=positions.__getitem__)
    ivs = sorted(intervals, key=lambda iv: (iv[0], -iv[1]))
    out = [()] * len(positions)
    stack: list = []
    payloads: tuple = ()
    i = 0
    n = len(ivs)
    for idx in order:
        pos = positions[idx]
        while stack and stack[-1][1] <= pos:
            stack.pop()
            payloads = payloads[:-1]
        while i < n and ivs[i][0] <= pos:
            s, e, p = ivs[i]
            i += 1
            while stack and stack[-1][1] <= s:
                stack.pop()
                payloads = payloads[:-1]
            if e > pos:
                stack.append((s, e))
                payloads = payloads + (p,)
        out[idx] = payloads
    return out


def _nesting(intervals):
    """Cut the positions into segments inside the same intervals, in one sweep.

    Returns (bounds, stacks): every position p with bounds[i] <= p < bounds[i+1] lies
    in the intervals whose payloads are stacks[i], outermost first (bounds[0] is -1).
    None when two intervals overlap without nesting.
    """
    bounds = [-1]
    stacks: list = [()]
    stack: list = []     # (end, payloads up to and including this interval)
    cur: tuple = ()
    for s, e, p in sorted(intervals, key=lambda iv: (iv[0], -iv[1])):
        while stack and stack[-1][0] <= s:
            end = stack.pop()[0]
            if end < bounds[-1]:
                return None
            cur = stack[-1][1] if stack else ()
            bounds.append(end)
            stacks.append(cur)
        cur = cur + (p,)
        stack.append((e, cur))
        bounds.append(s)
        stacks.append(cur)
    while stack:
        end = stack.pop()[0]
        if end < bounds[-1]:
            return None
        bounds.append(end)
        stacks.append(stack[-1][1] if stack else ())
    return bounds, stacks


def _locator(intervals):
    """(stacks_at, owner_at) for a fixed set of nested intervals [(start, end, payload)].

    ``stacks_at(positions)``: the containing payloads of each position, outermost first
    (as ``_containers``); ``owner_at(positions)``: the innermost one, or None.
    Each lookup is one bisect: files are looked up many times against few intervals.
    """
    if not intervals:
        return _no_stacks, _no_owners
    if len(intervals) == 1:     # the usual file: one class
        s, e, p = intervals[0]
        nest = ([-1, s, e], [(), (p,), ()])
    else:
        nest = _nesting(intervals)
    if nest is None:
        ivs = list(intervals)

        def stacks_at(positions):
            return _containers(ivs, positions)

        def owner_at(positions):
            return [c[-1] if c else None for c in _containers(ivs, positions)]
        return stacks_at, owner_at
    bounds, stacks = nest
    inner = [st[-1] if st else None for st in stacks]

    def stacks_at(positions):
        return [stacks[bisect_right(bounds, p) - 1] for p in positions]

    def owner_at(positions):
        return [inner[bisect_right(bounds, p) - 1] for p in positions]
    return stacks_at, owner_at


def _no_stacks(positions):
    return [()] * len(positions)


def _no_owners(positions):
    return [None] * len(positions)


# ---------------------------------------------------------------------------
# Ruby
# ---------------------------------------------------------------------------

_STRUCT_LIKE = re.compile(r"^(?:::)?(?:Struct|Class|Data|Module)\.(?:new|define)\b")


def _rake_task_name(args) -> tuple[str | None, list[str]]:
    """Task name and prerequisites from encoded ``task`` arguments."""
    if not args:
        return None, []
    first = args[0]
    deps: list[str] = []

    def dep_names(v):
        if v[0] in ("sym", "str"):
            return [v[1]]
        if v[0] == "array":
            return [x[1] for x in v[1] if x[0] in ("sym", "str")]
        return []

    if first[0] in ("sym", "str"):
        name = first[1]
        for extra in args[1:]:
            if extra[0] == "pair":
                deps += dep_names(extra[2])
            elif extra[0] == "hash":
                for p in extra[1]:
                    deps += dep_names(p[2])
        return name, deps
    if first[0] == "pair" and first[1][0] in ("sym", "str"):
        return first[1][1], dep_names(first[2])
    if first[0] == "hash" and first[1]:
        p = first[1][0]
        if p[1][0] in ("sym", "str"):
            return p[1][1], dep_names(p[2])
    return None, []


def _registry_target(recv, method: str, args: tuple, recv_text: str | None) -> str | None:
    """The class whose subclasses a registry call enumerates: a constant, or "self" for
    ``descendants`` / ``self.class.subclasses`` inside the class; None when unknown."""
    if method == "eager_load_namespace":
        return args[0][1] if args and args[0][0] == "const" else None
    if recv is None or recv.type == "self":
        return "self"
    if recv.type in ("constant", "scope_resolution"):
        return recv_text
    if recv.type == "call":
        inner = recv.child_by_field_name("receiver")
        m = recv.child_by_field_name("method")
        if inner is not None and inner.type == "self" and m is not None and m.text == b"class":
            return "self"
    return None


_GLOB_CHARS = re.compile(r"[*?\[]")


def _dir_glob(node, path: str) -> str | None:
    """The repo-relative glob a ``Dir[...]`` / ``Dir.glob(...)`` expression names, as far as
    its literal parts tell: ``Dir[Rails.root.join("app", "x", "*.rb")]`` -> ``app/x/*.rb``;
    relative to the file's folder when built from ``__dir__`` / ``__FILE__``; a part only
    known at run time (``module_name.underscore``) becomes ``*``."""
    if node.type == "element_reference":
        args = node.named_children[1:2]
    else:
        al = node.child_by_field_name("arguments")
        args = al.named_children[:1] if al is not None else []
    if not args:
        return None
    text = _glob_value(args[0], 0)
    if text is None:
        return None
    import posixpath
    base = posixpath.dirname(path)
    if text.startswith("\0FILE/"):
        rest = text[len("\0FILE/"):]
        rest = rest[3:] if rest.startswith("../") else rest   # "../x" from a file: its folder's x
        text = posixpath.normpath(posixpath.join(base, rest))
    elif text.startswith("\0DIR/"):
        text = posixpath.normpath(posixpath.join(base, text[len("\0DIR/"):]))
    elif "\0" in text:
        return None
    text = re.sub(r"/+", "/", text).lstrip("/")
    while text.startswith("./"):
        text = text[2:]
    if text.startswith("../"):
        return None
    m = _GLOB_CHARS.search(text)
    if not m or "/" not in text[:m.start()] or not re.search(r"\.(rb|\{[^}]*\brb\b[^}]*\})$", text):
        return None   # no literal folder before the first wildcard, or not Ruby files
    return text


def _glob_value(n, depth: int) -> str | None:
    """A path expression's value with unknown parts as ``*`` (bounded depth)."""
    if depth > 8:
        return "*"
    t = n.type
    if t == "string":
        out = []
        for c in n.named_children:
            if c.type == "string_content":
                out.append(c.text.decode("utf-8", "replace"))
            elif c.type == "interpolation":
                inner = c.named_children[0] if c.named_children else None
                out.append(_glob_value(inner, depth + 1) if inner is not None else "")
        return "".join(out)
    if t == "binary":
        op = n.child_by_field_name("operator")
        if op is not None and op.type == "+":
            left = _glob_value(n.child_by_field_name("left"), depth + 1)
            right = _glob_value(n.child_by_field_name("right"), depth + 1)
            return f"{left}{right}" if left is not None and right is not None else "*"
    if t == "identifier" and n.text == b"__dir__":
        return "\0DIR"
    if t == "identifier" and n.text == b"__FILE__":
        return "\0FILE"
    if t == "call":
        recv = n.child_by_field_name("receiver")
        meth = n.child_by_field_name("method")
        m = meth.text if meth is not None else b""
        rtext = recv.text if recv is not None else b""
        al = n.child_by_field_name("arguments")
        args = al.named_children if al is not None else []
        if rtext == b"Rails" and m == b"root":
            return ""
        if m in (b"to_s", b"to_path") and recv is not None:
            return _glob_value(recv, depth + 1)
        if m == b"join" and recv is not None and (rtext == b"File" or _glob_value(recv, depth + 1) is not None):
            head = [] if rtext == b"File" else [_glob_value(recv, depth + 1)]
            parts = head + [_glob_value(a, depth + 1) for a in args]
            return "/".join(p if p is not None else "*" for p in parts)
        if rtext == b"File" and m == b"expand_path" and args:
            first = _glob_value(args[0], depth + 1) or ""
            if len(args) > 1:
                rel = _glob_value(args[1], depth + 1)
                return f"{rel}/{first}" if rel else "*"
            return first
        if rtext == b"File" and m == b"dirname" and args:
            inner = _glob_value(args[0], depth + 1)
            return "\0DIR" if inner == "\0FILE" else "*"
    return "*"


def _requires_args(params) -> bool:
    """Does a method need arguments (a required positional or keyword parameter)?"""
    for p in params.named_children:
        if p.type in ("identifier", "destructured_parameter"):
            return True
        if p.type == "keyword_parameter" and p.child_by_field_name("value") is None:
            return True
    return False


def _is_rake_file(path: str) -> bool:
    return path.endswith(".rake") or path.rsplit("/", 1)[-1] in ("Rakefile", "Rakefile.rb") \
        or "/lib/tasks/" in f"/{path}"


# Syntax nested deeper than this (a 1 MB method chain, 200 KB of unclosed "(",
# thousands of lexically nested modules) makes the query walk quadratic in depth:
# such a file is not analysed (skipped with a note), never guessed at.
MAX_DEPTH = 1200


# An error region holding more pieces than this (200 KB of unclosed "(" leaves one
# flat ERROR node of 200,000 children) costs the queries quadratic time too.
MAX_ERROR_WIDTH = 5000


# Classes and modules nested deeper than this in one file: each name is as long as the
# chain, and a dead chain's report lists the chain for every member, so the report grows
# with the cube of the depth (590 nested modules: a 595 MB report, 2 GB of memory).
# Real code nests a handful of levels.
MAX_NAMESPACE_DEPTH = 100


class TooDeep(Exception):
    """The file's syntax tree is too costly to query; ``args[0]`` says why."""


def _wide_error(root, limit: int) -> bool:
    """Does an error region under ``root`` hold more than ``limit`` children? Only
    nodes that contain an error are entered."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error and node.child_count > limit:
            return True
        stack.extend(c for c in node.children if c.has_error)
    return False


def _deeper_than(root, limit: int) -> bool:
    """Does the tree under ``root`` nest more than ``limit`` levels? Only subtrees
    big enough to reach the limit are entered, so an ordinary file costs a handful
    of nodes; no recursion."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.children:
            if child.descendant_count + depth + 1 > limit:
                stack.append((child, depth + 1))
    return False


# `tag class: "x", &` — anonymous block forwarding as the last argument of a call
# without parentheses (Ruby 3.1). tree-sitter-ruby 0.23 reads the `&` as a binary
# operator whose right side is the next line, and the error region that follows
# re-nests every class after it. Giving the block a name keeps each line's text.
_ANON_BLOCK_TAIL = re.compile(rb"(?<=,[ \t])&(?=[ \t]*(?:#[^\n]*)?$)", re.M)


def _forwarding_fixed(source: bytes) -> bytes:
    """``source`` with anonymous trailing ``, &`` block arguments named, when that
    removes parse errors; otherwise ``source`` unchanged."""
    if b", &" not in source or not _ANON_BLOCK_TAIL.search(source):
        return source
    from .parsing import parse_ruby
    if not parse_ruby(source).root_node.has_error:
        return source
    return _ANON_BLOCK_TAIL.sub(b"&__blk", source)


def extract_ruby(source: bytes, path: str = "") -> FileFacts:
    source = _forwarding_fixed(source)
    if source.isascii():
        # node.text copies bytes through a memoryview: when every character is one
        # byte, slicing the decoded source gives the same text, cheaper
        decoded = source.decode("ascii")

        def text_of(node) -> str:
            return decoded[node.start_byte:node.end_byte]
    else:
        text_of = _text
        try:
            source.decode("utf-8")
        except UnicodeDecodeError:
            # query predicates decode node text: make it valid UTF-8, keeping every line
            source = source.decode("utf-8", "replace").encode("utf-8")
    from tree_sitter import QueryCursor
    from .parsing import parse_ruby
    tree = parse_ruby(source)
    root = tree.root_node
    if root.descendant_count > MAX_DEPTH and _deeper_than(root, MAX_DEPTH):
        raise TooDeep(f"syntax nested more than {MAX_DEPTH} levels deep")
    if root.has_error and root.descendant_count > MAX_ERROR_WIDTH \
            and _wide_error(root, MAX_ERROR_WIDTH):
        raise TooDeep(f"a syntax error region of more than {MAX_ERROR_WIDTH} pieces")
    matches = QueryCursor(_query()).matches(root)
    kinds = _pattern_kinds()
    call_methods = _call_methods()

    # Strings are turned into references and literals as they come; everything else
    # is collected first. Hot branches come first in the dispatch below and keep node
    # attributes in locals (each access builds a Python object).
    dynamic_ok = b"constantize" in source or b"const_get" in source
    eval_ok = b"eval" in source        # eval("X::#{kind}Builder.new"): Ruby built as a string
    usage_ok = not path.startswith("app/") and "/app/" not in path
    # a file outside app/ that reads the keyboard: a console or script tool, run by hand
    keyboard = usage_ok and (b"gets" in source or b"STDIN" in source or b"$stdin" in source) \
        and _READS_KEYBOARD.search(source) is not None
    # "estimators/clair_v2".camelize.constantize: a Zeitwerk path names a constant
    loader_ok = dynamic_ok or b"camel" in source or b"classify" in source   # camelize, camelcase
    seen_dstrings: set[int] = set()

    # -- first pass: collect raw captures -------------------------------------
    frames = []          # (start, end, body_start, name_node_text, kind, node, superclass_node)
    const_defs = []      # (start, end, name, value_node, node)
    consts = []          # constant nodes
    scoped = []          # scope_resolution nodes
    patterns_inflected = []   # (node, constant glob) of ("x/" + y).classify.constantize
    str_items = []       # references made by strings: (position, kind, name, line, via)
    str_literals = []    # (position, text, line, False)
    sym_literals = []    # (position, text, line, True)
    patterns = []        # (pattern string node, method)
    rake_refs = []       # (node, task name)
    whens = []           # (when node, key node)
    hashes = []          # (assignment node, name node, hash node)
    keep_comments = []   # comment nodes
    comment_rows: set[int] = set()    # lines that hold a comment
    outside_rows: dict[int, str] = {}  # comments that say the code is used from outside it
    mention_comments = []  # (comment node, text) that may name constants
    usage_comments = []    # (comment node, text) of a rake file that may show a task's usage
    rake_file = path.endswith(".rake")
    calls = []           # (call node, receiver, method, args, has_block)
    excluded_starts: set[int] = set()
    patterns_ns = []     # (receiver node, "Namespace::*")
    methods = []         # (start, name, line, end_line)
    visibility = []      # (start, "private"|"protected"|"public")
    attributes = []      # (start, attribute, value, line)
    in_singleton: set[int] = set()   # starts of methods and `private`s directly in `class << self`
    supers: list[int] = []           # starts of `super` calls

    for pattern, caps in matches:
        kind = kinds[pattern]
        if kind == "reference.string":
            snode = caps["reference.string"][0]
            ctext = text_of(caps["content"][0])
            start = snode.start_byte
            row = snode.start_point[0] + 1
            if snode.named_child_count != 1:
                if "::" in ctext or "." in ctext:
                    for m in CONST_IN_CODE_STRING.finditer(ctext):
                        str_items.append((start, "string", m.group(1), row, "constant inside a string"))
                if "rake" in ctext or "rails" in ctext:   # heroku("run rake migrate_up[#{v}]")
                    for name, _ in rake_invocations(ctext):
                        str_items.append((start, "rake_task", name, row, "rake command in string"))
                if dynamic_ok and start not in seen_dstrings:
                    glob = _template_glob(snode)
                    if glob:
                        seen_dstrings.add(start)
                        str_items.append((start, "pattern", glob, row, "interpolated constant name"))
                continue
            if loader_ok and ZEITWERK_PATH.match(ctext):
                str_items.append((start, "zeitwerk_path", ctext, row, "Zeitwerk path"))
            if CONST_PATH.match(ctext):
                str_items.append((start, "string", ctext, row, "string"))
            elif " " in ctext or "(" in ctext:
                for m in CONST_IN_CODE_STRING.finditer(ctext):
                    str_items.append((start, "string", m.group(1), row, "constant inside a string"))
                if ("rake" in ctext or "rails" in ctext):
                    for name, _ in rake_invocations(ctext):
                        str_items.append((start, "rake_task", name, row, "rake command in string"))
                for m in SQL_TABLE.finditer(ctext):
                    str_items.append((start, "table", m.group(1).lower(), row, "SQL"))
                if "." in ctext:
                    for m in SQL_COLUMN.finditer(ctext):
                        if m.group(2) not in NOT_COLUMNS:
                            str_items.append((start, "table", m.group(1), row, "SQL column"))
            elif "." in ctext and SQL_COLUMN_ALONE.match(ctext):
                str_items.append((start, "table", ctext.split(".", 1)[0], row, "SQL column"))
            if LITERAL_WORD.match(ctext):
                str_literals.append((start, ctext, row, False))
        elif kind == "reference.bare_call":
            node = caps["reference.bare_call"][0]
            method = text_of(node)
            if method in call_methods:
                calls.append((node, None, method, None, False))
        elif kind == "definition.super":
            supers.append(caps["definition.super"][0].start_byte)
        elif kind == "definition.singleton_body":
            in_singleton.add(caps["definition.singleton_body"][0].start_byte)
        elif kind == "reference.symbol":
            snode = caps["reference.symbol"][0]
            t = text_of(snode)
            if snode.type == "simple_symbol":
                t = t[1:]
            if LITERAL_WORD.match(t):
                sym_literals.append((snode.start_byte, t, snode.start_point[0] + 1, True))
        elif kind == "reference.constant":
            consts.append(caps["reference.constant"][0])
        elif kind == "definition.method":
            node = caps["definition.method"][0]
            params = node.child_by_field_name("parameters")
            methods.append((node.start_byte, text_of(caps["name"][0]),
                            node.start_point[0] + 1, node.end_point[0] + 1,
                            params is not None and _requires_args(params), node.end_byte))
        elif kind == "reference.call":
            method = text_of(caps["method"][0])
            if eval_ok and method in _EVALS and "args" in caps:
                _eval_pattern(caps["args"][0], str_items, seen_dstrings)
            if method not in call_methods:
                continue
            node = caps["reference.call"][0]
            args = caps.get("args")
            calls.append((node, node.child_by_field_name("receiver"), method,
                          args[0] if args else None, "block" in caps))
        elif kind == "comment":
            node = caps["comment"][0]
            text = text_of(node)
            comment_rows.add(node.start_point[0] + 1)
            if _OUTSIDE_USE.search(text) or (usage_ok and _USAGE_HEADER.search(text)):
                outside_rows[node.start_point[0] + 1] = text
            if "deadcode:keep" in text:
                keep_comments.append(node)
            elif "::" in text or CAMEL_WORD.search(text):
                mention_comments.append((node, text))
            if rake_file and "rake" in text:
                usage_comments.append((node, text))   # "# Usage: rake deploy_to[production]"
        elif kind == "reference.scoped":
            scoped.append(caps["reference.scoped"][0])
        elif kind == "visibility":
            node = caps["visibility"][0]
            visibility.append((node.start_byte, text_of(node)))
        elif kind == "definition.class" or kind == "definition.module":
            node = caps[kind][0]
            name = caps["name"][0]
            body = caps.get("body", [None])[0]
            sup = caps.get("superclass", [None])[0]
            excluded_starts.add(name.start_byte)
            frames.append((node.start_byte, node.end_byte,
                           body.start_byte if body is not None else node.end_byte,
                           text_of(name), "class" if kind == "definition.class" else "module", node, sup))
        elif kind == "definition.constant":
            node = caps["definition.constant"][0]
            name = caps["name"][0]
            excluded_starts.add(name.start_byte)
            const_defs.append((node.start_byte, node.end_byte, text_of(name), caps["value"][0], node))
        elif kind == "definition.hash":
            hashes.append((caps["definition.hash"][0], caps["name"][0], caps["hash"][0]))
        elif kind == "reference.pattern":
            patterns.append((caps["pattern"][0], text_of(caps["method"][0]), caps["reference.pattern"][0]))
        elif kind == "reference.heredoc":
            hnode = caps["reference.heredoc"][0]
            htext = text_of(hnode)
            if SQL_HINT.search(htext) or "rake" in htext or "rails" in htext:
                hrow = hnode.start_point[0] + 1
                for m in SQL_TABLE.finditer(htext):
                    str_items.append((hnode.start_byte, "table", m.group(1).lower(),
                                      hrow + htext.count("\n", 0, m.start()), "SQL"))
                for name, at in rake_invocations(htext):
                    str_items.append((hnode.start_byte, "rake_task", name,
                                      hrow + htext.count("\n", 0, at), "rake command in string"))
        elif kind == "reference.inflected_pattern":
            glob = _inflected_glob(caps["chain"][0], text_of(caps["inflect"][0]), root)
            if glob:
                patterns_inflected.append((caps["reference.inflected_pattern"][0], glob))
        elif kind == "reference.namespace_pattern":
            recv = caps["receiver"][0]
            rt = text_of(recv)
            if rt not in ("Object", "Kernel", "::Object", "Module"):
                patterns_ns.append((recv, rt + "::*"))
        elif kind == "reference.rake_task":
            rake_refs.append((caps["reference.rake_task"][0], text_of(caps["content"][0])))
        elif kind == "definition.when":
            whens.append((caps["definition.when"][0], caps["key"][0]))
        elif kind == "definition.attribute":
            node = caps["definition.attribute"][0]
            value = caps["value"][0]
            v = _encode(value)
            attributes.append((node.start_byte, text_of(caps["attribute"][0]), v[1] if v[0] in ("str", "sym", "lit") else "", _row(node)))

    if b"Dir" in source or b"descendants" in source or b"subclasses" in source \
            or b"inherited" in source:
        str_items += _loading_items(root, path, text_of)

    # -- qualified names of classes and modules ---------------------------------
    fq_frames = []       # (start, end, body_start, fq, kind, node, sup, parent_fq)
    owner_intervals = []   # (start, end, owner id)
    scope_intervals = []   # (body_start, end, cref fq)
    via_by_start: dict[int, str] = {}
    if frames:
        frames.sort(key=lambda f: (f[0], -f[1]))
        stack: list = []     # (end, fq)
        for start, end, body_start, written, kind, node, sup in frames:
            while stack and stack[-1][0] <= start:
                stack.pop()
            parent = stack[-1][1] if stack else None
            if written.startswith("::"):
                fq = written[2:]
            elif parent:
                fq = f"{parent}::{written}"
            else:
                fq = written
            fq_frames.append((start, end, body_start, fq, kind, node, sup, parent))
            stack.append((end, fq))
            if len(stack) > MAX_NAMESPACE_DEPTH:
                raise TooDeep(f"classes and modules nested more than {MAX_NAMESPACE_DEPTH} "
                              "levels deep")
            owner_intervals.append((start, end, f"const:{fq}"))
            scope_intervals.append((body_start, end, fq))
            if sup is not None:
                via_by_start[sup.start_byte] = "superclass"
    scopes_at = _locator(scope_intervals)[0]

    # Struct.new / Class.new constants act as classes
    class_like_consts = []
    plain_consts = []
    for start, end, name, value, node in const_defs:
        vt = text_of(value) if value.type in ("call", "method_call") else ""
        if vt and _STRUCT_LIKE.match(vt):
            class_like_consts.append((start, end, name, value, node))
        else:
            plain_consts.append((start, end, name, value, node))

    # -- calls: encode args once ------------------------------------------------
    enc_calls = []
    for node, recv, method, args, has_block in calls:
        if args is not None:
            arg_nodes = args.named_children
            enc_args = tuple([_encode(a) for a in arg_nodes])
            if method in ("include", "extend", "prepend"):
                for a in arg_nodes:
                    via_by_start[a.start_byte] = method
        else:
            enc_args = ()
        recv_text = None
        if recv is not None:
            rtype = recv.type
            if rtype in ("constant", "scope_resolution"):
                recv_text = text_of(recv)
                via_by_start.setdefault(recv.start_byte, method)
            elif rtype == "self":
                recv_text = "self"
            elif rtype == "call":
                # FooMailer.with(x).bar / Foo.set(wait: 1).perform_async: name the chain head
                head = recv
                while head is not None and head.type == "call":
                    head = head.child_by_field_name("receiver")
                if head is not None and head.type in ("constant", "scope_resolution"):
                    recv_text = text_of(head)
                    via_by_start[head.start_byte] = method
        enc_calls.append((node, recv_text, method, enc_args, has_block))
        if method in REGISTRY_METHODS:
            target = _registry_target(recv, method, enc_args, recv_text)
            if target:
                str_items.append((node.start_byte, "registry", target, node.start_point[0] + 1,
                                  f"{method} registry"))

    # -- rake namespaces and tasks ---------------------------------------------------
    definitions: list[RawDefinition] = []
    const_frames = []
    if class_like_consts:
        cl_scopes = scopes_at([c[0] for c in class_like_consts])
        for (start, end, name, value, node), scope in zip(class_like_consts, cl_scopes):
            fq = f"{scope[-1]}::{name}" if scope else name
            const_frames.append((start, end, fq, node))
            owner_intervals.append((start, end, f"const:{fq}"))

    is_rake = _is_rake_file(path)
    rake_defs = []
    rake_lookups = []   # (call node, task name): `task(:x)` used as a value
    if is_rake and enc_calls:
        rake_tasks = []   # (call node, name, deps, desc)
        namespaces = []   # (start, end, name)
        last_desc = ""
        for node, recv, method, args, has_block in sorted(enc_calls, key=lambda c: c[0].start_byte):
            if recv is not None:
                continue
            if method == "namespace" and has_block and args and args[0][0] in ("sym", "str"):
                namespaces.append((node.start_byte, node.end_byte, args[0][1]))
            elif method == "desc" and args:
                # a literal, an interpolated, a 'a' \ 'b' chained or a heredoc description
                last_desc = (args[0][1].strip('"') if args[0][0] in ("str", "dstr") else "") \
                    or "(described)"
            elif method == "task":
                name, deps = _rake_task_name(args)
                if name and not has_block and not deps and len(args) == 1:
                    # `task(:default).prerequisites.unshift(task(:rubocop))`: a lookup of a task
                    # (defined elsewhere or by a gem), not a definition
                    outer = [n for st, en, n in namespaces if st < node.start_byte < en]
                    rake_lookups.append((node, ":".join(outer + [name])))
                    last_desc = ""
                    continue
                if name:
                    # `task :deploy_to, [:destination]`: arguments only a person passes
                    takes = any(a[0] == "array" or (a[0] == "pair" and a[1][0] == "array")
                                for a in args[1:2])
                    rake_tasks.append((node, name, deps, last_desc or (TAKES_ARGUMENTS if takes else "")))
                last_desc = ""
        task_ns = _locator(namespaces)[0]([t[0].start_byte for t in rake_tasks])
        for (node, name, deps, desc), ns in zip(rake_tasks, task_ns):
            full = ":".join(ns + (name,))
            rake_defs.append((node, full, deps, desc, ns))
            owner_intervals.append((node.start_byte, node.end_byte, f"rake_task:{full}"))

    # -- dispatch maps: constant hash literals ----------------------------------------
    hash_records = []
    for assign, name_node, hash_node in hashes:
        entries = []
        for pair in hash_node.named_children:
            if pair.type != "pair":
                continue
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            if key is None or value is None:
                continue
            k = _encode(key)
            if k[0] not in ("sym", "str") or not k[1]:
                continue
            if value.type in ("constant", "scope_resolution"):
                v = (text_of(value), "const")
            elif value.type == "string":
                sv = _string_value(value)
                if sv is None or not CONST_PATH.match(sv):
                    continue
                v = (sv, "str")
            else:
                continue
            entries.append((k[1], _row(key), v[0], v[1], pair.start_byte, pair.end_byte))
        if len(entries) >= 2:
            hash_records.append((assign, text_of(name_node), entries))

    # -- dispatch by case/when on literal task names ----------------------------------
    case_records = []
    if whens:
        perform_starts = sorted(n.start_byte for n, r, m, a, b in enc_calls if m in PERFORM_METHODS and r)
        by_case: dict[int, list] = {}
        case_nodes = {}
        # the case of each when, from a query: ``when.parent`` walks the case's
        # siblings, quadratic in a case of 100,000 branches
        case_of = {caps["when"][0].start_byte: caps["case"][0]
                   for _p, caps in QueryCursor(_when_query()).matches(root)}
        for when, key in whens:
            case = case_of.get(when.start_byte)
            if case is None:
                continue
            by_case.setdefault(case.start_byte, []).append((when, key))
            case_nodes[case.start_byte] = case
        for cstart, witems in by_case.items():
            good = []
            for when, key in witems:
                lo = bisect.bisect_left(perform_starts, when.start_byte)
                if lo < len(perform_starts) and perform_starts[lo] < when.end_byte:
                    k = _encode(key)
                    if k[0] in ("sym", "str") and k[1]:
                        good.append((k[1], _row(key), when.start_byte, when.end_byte))
            if len(good) >= 2:
                case_records.append((case_nodes[cstart], good))

    # owners for dispatch entries are decided only once the map's own name is known
    hash_defs = []
    case_defs = []
    if hash_records or case_records:
        map_owner_positions = [a.start_byte for a, _, _ in hash_records] + [c.start_byte for c, _ in case_records]
        map_owners = _locator(owner_intervals)[1](map_owner_positions)
        map_scopes = scopes_at(map_owner_positions)
        for (assign, name, entries), owner, scope in zip(hash_records, map_owners, map_scopes):
            map_fq = f"{scope[-1]}::{name}" if scope else name
            for key, kline, value, vkind, ps, pe in entries:
                eid = f"dispatch_entry:{map_fq}:{key}"
                owner_intervals.append((ps, pe, eid))
                hash_defs.append((key, kline, map_fq, owner, eid, _row(assign), _end_row(assign)))
        for (case, entries), owner in zip(case_records, map_owners[len(hash_records):]):
            map_fq = f"{owner.split(':', 1)[1] if owner else '(top level)'}#case@{_row(case)}"
            for key, kline, ws, we in entries:
                eid = f"dispatch_entry:{map_fq}:{key}"
                owner_intervals.append((ws, we, eid))
                case_defs.append((key, kline, map_fq, owner, eid, kline, kline))
    stacks_at, owner_at = _locator(owner_intervals)   # the final owners

    # -- references -------------------------------------------------------------
    items = []   # (position, kind, name, line, via)
    # outermost scope_resolution nodes; constants inside them are part of the path
    scoped_ranges = []
    if scoped:
        scoped.sort(key=lambda n: (n.start_byte, -n.end_byte))
        last_end = -1
        for n in scoped:
            s = n.start_byte
            if s < last_end:
                continue
            e = last_end = n.end_byte
            scoped_ranges.append((s, e))
            if s in excluded_starts:
                continue
            text = text_of(n)
            if text.startswith("self.class::") and CONST_PATH.match(text[12:]):
                # `self.class::Syncer`: resolved later against the receiving classes
                # (the class itself, its subclasses, every class including the module)
                items.append((s, "constant", text[12:], n.start_point[0] + 1, "self.class"))
                continue
            if not CONST_PATH.match(text):
                # `self.class::FOO`, `foo::Bar`: only the trailing constant is known
                tail = n.child_by_field_name("name")
                if tail is None or tail.type != "constant":
                    continue
                text = text_of(tail)
            items.append((s, "constant", text, n.start_point[0] + 1, via_by_start.get(s, "")))
    starts_sorted = [s for s, _ in scoped_ranges]
    for n in consts:
        s = n.start_byte
        if s in excluded_starts:
            continue
        if scoped_ranges:
            i = bisect.bisect_right(starts_sorted, s) - 1
            if i >= 0 and scoped_ranges[i][0] <= s and n.end_byte <= scoped_ranges[i][1]:
                continue
        items.append((s, "constant", text_of(n), n.start_point[0] + 1, via_by_start.get(s, "")))
    items += str_items

    for pnode, method, whole in patterns:
        items.append((pnode.start_byte, "pattern", _pattern_glob(pnode), _row(pnode), method))
    for node, glob in patterns_ns:
        items.append((node.start_byte, "pattern", glob, _row(node), "const_get"))
    for node, glob in patterns_inflected:
        items.append((node.start_byte, "pattern", glob, _row(node), "constantize"))
    for node, task in rake_refs:
        items.append((node.start_byte, "rake_task", task, _row(node), "Rake::Task[]"))
    for node, task in rake_lookups:
        items.append((node.start_byte, "rake_task", task, _row(node), "prerequisite"))
    if b"enhance" in source or (is_rake and b"prerequisites" in source):
        # `Rake::Task["db:migrate"].enhance([:annotate])`, `t.prerequisites << :x`: the named
        # tasks run with the enhanced one
        text = source.decode("utf-8", "replace")
        row, last = 1, 0
        for m in _RAKE_ENHANCE.finditer(text):
            row += text.count("\n", last, m.start())
            last = m.start()
            for n in _RAKE_NAME.finditer(m.group(1)):
                items.append((m.start(), "rake_task", n.group(1) or n.group(2), row, "prerequisite"))
    for node, full, deps, desc, ns in rake_defs:
        for dep in deps:
            if dep == "environment":
                continue
            items.append((node.start_byte, "rake_task", ":".join(ns + (dep,)) if ":" not in dep and ns else dep,
                          _row(node), "prerequisite"))

    for node, text in usage_comments:
        for name, _ in rake_invocations(text):
            items.append((node.start_byte, "rake_doc", name, _row(node), "usage comment"))
    for node, text in mention_comments:
        row = _row(node)
        for m in CONST_IN_COMMENT.finditer(text):
            items.append((node.start_byte, "comment", m.group(0).lstrip(":"), row, "comment"))
    references = []
    if items:
        positions = [it[0] for it in items]
        references = [_reference(name, kind, line, scope, owner, via)
                      for (pos, kind, name, line, via), owner, scope
                      in zip(items, owner_at(positions), scopes_at(positions))]

    literals_pos = str_literals + sym_literals
    literals = tuple([
        (text, line, owner, is_symbol)
        for (pos, text, line, is_symbol), owner in zip(literals_pos, owner_at([lit[0] for lit in literals_pos]))
    ])

    raw_calls = []
    if enc_calls:
        call_positions = [c[0].start_byte for c in enc_calls]
        for (node, recv, method, args, has_block), owner, scope in zip(
                enc_calls, owner_at(call_positions), scopes_at(call_positions)):
            if method in ("namespace", "desc") and is_rake:
                continue
            raw_calls.append(_call(method, recv, args, node.start_point[0] + 1, scope, owner, has_block))

    # -- definitions ---------------------------------------------------------------
    keep_by_line = {}
    for c in keep_comments:
        m = re.search(r"deadcode:keep\b[:\s]*(.*)$", text_of(c))
        reason = (m.group(1).strip() if m else "") or "kept by inline comment"
        keep_by_line[_row(c)] = reason

    def keep_for(line: int) -> str | None:
        return keep_by_line.get(line) or keep_by_line.get(line - 1)

    if fq_frames or const_frames or plain_consts:
        def_positions = [f[0] for f in fq_frames] + [c[0] for c in const_frames] + [p[0] for p in plain_consts]
        def_owners = stacks_at(def_positions)
        def_scopes = scopes_at(def_positions)
        k = 0
        for start, end, body_start, fq, kind, node, sup, parent in fq_frames:
            # the frame's own interval contains its start; the owner is the one outside it
            owners = def_owners[k][:-1]
            scope = def_scopes[k]
            k += 1
            definitions.append(RawDefinition(
                kind, fq, _row(node), _end_row(node),
                superclass=text_of(sup) if sup is not None else None,
                scope=scope, owner=owners[-1] if owners else None, keep=keep_for(_row(node)),
            ))
            said = _header_says(_row(node), comment_rows, outside_rows) if outside_rows else None
            if said:
                definitions.append(RawDefinition("attribute", "used_outside", _row(node), _row(node),
                                                 owner=f"const:{fq}", detail=said))
            elif keyboard and not parent:
                definitions.append(RawDefinition("attribute", "reads_keyboard", _row(node), _row(node),
                                                 owner=f"const:{fq}", detail="gets / STDIN"))
        for start, end, fq, node in const_frames:
            owners = def_owners[k][:-1]
            scope = def_scopes[k]
            k += 1
            value = node.child_by_field_name("right")
            vt = text_of(value)
            sup = None
            m = re.match(r"^(?:::)?Class\.new\(\s*((?:::)?[A-Z][\w:]*)", vt)
            if m:
                sup = m.group(1)
            definitions.append(RawDefinition(
                "class", fq, _row(node), _end_row(node), superclass=sup, scope=scope,
                owner=owners[-1] if owners else None, keep=keep_for(_row(node)),
            ))
        for start, end, name, value, node in plain_consts:
            owners = def_owners[k]
            scope = def_scopes[k]
            k += 1
            fq = f"{scope[-1]}::{name}" if scope else name
            definitions.append(RawDefinition(
                "constant", fq, _row(node), _end_row(node), scope=scope,
                owner=owners[-1] if owners else None,
                # `CLP = CustomLandingPage`: an alias, resolved where `CLP::X` is used
                detail=text_of(value) if value.type in ("constant", "scope_resolution") else "",
            ))
    for node, full, deps, desc, ns in rake_defs:
        definitions.append(RawDefinition(
            "rake_task", full, _row(node), _end_row(node), detail=desc, keep=keep_for(_row(node)),
        ))
    for key, kline, map_fq, owner, eid, mline, mend in hash_defs + case_defs:
        definitions.append(RawDefinition(
            "dispatch_entry", key, kline, kline, owner=owner, detail=map_fq, keep=keep_for(kline),
        ))

    if in_singleton:
        # `class << self; private; def x`: class methods, as `def self.x` (never an action),
        # and a `private` there says nothing of the instance methods after it
        methods = [m for m in methods if m[0] not in in_singleton]
        visibility = [v for v in visibility if v[0] not in in_singleton]
    # methods with their visibility, owned by their class
    if methods:
        markers: dict = {}
        if visibility:
            for (pos, word), owner in zip(visibility, owner_at([v[0] for v in visibility])):
                markers.setdefault(owner, []).append((pos, word))
        explicit: dict = {}
        for c in raw_calls:
            if c.method in ("private", "protected", "public") and c.args:
                for a in c.args:
                    if a[0] in ("sym", "str", "def"):
                        explicit[(c.owner, a[1])] = c.method
        if supers:
            supers.sort()
        for (pos, name, line, end_line, required, end), owner in zip(methods, owner_at([m[0] for m in methods])):
            vis = "public"
            for mpos, word in markers.get(owner, ()):
                if mpos < pos:
                    vis = word
            if explicit:
                vis = explicit.get((owner, name), vis)
            # detail: visibility, " args" when the method needs arguments (not an action),
            # " super" when it calls super (it overrides a method of an ancestor)
            if required:
                vis += " args"
            if supers:
                i = bisect.bisect_left(supers, pos)
                if i < len(supers) and supers[i] < end:
                    vis += " super"
            definitions.append(_definition("method", name, line, end_line, None, (), owner,
                                           vis, keep_for(line)))
    if attributes:
        for (pos, attr, value, line), owner in zip(attributes, owner_at([a[0] for a in attributes])):
            definitions.append(RawDefinition("attribute", attr, line, line, owner=owner, detail=str(value)))

    errors = 0
    if root.has_error:
        errors = _count_error_regions(root)
    names = _called_names(root, text_of) if _NAMES_PATH.search(path) else ()
    return FileFacts(
        names=names,
        definitions=tuple(definitions),
        references=tuple(references),
        calls=tuple(raw_calls),
        hashes=tuple([(map_fq, owner, mline, mend) for _, _, map_fq, owner, _, mline, mend in hash_defs]),
        literals=literals,
        error_regions=errors,
        lines=source.count(b"\n") + (0 if source.endswith(b"\n") or not source else 1),
    )


def _count_error_regions(root) -> int:
    from tree_sitter import QueryCursor
    caps = QueryCursor(_error_query()).captures(root)
    nodes = [n for ns in caps.values() for n in ns]
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
    count = 0
    last_end = -1
    for n in nodes:
        if n.start_byte >= last_end or n.end_byte > last_end:
            if n.start_byte >= last_end:
                count += 1
            last_end = max(last_end, n.end_byte)
    return count


_TEMPLATE_FIXED = re.compile(r"^[A-Za-z0-9_:]*$")
# the constant a piece of evaluated code begins with: up to a call, argument or operator
_TEMPLATE_CODE_HEAD = re.compile(r"[A-Za-z0-9_:]*(?=[.(\s]|$)")


def _template_glob(node, code: bool = False) -> str | None:
    """An interpolated string shaped like a constant name ("#{a}::#{b}Component") as a glob.
    With ``code`` the string is Ruby to evaluate: the constant it begins with counts
    (eval("Builders::#{kind}Builder.new(x)") names Builders::*Builder)."""
    parts = []
    fixed = ""
    for child in node.named_children:
        if child.type == "string_content":
            t = _text(child)
            if not _TEMPLATE_FIXED.match(t):
                if not code:
                    return None
                m = _TEMPLATE_CODE_HEAD.match(t)
                if m is None or not (parts or m.group(0)):
                    return None
                parts.append(m.group(0))
                fixed += m.group(0)
                break
            parts.append(t)
            fixed += t
        elif child.type == "interpolation":
            parts.append("*")
        else:
            return None
    if not fixed or not ("::" in fixed or re.search(r"[A-Z][a-z]{2,}", fixed)):
        return None
    if fixed[0].islower() or re.search(r"(^|::)[a-z]", fixed):
        return None
    glob = re.sub(r"\*+", "*", "".join(parts))
    if glob.startswith("::"):   # "::Filters::#{x}Attributes": from the top level
        glob = glob[2:]
    return glob if glob.strip("*:") else None


_EVALS = frozenset({"eval", "instance_eval", "class_eval", "module_eval"})


# a header comment saying the code is run by hand or from code outside the repository
_OUTSIDE_USE = re.compile(
    r"(?i)\b(?:manual(?:ly)?|by hand|(?:rails |the |a )console|from (?:a |the )?console|"
    r"not called (?:in|from) the code|B/C|backwards?[- ]compat\w*|called externally)\b"
    r"|(?i:^#+\s*to run(?: it)?\s*:)")   # "# To run: FraudRefundService.new(...).process"
# a usage example in the header of a file outside app/ (a console tool in lib/):
# "# Example usage:", "# Usage:", "# example:" (in app/ it tells other code how to call it)
_USAGE_HEADER = re.compile(r"(?i)^#+\s*(?:(?:basic|example)\s+)?(?:usage|example)s?\s*:")


def _header_says(row: int, comment_rows: set[int], outside_rows: dict[int, str]) -> str | None:
    """The comment line of the block right above ``row`` that says the definition is
    used from outside the code, stripped (at most 20 lines up)."""
    r = row - 1
    while r in comment_rows and row - r <= 20:
        if r in outside_rows:
            text = outside_rows[r].lstrip("#").strip()
            return text if len(text) <= 120 else text[:117] + "..."
        r -= 1
    return None


def _eval_pattern(args, str_items: list, seen: set[int]) -> None:
    """eval("Builders::#{kind}Builder.new(x)"): the constant the evaluated code begins with
    is a dynamic pattern (unless the string already counted as one)."""
    first = args.named_children[0] if args.named_child_count else None
    if first is None or first.type != "string" or first.named_child_count == 1 \
            or first.start_byte in seen:
        return
    glob = _template_glob(first, code=True)
    if glob:
        seen.add(first.start_byte)
        str_items.append((first.start_byte, "pattern", glob, first.start_point[0] + 1,
                          "interpolated constant name in evaluated code"))


def _method_body(root, name: str):
    """The one expression of ``def name`` (or ``def self.name``) in the file, if any."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("method", "singleton_method"):
            n = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if n is not None and _text(n) == name and body is not None:
                if body.type == "body_statement":
                    return body.named_children[0] if body.named_child_count == 1 else None
                return body   # endless def
            continue
        stack.extend(node.named_children)
    return None


def _path_parts(node, depth: int = 0, root=None) -> list[str]:
    """A run-time path as literal pieces and "*": strings, interpolations, ``a + b``, and
    a method of the same file that returns one (``form_key`` -> ``controller_name + "_form"``)."""
    t = node.type
    if depth > 20:
        return ["*"]
    if root is not None and (t == "identifier" or t == "call" and node.child_by_field_name("receiver") is None
                             and node.child_by_field_name("arguments") is None):
        body = _method_body(root, _text(node if t == "identifier" else node.child_by_field_name("method")))
        if body is not None:
            return _path_parts(body, depth + 5, root)
        return ["*"]
    if t == "string":
        parts = []
        for child in node.named_children:
            parts.append(_text(child) if child.type == "string_content" else "*")
        return parts
    if t == "parenthesized_statements" and node.named_child_count == 1:
        return _path_parts(node.named_children[0], depth + 1, root)
    if t == "binary" and node.child_by_field_name("operator") is not None \
            and _text(node.child_by_field_name("operator")) == "+":
        return _path_parts(node.child_by_field_name("left"), depth + 1, root) + \
            _path_parts(node.child_by_field_name("right"), depth + 1, root)
    return ["*"]


def _inflected_glob(node, inflect: str, root=None) -> str | None:
    """``("state_file/" + x + "_forms").classify`` -> ``StateFile::*Form``; None when the
    path is wholly literal (a Zeitwerk path, handled as such) or wholly unknown."""
    path = re.sub(r"\*+", "*", "".join(_path_parts(node, 0, root)))
    if "*" not in path or not path.strip("*/_"):
        return None
    if inflect == "classify" and path.endswith("s") and not path.endswith("ss"):
        path = path[:-1]     # classify singularizes (the common case)
    segments = []
    for seg in path.split("/"):
        # camelize: each "_x" piece capitalised, "*" kept ("*_form" -> "*Form")
        segments.append("".join(p[:1].upper() + p[1:] if p != "*" else "*"
                                for p in re.split(r"_|(\*)", seg) if p))
    glob = "::".join(segments)
    return glob if re.fullmatch(r"[A-Z*][A-Za-z0-9_*]*(::[A-Z*][A-Za-z0-9_*]*)*", glob) else None


def _pattern_glob(node) -> str:
    """"#{kind.camelize}Exporter" -> "*Exporter"."""
    parts = []
    for child in node.named_children:
        if child.type == "string_content":
            parts.append(_text(child))
        elif child.type == "interpolation":
            parts.append("*")
    glob = "".join(parts)
    return re.sub(r"\*+", "*", glob)


# ---------------------------------------------------------------------------
# Text sources
# ---------------------------------------------------------------------------
#
# Names are taken from a text source in one pass, without building Python objects
# for it: YAML through libyaml's event stream (each string scalar with its line
# mark), JSON through one regex over its string literals, any other text through one
# regex over the whole file. Nothing else of the file is kept: the index asks for
# dispatch keys in text sources itself (``text_word_lines``), on the few files that
# contain one.


@lru_cache(maxsize=None)
def _yaml_parser():
    """libyaml's parser when PyYAML was built with it (several times faster on big
    locale files), else None; only its events are read, no constructor runs."""
    import yaml
    return getattr(yaml, "CBaseLoader", None)

MAX_STRUCTURE_DEPTH = 200

# plain scalars YAML 1.1 resolves to booleans or null (PyYAML's implicit resolvers)
# that would otherwise look like constants
_PLAIN_NON_STRINGS = frozenset({
    "Yes", "YES", "No", "NO", "True", "TRUE", "False", "FALSE", "On", "ON", "Off", "OFF",
    "Null", "NULL"})
# explicit core tags whose scalars are not strings
_NON_STRING_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in
                             ("null", "bool", "int", "float", "binary", "timestamp"))
# cheap first test of a scalar: could it be a constant path or a constant's call?
_MAY_NAME_CONST = re.compile(r"\s*(?::|[A-Z])")
_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_JSON_CONST_STRING = re.compile(r'"(\s*(?:::)?[A-Z](?:[^"\\\n]|\\.)*)"')
_JSON_CONST_STRING_B = re.compile(rb'"(\s*(?:::)?[A-Z](?:[^"\\\n]|\\.)*)"')
_TEXT_LINE_WITH_RAKE_B = re.compile(rb"(?m)^.*(?:rake|rails).*$")
_TEXT_LINE_WITH_RAKE = re.compile(r"(?m)^.*(?:rake|rails).*$")


def _yaml_scalars(source: bytes, text: str):
    """(value, 1-based line) of every string scalar of a YAML stream that could name a
    constant, in document order. Raises yaml.YAMLError for invalid YAML (an alias to an
    undefined anchor included, as loading would) and RecursionError when nested deeper
    than MAX_STRUCTURE_DEPTH levels (after reading to the end: a parse error wins)."""
    import yaml
    fast = _yaml_parser()
    parser = fast(source) if fast is not None else yaml.SafeLoader(text)
    ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    may_name, plain_non_str, non_str_tags = _MAY_NAME_CONST.match, _PLAIN_NON_STRINGS, _NON_STRING_TAGS
    out = []
    anchors: set[str] = set()
    depth = 1           # of the next node: a document's root is at 1
    too_deep = False
    try:
        get = parser.get_event
        while True:
            ev = get()
            cls = type(ev)
            if cls is ScalarEvent:
                if depth > MAX_STRUCTURE_DEPTH:
                    too_deep = True
                if ev.anchor is not None:
                    anchors.add(ev.anchor)
                value = ev.value
                if too_deep or not may_name(value):
                    continue
                tag = ev.tag
                if tag is None or tag == "!":
                    if ev.implicit[0] and value in plain_non_str:
                        continue
                elif tag in non_str_tags:
                    continue
                out.append((value, ev.start_mark.line + 1))
            elif cls in starts:
                if depth > MAX_STRUCTURE_DEPTH:
                    too_deep = True
                if ev.anchor is not None:
                    anchors.add(ev.anchor)
                depth += 1
            elif cls in ends:
                depth -= 1
            elif cls is AliasEvent:
                if depth > MAX_STRUCTURE_DEPTH:
                    too_deep = True
                if ev.anchor not in anchors:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {ev.anchor!r}", ev.start_mark)
            elif cls is yaml.StreamEndEvent:
                break
    finally:
        parser.dispose()
    if too_deep:
        raise RecursionError("nested too deeply")
    return out


BIG_JSON = 8 << 20   # characters: a larger JSON file is not loaded, only searched


def _json_scalars(text: str):
    """(value, 1-based line) of every string of a JSON text that may name a constant, in
    document order. Raises ValueError for invalid JSON, RecursionError when nested too
    deeply. A text over BIG_JSON is not loaded (its objects would take ten times its
    size): only the strings that begin like a constant are read from it."""
    big = len(text) > BIG_JSON
    if not big:
        json.loads(text)     # validity (and nesting); the strings come from the text
    out = []
    line, last = 1, 0
    count = text.count
    may_name = _MAY_NAME_CONST.match
    # (in valid JSON a closing quote is never followed by a capital: no false starts)
    for m in (_JSON_CONST_STRING if big else _JSON_STRING).finditer(text):
        raw = m.group(1)
        value = json.loads(m.group(0)) if "\\" in raw else raw
        if not may_name(value):
            continue
        start = m.start()
        line += count("\n", last, start)
        last = start
        out.append((value, line))
    return out


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]|[^\s,:\[\]{}"]+')


def _json_too_deep(text: str) -> bool:
    """Does a value of valid JSON sit inside more than MAX_STRUCTURE_DEPTH containers?"""
    if text.count("[") + text.count("{") <= MAX_STRUCTURE_DEPTH:
        return False
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        ch = m.group(0)[0]
        if ch in "]}":
            depth -= 1
            continue
        if depth > MAX_STRUCTURE_DEPTH:
            return True
        if ch in "[{":
            depth += 1
    return False


_ERB_TAG = re.compile(rb"<%(=|-|#)?(.*?)-?%>", re.S)


def strip_erb_tags(source: bytes) -> bytes:
    """YAML with its ERB tags taken out, as loading after Rails has evaluated them would
    see it: ``<%= expr %>`` becomes the placeholder ``erb`` (a value, whatever it prints),
    ``<% code %>`` and ``<%# comment %>`` nothing; line breaks inside tags are kept, so
    every line number stays right. The text scan still reads the original."""
    def repl(m: re.Match) -> bytes:
        newlines = b"\n" * m.group(0).count(b"\n")
        return (b"erb" if m.group(1) == b"=" else b"") + newlines
    return _ERB_TAG.sub(repl, source)


def _extract_big_json(source: bytes) -> FileFacts:
    """A JSON file over BIG_JSON: searched as bytes, never decoded or loaded whole — the
    strings that begin like a constant, and lines that run rake."""
    refs: list[RawReference] = []
    seen: set[tuple[str, str]] = set()
    line, last = 1, 0
    count = source.count
    for m in _JSON_CONST_STRING_B.finditer(source):
        raw = m.group(0).decode("utf-8", "replace")
        try:
            value = json.loads(raw) if "\\" in raw else raw[1:-1]
        except ValueError:
            continue
        s2 = value.strip()
        hit = s2.lstrip(":") if CONST_PATH.match(s2) else None
        via = "string in JSON"
        if hit is None:
            cm = CONST_CALL_EXPR.match(s2)
            if cm:
                hit, via = cm.group(1).lstrip(":"), "runner expression"
        if hit is None or ("string", hit) in seen:
            continue
        line += count(b"\n", last, m.start())
        last = m.start()
        seen.add(("string", hit))
        refs.append(RawReference(hit, "string", line, (), None, via))
    line, last = 1, 0
    for lm in _TEXT_LINE_WITH_RAKE_B.finditer(source):
        line += count(b"\n", last, lm.start())
        last = lm.start()
        for name, _ in rake_invocations(lm.group(0).decode("utf-8", "replace")):
            if ("rake_task", name) not in seen:
                seen.add(("rake_task", name))
                refs.append(RawReference(name, "rake_task", line, (), None, "rake invocation"))
    return FileFacts(references=tuple(refs), lines=source.count(b"\n") + (0 if source.endswith(b"\n") or not source else 1))


def extract_text(source: bytes, path: str = "") -> FileFacts:
    if len(source) > BIG_JSON and path.lower().endswith(".json"):
        return _extract_big_json(source)
    text = source.decode("utf-8", "replace")
    refs: list[RawReference] = []
    note = ""
    lower = path.lower()
    scalars = None
    if lower.endswith((".yml", ".yaml")):
        import yaml
        if _yaml_parser() is not None and text.encode("utf-8") != source:
            source = text.encode("utf-8")          # what the parser reads: the decoded text
        try:
            ysource, ytext = source, text
            if b"<%" in source:    # ERB in YAML (config/database.yml): Rails evaluates it first
                ysource = strip_erb_tags(source)
                ytext = ysource.decode("utf-8", "replace")
            scalars = _yaml_scalars(ysource, ytext)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            note = f"invalid YAML{where}; scanned as plain text"
        except RecursionError:
            note = f"YAML nested deeper than {MAX_STRUCTURE_DEPTH} levels; scanned as plain text"
    elif lower.endswith(".json"):
        try:
            scalars = _json_scalars(text)
        except RecursionError:
            note = "JSON nested too deeply to parse; scanned as plain text"
        except ValueError as exc:
            note = f"invalid JSON at line {getattr(exc, 'lineno', '?')}; scanned as plain text"
        if scalars is not None and len(text) <= BIG_JSON and _json_too_deep(text):
            scalars = None
            note = f"JSON nested deeper than {MAX_STRUCTURE_DEPTH} levels; scanned as plain text"
    seen: set[tuple[str, str]] = set()

    def add(name: str, kind: str, line: int, via: str) -> None:
        if (kind, name) in seen:
            return
        seen.add((kind, name))
        refs.append(RawReference(name, kind, line, (), None, via))

    if scalars is not None:
        via = "string in JSON" if lower.endswith(".json") else "string in YAML"
        for s, line in scalars:
            s2 = s.strip()
            if CONST_PATH.match(s2):
                add(s2.lstrip(":"), "string", line, via)
            else:
                m = CONST_CALL_EXPR.match(s2)
                if m:
                    add(m.group(1).lstrip(":"), "string", line, "runner expression")
                elif "runner" in s2:
                    # a script step: `bundle exec rails runner "TrackJob.perform_later"`
                    for rm in _RUNNER_CALL.finditer(s2):
                        add(rm.group(1).lstrip(":"), "string",
                            line + s2.count("\n", 0, rm.start()), "rails runner in a script")
    else:
        line, last = 1, 0
        count = text.count
        for m in CONST_IN_TEXT.finditer(text):
            name = m.group(0).lstrip(":")
            if "::" in name or _HAS_LOWER.search(name, 1):
                start = m.start()
                line += count("\n", last, start)
                last = start
                add(name, "string", line, "name in text")
    if ".rb" in text:
        # `prometheus_exporter -a app/lib/collectors.rb`, `ruby script/sync.rb` in a deployment
        # file: a command runs that file (not a list of paths, as in .rubocop_todo.yml)
        line, last = 1, 0
        for lm in _TEXT_LINE_WITH_RB.finditer(text):
            row = lm.group(0)
            if len(row) > 2000 or not _RUNS_A_FILE.search(row):
                continue
            line += text.count("\n", last, lm.start())
            last = lm.start()
            for fm in _RB_PATH.finditer(row):
                add(fm.group(1), "file_glob", line, "file a command in a text file runs")
    line, last = 1, 0
    count = text.count
    for lm in _TEXT_LINE_WITH_RAKE.finditer(text):
        start = lm.start()
        line += count("\n", last, start)
        last = start
        for name, _ in rake_invocations(lm.group(0)):
            add(name, "rake_task", line, "rake invocation")
    return FileFacts(
        references=tuple(refs),
        lines=text.count("\n") + (0 if text.endswith("\n") or not text else 1),
        note=note,
    )


_HAS_LOWER = re.compile(r"[a-z]")
# (`gets.chomp`, `STDIN.gets`: a bare `gets` may be a word of a %w[] list)
_READS_KEYBOARD = re.compile(rb"(?<![\w.:$@])(?:gets&?\.[a-z]|STDIN\.|\$stdin\.)")
_RUNNER_CALL = re.compile(r"\brunner\s+(?:-e\s+\w+\s+)?[\"']?\s*((?:::)?[A-Z][A-Za-z0-9_]*(?:::[A-Z][A-Za-z0-9_]*)*)\.[a-z_]")
_RAKE_ENHANCE = re.compile(r"\.(?:enhance|prerequisites\s*(?:<<|\.\s*(?:unshift|push|concat|prepend|append)))"
                           r"[ \t(\[]*([^\n]{0,300})")
_RAKE_NAME = re.compile(r":([a-z_][\w:]*\w)|[\"']([a-z_][\w:]*\w)[\"']")
_TEXT_LINE_WITH_RB = re.compile(r"[^\n]*\.rb\b[^\n]*")
_RUNS_A_FILE = re.compile(r"(?:^|[\s\"'\[,])(?:ruby|runner|exec|require|load|-a|-r|--require|--collector)[\s\"',]")
_RB_PATH = re.compile(r"(?<![\w./-])((?:[\w.-]+/)+[\w.-]+\.rb)\b")


def text_word_lines(source: bytes, keys) -> dict[str, int]:
    """The first line of each of ``keys`` that is a word of a text source, as dispatch
    keys are matched: a token ``[\\w][\\w.:-]*`` (trailing ``.:-`` dropped) or one of the
    parts it splits into at ``.``, ``:`` and ``-``. Asked by the index for the few files
    that contain a key at all."""
    text = source.decode("utf-8", "replace")
    keys = set(keys)
    found: dict[str, int] = {}
    for lineno, line in enumerate(text.split("\n"), 1):
        for tok in TEXT_TOKEN.findall(line):
            tok = tok.rstrip(".:-")
            if tok in keys and tok not in found:
                found[tok] = lineno
            if len(tok) > 1 and ("." in tok or ":" in tok or "-" in tok):
                for part in TOKEN_PARTS.split(tok):
                    if part in keys and part not in found:
                        found[part] = lineno
    return found


def key_matcher(keys):
    """One compiled pattern that finds any of ``keys`` as a substring (a file without a
    match has none of them as a word)."""
    alts = sorted({k for k in keys if k}, key=lambda k: (-len(k), k))
    return re.compile("|".join(re.escape(k) for k in alts)) if alts else None


# ---------------------------------------------------------------------------

# Markdown code: fenced blocks and inline spans (bounded, no backtracking across blocks)
_DOC_CODE = re.compile(r"```[^\n]*\n(.{0,20000}?)```|`([^`\n]{1,400})`", re.S)


_DOC_CALL = re.compile(r"\b[A-Z]\w*\.[a-z_]\w*")


def extract_doc(source: bytes, path: str = "") -> FileFacts:
    """Documentation names the rake tasks people run by hand, and in its code examples
    the classes they call from a console: those, and nothing else."""
    text = source.decode("utf-8", "replace")
    refs = []
    if "`" in text:
        starts = [m.start() for m in re.finditer("\n", text)]
        seen_c: set[str] = set()
        for block in _DOC_CODE.finditer(text):
            code = block.group(1) if block.group(1) is not None else block.group(2)
            base = block.start(1) if block.group(1) is not None else block.start(2)
            for m in CONST_IN_CODE_STRING.finditer(code):
                name = m.group(1)
                # only a line that calls a constant's method (a console snippet), not a
                # diagram or a list of names
                ls = code.rfind("\n", 0, m.start()) + 1
                le = code.find("\n", m.end())
                if not _DOC_CALL.search(code, ls, le if le >= 0 else len(code)):
                    continue
                if name not in seen_c:
                    seen_c.add(name)
                    refs.append(_reference(name, "const_doc", bisect.bisect_left(starts, base + m.start()) + 1,
                                           (), None, "code example in documentation"))
    if "rake" in text or "rails" in text:
        starts = [m.start() for m in re.finditer("\n", text)]
        seen = set()
        for name, at in rake_invocations(text):
            if name not in seen:
                seen.add(name)
                refs.append(_reference(name, "rake_doc", bisect.bisect_left(starts, at) + 1,
                                       (), None, "named in documentation"))
    return FileFacts(references=tuple(refs), lines=text.count("\n") + (0 if text.endswith("\n") or not text else 1))


# deadcode's own reports and baselines, whatever their name: they name every candidate and
# would keep them all alive in the next scan
_OWN_OUTPUT = re.compile(rb'"(?:tool|driver)"\s*:\s*\{\s*"name"\s*:\s*"deadcode"|^## deadcode report\b', re.M)


def is_own_output(source: bytes) -> bool:
    return bool(_OWN_OUTPUT.search(source[:4096]))


def extract_file(path: str, lang: str, source: bytes) -> FileFacts:
    """Facts of one file. Raises nothing for bad Ruby: error regions are counted."""
    if lang in ("text", "doc") and is_own_output(source):
        return FileFacts(lines=source.count(b"\n"), note="a report or baseline written by deadcode: not read")
    if lang == "doc":
        return extract_doc(source, path)
    if lang == "text":
        return extract_text(source, path)
    if lang in ("erb", "haml", "slim"):
        from .parsing import template_to_ruby
        ruby = template_to_ruby(lang, source)
        facts = extract_ruby(ruby, path)
        # templates' own definitions are not modelled; their Ruby is code with the view role
        return FileFacts(
            definitions=(), references=facts.references, calls=facts.calls, names=facts.names,
            literals=facts.literals, error_regions=0, lines=source.count(b"\n") + 1,
        )
    return extract_ruby(source, path)
