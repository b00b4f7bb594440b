"""Report renderers: Markdown, SARIF, GitHub annotations and HTML (static checks).

The HTML page's behaviour in a real browser is tested in test_html_browser.py.
"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser

import pytest

from deadcode.report.github import escape_data, escape_property, render_github
from deadcode.report.html import cluster_svg, render_html
from deadcode.report.markdown import md_escape, render_markdown
from deadcode.report.sarif import render_sarif

HOSTILE_FILE = 'app/models/<script>alert(1)</script> & "q" | x.rb'
HOSTILE_URI = "app/models/%3Cscript%3Ealert%281%29%3C/script%3E%20%26%20%22q%22%20%7C%20x.rb"
TICK_NAME = 'HANDLERS["a|b`c`"]'


def _cand(id_, kind, file, line, end, verdict, code, confidence, reasons, **extra):
    c = {
        "id": id_, "name": id_.split(":", 1)[1], "kind": kind, "code": code,
        "file": file, "line": line, "end_line": end, "verdict": verdict,
        "confidence": confidence, "reasons": reasons, "references": [],
        "related_files": [], "cluster": [], "deletable_lines": end - line + 1,
        "runtime": None, "runtime_detail": None, "status": None,
    }
    c.update(extra)
    return c


def sample_report() -> dict:
    cands = [
        _cand("worker:EstimateWorker", "worker", "app/workers/estimate_worker.rb", 1, 8,
              "test_only", "DC102", "high",
              ["referenced only from tests: spec/workers/estimate_worker_spec.rb:3"],
              references=[{"file": "spec/workers/estimate_worker_spec.rb", "line": 3, "role": "test",
                           "from": "<tests>", "via": "constant", "counted": False,
                           "why": "test code"}],
              related_files=["spec/workers/estimate_worker_spec.rb"]),
        _cand("model:Evil", "model", HOSTILE_FILE, 2, 10, "unreferenced", "DC101", "medium",
              ["no references to <Evil> & friends"]),
        _cand(f"dispatch_entry:{TICK_NAME}", "dispatch_entry", "app/services/router.rb", 14, 14,
              "orphaned_entry", "DC104", "low",
              ["key `a|b` never triggered\nsecond line"]),
        _cand("class:Billing::Presenter", "class", "app/presenters/billing/presenter.rb", 1, 30,
              "dead_callers_only", "DC103", "high",
              ["referenced only from dead code: Evil, Billing::Exporter"],
              cluster=["model:Evil", "class:Billing::Exporter"]),
        _cand("class:Billing::Exporter", "class", "app/services/billing/exporter.rb", 1, 20,
              "dead_callers_only", "DC103", "medium",
              ["referenced only from dead code: Evil"], cluster=["model:Evil"]),
        _cand("job:NightlyJob", "job", "app/jobs/nightly job.rb", 1, 12,
              "runtime_unseen", "DC105", "low", ["not seen in 30 days of logs"],
              runtime="unseen", status="new",
              runtime_detail={"count": 0, "last_seen": None, "sources": ["sidekiq"], "window": "30 days"}),
        _cand("rake_task:data:fix_100%", "rake_task", "lib/tasks/fix:100%,now.rake", 3, 9,
              "unreferenced", "DC101", "high", ["one-off task\r\nnot scheduled, 100% dead"]),
    ]
    return {
        "schema_version": 1,
        "tool": {"name": "deadcode", "version": "0.1.0"},
        "root": "shop",
        "summary": {"files_scanned": 42, "files_skipped": 1, "definitions": 30,
                    "candidates": len(cands),
                    "by_kind": {"worker": 1, "model": 1, "dispatch_entry": 1, "class": 2,
                                "job": 1, "rake_task": 1},
                    "by_confidence": {"high": 3, "medium": 2, "low": 2},
                    "deletable_lines": 120},
        "skipped": [{"file": "app/models/huge.rb", "reason": "larger than 2000000 bytes"}],
        "partial": [{"file": "app/models/broken.rb",
                     "reason": "2 syntax error regions; recovered what parsed"}],
        "candidates": cands,
        "seen_at_runtime": [{
            "id": "worker:ReindexWorker", "name": "ReindexWorker", "kind": "worker", "code": "DC106",
            "file": "app/workers/reindex_worker.rb", "line": 1, "end_line": 20,
            "verdict": "seen_at_runtime", "confidence": "medium",
            "reasons": ["no static reference"], "runtime": "seen",
            "runtime_detail": {"count": 1423, "last_seen": "2024-05-31T23:12:09Z",
                               "sources": ["sidekiq"], "window": "30 days"},
        }],
        "kept": [{"id": "class:Legacy", "name": "Legacy", "file": "app/lib/legacy.rb", "line": 1,
                  "reason": "used by <ops> console"}],
        "runtime": {"files": ["log/sidekiq.log"], "lines_read": 1000,
                    "lines_matched": {"sidekiq": 900},
                    "window": {"first": "2024-05-01T00:00:00Z", "last": "2024-05-31T00:00:00Z",
                               "days": 30},
                    "warnings": []},
    }


def empty_report() -> dict:
    return {
        "schema_version": 1, "tool": {"name": "deadcode", "version": "0.1.0"}, "root": "empty",
        "summary": {"files_scanned": 3, "files_skipped": 0, "definitions": 2, "candidates": 0,
                    "by_kind": {}, "by_confidence": {}, "deletable_lines": 0},
        "skipped": [], "partial": [], "candidates": [], "seen_at_runtime": [], "kept": [],
        "runtime": None,
    }


ALL = [render_markdown, render_sarif, render_github, render_html]


@pytest.mark.parametrize("render", ALL)
def test_deterministic_and_pure(render):
    report = sample_report()
    before = copy.deepcopy(report)
    assert render(report) == render(sample_report())
    assert report == before  # the renderer does not mutate its input


@pytest.mark.parametrize("render", ALL)
def test_empty_report(render):
    assert isinstance(render(empty_report()), str)


# ---------------------------------------------------------------------------
# GitHub annotations
# ---------------------------------------------------------------------------

def test_github_escaping_rules():
    assert escape_data("100%\r\nx: y, z") == "100%25%0D%0Ax: y, z"
    assert escape_property("100%\r\nx: y, z") == "100%25%0D%0Ax%3A y%2C z"
    assert escape_property("%3A") == "%253A"  # escaped once, never twice


def test_github_lines_exact():
    lines = render_github(sample_report()).splitlines()
    assert lines == [   # the verdict in the title, the reason once in the message (#13)
        "::warning file=app/workers/estimate_worker.rb,line=1,endLine=8,title=DC102 test_only::"
        "EstimateWorker (worker, high confidence): "
        "referenced only from tests: spec/workers/estimate_worker_spec.rb:3",
        '::notice file=app/models/<script>alert(1)</script> & "q" | x.rb,line=2,endLine=10,'
        "title=DC101 unreferenced::Evil (model, medium confidence): "
        "no references to <Evil> & friends",
        "::notice file=app/services/router.rb,line=14,endLine=14,title=DC104 orphaned_entry::"
        'HANDLERS["a|b`c`"] (dispatch_entry, low confidence): '
        "key `a|b` never triggered%0Asecond line",
        "::warning file=app/presenters/billing/presenter.rb,line=1,endLine=30,"
        "title=DC103 dead_callers_only::Billing::Presenter "
        "(class, high confidence): referenced only from dead code: Evil, Billing::Exporter",
        "::notice file=app/services/billing/exporter.rb,line=1,endLine=20,"
        "title=DC103 dead_callers_only::Billing::Exporter "
        "(class, medium confidence): referenced only from dead code: Evil",
        "::notice file=app/jobs/nightly job.rb,line=1,endLine=12,title=DC105 runtime_unseen::"
        "NightlyJob (job, low confidence): "
        "not seen in 30 days of logs",
        "::warning file=lib/tasks/fix%3A100%25%2Cnow.rake,line=3,endLine=9,"
        "title=DC101 unreferenced::data:fix_100%25 "
        "(rake_task, high confidence): one-off task%0D%0Anot scheduled, 100%25 dead",
    ]
    assert render_github(empty_report()) == ""


# ---------------------------------------------------------------------------
# SARIF
# ---------------------------------------------------------------------------

def test_sarif_structure():
    report = sample_report()
    log = json.loads(render_sarif(report))
    assert log["version"] == "2.1.0"
    assert list(log)[:2] == ["$schema", "version"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "deadcode"
    assert driver["version"] == "0.1.0"
    assert "informationUri" not in driver
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["DC101", "DC102", "DC103", "DC104", "DC105"]
    assert [r["shortDescription"]["text"] for r in rules] == [
        "Unreferenced definition", "Referenced only from tests", "Referenced only from dead code",
        "Dispatch entry never triggered", "Live statically but never seen at runtime",
    ]
    for rule in rules:
        assert rule["name"] and rule["fullDescription"]["text"]
        assert "Before deleting" in rule["help"]["text"]
        assert "Before deleting" in rule["help"]["markdown"]

    results = run["results"]
    assert len(results) == len(report["candidates"])
    assert [r["ruleId"] for r in results] == [c["code"] for c in report["candidates"]]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert [r["level"] for r in results] == ["warning", "note", "note", "warning", "note", "note", "warning"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == [
        "app/workers/estimate_worker.rb",
        HOSTILE_URI,
        "app/services/router.rb",
        "app/presenters/billing/presenter.rb",
        "app/services/billing/exporter.rb",
        "app/jobs/nightly%20job.rb",
        "lib/tasks/fix%3A100%25%2Cnow.rake",
    ]
    for r, c in zip(results, report["candidates"]):
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["region"] == {"startLine": c["line"], "endLine": c["end_line"]}
        assert r["partialFingerprints"] == {"deadcodeId": c["id"]}
        assert r["properties"] == {"kind": c["kind"], "confidence": c["confidence"],
                                   "verdict": c["verdict"]}
        assert c["name"] in r["message"]["text"] and c["verdict"] in r["message"]["text"]
        assert c["reasons"][0] in r["message"]["text"]
    assert results[0]["message"]["text"] == (
        "EstimateWorker (worker) is test_only: "
        "referenced only from tests: spec/workers/estimate_worker_spec.rb:3")
    assert results[0]["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 3}
    assert results[5]["baselineState"] == "new"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["skipped", "partial"]


def test_sarif_text_is_stable_json():
    text = render_sarif(sample_report())
    assert text.endswith("}\n")
    assert text.startswith('{\n  "$schema": ')
    assert json.loads(render_sarif(empty_report()))["runs"][0]["results"] == []


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

def test_md_escape():
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("`x`") == "\\`x\\`"
    assert md_escape("a\nb\r\nc") == "a b  c"
    assert md_escape("<b>&") == "&lt;b&gt;&amp;"
    assert md_escape("a\\|") == "a\\\\\\|"


def _rows(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("| ")]


def test_markdown_summary_and_tables():
    md = render_markdown(sample_report())
    assert "**deadcode** found **7 candidates** in <code>shop</code> (3 high, 2 medium, 2 low confidence)" in md
    assert "**120** deletable lines" in md
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Models (1)", "### Jobs (1)", "### Workers (1)", "### Classes (2)",
        "### Dispatch entries (1)", "### Rake tasks (1)",
        "### Ran in production without a static reference (1)",
    ]
    rows = _rows(md)
    assert (
        "| <code>Evil</code> "
        "| <code>app/models/&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"q\" \\| x.rb:2</code> "
        "| DC101 unreferenced | medium | no references to &lt;Evil&gt; &amp; friends |"
    ) in rows
    assert (
        '| <code>HANDLERS\\["a\\|b\\`c\\`"\\]</code> | <code>app/services/router.rb:14</code> '
        "| DC104 orphaned\\_entry | low | key \\`a\\|b\\` never triggered second line |"
    ) in rows
    assert (
        "| <code>EstimateWorker</code> | <code>app/workers/estimate\\_worker.rb:1</code> "
        "| DC102 test\\_only | **high** "
        "| referenced only from tests: spec/workers/estimate\\_worker\\_spec.rb:3 |"
    ) in rows
    assert "| <code>NightlyJob</code> <sup>new</sup> | <code>app/jobs/nightly job.rb:1</code>" in md
    # every table row keeps exactly its 5 (or 3/4) cells: no stray unescaped pipe
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) - 2 in (3, 4, 5), row
    assert "<script>" not in md
    assert "\r" not in md


def test_markdown_details():
    md = render_markdown(sample_report())
    assert md.count("<details>") == 7 + 1  # one per candidate, plus skipped/partial files
    assert md.count("</details>") == md.count("<details>")
    # <summary> is an HTML block: HTML-escaped, no Markdown backslashes
    assert ('<summary>Evidence for <code>HANDLERS[&quot;a|b`c`&quot;]</code> '
            "(DC104 orphaned_entry, low confidence)</summary>") in md
    assert ("  - <code>spec/workers/estimate\\_worker\\_spec.rb:3</code>: test, not counted "
            "(test code); via constant from <code>&lt;tests&gt;</code>") in md
    assert "- **Dead callers (cluster)**: <code>Evil</code>, <code>Billing::Exporter</code>" in md
    assert "- **Runtime**: unseen: count 0; sources sidekiq; window 30 days" in md
    assert "| <code>app/models/huge.rb</code> | skipped | larger than 2000000 bytes |" in md


def test_markdown_budget_drops_details_not_tables(monkeypatch):
    import deadcode.report.markdown as markdown

    monkeypatch.setattr(markdown, "MAX_CHARS", 3000)
    md = markdown.render_markdown(sample_report())
    assert md.count("<details>") < 8
    assert "omitted to fit a comment" in md
    assert len(_rows(md)) == len(_rows(render_markdown(sample_report())))


def test_markdown_empty():
    md = render_markdown(empty_report())
    assert "**deadcode** found no dead-code candidates in <code>empty</code>" in md
    assert "| Name |" not in md


# ---------------------------------------------------------------------------
# HTML (static; behaviour in test_html_browser.py)
# ---------------------------------------------------------------------------

class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.ids: set[str] = set()
        self.sorts: list[str] = []
        self.tags: list[str] = []
        self.attr_values: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.attr_values += [v or "" for _, v in attrs]
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "tr" and "candidate" in (a.get("class") or "").split():
            self.rows.append(a)
        if tag == "th" and a.get("data-sort"):
            self.sorts.append(a["data-sort"])


def test_html_structure_and_escaping():
    report = sample_report()
    page = render_html(report)
    p = _Collect()
    p.feed(page)
    assert {"candidates", "filter-kind", "filter-verdict", "filter-confidence", "filter-text",
            "visible-count", "clusters", "seen-at-runtime", "kept", "problems"} <= p.ids
    assert p.sorts == ["name", "file", "kind", "verdict", "confidence", "lines"]
    assert [r["data-name"] for r in p.rows] == [c["name"] for c in report["candidates"]]
    assert [r["data-file"] for r in p.rows] == [c["file"] for c in report["candidates"]]
    assert [r["data-kind"] for r in p.rows] == [c["kind"] for c in report["candidates"]]
    assert [r["data-verdict"] for r in p.rows] == [c["verdict"] for c in report["candidates"]]
    assert [r["data-confidence"] for r in p.rows] == [c["confidence"] for c in report["candidates"]]
    # hostile text is escaped everywhere: in text, in attributes and in the SVG
    assert "<script>alert" not in page
    assert 'data-file="app/models/&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34; | x.rb"' in page
    assert "used by &lt;ops&gt; console" in page
    assert p.tags.count("script") == 1  # only the report's own script
    # self-contained: no external resources
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "Content-Security-Policy" in page
    # summary cards
    assert "30 days" in page and "2024-05-01T00:00:00Z" in page
    assert 'id="by-kind"' in page and 'id="by-confidence"' in page


def test_html_cluster_svg():
    page = render_html(sample_report())
    svgs = re.findall(r"<svg class=\"cluster-graph\".*?</svg>", page, re.S)
    assert len(svgs) == 1  # Presenter and Exporter share callers: one component
    svg = svgs[0]
    edges = re.findall(r'<path class="edge"[^>]*data-from="([^"]*)" data-to="([^"]*)"', svg)
    assert edges == [("model:Evil", "class:Billing::Presenter"),
                     ("class:Billing::Exporter", "class:Billing::Presenter"),
                     ("model:Evil", "class:Billing::Exporter")]
    assert svg.count('class="node') == 3


def test_cluster_svg_cycle_and_escaping():
    info = {"class:A": {"name": "A<b>", "confidence": "high", "verdict": "dead_callers_only",
                        "anchor": "cand-0"}}
    nodes = ["class:A", "class:B&C"]
    edges = [("class:B&C", "class:A"), ("class:A", "class:B&C")]
    svg = cluster_svg(nodes, edges, info, 7)
    assert svg == cluster_svg(nodes, edges, info, 7)
    assert "A&lt;b&gt;" in svg and "B&amp;C" in svg and "<b>" not in svg
    assert svg.count(" Q") == 2  # circular layout with curved edges for a cycle
    assert 'id="dc-arrow-7"' in svg
    assert 'class="node external"' in svg  # B&C is not a candidate


def test_html_empty():
    page = render_html(empty_report())
    assert 'id="candidates"' in page
    assert "No dead-code candidates" in page
    assert "<svg" not in page and 'id="clusters"' not in page


def test_json_text_is_json_dumps_indent_2_made_printable():
    from deadcode.report.data import json_text
    values = [
        {}, [], {"a": []}, {"a": {}}, "s", 3, None,
        [1, 2.5, None, True, False, "x\u2028y\x7f\x1b", "é"],
        {"k": {1: 2, "z": (1, 2)}, "n": float("nan")},
        {"d": {"e": {"f": {"g": [{"h": list(range(70))}]}}}},
        {"many": [{"i": i, "s": str(i)} for i in range(200)]},
    ]
    for v in values:
        want = json.dumps(v, indent=2, ensure_ascii=False) + "\n"
        want = "".join(ch if ch.isprintable() or ch == "\n" else json.dumps(ch)[1:-1] for ch in want)
        assert json_text(v) == want


def test_chunked_renderers_write_what_the_whole_ones_do():
    from deadcode.report.data import render_json, render_json_chunks
    from deadcode.report.html import render_html_chunks
    from deadcode.report.sarif import render_sarif_chunks
    report = sample_report()
    report["candidates"] = report["candidates"] * 40
    assert "".join(render_html_chunks(report, size=500)) == render_html(report)
    assert "".join(render_sarif_chunks(report)) == render_sarif(report)
    chunks = list(render_json_chunks(report))
    assert "".join(chunks) == render_json(report) and len(chunks) > 1


def test_a_report_checked_once_renders_as_before():
    from deadcode.report.data import PrintableReport, mark_printable
    report = sample_report()
    for c in report["candidates"]:   # (the sample carries control characters on purpose)
        c["name"] = "".join(ch for ch in c["name"] if ch.isprintable())
        c["reasons"] = [r for r in c["reasons"] if r.isprintable() and "\\" not in r]
    report["problems"] = []
    marked = mark_printable(report)
    assert isinstance(marked, PrintableReport), [k for k in report if "\\" in json.dumps(report[k])]
    assert render_html(marked) == render_html(report)
    assert render_markdown(marked) == render_markdown(report)
    # a name with a control character is not marked: each format escapes it its own way
    report["candidates"][0]["name"] = "Evil\nName\x1b"
    assert not isinstance(mark_printable(report), PrintableReport)
    assert "Evil\\nName\\x1b" in render_html(mark_printable(report))
