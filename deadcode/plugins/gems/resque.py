"""resque: jobs are classes with ``@queue`` and ``self.perform``, enqueued by constant
(``Resque.enqueue(X)``, already a reference) or by class name in a string."""

from __future__ import annotations

from ..base import CallRef, Plugin
from ._util import CONST_NAME

_ENQUEUE = frozenset({"enqueue", "enqueue_to", "enqueue_at", "enqueue_in", "enqueue_at_with_queue",
                      "remove_delayed", "dequeue"})


class ResquePlugin(Plugin):
    name = "resque"
    gems = ("resque", "resque-scheduler")
    reaches = "job classes enqueued by name"
    how = ("`Resque.enqueue(X)` is a constant; `Resque.enqueue_to(:q, \"X\")` "
           "-> X; schedule YAML `class: X` is read as text")
    methods = _ENQUEUE
    # resque:work / resque:scheduler / resque:pool depend on these app-defined tasks
    hook_tasks = ("resque:setup", "resque:scheduler_setup", "resque:scheduler:setup", "resque:pool:setup")
    on_call_methods = methods

    def on_call(self, call, index):
        if not call.receiver or not call.receiver.lstrip(":").startswith("Resque"):
            return
        for a in call.args[:3]:
            if a[0] == "str" and CONST_NAME.match(a[1]):
                yield CallRef(a[1], "string", f"Resque {call.method} \"{a[1]}\"")
