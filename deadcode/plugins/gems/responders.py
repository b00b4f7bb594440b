"""responders: ``responders :flash`` in a controller uses FlashResponder."""

from __future__ import annotations

from ... import inflect
from ..base import CallRef, Plugin
from ._util import words


class RespondersPlugin(Plugin):
    name = "responders"
    gems = ("responders",)
    reaches = "responder modules named by symbol"
    how = "`responders :flash` -> FlashResponder (or Responders::FlashResponder)"
    methods = frozenset({"responders"})
    on_call_methods = methods

    def on_call(self, call, index):
        for w in words(call.args):
            name = inflect.camelize(w) + "Responder"
            yield CallRef(name, "string", f"responders :{w}")
            yield CallRef(f"Responders::{name}", "string", f"responders :{w}")
