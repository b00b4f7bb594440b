"""StimulusReflex: reflexes are named from the browser (``data-reflex="click->Profile#save"``
in markup, ``stimulate("Profile#save")`` in JavaScript). A name seen in a view makes the
reflex live; otherwise its verdict is capped low, since deadcode does not read JavaScript."""

from __future__ import annotations

import re

from ...model import Location, Role
from ..base import Plugin
from ._util import read_text

# data-reflex="click->Profile#save", data: { reflex: "click->ProfileReflex#save" }, reflex: "Profile#save"
_VIEW_NAME = re.compile(r"""reflex["']?\s*(?:=|:|=>)\s*["'](?:[\w:-]+->)?((?:[A-Z]\w*::)*[A-Z]\w*)#""")


class StimulusReflexPlugin(Plugin):
    name = "stimulus_reflex"
    gems = ("stimulus_reflex",)
    reaches = "reflex classes (StimulusReflex::Reflex subclasses, app/reflexes)"
    how = ("a view's `data-reflex=\"click->X#m\"` / `reflex: \"X#m\"` -> XReflex; otherwise "
           "capped low (named from JavaScript, which deadcode does not read)")
    parent_kinds = {"StimulusReflex::Reflex": "reflex"}
    app_folders = ("reflexes",)

    def finalize(self, index) -> None:
        reflexes = {d.name: d for d in index.definitions.values()
                    if d.kind == "reflex" or (d.id.startswith("const:")
                                              and any("app/reflexes/" in loc.path for loc in d.locations))}
        if not reflexes:
            return
        for path in sorted(p for p, f in index.files.items() if f.role == Role.VIEW):
            text = read_text(index, path) or ""
            if "reflex" not in text:
                continue
            for m in _VIEW_NAME.finditer(text):
                name = m.group(1)
                for cand in (name, name + "Reflex"):
                    d = reflexes.get(cand)
                    if d is not None:
                        line = text.count("\n", 0, m.start()) + 1
                        index.add_reference("<root>", d.id, cand, Location(path, line, line), Role.VIEW,
                                            "data-reflex in a view")
                        break
        for d in reflexes.values():
            index.cap(d.id, "low", "StimulusReflex calls reflexes named in the browser "
                                   "(data-reflex attributes, stimulate() in JavaScript), which "
                                   "deadcode does not read")
