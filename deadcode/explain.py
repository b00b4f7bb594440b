"""Why is this definition live or dead? ``explain`` and ``graph`` over one scan.

``find_definitions`` looks a name up the way the report prints it (a
fully-qualified constant, a report id ``kind:name``, a rake task ``ns:task``, a
dispatch key, a table, ``Controller#action``) and falls back to a short-name
suffix match. ``explain`` returns a JSON-ready record: the definition, its
verdict, every incoming reference with whether it counts and why, and for a
live definition one shortest chain of counted references from the root.
``neighbourhood`` / ``render_mermaid`` / ``render_dot`` draw the references
around one definition.
"""

from __future__ import annotations

import re
from collections import deque

from .classify import is_eligible
import networkx as nx

from .graph import display, judge
from .index import MIGRATION_ROOT
from .model import ROOT, TEST_ROOT, VERDICTS, Definition

PSEUDO = {ROOT: "(root)", TEST_ROOT: "(test code)", MIGRATION_ROOT: "(migration)"}
_SEPARATORS = ("::", ":", "#", ".")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value):
    """Strings with control characters (a file named ``a\x1b[31m.rb``) made visible, so
    nothing printed can move the cursor or recolour the terminal."""
    if isinstance(value, str):
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# lookup
# ---------------------------------------------------------------------------

def find_definitions(index, query: str) -> list[Definition]:
    """Definitions named ``query`` exactly, else those whose name ends with it."""
    q = query.strip()
    bare = q[2:] if q.startswith("::") else q
    defs = sorted(index.definitions.values(), key=lambda d: d.id)
    exact = [d for d in defs if q in (d.id, f"{d.kind}:{d.name}") or d.name == bare]
    if exact:
        return exact
    return [d for d in defs if any(d.name.endswith(sep + bare) for sep in _SEPARATORS)]


def close_names(index, query: str, n: int = 3) -> list[str]:
    """Names like a misspelt ``query`` ("did you mean"): full names, last segments and
    report ids, best first."""
    import difflib
    q = query.strip().lstrip(":")
    by_form: dict[str, str] = {}
    for d in sorted(index.definitions.values(), key=lambda d: d.id):
        for form in (d.name, report_id(d), re.split(r"::|#|:", d.name)[-1]):
            by_form.setdefault(form.lower(), d.name)
    out: list[str] = []
    for form in difflib.get_close_matches(q.lower(), list(by_form), n=n * 3, cutoff=0.75):
        if by_form[form] not in out:
            out.append(by_form[form])
    return out[:n]


def definitions_in_file(index, rel: str) -> list[Definition]:
    """The definitions a repo-relative file defines (its classes, actions, tasks...), in line order."""
    found = [d for d in index.definitions.values() if any(loc.path == rel for loc in d.locations)]
    return sorted(found, key=lambda d: (min(loc.line for loc in d.locations if loc.path == rel), d.id))


def report_id(d: Definition) -> str:
    return f"{d.kind}:{d.name}"


# ---------------------------------------------------------------------------
# explain
# ---------------------------------------------------------------------------

def reference_evidence(ref, index, graph) -> dict:
    """One incoming reference: does it keep its target alive, and if not, why not.

    Mirrors ``classify``'s evidence for candidates, and adds the counted case.
    """
    src = ref.source
    _category, counted, why = judge(ref, index, graph.reachable)
    return {
        "file": ref.location.path, "line": ref.location.line, "role": ref.role.value,
        "from": display(index, src), "via": ref.via, "counted": counted, "why": why,
    }


# what a hop costs in the "why live" chain: the strongest chain is the cheapest, so a real
# constant reference in code wins over a word in a string or text file, and code that is
# certainly live wins over a keep or over something itself reported (runtime_unseen)
WEAK_HOP = 10        # a string, YAML/JSON value or a word in a text file
KEPT_HOP = 10        # live only because a keep says so
CANDIDATE_HOP = 25   # out of a definition that is itself a candidate


