"""The reference graph (networkx) and what is reachable from the roots.

Nodes are definitions plus three pseudo-nodes: ``<root>`` (code that belongs
to no definition: config, routes, views, scripts, text sources), ``<tests>``
(top-level test code) and ``<migrations>``. Every reference is an edge with
its evidence. Liveness follows only edges that count: not from test code, not
from migrations, not ambiguous, not a dynamic pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .index import MIGRATION_ROOT, Index
from .model import ROOT, TEST_ROOT, EntryPoint, Reference, Role


@dataclass
class Graph:
    live: nx.DiGraph             # only edges that keep their target alive
    reachable: set[str]
    reachable_unkept: set[str]   # what would be live without keep comments/config
    index: Index | None = None
    _full: nx.MultiDiGraph | None = None

    @property
    def full(self) -> nx.MultiDiGraph:
        """Every reference as an edge; built on first use (explain, graph) only."""
        if self._full is None:
            full = nx.MultiDiGraph()
            full.add_nodes_from((ROOT, TEST_ROOT, MIGRATION_ROOT))
            if self.index is not None:
                full.add_nodes_from(sorted(self.index.definitions))
                for ref in self.index.references:
                    full.add_edge(ref.source, ref.target, ref=ref)
            self._full = full
        return self._full


def counts(ref: Reference, index: Index) -> bool:
    """Does this reference keep its target alive (when its source is alive)?"""
    if ref.certainty != "exact":
        return False
    if ref.role in (Role.TEST, Role.MIGRATION):
        return False
    if ref.source in (TEST_ROOT, MIGRATION_ROOT):
        return False
    src = index.definitions.get(ref.source)
    if src is not None and src.is_test:
        return False
    return True


def build_graph(index: Index, extra_entries: list[EntryPoint] | None = None) -> Graph:
    live = nx.DiGraph()
    live.add_nodes_from((ROOT, TEST_ROOT, MIGRATION_ROOT))
    live.add_nodes_from(sorted(index.definitions))
    # counts(), with the per-definition test check done once
    not_counting_sources = {TEST_ROOT, MIGRATION_ROOT}
    not_counting_sources.update(nid for nid, d in index.definitions.items() if d.is_test)
    not_counting_roles = (Role.TEST, Role.MIGRATION)
    has_edge, add_edge = live.has_edge, live.add_edge
    for ref in index.references:
        if ref.certainty != "exact" or ref.role in not_counting_roles \
                or ref.source in not_counting_sources:
            continue
        if not has_edge(ref.source, ref.target):
            add_edge(ref.source, ref.target, ref=ref)
    for ep in list(index.entry_points) + list(extra_entries or ()):
        if not live.has_edge(ROOT, ep.target):
            live.add_edge(ROOT, ep.target, entry=ep)
    reachable_unkept = nx.descendants(live, ROOT) | {ROOT}
    for nid in index.kept:
        if not live.has_edge(ROOT, nid):
            live.add_edge(ROOT, nid, kept=index.kept[nid])
    reachable = nx.descendants(live, ROOT) | {ROOT} if index.kept else reachable_unkept
    return Graph(live, reachable, reachable_unkept, index)


def path_to(graph: Graph, target: str) -> list[str] | None:
    """One shortest chain of node ids from the root to ``target``."""
    try:
        return nx.shortest_path(graph.live, ROOT, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def display(index: Index, nid: str) -> str:
    """How a node is named in evidence."""
    if nid == ROOT:
        return "(root)"
    if nid == TEST_ROOT:
        return "(test code)"
    if nid == MIGRATION_ROOT:
        return "(migration)"
    d = index.definitions.get(nid)
    return d.name if d else nid


def judge(ref: Reference, index: Index, reachable: set[str]) -> tuple[str, bool, str]:
    """(category, counted, why) for one incoming reference; the one place that says why a
    reference does or does not keep its target alive. Categories: ambiguous, dynamic,
    comment, test, migration, dead, live."""
    src = ref.source
    sd = index.definitions.get(src)
    if ref.certainty == "ambiguous":
        return "ambiguous", False, f"ambiguous name `{ref.name}`: could mean several definitions"
    if ref.certainty == "dynamic":
        return "dynamic", False, f"{ref.via}: may reach it at run time"
    if ref.certainty == "comment":
        return "comment", False, "a comment, not code"
    if ref.role == Role.TEST or src == TEST_ROOT or (sd is not None and sd.is_test):
        return "test", False, "test code"
    if ref.role == Role.MIGRATION or src == MIGRATION_ROOT:
        return "migration", False, "migrations never keep code alive"
    if src not in reachable:
        return "dead", False, f"from dead code: {display(index, src)}" + (f" ({sd.kind})" if sd else "")
    return "live", True, ("top-level code always runs" if src == ROOT else f"{display(index, src)} is live")

