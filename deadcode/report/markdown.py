"""Markdown report, ready to post as a pull-request comment (GitHub Flavored Markdown).

Layout: a one-line summary, then per kind (in ``KINDS`` order) a table of
candidates (name, ``path:line``, verdict, confidence, why = first reason) followed
by a collapsed ``<details>`` block of evidence for each candidate. Runtime-only
definitions and skipped/partial files get short sections at the end.

Escaping. Everything that comes from the repository (names, paths, reasons,
roles...) goes through :func:`md_escape` when it lands in Markdown text, table
cells included:

- ``\\`` -> ``\\\\`` first, then backslash-escape the characters that would
  start Markdown syntax: ``|`` -> ``\\|`` (cell separator), `````` ` `````` ->
  ``\\``` (code span), ``*`` ``_`` ``~`` ``[`` ``]`` (emphasis, strike, links);
- ``&`` -> ``&amp;``, ``<`` -> ``&lt;``, ``>`` -> ``&gt;`` (no raw HTML, and
  an ``&lt;`` in a file name shows as typed);
- CR, LF and tabs -> one space each (a newline would end the table row).

Inside ``<summary>`` (an HTML block, where Markdown escapes are not
processed) text goes through :func:`html_escape` instead.

GitHub rejects comments longer than 65,536 characters: when the full report
would exceed :data:`MAX_CHARS`, evidence blocks are dropped from the end and a
note says how many were left out. Tables are always complete.
"""

from __future__ import annotations

try:
    from deadcode.model import KINDS
except Exception:  # pragma: no cover - only when the model module is broken
    KINDS = (
        "model", "controller", "action", "job", "worker", "mailer", "helper",
        "concern", "class", "module", "dispatch_entry", "rake_task", "table",
    )

MAX_CHARS = 60000

KIND_TITLES = {
    "model": "Models", "controller": "Controllers", "action": "Controller actions",
    "job": "Jobs", "worker": "Workers", "mailer": "Mailers", "helper": "Helpers",
    "concern": "Concerns", "class": "Classes", "module": "Modules",
    "dispatch_entry": "Dispatch entries", "rake_task": "Rake tasks", "table": "Tables",
}

_MD_SPECIAL = {
    "\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "_": "\\_", "~": "\\~",
    "[": "\\[", "]": "\\]", "&": "&amp;", "<": "&lt;", ">": "&gt;",
    "\r": " ", "\n": " ", "\t": " ",
}
_MD_TABLE = str.maketrans(_MD_SPECIAL)
_HTML_TABLE = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
    "\r": " ", "\n": " ", "\t": " ",
})


def md_escape(text) -> str:
    """Escape repo-derived text for Markdown inline content and table cells."""
    return str(text).translate(_MD_TABLE)


def html_escape(text) -> str:
    """Escape repo-derived text for an HTML block (``<summary>``)."""
    return str(text).translate(_HTML_TABLE)


def _code(text) -> str:
    # <code> rather than backticks: a name may itself contain backticks.
    return f"<code>{md_escape(text)}</code>"


def _loc(path, line) -> str:
    return f"{path}:{line}" if line else str(path)


def _where(report: dict | None, path, line, shown=None) -> str:
    """``path:line`` as code, linked to the source when the report has ``--source-url``."""
    text = _code(_loc(path or "", line if shown is None else shown))
    from .data import source_link
    url = source_link(report or {}, path, line)
    if not url:
        return text
    for ch, enc in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(ch, enc)
    return f"[{text}]({url})"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _kind_order(kind: str) -> tuple:
    return (KINDS.index(kind), "") if kind in KINDS else (len(KINDS), kind)


