"""Self-contained HTML report: one file, inline CSS and a little vanilla JS.

The page is rendered with Jinja2 (autoescape on) from
``templates/report.html.j2``. Every repo-derived string reaches the page through
autoescaping or :func:`html.escape`; the script reads its data from
``data-*`` attributes only, never from text interpolated into ``<script>``. A
Content-Security-Policy meta tag forbids every network fetch, so the file works
offline and cannot phone home even if a hostile name slipped through.

Dead clusters are drawn as inline SVG generated here in Python rather than
with a JavaScript graph library because:

- no CDN and no vendored library: the report stays one small file that opens
  offline, from a CI artifact or an e-mail attachment;
- deterministic: the same report dict gives byte-identical SVG (fixed node
  order, rounded coordinates), so reports diff cleanly and tests can compare
  strings;
- it renders without JavaScript at all, and prints.

The layout is deliberately simple. Edges go from a dead caller (a cluster
member) to the candidate it references. An acyclic cluster is drawn in layers
left to right (layer = longest path from a caller with no callers; order inside
a layer by the mean position of its callers). A cluster with a cycle is drawn
on a circle with curved edges so that ``a -> b`` and ``b -> a`` stay apart.
"""

from __future__ import annotations

import math
import re
from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup

try:
    from deadcode.model import KINDS, VERDICTS
except Exception:  # pragma: no cover - only when the model module is broken
    KINDS = (
        "model", "controller", "action", "job", "worker", "mailer", "helper",
        "concern", "class", "module", "dispatch_entry", "rake_task", "table",
    )
    VERDICTS = {}

TEMPLATE = "report.html.j2"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

KIND_LABELS = {
    "model": "Model", "controller": "Controller", "action": "Action", "job": "Job",
    "worker": "Worker", "mailer": "Mailer", "helper": "Helper", "concern": "Concern",
    "class": "Class", "module": "Module", "dispatch_entry": "Dispatch entry",
    "rake_task": "Rake task", "table": "Table",
}

_FALLBACK_VERDICTS = {
    "unreferenced": ("DC101", "Unreferenced definition"),
    "test_only": ("DC102", "Referenced only from tests"),
    "dead_callers_only": ("DC103", "Referenced only from dead code"),
    "orphaned_entry": ("DC104", "Dispatch entry never triggered"),
    "runtime_unseen": ("DC105", "Live statically but never seen at runtime"),
    "seen_at_runtime": ("DC106", "Ran in production without a static reference"),
}
CONFIDENCES = ("high", "medium", "low")

_env: jinja2.Environment | None = None


