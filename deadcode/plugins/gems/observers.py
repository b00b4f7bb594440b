"""rails-observers: observers listed in ``config.active_record.observers`` run on model
callbacks; ``cache_sweeper :feed_sweeper`` in a controller names FeedSweeper."""

from __future__ import annotations

import re

from ...model import Location, Role
from ... import inflect
from ..base import CallRef, Plugin
from ._util import read_text

_ASSIGN = re.compile(r"\.observers\s*(?:=|<<|\+=)\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+|[A-Z][\w:]*)", re.S)
_NAME = re.compile(r":(\w+)|%i\[([^\]]*)\]|\b([A-Z]\w*(?:::[A-Z]\w*)*)\b")


class RailsObserversPlugin(Plugin):
    name = "rails_observers"
    gems = ("rails-observers",)
    reaches = "observers in config.active_record.observers; sweepers named by cache_sweeper"
    how = ("`cache_sweeper :feed_sweeper` -> FeedSweeper; `observers = [:audit_observer]` in "
           "config/application.rb or config/environments/*.rb -> AuditObserver; "
           "`observe :user` -> User")
    methods = frozenset({"cache_sweeper", "observe"})
    call_args = {"cache_sweeper": "camelize", "observe": "camelize"}
    app_folders = ("observers", "sweepers")

    def finalize(self, index) -> None:
        configs = sorted(p for p in index.files
                         if re.search(r"(^|/)config/(application|environments/\w+|initializers/\w+)\.rb$", p))
        for path in configs:
            text = read_text(index, path)
            if not text or "observers" not in text:
                continue
            for m in _ASSIGN.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                for n in _NAME.finditer(m.group(1)):
                    names = [n.group(1)] if n.group(1) else (n.group(2) or "").split() \
                        if n.group(2) is not None else []
                    consts = [inflect.camelize(x) for x in names] + ([n.group(3)] if n.group(3) else [])
                    for const in consts:
                        targets, certainty = index.resolve(const)
                        for t in targets if certainty == "exact" else ():
                            index.add_reference("<root>", t, const, Location(path, line, line),
                                                Role.CONFIG, "config.active_record.observers")
