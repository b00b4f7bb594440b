"""The terminal report: a summary, then the candidates most certain first, a few lines each."""

from __future__ import annotations

from ..model import KINDS
from .data import printable_report

_COLORS = {"high": "31", "medium": "33", "low": "36", "kind": "1", "dim": "2"}

KIND_TITLES = {
    "model": "Models", "controller": "Controllers", "action": "Controller actions",
    "job": "Jobs", "worker": "Sidekiq workers", "mailer": "Mailers", "helper": "Helpers",
    "concern": "Concerns", "class": "Classes", "module": "Modules",
    "dispatch_entry": "Dispatch-map entries", "rake_task": "Rake tasks", "table": "Tables",
}


def times(n) -> str:
    """``1 time``, ``3 times``."""
    return f"{n} time" if n == 1 else f"{n} times"


def _fit(line: str, width: int | None) -> str:
    """``line`` cut to ``width`` characters, an ellipsis saying it was cut."""
    if width is None or len(line) <= width:
        return line
    return line[: max(width - 1, 10)] + "…"


_RANK = {"high": 0, "medium": 1, "low": 2}


def most_certain_first(cands: list[dict]) -> list[dict]:
    """High confidence first, then the most lines that would go, then kind and name."""
    return sorted(cands, key=lambda x: (_RANK.get(x["confidence"], 3), -(x.get("deletable_lines") or 0),
                                        KINDS.index(x["kind"]) if x["kind"] in KINDS else 99,
                                        x["name"], x["id"]))


def _runtime_line(x: dict) -> str | None:
    rd = x.get("runtime_detail") or {}
    if x.get("runtime") == "seen":
        return f"runtime: seen {times(rd.get('count'))}, last {rd.get('last_seen')}"
    if x.get("runtime"):
        return f"runtime: not seen in {((rd.get('window') or {}).get('days'))} days of logs"
    return None


def _summary_lines(report: dict) -> list[str]:
    s = report["summary"]
    n = s["candidates"]
    conf = ", ".join(f"{k} {v}" for k, v in (s.get("by_confidence") or {}).items())
    head = f"{n} candidate{'s' if n != 1 else ''} in {report.get('root')}"
    if n:
        head += f" ({conf}); {s['deletable_lines']} lines would go"
    lines = [head,
             f"  {s['files_scanned']} files scanned, {s['files_skipped']} skipped, "
             f"{s['definitions']} definitions"]
    if s["by_kind"]:
        lines.append("  by kind: " + ", ".join(f"{k} {v}" for k, v in s["by_kind"].items()))
    f = report.get("filters")
    if f:
        what = [x for x in (f"--min-confidence {f['min_confidence']}" if f["min_confidence"] else "",
                            f"--kind {','.join(f['kinds'])}" if f["kinds"] else "",
                            f"--select {','.join(f['select'])}" if f["select"] else "",
                            f"--ignore {','.join(f['ignore'])}" if f["ignore"] else "",
                            "--new-only" if f["new_only"] else "") if x]
        lines.append(f"  {f['hidden']} more hidden by {' '.join(what)}")
    return lines


