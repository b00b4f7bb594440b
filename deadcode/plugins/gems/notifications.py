"""ActiveSupport::Subscriber / LogSubscriber: ``attach_to :active_record`` in the class body
subscribes the class itself when its file loads."""

from __future__ import annotations

from ..base import Plugin


class SubscribersPlugin(Plugin):
    name = "notification_subscribers"
    gems = ("activesupport", "rails")
    reaches = "subscriber classes that attach themselves"
    how = ("a class calling `attach_to :namespace` is an entry point; "
           "`ActiveSupport::Notifications.subscribe(\"x\", Klass)` is a constant reference")
    methods = frozenset({"attach_to"})

    def finalize(self, index) -> None:
        for path in sorted(index.facts):
            for call in index.facts[path].calls:
                if call.method == "attach_to" and call.receiver in (None, "self") and call.owner:
                    index.add_entry_point(call.owner, f"attaches itself to notifications "
                                                      f"(attach_to at {path}:{call.line})", self.name)
