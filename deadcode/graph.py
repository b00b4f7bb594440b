"""The reference graph (networkx) and what is reachable from the roots.

Nodes are definitions plus three pseudo-nodes: ``<root>`` (code that belongs
to no definition: config, routes, views, scripts, text sources), ``<tests>``
(top-level test code) and ``<migrations>``. Every reference is an edge with
its evidence. Liveness follows only edges that count: not from test code, not
from migrations, not ambiguous, not a dynamic pattern.
"""

from __future__ import annotations

import networkx as nx

from .index import MIGRATION_ROOT, Index
from .model import ROOT, TEST_ROOT, EntryPoint, Reference, Role


class Graph:
    """What is reachable from the roots, and the edges that count (``live``).

    ``live`` is a networkx graph built on first use (explain, runtime joins); a scan
    only needs the reachable sets, which ``build_graph`` computes on plain dicts.
    """

    def __init__(self, live: nx.DiGraph | None, reachable: set[str], reachable_unkept: set[str],
                 index: Index | None = None, _full: nx.MultiDiGraph | None = None, *,
                 edges: list[tuple[str, str, str, object]] | None = None) -> None:
        self._live = live
        self._edges = edges or []
        self.reachable = reachable
        self.reachable_unkept = reachable_unkept   # what would be live without keep comments/config
        self.index = index
        self._full = _full

    @property
    def live(self) -> nx.DiGraph:
        """Only edges that keep their target alive (first evidence per pair of nodes)."""
        if self._live is None:
            live = nx.DiGraph()
            live.add_nodes_from((ROOT, TEST_ROOT, MIGRATION_ROOT))
            if self.index is not None:
                live.add_nodes_from(sorted(self.index.definitions))
            # in the order they were found: same node and neighbour order as before
            live.add_edges_from((u, v, {key: value}) for u, v, key, value in self._edges)
            self._live = live
        return self._live

    @live.setter
    def live(self, value: nx.DiGraph) -> None:
        self._live = value

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


def _is_test(d) -> bool:
    """``d.is_test`` (roles == {Role.TEST}) without hashing Role members (a Python-level
    Enum __hash__) for every definition."""
    return len(d.roles) == 1 and next(iter(d.roles)) == Role.TEST


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
    # counts(), with the per-definition test check done once
    not_counting_sources = {TEST_ROOT, MIGRATION_ROOT}
    not_counting_sources.update(nid for nid, d in index.definitions.items() if _is_test(d))
    not_counting_roles = (Role.TEST, Role.MIGRATION)
    # succ[u]: the targets of u's edges. Only the first evidence of an edge is kept (as
    # nx's has_edge/add_edge did); ``edges`` keeps them in order for the lazy nx graph.
    succ: dict[str, set[str]] = {}
    edges: list[tuple[str, str, str, object]] = []   # (u, v, data key, data value)

    counting = [ref for ref in index.references
                if ref.certainty == "exact" and ref.role not in not_counting_roles
                and ref.source not in not_counting_sources]
    for ref in counting:
        u, v = ref.source, ref.target
        out = succ.get(u)
        if out is None:
            out = succ[u] = set()
        if v not in out:
            out.add(v)
            edges.append((u, v, "ref", ref))

    def add(u: str, v: str, key: str, value: object) -> None:
        out = succ.setdefault(u, set())
        if v not in out:
            out.add(v)
            edges.append((u, v, key, value))

    for ep in list(index.entry_points) + list(extra_entries or ()):
        add(ROOT, ep.target, "entry", ep)
    reachable_unkept = _reachable(succ, {ROOT}, [ROOT])
    for nid in index.kept:
        add(ROOT, nid, "kept", index.kept[nid])
    reachable = reachable_unkept
    if index.kept:
        # what was reachable stays so: only the kept definitions' own reach is new
        reachable = _reachable(succ, set(reachable_unkept),
                               [nid for nid in index.kept if nid not in reachable_unkept])
    return Graph(None, reachable, reachable_unkept, index, edges=edges)


def _reachable(succ: dict[str, set[str]], seen: set[str], stack: list[str]) -> set[str]:
    """Grow ``seen`` by the nodes on ``stack`` and everything reachable from them (from
    ``{ROOT}``/``[ROOT]``: what nx.descendants(ROOT) | {ROOT} gave)."""
    seen.update(stack)
    while stack:
        for v in succ.get(stack.pop(), ()):
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return seen


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

