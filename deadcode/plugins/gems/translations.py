"""globalize and mobility: ``translates :title`` in model Post uses Post::Translation and
the table ``post_translations`` (the table backend) while Post is live."""

from __future__ import annotations

from ... import inflect
from ...model import Location, Role
from ..base import Plugin
from ._util import inflections


class TranslatesPlugin(Plugin):
    name = "translates"
    gems = ("globalize", "mobility")
    reaches = "X::Translation and the table <singular of X's table>_translations"
    how = ("`translates :title` in model X: a reference from X to both; the table "
           "<singular of X's table>_translations is X's even when a concern calls `translates`")
    methods = frozenset({"translates"})

    def finalize(self, index) -> None:
        from ..rails import TablesPlugin

        inf = inflections(index)
        tables = TablesPlugin()
        done: set[str] = set()
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
                    done.add(f"table:{name}")
                    index.add_reference(owner.id, f"table:{name}", name, loc, role,
                                        "translates (translations table)")
        # a concern that wraps `translates` (def translates_rich_text(*cols) ... translates(*cols)):
        # the gem names the table after the model's, so <singular table>_translations of a
        # model's table is that model's, whoever called `translates`
        for d in sorted((d for d in index.definitions.values() if d.kind == "model"), key=lambda d: d.id):
            table = tables.table_of(index, d, inf)
            if not table:
                continue
            name = f"{inflect.singularize(table, inf)}_translations"
            tid = f"table:{name}"
            if tid in index.definitions and tid not in done:
                index.add_reference(d.id, tid, name, d.location, Role.APP,
                                    f"{name} is {table}'s translations table by the gem's naming")
