"""globalize and mobility: ``translates :title`` in model Post uses Post::Translation and
the table ``post_translations`` (the table backend) while Post is live."""

from __future__ import annotations

from ... import inflect
from ...model import Location
from ..base import Plugin
from ._util import inflections


class TranslatesPlugin(Plugin):
    name = "translates"
    gems = ("globalize", "mobility")
    reaches = "X::Translation and the table <singular of X's table>_translations"
    how = "`translates :title` in model X: a reference from X to both"
    methods = frozenset({"translates"})

    def finalize(self, index) -> None:
        from ..rails import TablesPlugin

        inf = inflections(index)
        tables = TablesPlugin()
        for path in sorted(index.facts):
            for call in index.facts[path].calls:
                if call.method != "translates" or call.receiver not in (None, "self") or not call.owner:
                    continue
                owner = index.definitions.get(call.owner)
                if owner is None:
                    continue
                loc = Location(path, call.line, call.line)
                role = index.files[path].role
                tid = f"const:{owner.name}::Translation"
                if tid in index.definitions:
                    index.add_reference(owner.id, tid, f"{owner.name}::Translation", loc, role,
                                        "translates (translation model)")
                table = tables.table_of(index, owner, inf) if owner.kind == "model" else None
                table = table or inflect.table_name_for(owner.name, inf)
                name = f"{inflect.singularize(table, inf)}_translations"
                if f"table:{name}" in index.definitions:
                    index.add_reference(owner.id, f"table:{name}", name, loc, role,
                                        "translates (translations table)")