def _summary(report: dict) -> str:
    summary = report.get("summary") or {}
    cands = report.get("candidates") or []
    n = int(summary.get("candidates", len(cands)) or 0)
    root = report.get("root")
    where = f" in {_code(root)}" if root else ""
    if n == 0:
        head = f"**deadcode** found no dead-code candidates{where}"
    else:
        by_conf = summary.get("by_confidence") or {}
        conf = ", ".join(
            f"{by_conf[c]} {c}" for c in ("high", "medium", "low") if by_conf.get(c)
        )
        head = f"**deadcode** found **{_plural(n, 'candidate')}**{where}"
        if conf:
            head += f" ({conf} confidence)"
        lines = int(summary.get("deletable_lines") or 0)
        head += f" · **{lines:,}** deletable lines"
    files = []
    if "files_scanned" in summary:
        files.append(f"{int(summary['files_scanned']):,} files scanned")
    if report.get("skipped") or summary.get("files_skipped"):
        files.append(f"{int(summary.get('files_skipped') or len(report.get('skipped') or [])):,} skipped")
    if report.get("partial"):
        files.append(f"{len(report['partial']):,} partially parsed")
    if files:
        head += " · " + ", ".join(files)
    window = ((report.get("runtime") or {}).get("window") or {})
    if window.get("first") or window.get("last"):
        days = window.get("days")
        head += (
            f" · runtime logs {md_escape(window.get('first', '?'))} → {md_escape(window.get('last', '?'))}"
            + (f" ({days} days)" if days is not None else "")
        )
    return head