def _weak_via(via: str) -> bool:
    return "string" in via or via in ("name in text", "runner expression") or "comment" in via


def strongest_path(graph, nid: str, candidates: set[str] = frozenset()) -> list[str] | None:
    """The chain of live edges from the root to ``nid`` with the strongest evidence: fewest
    weak hops (strings, keeps, candidates), then fewest hops, then by node id."""
    def weight(u, v, data):
        w = 1
        ref = data.get("ref")
        if ref is not None and _weak_via(ref.via or ""):
            w += WEAK_HOP
        if "kept" in data:
            w += KEPT_HOP
        if u in candidates:
            w += CANDIDATE_HOP
        return w
    try:
        return nx.dijkstra_path(graph.live, ROOT, nid, weight=weight)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def live_chain(index, graph, nid: str, candidates: set[str] = frozenset()) -> list[dict] | None:
    """The strongest chain of live edges from the root to ``nid``: one record per hop."""
    path = strongest_path(graph, nid, candidates)
    if not path or len(path) < 2:
        return None
    hops = []
    for u, v in zip(path, path[1:]):
        data = graph.live.get_edge_data(u, v) or {}
        hop = {"from": display(index, u), "to": display(index, v), "file": None, "line": None,
               "via": None, "entry": None, "kept": None}
        if "ref" in data:
            ref = data["ref"]
            hop.update(file=ref.location.path, line=ref.location.line, via=ref.via)
        elif "entry" in data:
            ep = data["entry"]
            hop["entry"] = ep.reason
            if ep.location is not None:
                hop.update(file=ep.location.path, line=ep.location.line)
        elif "kept" in data:
            reason, origin = data["kept"]
            hop["kept"] = f"{reason} ({origin})"
        hops.append(hop)
    return hops


def _hop_label(hop: dict) -> str:
    why = hop["via"] or (f"entry point: {hop['entry']}" if hop["entry"] else None) or \
        (f"kept: {hop['kept']}" if hop["kept"] else "")
    loc = f"{hop['file']}:{hop['line']}" if hop["file"] else ""
    return " ".join(x for x in (loc, f"({why})" if why else "") if x)


def chain_line(hops: list[dict]) -> str:
    """``config/routes.rb:4 (routed) → InvoicesController → ExportWorker``."""
    return " → ".join([_hop_label(hops[0]) or hops[0]["from"]] + [h["to"] for h in hops])


def explain(result, nid: str) -> dict:
    """Everything known about one definition, JSON-ready."""
    index, graph, classification = result.index, result.graph, result.classification
    d = index.definitions[nid]
    cand = next((c for c in classification.candidates if c.definition.id == nid), None)
    kept = next(((reason, origin) for kd, reason, origin in classification.kept if kd.id == nid), None)
    live = nid in graph.reachable
    refs = [r for r in index.references if r.target == nid]
    if cand is not None:
        evidence = list(cand.references)
    else:
        evidence = sorted((reference_evidence(r, index, graph) for r in refs),
                          key=lambda e: (e["file"], e["line"], e["from"], e["via"]))
    unique: dict[tuple, dict] = {}   # each piece of evidence once
    for e in evidence:
        unique.setdefault(tuple(sorted((k, str(v)) for k, v in e.items())), e)
    evidence = list(unique.values())
    record = {
        "id": report_id(d),
        "name": d.name,
        "kind": d.kind,
        "locations": [{"file": loc.path, "line": loc.line, "end_line": loc.end_line}
                      for loc in sorted(d.locations)],
        "live": live,
        "verdict": "live" if live else (cand.verdict if cand else "not_reported"),
        "code": VERDICTS[cand.verdict].code if cand else None,
        "confidence": cand.confidence if cand else None,
        "reasons": list(cand.reasons) if cand else [],
        "cluster": [report_id(index.definitions[m]) for m in cand.cluster
                    if m in index.definitions] if cand else [],
        "kept": {"reason": kept[0], "origin": kept[1]} if kept else None,
        "references": evidence,
        "chain": live_chain(index, graph, nid, {c.definition.id for c in classification.candidates})
        if live else None,
    }
    if not live and cand is None and kept is None:
        record["reasons"] = [_not_reported_reason(d)]
    return record