def _environment() -> jinja2.Environment:
    global _env
    if _env is None:
        _env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    return _env


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def _verdict(verdict: str) -> tuple[str, str]:
    info = VERDICTS.get(verdict)
    if info is not None:
        return info.code, info.title
    return _FALLBACK_VERDICTS.get(verdict, ("", verdict.replace("_", " ")))


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _fmt(value) -> str:
    """A runtime figure as text: lists joined, dicts as ``k: v``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _loc(path, line) -> str:
    return f"{path}:{line}" if line else str(path or "")


def _kind_rank(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def _short_name(node_id: str) -> str:
    return node_id.split(":", 1)[1] if ":" in node_id else node_id


def _runtime_rows(detail) -> list[tuple[str, str]]:
    if not detail:
        return []
    if not isinstance(detail, dict):
        return [("detail", _fmt(detail))]
    order = ["count", "last_seen", "sources", "window"]
    keys = [k for k in order if k in detail] + [k for k in detail if k not in order]
    return [(k.replace("_", " "), _fmt(detail[k])) for k in keys if detail[k] is not None]


# ---------------------------------------------------------------------------
# Cluster graphs (inline SVG)
# ---------------------------------------------------------------------------

_NODE_H = 28
_CHAR_W = 7.2          # monospace 12px
_MAX_LABEL = 32
_PAD = 16


def _label(text: str) -> str:
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def _num(x: float) -> str:
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _components(candidates: list[dict]) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """Weakly connected components of the cluster edges, in first-seen order."""
    edges: list[tuple[str, str]] = []
    seen_edges: set[tuple[str, str]] = set()
    order: dict[str, int] = {}
    for c in candidates:
        target = str(c.get("id") or "")
        for member in c.get("cluster") or []:
            member = str(member)
            if member == target or (member, target) in seen_edges:
                continue
            seen_edges.add((member, target))
            edges.append((member, target))
            for node in (member, target):
                order.setdefault(node, len(order))
    parent = {n: n for n in order}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            # keep the earliest-seen node as root so ordering is stable
            if order[ra] < order[rb]:
                parent[rb] = ra
            else:
                parent[ra] = rb
    comps: dict[str, list[str]] = {}
    for n in sorted(order, key=order.get):
        comps.setdefault(find(n), []).append(n)
    out = []
    for root in sorted(comps, key=order.get):
        nodes = comps[root]
        members = set(nodes)
        out.append((nodes, [e for e in edges if e[0] in members]))
    return out


def _layers(nodes: list[str], edges: list[tuple[str, str]]) -> list[list[str]] | None:
    """Layer assignment by longest path, or None if the graph has a cycle."""
    rank = {n: i for i, n in enumerate(nodes)}
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        succs[a].append(b)
        preds[b].append(a)
    indeg = {n: len(preds[n]) for n in nodes}
    ready = sorted((n for n in nodes if indeg[n] == 0), key=rank.get)
    topo: list[str] = []
    while ready:
        n = ready.pop(0)
        topo.append(n)
        for s in succs[n]:
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
                ready.sort(key=rank.get)
    if len(topo) != len(nodes):
        return None
    layer = {n: 0 for n in nodes}
    for n in topo:
        for s in succs[n]:
            layer[s] = max(layer[s], layer[n] + 1)
    layers: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
    for n in nodes:
        layers[layer[n]].append(n)
    position: dict[str, int] = {}
    for i, group in enumerate(layers):
        if i > 0:
            def bary(n: str) -> tuple:
                ps = [position[p] for p in preds[n] if p in position]
                return (sum(ps) / len(ps) if ps else 0.0, rank[n])
            group.sort(key=bary)
        for j, n in enumerate(group):
            position[n] = j
    return layers


def _clip(cx: float, cy: float, w: float, h: float, tx: float, ty: float,
          margin: float = 3.0) -> tuple[float, float]:
    """Point where the ray from a box centre towards (tx, ty) leaves the box."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    hw, hh = w / 2 + margin, h / 2 + margin
    t = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return cx + dx * t, cy + dy * t