def _table(cands: list[dict], report: dict | None = None) -> list[str]:
    out = [
        "| Name | Location | Verdict | Confidence | Why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in cands:
        reasons = c.get("reasons") or []
        why = md_escape(reasons[0]) if reasons else ""
        conf = md_escape(c.get("confidence") or "")
        if c.get("confidence") == "high":
            conf = f"**{conf}**"
        name = _code(c.get("name") or c.get("id") or "")
        if c.get("status") == "new":
            name += " <sup>new</sup>"
        out.append(
            f"| {name} | {_where(report, c.get('file'), c.get('line'))} "
            f"| {md_escape(c.get('code') or '')} {md_escape(c.get('verdict') or '')} "
            f"| {conf} | {why} |"
        )
    return out


def _runtime_text(detail) -> str:
    if not isinstance(detail, dict):
        return md_escape(detail)
    parts = []
    for key in ("count", "last_seen", "sources", "window"):
        if detail.get(key) is None:
            continue
        value = detail[key]
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{key.replace('_', ' ')} {md_escape(value)}")
    return "; ".join(parts)


def _details(c: dict, names: dict[str, str], report: dict | None = None) -> str:
    title = (
        f"Evidence for <code>{html_escape(c.get('name') or c.get('id') or '')}</code> "
        f"({html_escape(c.get('code') or '')} {html_escape(c.get('verdict') or '')}, "
        f"{html_escape(c.get('confidence') or '')} confidence)"
    )
    span = c.get("line")
    if span and c.get("end_line") and c["end_line"] != c["line"]:
        span = f"{c['line']}–{c['end_line']}"
    body = [f"- **Definition**: {_code(c.get('id') or '')} at "
            f"{_where(report, c.get('file'), c.get('line'), span)}, "
            f"{_plural(int(c.get('deletable_lines') or 0), 'deletable line')}"]
    reasons = c.get("reasons") or []
    if reasons:
        body.append("- **Reasons**")
        body += [f"  - {md_escape(r)}" for r in reasons]
    refs = c.get("references") or []
    if refs:
        body.append("- **References**")
        for r in refs:
            bits = [md_escape(r.get("role") or "reference")]
            bits.append("counted" if r.get("counted") else "not counted")
            if r.get("why"):
                bits[-1] += f" ({md_escape(r['why'])})"
            extra = []
            if r.get("via"):
                extra.append(f"via {md_escape(r['via'])}")
            if r.get("from"):
                extra.append(f"from {_code(r['from'])}")
            body.append(
                f"  - {_where(report, r.get('file'), r.get('line'))}: {', '.join(bits)}"
                + (f"; {' '.join(extra)}" if extra else "")
            )
    if c.get("cluster"):
        members = ", ".join(_code(names.get(m, m)) for m in c["cluster"])
        body.append(f"- **Dead callers (cluster)**: {members}")
    if c.get("related_files"):
        body.append("- **Related files**: " + ", ".join(_code(f) for f in c["related_files"]))
    if c.get("runtime") or c.get("runtime_detail"):
        text = md_escape(c.get("runtime") or "")
        if c.get("runtime_detail"):
            text += (": " if text else "") + _runtime_text(c["runtime_detail"])
        body.append(f"- **Runtime**: {text}")
    if c.get("status"):
        body.append(f"- **Baseline**: {md_escape(c['status'])}")
    return "<details>\n<summary>" + title + "</summary>\n\n" + "\n".join(body) + "\n\n</details>"


def render_markdown(report: dict) -> str:
    """The report as GitHub Flavored Markdown."""
    from .data import printable_report
    # control characters as visible escapes; md_escape turns line breaks into spaces
    report = printable_report(report, keep="\r\n\t")
    cands = list(report.get("candidates") or [])
    names = {str(c.get("id")): str(c.get("name") or c.get("id")) for c in cands}
    groups: dict[str, list[dict]] = {}
    for c in cands:
        groups.setdefault(str(c.get("kind") or "other"), []).append(c)

    # Sections as (fixed text, [evidence blocks]) so evidence can be dropped to fit.
    sections: list[tuple[str, list[str]]] = []
    sections.append(("## deadcode report\n\n" + _summary(report) + "\n", []))
    for kind in sorted(groups, key=_kind_order):
        items = groups[kind]
        title = KIND_TITLES.get(kind, md_escape(kind))
        text = f"### {title} ({len(items)})\n\n" + "\n".join(_table(items, report)) + "\n"
        sections.append((text, [_details(c, names, report) for c in items]))

    seen = report.get("seen_at_runtime") or []
    if seen:
        rows = ["### Ran in production without a static reference "
                f"({len(seen)})", "",
                "| Name | Location | Kind | Runtime |", "| --- | --- | --- | --- |"]
        for s in seen:
            rows.append(
                f"| {_code(s.get('name') or s.get('id') or '')} "
                f"| {_where(report, s.get('file'), s.get('line'))} "
                f"| {md_escape(s.get('kind') or '')} "
                f"| {_runtime_text(s.get('runtime_detail')) if s.get('runtime_detail') else ''} |"
            )
        sections.append(("\n".join(rows) + "\n", []))

    problems = [("skipped", f) for f in report.get("skipped") or []]
    problems += [("partial", f) for f in report.get("partial") or []]
    if problems:
        rows = [f"<details>\n<summary>Files skipped or partially parsed ({len(problems)})</summary>",
                "", "| File | Status | Reason |", "| --- | --- | --- |"]
        for status, f in problems:
            rows.append(f"| {_code(f.get('file') or '')} | {status} | {md_escape(f.get('reason') or '')} |")
        rows += ["", "</details>"]
        sections.append(("\n".join(rows) + "\n", []))

    fixed = sum(len(text) + 1 for text, _ in sections)
    budget = MAX_CHARS - fixed - 200
    omitted = 0
    out: list[str] = []
    for text, blocks in sections:
        out.append(text)
        kept = []
        for block in blocks:
            if budget - (len(block) + 2) >= 0 and not omitted:
                kept.append(block)
                budget -= len(block) + 2
            else:
                omitted += 1
        if kept:
            out.append("\n\n".join(kept) + "\n")
    if omitted:
        out.append(
            f"_Evidence for {_plural(omitted, 'more candidate')} omitted to fit a comment; "
            "see the HTML or JSON report._\n"
        )
    tool = report.get("tool") or {}
    out.append(f"<sub>deadcode {md_escape(tool.get('version') or '')} · "
               f"schema {md_escape(report.get('schema_version', ''))}</sub>\n")
    return "\n".join(out)