def _not_reported_reason(d: Definition) -> str:
    if not is_eligible(d):
        roles = "/".join(sorted(r.value for r in d.roles)) or "non-application"
        return f"not live, but not reported: defined in {roles} code"
    return "not live, but not reported"  # pragma: no cover - e.g. a runtime-only verdict


def render_explanation(rec: dict, color: bool = False) -> str:
    def c(code: str, s: str) -> str:
        return f"\033[{code}m{s}\033[0m" if color else s

    rec = _clean(rec)
    lines = [c("1", f"{rec['name']} ({rec['kind']})")]
    lines.append("  defined: " + ", ".join(f"{x['file']}:{x['line']}" for x in rec["locations"]))
    if rec["live"]:
        lines.append("  verdict: " + c("32", "live"))
    elif rec["code"]:
        lines.append(f"  verdict: {c('31', rec['verdict'])} ({rec['code']}), confidence {rec['confidence']}")
    else:
        lines.append("  verdict: not live")
    for r in rec["reasons"]:
        lines.append(f"    - {r}")
    if rec["kept"]:
        lines.append(f"  kept: {rec['kept']['reason']} ({rec['kept']['origin']})")
    if rec["cluster"]:
        lines.append(f"  dead cluster: {', '.join(rec['cluster'])}")
    if rec["chain"]:
        lines.append(f"  why live: {chain_line(rec['chain'])}")
        for hop in rec["chain"]:
            where = f"{hop['file']}:{hop['line']}" if hop["file"] else "-"
            why = hop["via"] or (f"entry point: {hop['entry']}" if hop["entry"] else "") or \
                (f"kept: {hop['kept']}" if hop["kept"] else "")
            lines.append(f"    {where}  {hop['from']} → {hop['to']}" + (f"  ({why})" if why else ""))
    refs = rec["references"]
    lines.append(f"  references ({len(refs)}):" if refs else "  references: none")
    for e in refs:
        mark = c("32", "counted") if e["counted"] else c("2", "not counted")
        lines.append(f"    {e['file']}:{e['line']}  {e['role']}  from {e['from']}  via {e['via']}  "
                     f"{mark}: {e['why']}")
    return "\n".join(lines) + "\n"


def render_matches(query: str, defs: list[Definition]) -> str:
    lines = [f"{len(defs)} definitions match \"{_clean(query)}\"; ask again with one of these names:"]
    for d in defs:
        lines.append(_clean(f"  {report_id(d)}  {d.location}"))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# graph
# ---------------------------------------------------------------------------

def neighbourhood(result, nid: str, depth: int = 2, max_nodes: int | None = None,
                  trimmed: list | None = None) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """Nodes within ``depth`` references of ``nid`` (either direction) and the edges among
    them, labelled with every ``via``. Pseudo-nodes (root, tests) appear but are not
    expanded: everything hangs off them. ``max_nodes``: keep only the nearest ones (by
    distance, then id); ``trimmed`` receives (shown, total) when nodes were left out."""
    full = result.graph.full
    seen = {nid: 0}
    queue = deque([nid])
    while queue:
        n = queue.popleft()
        if seen[n] >= depth or (n in PSEUDO and n != nid):
            continue
        for m in sorted(set(full.successors(n)) | set(full.predecessors(n))):
            if m not in seen:
                seen[m] = seen[n] + 1
                queue.append(m)
    if max_nodes is not None and len(seen) > max_nodes:
        keep = sorted(seen, key=lambda n: (seen[n], n))[:max(max_nodes, 1)]
        if trimmed is not None:
            trimmed.append((len(keep), len(seen)))
        seen = {n: seen[n] for n in keep}
    nodes = sorted(seen, key=lambda n: (n not in PSEUDO, n))
    edges: dict[tuple[str, str], set[str]] = {}
    for u, v, data in full.edges(data=True):
        if u in seen and v in seen:
            ref = data.get("ref")
            edges.setdefault((u, v), set()).add(ref.via if ref is not None else "")
    return nodes, [(u, v, sorted(_clean(x) for x in labels if x)) for (u, v), labels in sorted(edges.items())]


