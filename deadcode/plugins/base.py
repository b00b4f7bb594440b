"""The plugin contract. A plugin is mostly declarations; hooks cover the rest.

A plugin may add references, add entry points, or mark definitions as kept
(with a reason). It never declares anything dead: that is decided in
``classify`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from ..index import Index
    from ..model import RawCall


@dataclass(frozen=True)
class CallRef:
    """A reference a plugin derives from a call: ``name`` resolved like a constant."""

    name: str
    kind: str = "constant"    # "constant" | "string" | "rake_task" | "table" | "literal"
    via: str = ""


class Plugin:
    """Base class: override the declarations, and hooks only where data cannot say it."""

    name: str = "base"
    #: gems (from Gemfile.lock / Gemfile) that enable the plugin; empty: always on
    gems: tuple[str, ...] = ()
    #: documentation only (docs/gems.md): what app code the gem reaches by convention
    reaches: str = ""
    #: documentation only (docs/gems.md): how the plugin models it
    how: str = ""
    #: method names whose calls extraction must record for this plugin
    methods: frozenset[str] = frozenset()
    #: superclass (fully-qualified) -> kind of every class inheriting from it
    parent_kinds: dict[str, str] = {}
    #: included/extended module -> kind of the including class
    include_kinds: dict[str, str] = {}
    #: path regex -> kind of classes defined there when nothing else says
    path_kinds: tuple[tuple[str, str], ...] = ()
    #: folders under app/ whose classes the plugin's rules cover (see blind_spots)
    app_folders: tuple[str, ...] = ()
    #: superclasses whose subclasses the framework calls: subclasses are entry points
    framework_parents: tuple[str, ...] = ()
    #: rake tasks an app defines for the gem's own tasks to invoke (``resque:setup``)
    hook_tasks: tuple[str, ...] = ()
    #: call name -> how its literal symbol/string arguments become references.
    #:   "camelize": :line_items -> LineItem (singularized+camelized), "const": "Foo" as is,
    #:   "validator": email_format: true -> EmailFormatValidator
    call_args: dict[str, str] = {}
    #: the call names ``on_call`` can turn into references; None: any recorded call.
    #: The index asks a plugin only about these, so declaring them saves a call per
    #: recorded call of every other method.
    on_call_methods: frozenset[str] | None = None

    def on_call(self, call: "RawCall", index: "Index") -> Iterable[CallRef]:
        """References a recorded call makes (beyond ``call_args``)."""
        return ()

    def define(self, index: "Index") -> None:
        """Add definitions (tables, actions) before references are resolved."""
        return None

    def finalize(self, index: "Index") -> None:
        """Add entry points / references that need the whole index."""
        return None