def render_text(report: dict, color: bool = False, width: int | None = 100,
                verbose: bool = False) -> str:
    """The summary, then the candidates, most certain and largest first: each in a few
    lines cut to ``width`` (None: never cut), or with ``verbose`` every reason and
    reference; then runtime, keeps, baseline, partly read and skipped files."""
    report = printable_report(report)   # control characters escaped
    def c(code: str, s: str) -> str:
        return f"\033[{_COLORS[code]}m{s}\033[0m" if color else s

    cands = most_certain_first(report["candidates"])
    summary = _summary_lines(report)
    fit = (lambda line: line) if verbose else (lambda line: _fit(line, width))
    lines: list[str] = [c("kind", fit(summary[0]))] + [fit(x) for x in summary[1:]]
    if not cands:
        lines.append("  no dead code found")
    lines.append("")
    for x in cands:
        status = f"  [{x['status']}]" if x.get("status") else ""
        conf = x["confidence"]
        head = fit(f"{conf:<6}  {x['name']} ({x['kind']})  {x['code']} {x['verdict']}{status}")
        lines.append(head.replace(conf, c(conf, conf), 1))
        where = f"{x['file']}:{x['line']}"
        if verbose:
            lines.append(f"        {where}")
            for r in x["reasons"]:
                lines.append(c("dim", f"        - {r}"))
            for ref in x["references"]:
                lines.append(c("dim", f"        <- {ref['file']}:{ref['line']} ({ref['role']}, {ref['via']}): "
                                      f"not counted, {ref['why']}"))
            if x.get("cluster"):
                lines.append(c("dim", f"        cluster: {', '.join(x['cluster'])}"))
            if x.get("related_files"):
                lines.append(c("dim", f"        related: {', '.join(x['related_files'])}"))
            rt = _runtime_line(x)
            if rt:
                lines.append(c("dim", f"        {rt}"))
            continue
        extra = [where]
        if x.get("deletable_lines"):
            n = x["deletable_lines"]
            extra.append(f"{n} line{'s' if n != 1 else ''}")
        if x.get("cluster"):
            extra.append(f"dead cluster of {len(x['cluster']) + 1}")
        if len(x["reasons"]) > 1:
            extra.append(f"{len(x['reasons']) - 1} more reason{'s' if len(x['reasons']) > 2 else ''}")
        rt = _runtime_line(x)
        if rt:
            extra.append(rt)
        lines.append(fit(f"        {' · '.join(extra)}"))
        if x["reasons"]:
            lines.append(c("dim", fit(f"        {x['reasons'][0]}")))
    if cands:
        if not verbose:
            lines.append(c("dim", fit("(every reason and reference: --verbose, or deadcode explain NAME)")))
        lines.append("")

    if report.get("seen_at_runtime"):
        lines.append(c("kind", "Ran in production but no static reference was found"))
        for x in report["seen_at_runtime"]:
            rd = x.get("runtime_detail") or {}
            lines.append(f"  {x['file']}:{x['line']}  {x['name']}  seen {times(rd.get('count'))}, "
                         f"last {rd.get('last_seen')}")
        lines.append("")
    if report.get("kept"):
        lines.append(c("kind", f"Kept ({len(report['kept'])})"))
        for k in report["kept"]:
            lines.append(f"  {k['file']}:{k['line']}  {k['name']}  {k['reason']}")
            hides = k.get("hides") or []
            if hides:
                lines.append(c("dim", fit(f"      also hides {len(hides)} that only it keeps live: "
                                          f"{', '.join(hides)}")))
        lines.append("")
    if report.get("stale_keeps"):
        lines.append(c("kind", f"Stale keeps ({len(report['stale_keeps'])})"))
        for k in report["stale_keeps"]:
            lines.append(f"  {k['origin']}  {k['name']}  matches no definition; remove it ({k['reason']})")
        lines.append("")
    if report.get("expired_keeps"):
        lines.append(c("kind", f"Expired keeps ({len(report['expired_keeps'])})"))
        for k in report["expired_keeps"]:
            lines.append(f"  {k['origin']}  {k['name']}  expired {k['until']}, no longer applied ({k['reason']})")
        lines.append("")
    rt = report.get("runtime")
    if rt:
        w = rt.get("window") or {}
        lines.append(c("kind", "Runtime logs"))
        lines.append(f"  {rt.get('lines_read', 0)} lines read from {len(rt.get('files', []))} file(s); "
                     f"window {w.get('first')} .. {w.get('last')} ({w.get('days')} days)")
        for fmt, n in sorted((rt.get("lines_matched") or {}).items()):
            lines.append(f"  {fmt}: {n} lines matched")
        for wmsg in rt.get("warnings", []):
            lines.append(f"  warning: {wmsg}")
        lines.append("")
    if report.get("baseline"):
        b = report["baseline"]
        lines.append(c("kind", "Baseline"))
        lines.append(f"  {b.get('new', 0)} new, {b.get('known', 0)} known, {len(b.get('fixed', []))} fixed")
        for f in b.get("fixed", []):
            lines.append(f"  fixed: {f}")
        lines.append("")
    if report["partial"]:
        lines.append(c("kind", "Partly read"))
        for p in report["partial"]:
            lines.append(f"  {p['file']}: {p['reason']}")
        lines.append("")
    if report["skipped"]:
        lines.append(c("kind", "Skipped"))
        for p in report["skipped"]:
            lines.append(f"  {p['file']}: {p['reason']}")
        lines.append("")

    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
