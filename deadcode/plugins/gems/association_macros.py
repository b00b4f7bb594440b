"""Gems whose model macros declare associations to a model the app itself defines
(the gem's generator writes it): ``acts_as_favoritor`` is ``has_many :favorites``."""

from __future__ import annotations

from ..base import CallRef, Plugin

# macro -> (gem, model the association names)
MACROS = {
    "acts_as_favoritor": ("acts_as_favoritor", "Favorite"),
    "acts_as_favoritable": ("acts_as_favoritor", "Favorite"),
    "acts_as_follower": ("acts_as_follower", "Follow"),
    "acts_as_followable": ("acts_as_follower", "Follow"),
    "action_store": ("action-store", "Action"),
}


class AssociationMacrosPlugin(Plugin):
    name = "association_macros"
    gems = tuple(sorted({gem for gem, _ in MACROS.values()}))
    reaches = "the model a macro's association names"
    how = ("`acts_as_favoritor` / `acts_as_favoritable` -> Favorite; `acts_as_follower` / "
           "`acts_as_followable` -> Follow; `action_store :like, :topic` -> Action")
    methods = frozenset(MACROS)
    on_call_methods = methods

    def on_call(self, call, index):
        gem, model = MACROS[call.method]
        if gem in index.gems and call.receiver in (None, "self"):
            yield CallRef(model, "string", f"{call.method} (the {gem} gem's association)")
