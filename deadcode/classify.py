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

from .graph import Graph, counts, display, judge
from .index import Index
from .model import ROOT, TAKES_ARGUMENTS, Candidate, Definition, Role, underscore_name
from .plugins.core import FRAMEWORK_TASK_NAMESPACES

CANDIDATE_ROLES = {Role.APP}
STRUCTURAL_VIAS = {"action of", "dispatch map owner"}
ALWAYS_MEDIUM_KINDS = {"rake_task", "action"}
_RANK = {"high": 0, "medium": 1, "low": 2}
# rake namespaces that name a scheduler: schedule:, cron:, scheduler:, heroku_scheduler:, daily:...
_SCHEDULED_NAMESPACE = re.compile(r"(^|:)(\w*_)?(schedules?|scheduler|scheduled|cron|crontab|"
                                  r"periodic|hourly|daily|nightly|weekly|monthly)(_\w*)?:")


@dataclass
class Classification:
    candidates: list[Candidate] = field(default_factory=list)
    kept: list[tuple[Definition, str, str]] = field(default_factory=list)   # (def, reason, origin)
    live: set[str] = field(default_factory=set)
    # kept id -> report ids (kind:name) of the dead code only that keep makes live
    hidden_by_keep: dict[str, list[str]] = field(default_factory=dict)


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




