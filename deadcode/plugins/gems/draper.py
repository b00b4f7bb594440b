"""draper: ``decorates_association :comments`` decorates with CommentDecorator;
``.decorate`` finds ``#{model}Decorator`` (the naming convention in plugins/rails.py)."""

from __future__ import annotations

from ... import inflect
from ..base import CallRef, Plugin
from ._util import option, words


class DraperPlugin(Plugin):
    name = "draper"
    gems = ("draper",)
    reaches = "decorators of associations; the model a decorator names"
    how = ("`decorates_association :comments` -> CommentDecorator (unless `with:`); "
           "`decorates :user` -> User; XDecorator live while X is (naming convention)")
    parent_kinds = {"Draper::Decorator": "decorator"}
    methods = frozenset({"decorates_association", "decorates_associations", "decorates"})
    on_call_methods = methods

    def on_call(self, call, index):
        if call.method == "decorates":
            for w in words(call.args):
                yield CallRef(inflect.camelize(w), "string", f"decorates :{w}")
            return
        with_ = option(call.args, "with")
        if with_ is not None:
            if with_[0] == "str":
                yield CallRef(with_[1], "string", f"{call.method} with:")
            return
        for w in words(call.args):
            yield CallRef(inflect.camelize(inflect.singularize(w)) + "Decorator", "string",
                          f"{call.method} :{w}")
