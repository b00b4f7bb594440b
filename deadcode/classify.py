"""Verdicts. The one place that decides what is dead, and how sure we are.

Confidence table (also in the README):

==========  ============================================================
high        no reference outside tests (unreferenced, test_only)
medium      only dead callers; an orphaned dispatch entry; an ambiguous
            short-name reference; a rake task (may be run by hand);
            a controller action no route reaches
low         a dynamic constant pattern (``"#{x}Exporter".constantize``)
            could reach it
==========  ============================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import networkx as nx

from .graph import Graph, counts
from .index import MIGRATION_ROOT, Index
from .model import ROOT, TEST_ROOT, Candidate, Definition, Role

CANDIDATE_ROLES = {Role.APP}
STRUCTURAL_VIAS = {"action of", "dispatch map owner"}
ALWAYS_MEDIUM_KINDS = {"rake_task", "action"}
_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass
class Classification:
    candidates: list[Candidate] = field(default_factory=list)
    kept: list[tuple[Definition, str, str]] = field(default_factory=list)   # (def, reason, origin)
    live: set[str] = field(default_factory=set)


def is_eligible(d: Definition) -> bool:
    """Can this definition be reported at all?"""
    if d.kind == "dispatch_entry":
        return not d.is_test
    if d.kind == "rake_task":
        return not d.is_test and not d.name.split(":", 1)[0] in FRAMEWORK_TASK_NAMESPACES
    if d.kind in ("table",):
        return True
    if d.kind == "action":
        return True
    return bool(d.roles & CANDIDATE_ROLES) and not (d.roles & {Role.CONFIG, Role.SCRIPT, Role.VIEW})


FRAMEWORK_TASK_NAMESPACES = {
    "db", "assets", "test", "spec", "log", "tmp", "time", "middleware", "routes", "secrets",
    "credentials", "yarn", "webpacker", "javascript", "css", "active_storage", "action_mailbox",
    "action_text", "importmap", "zeitwerk", "app", "about", "stats", "notes", "cache_digests",
    "default", "environment",
}


def _weaker(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def _display(index: Index, nid: str) -> str:
    if nid == ROOT:
        return "(root)"
    if nid == TEST_ROOT:
        return "(test code)"
    if nid == MIGRATION_ROOT:
        return "(migration)"
    d = index.definitions.get(nid)
    return d.name if d else nid


def classify(index: Index, graph: Graph) -> Classification:
    result = Classification(live=set(graph.reachable))
    # what is dead before keeps apply; kept items (and what only they reach) are set aside
    would_be_dead = {nid for nid, d in index.definitions.items()
                     if nid not in graph.reachable_unkept and is_eligible(d)}
    dead = {nid for nid in would_be_dead if nid not in graph.reachable or nid in index.kept}
    incoming: dict[str, list] = {}
    for ref in index.references:
        if ref.target in index.definitions:
            incoming.setdefault(ref.target, []).append(ref)

    # dead clusters: weakly connected groups of dead definitions over counting edges
    sub = nx.Graph()
    sub.add_nodes_from(sorted(dead))
    for ref in index.references:
        if ref.source in dead and ref.target in dead and counts(ref, index):
            sub.add_edge(ref.source, ref.target)
    cluster_of: dict[str, list[str]] = {}
    for comp in nx.connected_components(sub):
        if len(comp) > 1:
            members = sorted(comp)
            for m in members:
                cluster_of[m] = members

    for nid in sorted(dead):
        d = index.definitions[nid]
        refs = incoming.get(nid, [])
        test_refs, dead_refs, ambiguous, dynamic, other = [], [], [], [], []
        evidence = []
        for ref in refs:
            src = ref.source
            why: str
            if ref.via in STRUCTURAL_VIAS and ref.source in dead:
                continue  # its own action or map entry: part of it, not a caller
            if ref.certainty == "ambiguous":
                ambiguous.append(ref)
                others = [t.target for t in refs if False]
                why = f"ambiguous name `{ref.name}`: could mean several definitions"
            elif ref.certainty == "dynamic":
                dynamic.append(ref)
                why = f"{ref.via}: may reach it at run time"
            elif ref.role == Role.TEST or src == TEST_ROOT or (
                    src in index.definitions and index.definitions[src].is_test):
                test_refs.append(ref)
                why = "test code"
            elif ref.role == Role.MIGRATION or src == MIGRATION_ROOT:
                other.append(ref)
                why = "migrations never keep code alive"
            elif src not in graph.reachable:
                dead_refs.append(ref)
                sd = index.definitions.get(src)
                why = f"from dead code: {_display(index, src)}" + (
                    f" ({sd.kind})" if sd else "")
            else:  # pragma: no cover - a counted reference from live code would make it live
                other.append(ref)
                why = "not counted"
            evidence.append({
                "file": ref.location.path, "line": ref.location.line, "role": ref.role.value,
                "from": _display(index, src), "via": ref.via, "counted": False, "why": why,
            })

        if d.kind == "dispatch_entry":
            verdict = "orphaned_entry"
        elif dead_refs:
            verdict = "dead_callers_only"
        elif test_refs:
            verdict = "test_only"
        else:
            verdict = "unreferenced"

        confidence = "high" if verdict in ("unreferenced", "test_only") else "medium"
        if d.kind in ALWAYS_MEDIUM_KINDS:
            confidence = _weaker(confidence, "medium")
        if ambiguous:
            confidence = _weaker(confidence, "medium")
        if dynamic:
            confidence = _weaker(confidence, "low")

        reasons = _reasons(index, d, verdict, test_refs, dead_refs, ambiguous, dynamic)
        related = _related_files(d, test_refs)
        cand = Candidate(
            definition=d, verdict=verdict, confidence=confidence, reasons=reasons,
            references=sorted(evidence, key=lambda e: (e["file"], e["line"], e["from"], e["via"])),
            related_files=related,
            cluster=[m for m in cluster_of.get(nid, []) if m != nid],
            deletable_lines=_definition_lines(d),
        )
        if nid in index.kept:
            reason, origin = index.kept[nid]
            result.kept.append((d, reason, origin))
            continue
        if d.kind == "action" and d.owner in dead:
            continue  # reported with its controller
        result.candidates.append(cand)

    # keeps that stop a definition from being a candidate, though it would be live anyway
    for nid, (reason, origin) in sorted(index.kept.items()):
        if nid not in dead and nid in graph.reachable_unkept:
            result.kept.append((index.definitions[nid], reason + " (no longer needed: it is live)", origin))
    # definitions reachable only from kept definitions are live; nothing else to do.
    result.candidates.sort(key=lambda c: (c.definition.kind, c.definition.name, c.definition.id))
    result.kept.sort(key=lambda k: k[0].id)
    return result


def _definition_lines(d: Definition) -> int:
    if d.kind in ("dispatch_entry", "action", "table"):
        return sum(max(1, loc.end_line - loc.line + 1) for loc in d.locations) if d.kind != "table" else 0
    return sum(max(1, loc.end_line - loc.line + 1) for loc in d.locations)


def _underscore(name: str) -> str:
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", s)
    return s.replace("::", "/").lower()


def _related_files(d: Definition, test_refs) -> list[str]:
    files = sorted({r.location.path for r in test_refs})
    base = _underscore(d.name.rsplit("::", 1)[-1]) if d.id.startswith("const:") else ""

    def own(path: str) -> int:
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if base and stem in (f"{base}_spec", f"{base}_test"):
            return 0
        if base and "factories" in path and stem.startswith(base):
            return 0
        return 1

    return sorted(files, key=lambda p: (own(p), p))


def own_test_files(d: Definition, related: list[str]) -> list[str]:
    """Spec/test/factory files named after the definition."""
    base = _underscore(d.name.rsplit("::", 1)[-1]) if d.id.startswith("const:") else ""
    out = []
    for path in related:
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if base and (stem in (f"{base}_spec", f"{base}_test")
                     or ("factories" in path and stem.startswith(base))):
            out.append(path)
    return out


def _loc_list(refs, limit: int = 5) -> str:
    locs = sorted({f"{r.location.path}:{r.location.line}" for r in refs})
    more = f" and {len(locs) - limit} more" if len(locs) > limit else ""
    return ", ".join(locs[:limit]) + more


def _reasons(index: Index, d: Definition, verdict: str, test_refs, dead_refs, ambiguous, dynamic):
    reasons = []
    if verdict == "orphaned_entry":
        reasons.append(
            f"task name \"{d.name}\" of dispatch map {d.detail} is not used by any live code, "
            f"scheduler or text source")
        if test_refs:
            reasons.append(f"only tests use the name: {_loc_list(test_refs)}")
        if dead_refs:
            reasons.append(f"only dead code uses the name: {_loc_list(dead_refs)}")
    elif verdict == "unreferenced":
        if d.kind == "rake_task":
            reasons.append("not invoked by any scheduler, script or task in the repo; may be run by hand")
        else:
            reasons.append("nothing references it")
    elif verdict == "test_only":
        reasons.append(f"referenced only from tests: {_loc_list(test_refs)}")
    elif verdict == "dead_callers_only":
        callers = sorted({_display(index, r.source) for r in dead_refs})
        reasons.append(f"referenced only from dead code: {', '.join(callers[:8])}"
                       + (f" and {len(callers) - 8} more" if len(callers) > 8 else ""))
        if test_refs:
            reasons.append(f"also referenced from tests: {_loc_list(test_refs)}")
    if ambiguous:
        reasons.append(f"ambiguous short-name references not counted: {_loc_list(ambiguous)}")
    if dynamic:
        pats = sorted({r.name for r in dynamic})
        reasons.append(f"a dynamic constant pattern could reach it: {', '.join(pats)} at {_loc_list(dynamic)}")
    if d.kind == "rake_task" and verdict != "unreferenced":
        reasons.append("may be run by hand")
    return reasons
