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
    full: nx.MultiDiGraph     # every reference
    live: nx.DiGraph          # only edges that keep their target alive
    reachable: set[str]
    reachable_unkept: set[str]   # what would be live without keep comments/config


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
    full = nx.MultiDiGraph()
    live = nx.DiGraph()
    for pseudo in (ROOT, TEST_ROOT, MIGRATION_ROOT):
        full.add_node(pseudo)
        live.add_node(pseudo)
    for nid in sorted(index.definitions):
        full.add_node(nid)
        live.add_node(nid)
    for ref in index.references:
        full.add_edge(ref.source, ref.target, ref=ref)
        if counts(ref, index) and not live.has_edge(ref.source, ref.target):
            live.add_edge(ref.source, ref.target, ref=ref)
    for ep in list(index.entry_points) + list(extra_entries or ()):
        if not live.has_edge(ROOT, ep.target):
            live.add_edge(ROOT, ep.target, entry=ep)
    reachable_unkept = nx.descendants(live, ROOT) | {ROOT}
    for nid in index.kept:
        if not live.has_edge(ROOT, nid):
            live.add_edge(ROOT, nid, kept=index.kept[nid])
    reachable = nx.descendants(live, ROOT) | {ROOT} if index.kept else reachable_unkept
    return Graph(full, live, reachable, reachable_unkept)


def path_to(graph: Graph, target: str) -> list[str] | None:
    """One shortest chain of node ids from the root to ``target``."""
    try:
        return nx.shortest_path(graph.live, ROOT, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