def _node_ids(nodes: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    used: set[str] = set()
    for n in nodes:
        base = PSEUDO[n].strip("()").replace(" ", "_") if n in PSEUDO else n
        base = re.sub(r"[^A-Za-z0-9_]+", "_", base).strip("_") or "node"
        if base[0].isdigit():
            base = f"n_{base}"
        sid, i = base, 2
        while sid in used:
            sid, i = f"{base}_{i}", i + 1
        used.add(sid)
        ids[n] = sid
    return ids


def _label(index, nid: str) -> str:
    if nid in PSEUDO:
        return PSEUDO[nid]
    d = index.definitions.get(nid)
    return _clean(f"{d.name} ({d.kind})" if d else nid)


def _is_dead(result, nid: str) -> bool:
    return nid not in PSEUDO and nid not in result.graph.reachable


def _trim_note(trimmed: list) -> str | None:
    if not trimmed:
        return None
    shown, total = trimmed[0]
    return f"trimmed: {shown} of {total} nodes shown, the nearest first (--max-nodes; or a smaller --depth)"


def render_mermaid(result, nid: str, depth: int = 2, max_nodes: int | None = None,
                   trimmed: list | None = None) -> str:
    trimmed = [] if trimmed is None else trimmed
    nodes, edges = neighbourhood(result, nid, depth, max_nodes, trimmed)
    ids = _node_ids(nodes)

    def esc(s: str) -> str:
        return s.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")

    lines = ["flowchart LR"]
    if _trim_note(trimmed):
        lines.append(f"  %% {_trim_note(trimmed)}")
    for n in nodes:
        cls = ":::dead" if _is_dead(result, n) else ""
        lines.append(f'  {ids[n]}["{esc(_label(result.index, n))}"]{cls}')
    for u, v, labels in edges:
        label = f'|"{esc(", ".join(labels))}"|' if labels else ""
        lines.append(f"  {ids[u]} -->{label} {ids[v]}")
    lines.append("  classDef dead fill:#fdd,stroke:#c33")
    lines.append(f"  style {ids[nid]} stroke-width:3px")
    return "\n".join(lines) + "\n"


def render_dot(result, nid: str, depth: int = 2, max_nodes: int | None = None,
               trimmed: list | None = None) -> str:
    trimmed = [] if trimmed is None else trimmed
    nodes, edges = neighbourhood(result, nid, depth, max_nodes, trimmed)
    ids = _node_ids(nodes)

    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = ["digraph deadcode {"]
    if _trim_note(trimmed):
        lines.append(f"  // {_trim_note(trimmed)}")
    lines += ["  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for n in nodes:
        attrs = [f"label={q(_label(result.index, n))}"]
        if _is_dead(result, n):
            attrs += ["style=filled", 'fillcolor="#ffdddd"']
        if n in PSEUDO:
            attrs.append("shape=ellipse")
        if n == nid:
            attrs.append("penwidth=3")
        lines.append(f"  {ids[n]} [{', '.join(attrs)}];")
    for u, v, labels in edges:
        attr = f" [label={q(', '.join(labels))}]" if labels else ""
        lines.append(f"  {ids[u]} -> {ids[v]}{attr};")
    lines.append("}")
    return "\n".join(lines) + "\n"
