"""cancancan: controllers build ``Ability.new(current_user)`` by name (current_ability);
``load_and_authorize_resource class: "Project"`` names a model."""

from __future__ import annotations

from ... import inflect
from ..base import CallRef, Plugin
from ._util import CONST_NAME, option, words

_LOADERS = frozenset({"load_and_authorize_resource", "load_resource", "authorize_resource"})


class CanCanCanPlugin(Plugin):
    name = "cancancan"
    gems = ("cancancan", "cancan")
    reaches = "the Ability class; models named by load_and_authorize_resource"
    how = ("`Ability` including CanCan::Ability is an entry point (current_ability); "
           "`load_and_authorize_resource :project` / `class: \"Project\"` -> Project")
    include_kinds = {"CanCan::Ability": "ability"}
    methods = _LOADERS
    on_call_methods = _LOADERS

    def on_call(self, call, index):
        cls = option(call.args, "class")
        if cls is not None:
            if cls[0] == "str" and CONST_NAME.match(cls[1]):
                yield CallRef(cls[1], "string", f"{call.method} class:")
            return
        for w in list(words(call.args))[:1]:
            yield CallRef(inflect.camelize(w), "string", f"{call.method} :{w}")

    def finalize(self, index) -> None:
        d = index.definitions.get("const:Ability")
        if d is not None and "CanCan::Ability" in index.includes.get(d.id, ()):
            index.add_entry_point(d.id, "cancancan's current_ability builds Ability.new(user)", self.name)