def cluster_svg(nodes: list[str], edges: list[tuple[str, str]],
                info: dict[str, dict], index: int) -> str:
    """One cluster as an SVG string. ``info`` maps node id -> candidate view."""
    labels = {n: _label(str(info[n]["name"]) if n in info else _short_name(n)) for n in nodes}
    width = {n: round(_PAD + _CHAR_W * len(labels[n]) + 6) for n in nodes}
    centre: dict[str, tuple[float, float]] = {}
    layer_of: dict[str, int] = {}
    layers = _layers(nodes, edges)
    paths: list[tuple[str, str, str]] = []  # (from, to, d)
    ys: list[float] = []
    if layers is not None:
        gap_x, gap_y = 64, 14
        heights = [len(g) * _NODE_H + (len(g) - 1) * gap_y for g in layers]
        total_h = max(heights)
        x = _PAD
        for i, (group, h) in enumerate(zip(layers, heights)):
            col_w = max(width[n] for n in group)
            y = _PAD + (total_h - h) / 2
            for n in group:
                centre[n] = (x + col_w / 2, y + _NODE_H / 2)
                layer_of[n] = i
                y += _NODE_H + gap_y
            x += col_w + gap_x
        svg_w = x - gap_x + _PAD
        for a, b in edges:
            (ax, ay), (bx, by) = centre[a], centre[b]
            sx, ex = ax + width[a] / 2, bx - width[b] / 2 - 3
            span = layer_of[b] - layer_of[a]
            if span <= 1:
                bend = (ex - sx) / 2
                c1, c2 = (sx + bend, ay), (ex - bend, by)
                sy, ey = ay, by
            else:
                # a long edge arcs over the layers it skips instead of crossing their boxes
                sy, ey = ay - _NODE_H / 2, by - _NODE_H / 2
                sx, ex = ax + width[a] / 4, bx - width[b] / 4
                lift = _NODE_H + 10 * span
                apex = min(sy, ey) - lift
                c1, c2 = (sx, apex), (ex, apex)
                ys.append(0.125 * (sy + ey) + 0.75 * apex)  # the curve's highest point
            paths.append((a, b, f"M{_num(sx)},{_num(sy)} C{_num(c1[0])},{_num(c1[1])} "
                                f"{_num(c2[0])},{_num(c2[1])} {_num(ex)},{_num(ey)}"))
        left = 0.0
        top = min([0.0] + [y - _PAD / 2 for y in ys])
        svg_h = total_h + 2 * _PAD - top
    else:
        count = len(nodes)
        max_w = max(width.values())
        radius = max(70.0, count * (max_w * 0.55 + 26) / (2 * math.pi))
        cx = _PAD + max_w / 2 + radius
        cy = _PAD + _NODE_H / 2 + radius
        for i, n in enumerate(nodes):
            angle = 2 * math.pi * i / count - math.pi / 2
            centre[n] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        left, top = math.inf, math.inf
        right, bottom = -math.inf, -math.inf
        for n in nodes:
            x, y = centre[n]
            left, right = min(left, x - width[n] / 2), max(right, x + width[n] / 2)
            top, bottom = min(top, y - _NODE_H / 2), max(bottom, y + _NODE_H / 2)
        for a, b in edges:
            (ax, ay), (bx, by) = centre[a], centre[b]
            mx, my = (ax + bx) / 2, (ay + by) / 2
            dx, dy = bx - ax, by - ay
            length = math.hypot(dx, dy) or 1.0
            # bend to the right of the direction of travel: a->b and b->a stay apart
            qx, qy = mx - dy / length * 22, my + dx / length * 22
            sx, sy = _clip(ax, ay, width[a], _NODE_H, qx, qy)
            ex, ey = _clip(bx, by, width[b], _NODE_H, qx, qy)
            paths.append((a, b, f"M{_num(sx)},{_num(sy)} Q{_num(qx)},{_num(qy)} {_num(ex)},{_num(ey)}"))
            px, py = (sx + 2 * qx + ex) / 4, (sy + 2 * qy + ey) / 4  # the curve's midpoint
            left, right = min(left, px), max(right, px)
            top, bottom = min(top, py), max(bottom, py)
        left, top = left - _PAD, top - _PAD
        svg_w, svg_h = right + _PAD - left, bottom + _PAD - top

    marker = f"dc-arrow-{index}"
    parts = [
        f'<svg class="cluster-graph" xmlns="http://www.w3.org/2000/svg" '
        f'width="{_num(svg_w)}" height="{_num(svg_h)}" '
        f'viewBox="{_num(left)} {_num(top)} {_num(svg_w)} {_num(svg_h)}" role="img" '
        f'aria-label="Dead cluster of {len(nodes)} definitions">',
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for a, b, d in paths:
        parts.append(
            f'<path class="edge" d="{d}" marker-end="url(#{marker})" '
            f'data-from="{escape(a)}" data-to="{escape(b)}"/>'
        )
    for n in nodes:
        x, y = centre[n]
        w = width[n]
        cand = info.get(n)
        cls = f"node conf-{escape(cand['confidence'])}" if cand else "node external"
        title = escape(n + (f" — {cand['verdict']} ({cand['confidence']})" if cand else ""))
        body = (
            f'<g class="{cls}" data-id="{escape(n)}"><title>{title}</title>'
            f'<rect x="{_num(x - w / 2)}" y="{_num(y - _NODE_H / 2)}" width="{w}" '
            f'height="{_NODE_H}" rx="6"/>'
            f'<text x="{_num(x)}" y="{_num(y + 4)}" text-anchor="middle">{escape(labels[n])}</text></g>'
        )
        if cand:
            body = f'<a href="#{cand["anchor"]}">{body}</a>'
        parts.append(body)
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------
# View model
# ---------------------------------------------------------------------------

def _candidate_view(c: dict, index: int, report: dict | None = None) -> dict:
    from .data import source_link
    report = report or {}
    verdict = str(c.get("verdict") or "")
    code, title = _verdict(verdict)
    refs = []
    for r in c.get("references") or []:
        counted = r.get("counted")
        refs.append({
            "loc": _loc(r.get("file"), r.get("line")),
            "href": source_link(report, r.get("file"), r.get("line")) or "",
            "role": str(r.get("role") or ""),
            "source": str(r.get("from") or ""),
            "via": str(r.get("via") or ""),
            "counted": "yes" if counted else ("no" if counted is not None else "?"),
            "why": str(r.get("why") or ""),
        })
    return {
        "index": index,
        "anchor": f"cand-{index}",
        "id": str(c.get("id") or ""),
        "name": str(c.get("name") or c.get("id") or ""),
        "kind": str(c.get("kind") or ""),
        "kind_label": KIND_LABELS.get(str(c.get("kind")), str(c.get("kind") or "")),
        "verdict": verdict,
        "code": str(c.get("code") or code),
        "verdict_title": title,
        "confidence": str(c.get("confidence") or ""),
        "file": str(c.get("file") or ""),
        "dir": str(c.get("file") or "").rpartition("/")[0] + ("/" if "/" in str(c.get("file") or "") else ""),
        "base": str(c.get("file") or "").rpartition("/")[2],
        "line": _int(c.get("line")),
        "href": source_link(report, c.get("file"), c.get("line")) or "",
        "end_line": _int(c.get("end_line")),
        "lines": _int(c.get("deletable_lines")),
        "reasons": [str(r) for r in c.get("reasons") or []],
        "references": refs,
        "related_files": [str(f) for f in c.get("related_files") or []],
        "cluster": [str(m) for m in c.get("cluster") or []],
        "runtime": str(c.get("runtime") or ""),
        "runtime_rows": _runtime_rows(c.get("runtime_detail")),
        "status": str(c.get("status") or ""),
    }


_NEEDS_ESCAPE = re.compile(r"[&<>\"']")


def _e(value) -> str:
    """Jinja's autoescape (markupsafe.escape), for the candidate rows written here."""
    text = str(value)
    if not _NEEDS_ESCAPE.search(text):
        return text
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def _candidate_html(c: dict) -> str:
    """One candidate's rows: what the template's candidate block wrote (with its
    trim_blocks / lstrip_blocks whitespace), in Python, as reports may hold 50,000 of them."""
    e = _e
    i = c["index"]
    name = e(c["name"])
    line = c["line"]
    out = [
        f'    <tbody class="group" id="{e(c["anchor"])}">\n'
        f'      <tr class="candidate" data-index="{i}" data-id="{e(c["id"])}" data-name="{name}" '
        f'data-file="{e(c["file"])}" data-line="{line}" data-kind="{e(c["kind"])}" '
        f'data-verdict="{e(c["verdict"])}" data-code="{e(c["code"])}" data-confidence="{e(c["confidence"])}" '
        f'data-lines="{c["lines"]}">\n'
        f'        <td class="c-name"><div class="nm"><button type="button" class="toggle" aria-expanded="false" '
        f'aria-controls="detail-{i}" aria-label="Show evidence for {name}">▶</button><span class="name">{name}</span>'
        + ('<span class="new">new</span>' if c["status"] == "new" else "") + '</div></td>\n'
        '        <td class="c-file mono">'
        + (f'<a class="src" href="{e(c["href"])}" rel="noopener noreferrer">' if c["href"] else "")
        + f'<span class="path-dir">{e(c["dir"])}</span><span class="path-base">{e(c["base"])}'
        + (f'<span class="path-line">:{line}</span>' if line else "") + '</span>'
        + ('</a>' if c["href"] else "") + '</td>\n'
        f'        <td class="kind">{e(c["kind_label"])}</td>\n'
        f'        <td><span class="code-badge" title="{e(c["verdict_title"])}">{e(c["code"])}</span>'
        f'<span class="verdict-title">{e(c["verdict"].replace("_", " "))}</span></td>\n'
        f'        <td><span class="conf {e(c["confidence"])}">{e(c["confidence"])}</span></td>\n'
        f'        <td class="num">{c["lines"]:,}</td>\n'
        '      </tr>\n'
        f'      <tr class="detail" id="detail-{i}" hidden>\n'
        '        <td colspan="6"><div class="evidence">\n'
        '          <div>\n'
        '            <h3>Why</h3>\n'
    ]
    if c["reasons"]:
        out.append('<ul class="reasons">' + "".join(f"<li>{e(r)}</li>" for r in c["reasons"]) + "</ul>")
    else:
        out.append('<span class="no">no reason recorded</span>')
    where = e(c["file"])
    if line:
        where += f":{line}"
        if c["end_line"] and c["end_line"] != line:
            where += f"–{c['end_line']}"
    out.append(
        '          </div>\n'
        '          <div>\n'
        '            <h3>Definition</h3>\n'
        '            <dl class="kv">\n'
        f'              <dt>id</dt><dd><code>{e(c["id"])}</code></dd>\n'
        f'              <dt>location</dt><dd><code>{where}</code></dd>\n'
        f'              <dt>verdict</dt><dd>{e(c["code"])} · {e(c["verdict_title"])}</dd>\n'
        f'              <dt>deletable</dt><dd>{c["lines"]:,} line{"" if c["lines"] == 1 else "s"}</dd>\n'
    )
    if c["status"]:
        out.append(f'<dt>baseline</dt><dd>{e(c["status"])}</dd>')
    out.append('            </dl>\n          </div>\n')
    if c["references"]:
        out.append(
            '          <div class="full">\n'
            f'            <h3>References ({len(c["references"])})</h3>\n'
            '            <table class="refs">\n'
            '              <thead><tr><th>Location</th><th>Role</th><th>From</th><th>Via</th><th>Counted</th>'
            '<th>Why</th></tr></thead>\n'
            '              <tbody>\n')
        for r in c["references"]:
            loc = e(r["loc"])
            cell = f'<a class="src" href="{e(r["href"])}" rel="noopener noreferrer">{loc}</a>' if r["href"] else loc
            out.append(f'                <tr class="ref"><td class="loc mono">{cell}</td><td>{e(r["role"])}</td>'
                       f'<td class="mono">{e(r["source"])}</td><td>{e(r["via"])}</td>'
                       f'<td class="{e(r["counted"])}">{e(r["counted"])}</td><td>{e(r["why"])}</td></tr>\n')
        out.append('              </tbody>\n            </table>\n          </div>\n')
    if c["cluster_members"]:
        out.append('          <div>\n            <h3>Dead callers</h3>\n            <ul class="cluster">'
                   + "".join(f'<li><a href="#{e(m["anchor"])}" class="mono">{e(m["name"])}</a></li>' if m["anchor"]
                             else f'<li><code>{e(m["id"])}</code></li>' for m in c["cluster_members"])
                   + '</ul>\n          </div>\n')
    if c["related_files"]:
        out.append('          <div>\n            <h3>Related files</h3>\n            <ul class="related">'
                   + "".join(f'<li class="mono">{e(f)}</li>' for f in c["related_files"])
                   + '</ul>\n          </div>\n')
    if c["runtime"] or c["runtime_rows"]:
        out.append('          <div>\n            <h3>Runtime</h3>\n            <dl class="kv runtime">\n')
        if c["runtime"]:
            out.append(f'<dt>status</dt><dd>{e(c["runtime"])}</dd>')
        out.append("".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in c["runtime_rows"]))
        out.append('            </dl>\n          </div>\n')
    out.append('        </div></td>\n      </tr>\n    </tbody>\n')
    return "".join(out)


