"""paper_trail: ``has_paper_trail`` writes to the versions table (a gem table, kept by the
tables plugin) or to the version class it names."""

from __future__ import annotations

from ..base import CallRef, Plugin
from ._util import CONST_NAME, option


class PaperTrailPlugin(Plugin):
    name = "paper_trail"
    gems = ("paper_trail",)
    reaches = "custom version classes"
    how = ("`has_paper_trail class_name: \"X\"` / `versions: {class_name: \"X\"}` -> X; "
           "PaperTrail::Version subclasses are models (their tables follow them)")
    parent_kinds = {"PaperTrail::Version": "model"}
    methods = frozenset({"has_paper_trail"})
    on_call_methods = methods

    def on_call(self, call, index):
        for value in (option(call.args, "class_name"), option((option(call.args, "versions") or ("", ()),), "class_name")):
            if value is not None and value[0] == "str" and CONST_NAME.match(value[1]):
                yield CallRef(value[1], "string", "has_paper_trail class_name:")
