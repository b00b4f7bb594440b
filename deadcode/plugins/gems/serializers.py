"""active_model_serializers and jsonapi-serializer: serializers named by option or by the
association they serialize."""

from __future__ import annotations

from ... import inflect
from ..base import CallRef, Plugin
from ._util import CONST_NAME, option, words

_ASSOCIATIONS = frozenset({"has_many", "has_one", "belongs_to"})


def _named(value, via: str):
    """`serializer: "PostSerializer"` / `serializer: :post` (jsonapi-serializer's symbol form)."""
    if value is None:
        return
    if value[0] == "str" and CONST_NAME.match(value[1]):
        yield CallRef(value[1], "string", via)
    elif value[0] == "sym":
        yield CallRef(inflect.camelize(value[1]) + "Serializer", "string", via)


class SerializersPlugin(Plugin):
    name = "serializers"
    gems = ("active_model_serializers", "jsonapi-serializer", "fast_jsonapi")
    reaches = "serializers named by `serializer:` / `each_serializer:` or by an association"
    how = ("`serializer: \"X\"`/`each_serializer: \"X\"`/`serializer: :x` -> X/XSerializer; "
           "`has_many :comments` inside a serializer -> CommentSerializer (looked up by the gem)")
    parent_kinds = {"ActiveModel::Serializer": "serializer"}
    include_kinds = {"JSONAPI::Serializer": "serializer", "FastJsonapi::ObjectSerializer": "serializer"}
    methods = _ASSOCIATIONS
    on_call_methods = methods

    def on_call(self, call, index):
        for key in ("serializer", "each_serializer"):
            yield from _named(option(call.args, key), f"{call.method} {key}:")
        if call.method not in _ASSOCIATIONS or not call.owner or option(call.args, "serializer") is not None:
            return
        owner = index.definitions.get(call.owner)
        if owner is None or owner.kind != "serializer":
            return
        for w in list(words(call.args))[:1]:
            name = inflect.camelize(inflect.singularize(w) if call.method == "has_many" else w)
            yield CallRef(name + "Serializer", "string", f"{call.method} :{w} in a serializer")
