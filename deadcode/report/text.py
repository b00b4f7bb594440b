"""The terminal report: grouped by kind, evidence under each candidate, a summary."""

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


def render_text(report: dict, color: bool = False) -> str:
    report = printable_report(report)   # control characters escaped
    def c(code: str, s: str) -> str:
        return f"\033[{_COLORS[code]}m{s}\033[0m" if color else s

    lines: list[str] = []
    cands = report["candidates"]
    kinds = sorted({x["kind"] for x in cands}, key=lambda k: (KINDS.index(k) if k in KINDS else 99, k))
    for kind in kinds:
        group = [x for x in cands if x["kind"] == kind]
        lines.append(c("kind", f"{KIND_TITLES.get(kind, kind)} ({len(group)})"))
        for x in group:
            loc = f"{x['file']}:{x['line']}"
            status = f"  [{x['status']}]" if x.get("status") else ""
            lines.append(f"  {loc}  {x['name']}  {x['verdict']}  {c(x['confidence'], x['confidence'])}{status}")
            for r in x["reasons"]:
                lines.append(c("dim", f"      - {r}"))
            for ref in x["references"][:12]:
                lines.append(c("dim", f"      <- {ref['file']}:{ref['line']} ({ref['role']}, {ref['via']}): "
                                      f"not counted, {ref['why']}"))
            if len(x["references"]) > 12:
                lines.append(c("dim", f"      <- ... {len(x['references']) - 12} more references"))
            if x.get("cluster"):
                lines.append(c("dim", f"      cluster: {', '.join(x['cluster'][:10])}"
                                      + (" ..." if len(x["cluster"]) > 10 else "")))
            if x.get("related_files"):
                lines.append(c("dim", f"      related: {', '.join(x['related_files'][:6])}"))
            if x.get("runtime"):
                rd = x.get("runtime_detail") or {}
                if x["runtime"] == "seen":
                    lines.append(c("dim", f"      runtime: seen {rd.get('count')} times, last {rd.get('last_seen')}"))
                else:
                    lines.append(c("dim", f"      runtime: not seen in {((rd.get('window') or {}).get('days'))} days of logs"))
        lines.append("")

    if report.get("seen_at_runtime"):
        lines.append(c("kind", "Ran in production but no static reference was found"))
        for x in report["seen_at_runtime"]:
            rd = x.get("runtime_detail") or {}
            lines.append(f"  {x['file']}:{x['line']}  {x['name']}  seen {rd.get('count')} times, "
                         f"last {rd.get('last_seen')}")
        lines.append("")
    if report.get("kept"):
        lines.append(c("kind", f"Kept ({len(report['kept'])})"))
        for k in report["kept"]:
            lines.append(f"  {k['file']}:{k['line']}  {k['name']}  {k['reason']}")
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

    s = report["summary"]
    lines.append(c("kind", "Summary"))
    lines.append(f"  {s['files_scanned']} files scanned, {s['files_skipped']} skipped, "
                 f"{s['definitions']} definitions, {s['candidates']} candidates")
    if s["by_kind"]:
        lines.append("  by kind: " + ", ".join(f"{k} {n}" for k, n in s["by_kind"].items()))
    if s.get("by_confidence"):
        lines.append("  by confidence: " + ", ".join(f"{k} {n}" for k, n in s["by_confidence"].items()))
    lines.append(f"  lines that would go: {s['deletable_lines']}")
    if not cands:
        lines.append("  no dead code found")
    return "\n".join(lines) + "\n"