def _counts(items: list[str], order) -> list[tuple[str, int]]:
    tally: dict[str, int] = {}
    for item in items:
        tally[item] = tally.get(item, 0) + 1
    known = [k for k in order if k in tally]
    return [(k, tally[k]) for k in known + sorted(k for k in tally if k not in order)]


def build_context(report: dict) -> dict:
    """Everything the template needs, as plain strings, numbers and lists."""
    summary = report.get("summary") or {}
    cands = [_candidate_view(c, i, report) for i, c in enumerate(report.get("candidates") or [])]
    by_id = {c["id"]: c for c in cands}
    for c in cands:
        c["cluster_members"] = [
            {"id": m, "name": by_id[m]["name"] if m in by_id else _short_name(m),
             "anchor": by_id[m]["anchor"] if m in by_id else ""}
            for m in c["cluster"]
        ]

    by_kind = summary.get("by_kind") or {}
    kind_counts = _counts([c["kind"] for c in cands], KINDS)
    if by_kind:
        kind_counts = [(k, _int(by_kind[k])) for k in sorted(by_kind, key=lambda k: (_kind_rank(k), k))]
    by_conf = summary.get("by_confidence") or {}
    conf_counts = ([(k, _int(by_conf.get(k))) for k in CONFIDENCES if by_conf.get(k)]
                   if by_conf else _counts([c["confidence"] for c in cands], CONFIDENCES))
    total = _int(summary.get("candidates"), len(cands))
    verdict_order = [v for v, _ in sorted(_FALLBACK_VERDICTS.items(), key=lambda kv: kv[1][0])]
    verdict_counts = _counts([c["verdict"] for c in cands], verdict_order)

    graphs = []
    for i, (nodes, edges) in enumerate(_components([c for c in report.get("candidates") or []])):
        graphs.append({
            "svg": Markup(cluster_svg(nodes, edges, by_id, i)),
            "nodes": len(nodes),
            "edges": len(edges),
            "names": [by_id[n]["name"] if n in by_id else _short_name(n) for n in nodes],
        })

    seen = []
    for s in report.get("seen_at_runtime") or []:
        seen.append({
            "name": str(s.get("name") or s.get("id") or ""),
            "id": str(s.get("id") or ""),
            "kind": str(s.get("kind") or ""),
            "loc": _loc(s.get("file"), s.get("line")),
            "reason": str((s.get("reasons") or [""])[0]),
            "runtime_rows": _runtime_rows(s.get("runtime_detail")),
        })
    kept = [{
        "name": str(k.get("name") or k.get("id") or ""),
        "id": str(k.get("id") or ""),
        "loc": _loc(k.get("file"), k.get("line")),
        "reason": str(k.get("reason") or ""),
    } for k in report.get("kept") or []]
    problems = [{"file": str(f.get("file") or ""), "status": status, "reason": str(f.get("reason") or "")}
                for status in ("skipped", "partial") for f in report.get(status) or []]

    runtime = report.get("runtime") or None
    runtime_view = None
    if isinstance(runtime, dict):
        window = runtime.get("window") or {}
        runtime_view = {
            "first": str(window.get("first") or ""),
            "last": str(window.get("last") or ""),
            "days": window.get("days"),
            "lines_read": _int(runtime.get("lines_read")),
            "matched": [(str(k), _int(v)) for k, v in (runtime.get("lines_matched") or {}).items()],
            "files": [str(f) for f in runtime.get("files") or []],
            "warnings": [str(w) for w in runtime.get("warnings") or []],
        }

    tool = report.get("tool") or {}
    return {
        "root": str(report.get("root") or ""),
        "tool_name": str(tool.get("name") or "deadcode"),
        "tool_version": str(tool.get("version") or ""),
        "schema_version": str(report.get("schema_version", "")),
        "total": total,
        "definitions": _int(summary.get("definitions")),
        "files_scanned": _int(summary.get("files_scanned")),
        "files_skipped": _int(summary.get("files_skipped"), len(report.get("skipped") or [])),
        "files_partial": len(report.get("partial") or []),
        "deletable_lines": _int(summary.get("deletable_lines"), sum(c["lines"] for c in cands)),
        "candidate_files": len({c["file"] for c in cands}),
        "kind_counts": kind_counts,
        "kind_max": max([n for _, n in kind_counts] or [1]) or 1,
        "conf_counts": conf_counts,
        "conf_total": sum(n for _, n in conf_counts) or 1,
        "verdict_counts": verdict_counts,
        "kind_labels": KIND_LABELS,
        "verdict_codes": {v: _verdict(v)[0] for v, _ in verdict_counts},
        "candidates": cands,
        "graphs": graphs,
        "seen": seen,
        "kept": kept,
        "problems": problems,
        "runtime": runtime_view,
        "fmt": _fmt,
        # a candidate's rows, made when the template reaches them (the template's line
        # adds the last newline)
        "candidate_rows": lambda c: Markup(_candidate_html(c)[:-1]),
    }


def render_html(report: dict) -> str:
    """The report as one self-contained HTML page. Control characters in names are
    written as visible escapes: autoescaping keeps newlines, and a name carrying one
    could otherwise put a line of its choosing into the file."""
    from .data import printable_report
    return _environment().get_template(TEMPLATE).render(**build_context(printable_report(report)))


def render_html_chunks(report: dict, size: int = 1 << 16):
    """``render_html`` in pieces of about ``size`` characters, made as they are written."""
    from .data import batched, printable_report
    template = _environment().get_template(TEMPLATE)
    yield from batched(template.generate(**build_context(printable_report(report))), size)