def _weaker(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def classify(index: Index, graph: Graph) -> Classification:
    result = Classification(live=set(graph.reachable))
    # what is dead before keeps apply; kept items (and what only they reach) are set aside
    would_be_dead = {nid for nid, d in index.definitions.items()
                     if nid not in graph.reachable_unkept and is_eligible(d)}
    dead = {nid for nid in would_be_dead if nid not in graph.reachable or nid in index.kept}
    # one pass over the references: incoming references of dead definitions (the only
    # ones looked at), and the edges between dead definitions
    incoming: dict[str, list] = {}
    # dead clusters: weakly connected groups of dead definitions over counting edges
    sub = nx.Graph()
    sub.add_nodes_from(sorted(dead))
    for ref in [r for r in index.references if r.target in dead]:
        incoming.setdefault(ref.target, []).append(ref)
        if ref.source in dead and counts(ref, index):
            sub.add_edge(ref.source, ref.target)
    cluster_of: dict[str, list[str]] = {}
    for comp in nx.connected_components(sub):
        if len(comp) > 1:
            members = sorted(comp)
            for m in members:
                cluster_of[m] = members

    has_schema = any(d.kind == "table" for d in index.definitions.values())
    has_context = any(f.role == Role.CONTEXT for f in index.files.values())   # --context given
    cands: dict[str, Candidate] = {}
    callers: dict[str, list[str]] = {}    # dead node -> the dead definitions it depends on
    for nid in sorted(dead):
        d = index.definitions[nid]
        refs = incoming.get(nid, [])
        test_refs, dead_refs, ambiguous, dynamic, other, migration_refs = [], [], [], [], [], []
        evidence = []
        for ref in refs:
            if ref.via in STRUCTURAL_VIAS and ref.source in dead:
                continue  # its own action or map entry: part of it, not a caller
            category, _counted, why = judge(ref, index, graph.reachable)
            {"ambiguous": ambiguous, "dynamic": dynamic, "test": test_refs,
             "dead": dead_refs, "migration": migration_refs}.get(category, other).append(ref)
            evidence.append({
                "file": ref.location.path, "line": ref.location.line, "role": ref.role.value,
                "from": display(index, ref.source), "via": ref.via, "counted": False, "why": why,
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
        if migration_refs and not has_schema:
            confidence = _weaker(confidence, "low")
            reasons.append(f"used by migrations ({_loc_list(migration_refs, 2)}) and the repo has no "
                           f"schema dump: installs that run db:migrate still run them")
        elif migration_refs and d.kind not in ("model", "table", "concern"):
            # a helper migrations call (a model they touch goes with its table's drop_table)
            confidence = _weaker(confidence, "low")
            reasons.append(f"called by migrations ({_loc_list(migration_refs, 2)}): removing it breaks "
                           f"db:migrate from scratch; edit or squash those migrations with it")
        if d.kind == "rake_task" and _SCHEDULED_NAMESPACE.search(d.name):
            confidence = _weaker(confidence, "low")
            reasons.append("its namespace says a scheduler runs it: one outside the repo "
                           "(Heroku Scheduler, a server crontab)?")
        if d.kind == "rake_task" and d.detail == TAKES_ARGUMENTS:
            confidence = _weaker(confidence, "low")
            reasons.append("task declared with arguments (`rake name[...]`), invoked nowhere in the "
                           "repo: run by hand?")
        elif d.kind == "rake_task" and d.detail:
            confidence = _weaker(confidence, "low")
            reasons.append("described task (it shows in `rake -T`), invoked nowhere in the repo: "
                           "run by hand or by an external scheduler?")
        elif d.kind == "rake_task" and verdict in ("unreferenced", "test_only") and not has_context:
            # audited on 14 real apps, uninvoked tasks were mostly run by hand or by a
            # scheduler in another repository: without that repository, not provable
            confidence = _weaker(confidence, "low")
            reasons.append("invoked nowhere in the repo, but rake tasks are often run by hand or by a "
                           "scheduler kept elsewhere: give that repo with --context to decide")
        capped = set()
        for level, why, when_live in index.caps.get(nid, ()):
            if (when_live is None or when_live in graph.reachable) and why not in capped:
                capped.add(why)
                if len(capped) <= 3:
                    reasons.append(why)
                confidence = _weaker(confidence, level)
        callers[nid] = sorted({r.source for r in dead_refs if r.source in dead and r.source != nid})
        cands[nid] = Candidate(
            definition=d, verdict=verdict, confidence=confidence, reasons=reasons,
            references=sorted(evidence, key=lambda e: (e["file"], e["line"], e["from"], e["via"])),
            related_files=_related_files(d, test_refs),
            cluster=[m for m in cluster_of.get(nid, []) if m != nid],
            deletable_lines=_definition_lines(d),
        )
    _propagate(index, cands, callers)

    for nid, cand in cands.items():
        d = cand.definition
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
    # definitions reachable only from kept definitions are live, and not reported: each
    # keep lists what it hides, so keeping one root does not silently hide ten more
    hidden_pool = {nid for nid in would_be_dead if nid in graph.reachable and nid not in index.kept}
    if hidden_pool:
        for kid in sorted(index.kept):
            if kid not in would_be_dead:
                continue
            hides, stack = set(), [kid]
            while stack:
                for v in graph.live.successors(stack.pop()):
                    if v in hidden_pool and v not in hides:
                        hides.add(v)
                        stack.append(v)
            shown = [index.definitions[v] for v in hides
                     if not (index.definitions[v].kind == "action" and index.definitions[v].owner in hides)]
            if shown:
                result.hidden_by_keep[kid] = sorted(f"{d.kind}:{d.name}" for d in shown)
    result.candidates.sort(key=lambda c: (c.definition.kind, c.definition.name, c.definition.id))
    result.kept.sort(key=lambda k: k[0].id)
    return result


def _propagate(index: Index, cands: dict[str, Candidate], callers: dict[str, list[str]]) -> None:
    """A definition only dead code reaches is dead only if that code is: it is never more
    certain than the least certain of the dead definitions it depends on."""
    callees: dict[str, list[str]] = {}
    for nid, srcs in callers.items():
        for s in srcs:
            callees.setdefault(s, []).append(nid)
    for level in ("low", "medium"):
        stack = [nid for nid in sorted(cands) if _RANK[cands[nid].confidence] >= _RANK[level]]
        while stack:
            u = stack.pop()
            for v in callees.get(u, ()):
                cv = cands[v]
                if _RANK[cv.confidence] < _RANK[level]:
                    cv.confidence = level
                    cv.reasons.append(f"only as certain as {display(index, u)} ({level}), "
                                      f"the dead code it depends on")
                    stack.append(v)


def _definition_lines(d: Definition) -> int:
    if d.kind in ("dispatch_entry", "action", "table"):
        return sum(max(1, loc.end_line - loc.line + 1) for loc in d.locations) if d.kind != "table" else 0
    return sum(max(1, loc.end_line - loc.line + 1) for loc in d.locations)


def _related_files(d: Definition, test_refs) -> list[str]:
    files = sorted({r.location.path for r in test_refs})
    base = underscore_name(d.name.rsplit("::", 1)[-1]) if d.id.startswith("const:") else ""

    def own(path: str) -> int:
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if base and stem in (f"{base}_spec", f"{base}_test"):
            return 0
        if base and "factories" in path and stem.startswith(base):
            return 0
        return 1

    return sorted(files, key=lambda p: (own(p), p))


def _loc_list(refs, limit: int = 5) -> str:
    # numerically by line (`a.rb:3` before `a.rb:10`), each place once
    locs = [f"{p}:{n}" for p, n in sorted({(r.location.path, r.location.line) for r in refs})]
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
            reasons.append("not invoked by any scheduler, script or task in the repo"
                           + ("" if d.detail else "; may be run by hand"))
        else:
            reasons.append("nothing references it")
    elif verdict == "test_only":
        reasons.append(f"referenced only from tests: {_loc_list(test_refs)}")
    elif verdict == "dead_callers_only":
        callers = sorted({display(index, r.source) for r in dead_refs})
        reasons.append(f"referenced only from dead code: {', '.join(callers[:8])}"
                       + (f" and {len(callers) - 8} more" if len(callers) > 8 else ""))
        if test_refs:
            reasons.append(f"also referenced from tests: {_loc_list(test_refs)}")
    if ambiguous:
        reasons.append(f"ambiguous short-name references not counted: {_loc_list(ambiguous)}")
    if dynamic:
        pats = sorted({r.name for r in dynamic})
        reasons.append(f"a dynamic constant pattern could reach it: {', '.join(pats)} at {_loc_list(dynamic)}")
    if d.kind == "rake_task" and verdict != "unreferenced" and not d.detail:
        reasons.append("may be run by hand")
    if d.kind == "table":
        models = sorted(display(index, r.source) for r in dead_refs if r.via == "model table")
        if models:
            reasons.append(f"its only model is dead: {', '.join(models)}")
        elif verdict == "unreferenced":
            reasons.append("no model maps to it and no live SQL names it")
        reasons.append(f"drop it with a migration: drop_table :{d.name}")
    return reasons


# ---------------------------------------------------------------------------
# Runtime evidence
# ---------------------------------------------------------------------------

RUNTIME_KIND = {"job": "job", "worker": "job", "controller": "action", "action": "action",
                "rake_task": "rake_task", "dispatch_entry": "task_arg"}
_RAISE = {"low": "medium", "medium": "high", "high": "high"}


@dataclass
class RuntimeResult:
    classification: Classification
    graph: Graph
    seen_at_runtime: list[Candidate]


def _observation(log, d: Definition, index: Index):
    """The log's observation of a definition, or None. Controllers: any of their actions."""
    kind = RUNTIME_KIND.get(d.kind)
    if kind is None or kind not in log.observed_kinds:
        return None
    if d.kind in ("job", "worker"):
        return log.get("job", d.name)
    if d.kind == "rake_task":
        return log.get("rake_task", d.name)
    if d.kind == "dispatch_entry":
        return log.get("task_arg", d.name)
    if d.kind == "action":
        ctrl, meth = d.name.split("#", 1)
        found = log.get("action", d.name)
        if found is None:
            # an inherited action observed on a subclass
            for (k, name), o in log.observations.items():
                if k == "action" and name.endswith("#" + meth):
                    sub = index.definitions.get(f"const:{name.split('#', 1)[0]}")
                    seen: set[str] = set()
                    while sub is not None and sub.id not in seen:
                        seen.add(sub.id)
                        if sub.name == ctrl:
                            return o
                        sub = index.definitions.get(f"const:{sub.superclass}") if sub.superclass else None
        return found
    if d.kind == "controller":
        best = None
        for (k, name), o in log.observations.items():
            if k == "action" and name.split("#", 1)[0] == d.name:
                if best is None:
                    best = o
                else:  # merge: total count, latest last_seen
                    from copy import copy
                    best = copy(best)
                    best.count += o.count
                    if (o.last_seen or "") > (best.last_seen or ""):
                        best.last_seen = o.last_seen
                    best.sources = sorted(set(best.sources) | set(o.sources))
        return best
    return None


# a log file is from another app when fewer than 1 in MIN_FIT of the names it gives exist here
MIN_FIT = 10
# gem and framework namespaces whose jobs and controllers show up in any app's logs
_GEM_NAMESPACE = re.compile(r"(Action|Active)[A-Z]\w*|Rails|Sidekiq|Turbo|Devise|Doorkeeper|"
                            r"GoodJob|SolidQueue|MissionControl|Rack|Sentry|Lookbook")


def runtime_fit(index: Index, names) -> tuple[int, int]:
    """How many of the job classes, controllers and rake tasks a log file names are
    defined in this app: (found, judged). Framework and gem names
    (``ActionMailer::MailDeliveryJob``, ``db:migrate``) and task arguments are not judged."""
    judged: set[str] = set()
    for kind, name in names:
        if kind == "rake_task":
            if name.split(":", 1)[0] not in FRAMEWORK_TASK_NAMESPACES:
                judged.add(f"rake_task:{name}")
        elif kind in ("job", "action"):
            const = name.split("#", 1)[0].lstrip(":")
            if not _GEM_NAMESPACE.fullmatch(const.split("::", 1)[0]):
                judged.add(f"const:{const}")
    found = sum(1 for nid in judged if nid in index.definitions)
    return found, len(judged)


def foreign_runtime_logs(index: Index, log) -> list[dict]:
    """The log files that look like another app's: fewer than one in ``MIN_FIT`` of the
    names they give exist here. ``[{"file", "names", "found"}]``, in reading order."""
    out = []
    for display_name, names in log.names_by_file():
        found, judged = runtime_fit(index, names)
        if judged and found * MIN_FIT < judged:
            out.append({"file": display_name, "names": judged, "found": found})
    return out


def _detail(o, window: dict) -> dict:
    return {"count": o.count if o else 0, "last_seen": o.last_seen if o else None,
            "sources": list(o.sources) if o else [], "window": window}


def apply_runtime(index: Index, graph: Graph, static: Classification, log) -> RuntimeResult:
    """Join a runtime log with the static verdicts.

    * statically dead and seen: not dead; listed as ``seen_at_runtime`` and treated as an
      entry point (so what it calls is live too);
    * statically dead and unseen: verdict kept, confidence raised one step;
    * statically live but unseen (jobs, workers, controllers, actions, rake tasks, dispatch
      entries): a ``runtime_unseen`` candidate, and what only they reach follows them.
    """
    from .graph import build_graph

    window = {"first": log.window_first, "last": log.window_last, "days": log.window_days}
    days = f"{log.window_days} days" if log.window_days else "the window"
    span = f" from {log.window_first} to {log.window_last}" if log.window_first else ""

    seen_static: list[Candidate] = []
    extra = []
    for c in static.candidates:
        o = _observation(log, c.definition, index)
        if o is not None:
            c2 = Candidate(c.definition, "seen_at_runtime", c.confidence,
                           reasons=[f"ran in production but no static reference was found: "
                                    f"seen {o.count} times, last {o.last_seen}"] + c.reasons,
                           references=c.references, related_files=c.related_files,
                           deletable_lines=0, runtime="seen", runtime_detail=_detail(o, window))
            seen_static.append(c2)
            from .model import EntryPoint
            extra.append(EntryPoint(c.definition.id, f"seen {o.count} times at runtime", "runtime"))
    graph2 = build_graph(index, extra) if extra else graph
    result = classify(index, graph2) if extra else static

    for c in result.candidates:
        d = c.definition
        if RUNTIME_KIND.get(d.kind) in log.observed_kinds:
            c.runtime = "unseen"
            c.runtime_detail = _detail(None, window)
            c.confidence = _RAISE[c.confidence]
            c.reasons.append(f"not seen in {days} of logs{span}")

    # statically live but never seen; base classes never show up in logs themselves
    parents = {d.superclass for d in index.definitions.values() if d.superclass}
    unseen_roots = []
    for nid in sorted(graph2.reachable):
        d = index.definitions.get(nid)
        if d is None or not is_eligible(d) or nid in index.kept or d.name in parents:
            continue
        kind = RUNTIME_KIND.get(d.kind)
        if kind is None or kind not in log.observed_kinds:
            continue
        if d.kind == "dispatch_entry" and "task_arg" not in log.observed_kinds:
            continue
        if _observation(log, d, index) is None:
            unseen_roots.append(nid)
    if unseen_roots:
        pruned = graph2.live.copy()
        pruned.remove_nodes_from(unseen_roots)
        still = nx.descendants(pruned, ROOT) | {ROOT}
        followers = [nid for nid in sorted(graph2.reachable)
                     if nid not in still and nid not in unseen_roots
                     and nid in index.definitions and is_eligible(index.definitions[nid])
                     and nid not in index.kept]
        roots_set = set(unseen_roots)
        incoming: dict[str, list] = {}
        for ref in index.references:
            if ref.target in roots_set and counts(ref, index) and ref.source in graph2.reachable:
                incoming.setdefault(ref.target, []).append(ref)
        for nid in unseen_roots:
            d = index.definitions[nid]
            if d.kind == "action" and d.owner in roots_set:
                continue
            refs = incoming.get(nid, [])
            kept_by = ", ".join(sorted({f"{r.location.path}:{r.location.line}" for r in refs})[:5])
            eps = [e.reason for e in index.entry_points if e.target == nid]
            why_live = kept_by or "; ".join(eps[:2]) or "live statically"
            result.candidates.append(Candidate(
                d, "runtime_unseen", "medium",
                reasons=[f"not seen in {days} of logs{span}",
                         f"statically live through: {why_live}"],
                references=[{"file": r.location.path, "line": r.location.line, "role": r.role.value,
                             "from": display(index, r.source), "via": r.via, "counted": True,
                             "why": "live static reference; the code never ran in the window"}
                            for r in sorted(refs, key=lambda r: (r.location, r.source))],
                deletable_lines=_definition_lines(d), runtime="unseen",
                runtime_detail=_detail(None, window)))
        for nid in followers:
            d = index.definitions[nid]
            anc = nx.ancestors(graph2.live, nid) & roots_set
            if d.kind == "action" and (d.owner in roots_set or d.owner in followers):
                continue
            result.candidates.append(Candidate(
                d, "runtime_unseen", "medium",
                reasons=[f"reachable only from code not seen in {days} of logs: "
                         + ", ".join(sorted(display(index, a) for a in anc)[:6])],
                cluster=sorted(anc), deletable_lines=_definition_lines(d), runtime=None,
                runtime_detail=None))
    result.candidates.sort(key=lambda c: (c.definition.kind, c.definition.name, c.definition.id))
    seen_static.sort(key=lambda c: c.definition.id)
    return RuntimeResult(result, graph2, seen_static)
