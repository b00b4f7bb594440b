"""simple_form (and formtastic): ``f.input :price, as: :currency`` renders CurrencyInput,
found by name in app/inputs; an app's StringInput replaces the built-in for every string."""

from __future__ import annotations

from ... import inflect
from ..base import CallRef, Plugin
from ._util import option

# simple_form's own input types: an app class of that name overrides the built-in, and
# simple_form picks it for every column of the type, named or not
BUILTIN_INPUTS = frozenset(
    f"{inflect.camelize(t)}Input" for t in (
        "boolean", "collection_check_boxes", "collection_radio_buttons", "collection_select",
        "color", "date_time", "file", "grouped_collection_select", "hidden", "numeric",
        "password", "priority", "range", "rich_text_area", "string", "text", "weekday"))


class SimpleFormPlugin(Plugin):
    name = "simple_form"
    gems = ("simple_form", "formtastic")
    reaches = "custom inputs (app/inputs)"
    how = ("`as: :currency` -> CurrencyInput; an app input named like a built-in (StringInput…) "
           "is an entry point")
    methods = frozenset({"input", "input_field", "simple_fields_for"})
    on_call_methods = frozenset({"input", "input_field"})
    app_folders = ("inputs",)

    def on_call(self, call, index):
        as_ = option(call.args, "as")
        if as_ is not None and as_[0] in ("sym", "str"):
            yield CallRef(inflect.camelize(as_[1]) + "Input", "string", f"{call.method} as: :{as_[1]}")

    def finalize(self, index) -> None:
        for d in index.definitions.values():
            if d.id.startswith("const:") and d.name in BUILTIN_INPUTS:
                index.add_entry_point(d.id, "overrides a simple_form input type: used for every "
                                            "field of that type", self.name)
