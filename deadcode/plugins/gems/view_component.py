"""ViewComponent: components are rendered by constant (already references);
``renders_one :x, "XComponent"`` names a slot class by string. Previews are test code (as
mailer previews are): a component only a preview renders is reported test-only."""

from __future__ import annotations

from ..base import CallRef, Plugin
from ._util import CONST_NAME


class ViewComponentGemPlugin(Plugin):
    name = "view_component_gem"
    gems = ("view_component",)
    reaches = "slot components given as strings; components (kind `component`)"
    how = ("`renders_one/renders_many :x, \"XComponent\"` -> XComponent; ViewComponent::Base "
           "subclasses are judged by references (rendered by constant); previews are test code")
    parent_kinds = {"ViewComponent::Base": "component"}
    methods = frozenset({"renders_one", "renders_many"})
    on_call_methods = methods

    def on_call(self, call, index):
        for a in call.args[1:2]:
            if a[0] == "str" and CONST_NAME.match(a[1]):
                yield CallRef(a[1], "string", f"{call.method} \"{a[1]}\"")
