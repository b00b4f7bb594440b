"""The HTML report in a real headless Chromium: filters, sorting, expansion, no JS errors.

Chromium is driven over the Chrome DevTools Protocol through
``--remote-debugging-pipe`` (NUL-separated JSON on file descriptors 3 and 4), so the
test needs nothing but the standard library and a ``chromium`` binary.

The test is skipped when no Chromium is found, unless the ``CI`` environment variable
is set: then a missing browser is a failure. Set ``DEADCODE_CHROMIUM`` to use a
specific binary.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time

import pytest

from deadcode.report.html import render_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 30.0


def _find_browser() -> str | None:
    explicit = os.environ.get("DEADCODE_CHROMIUM")
    if explicit:
        return explicit
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class CDP:
    """A minimal Chrome DevTools Protocol client over --remote-debugging-pipe."""

    def __init__(self, binary: str, profile: str):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # move the child's ends to 10+ so they cannot clash with 3 and 4 in the shell below
        hi_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        hi_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)
        args = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--window-size=1280,900",
            "--remote-debugging-pipe", "about:blank",
        ]
        self.proc = subprocess.Popen(
            # bash (not dash) because dash only knows single-digit descriptors
            [shutil.which("bash") or "/bin/bash", "-c",
             f'exec "$0" "$@" 3<&{hi_r} 4>&{hi_w} {hi_r}<&- {hi_w}>&-', binary, *args],
            pass_fds=(hi_r, hi_w),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(hi_r)
        os.close(hi_w)
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._cond = threading.Condition()
        self.events: queue.Queue = queue.Queue()
        self.all_events: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.session: str | None = None

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._replies[-1] = {"error": {"message": "browser closed the pipe"}}
                    self._cond.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._cond:
                        self._replies[msg["id"]] = msg
                        self._cond.notify_all()
                else:
                    self.all_events.append(msg)
                    self.events.put(msg)

    def send(self, method: str, params: dict | None = None, *, session: bool = True) -> dict:
        self._next_id += 1
        mid = self._next_id
        msg: dict = {"id": mid, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        with self._cond:
            while mid not in self._replies:
                if -1 in self._replies:
                    raise RuntimeError(f"{method}: {self._replies[-1]['error']['message']}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no reply to {method}")
                self._cond.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.send(f"{domain}.enable")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True,
        })
        if "exceptionDetails" in result:
            raise AssertionError(f"evaluation failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(expression)
            time.sleep(0.05)

    def click(self, selector: str) -> None:
        """A real mouse click at the centre of the element."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        x, y = box
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params = {"type": kind, "x": x, "y": y}
            if kind != "mouseMoved":
                params.update(button="left", clickCount=1)
            self.send("Input.dispatchMouseEvent", params)

    def type_text(self, selector: str, text: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass


def _cand(i, name, kind, verdict, code, confidence, file, lines, cluster=()):
    return {
        "id": f"{kind}:{name}", "name": name, "kind": kind, "code": code, "file": file,
        "line": i + 1, "end_line": i + 10, "verdict": verdict, "confidence": confidence,
        "reasons": [f"reason for {name}"],
        "references": [{"file": "spec/x_spec.rb", "line": 3, "role": "test", "from": "<tests>",
                        "via": "constant", "counted": False, "why": "test code"}],
        "related_files": ["spec/x_spec.rb"], "cluster": list(cluster),
        "deletable_lines": lines, "runtime": None, "runtime_detail": None, "status": None,
    }


def browser_report() -> dict:
    specs = [
        ("EstimateWorker", "worker", "test_only", "DC102", "high", "app/workers/estimate_worker.rb", 20),
        ("billing::Invoice", "model", "unreferenced", "DC101", "high", "app/models/billing/invoice.rb", 118),
        ("Zeta", "class", "dead_callers_only", "DC103", "medium", "app/lib/zeta.rb", 5),
        ("alpha_helper", "helper", "unreferenced", "DC101", "low", "app/helpers/alpha_helper.rb", 9),
        ("ReportWorker", "worker", "unreferenced", "DC101", "medium", "app/workers/report_worker.rb", 31),
        ("Evil", "model", "unreferenced", "DC101", "low",
         'app/models/<script>alert(1)</script> & "q" | x.rb', 7),
        ("CleanupWorker", "worker", "runtime_unseen", "DC105", "low", "app/workers/cleanup_worker.rb", 12),
        ("Mailer`Tick|Pipe", "mailer", "test_only", "DC102", "high", "app/mailers/tick.rb", 3),
        ("BillingExporter", "class", "dead_callers_only", "DC103", "high", "app/services/exporter.rb", 44),
    ]
    cands = [_cand(i, *s) for i, s in enumerate(specs)]
    cands[2]["cluster"] = ["class:BillingExporter", "model:billing::Invoice"]
    cands[8]["cluster"] = ["model:billing::Invoice"]
    kinds: dict[str, int] = {}
    confs: dict[str, int] = {}
    for c in cands:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
        confs[c["confidence"]] = confs.get(c["confidence"], 0) + 1
    return {
        "schema_version": 1, "tool": {"name": "deadcode", "version": "0.1.0"}, "root": "shop",
        "summary": {"files_scanned": 50, "files_skipped": 1, "definitions": 40,
                    "candidates": len(cands), "by_kind": kinds, "by_confidence": confs,
                    "deletable_lines": sum(c["deletable_lines"] for c in cands)},
        "skipped": [{"file": "app/models/huge.rb", "reason": "too large"}],
        "partial": [], "candidates": cands,
        "seen_at_runtime": [{"id": "worker:Seen", "name": "Seen", "kind": "worker",
                             "file": "app/workers/seen.rb", "line": 1, "reasons": ["dynamic"],
                             "runtime_detail": {"count": 3}}],
        "kept": [{"id": "class:Legacy", "name": "Legacy", "file": "app/lib/legacy.rb", "line": 1,
                  "reason": "ops"}],
        "runtime": {"files": ["log/a.log"], "lines_read": 10, "lines_matched": {"sidekiq": 4},
                    "window": {"first": "2024-05-01T00:00:00Z", "last": "2024-05-31T00:00:00Z",
                               "days": 30}, "warnings": ["one log file was empty"]},
    }


VISIBLE_NAMES = (
    "[...document.querySelectorAll('#candidates tr.candidate')]"
    ".filter(r => r.getClientRects().length > 0).map(r => r.dataset.name)"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = _find_browser()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Chromium was found (install the Debian package "
                        "'chromium' or set DEADCODE_CHROMIUM)")
        pytest.skip("no Chromium binary found (apt-get install chromium, or set "
                    "DEADCODE_CHROMIUM); set CI=1 to make this a failure")
    cdp = CDP(binary, str(tmp_path_factory.mktemp("chromium-profile")))
    try:
        cdp.open_page()
        yield cdp
    finally:
        cdp.close()


def _open(cdp: CDP, path, fragment: str = "") -> None:
    """Load ``path`` (a fresh document: about:blank first, so a hash is read at load)."""
    url = path.as_uri() + fragment
    cdp.send("Page.navigate", {"url": "about:blank"})
    cdp.wait_for("location.href === 'about:blank' && document.readyState === 'complete'")
    cdp.all_events.clear()
    cdp.send("Page.navigate", {"url": url})
    # the page may rewrite the hash into its own order: compare the document's URL only
    cdp.wait_for(f"document.readyState === 'complete' && location.href.split('#')[0] === "
                 f"{json.dumps(path.as_uri())} && !!document.getElementById('visible-count')")


@pytest.fixture()
def page(browser, tmp_path):
    report = browser_report()
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    _open(browser, path)
    return browser, report, path


def _errors(cdp: CDP) -> list[dict]:
    bad = []
    for ev in cdp.all_events:
        method, params = ev.get("method"), ev.get("params", {})
        if method == "Runtime.exceptionThrown":
            bad.append(ev)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            bad.append(ev)
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            bad.append(ev)
    return bad


def _select(cdp: CDP, select_id: str, value: str) -> None:
    cdp.evaluate(
        f"(() => {{ const s = document.getElementById({json.dumps(select_id)});"
        f" s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()")


def _count(cdp: CDP) -> int:
    return int(cdp.evaluate("document.getElementById('visible-count').textContent"))


def test_filters_sorting_expansion_and_no_errors(page):
    cdp, report, path = page
    names = [c["name"] for c in report["candidates"]]
    assert cdp.evaluate(VISIBLE_NAMES) == names
    assert _count(cdp) == len(names)

    # kind filter
    workers = [c["name"] for c in report["candidates"] if c["kind"] == "worker"]
    assert len(workers) == 3
    _select(cdp, "filter-kind", "worker")
    assert cdp.evaluate(VISIBLE_NAMES) == workers
    assert _count(cdp) == 3

    # kind + confidence
    _select(cdp, "filter-confidence", "low")
    assert cdp.evaluate(VISIBLE_NAMES) == ["CleanupWorker"]
    assert _count(cdp) == 1

    # a combination with no match shows the empty-state row
    _select(cdp, "filter-verdict", "dead_callers_only")
    assert cdp.evaluate(VISIBLE_NAMES) == []
    assert _count(cdp) == 0
    assert cdp.evaluate("document.getElementById('no-match').getClientRects().length > 0")

    cdp.click("#filter-reset")
    assert _count(cdp) == len(names)

    # verdict filter alone
    _select(cdp, "filter-verdict", "unreferenced")
    assert cdp.evaluate(VISIBLE_NAMES) == [c["name"] for c in report["candidates"]
                                           if c["verdict"] == "unreferenced"]
    cdp.click("#filter-reset")

    # text filter (typed), case-insensitive, on name or path
    cdp.type_text("#filter-text", "BILLING")
    expected = [c["name"] for c in report["candidates"]
                if "billing" in c["name"].lower() or "billing" in c["file"].lower()]
    assert expected == ["billing::Invoice", "BillingExporter"]
    assert cdp.evaluate(VISIBLE_NAMES) == expected
    assert _count(cdp) == 2
    cdp.click("#filter-reset")
    cdp.type_text("#filter-text", "<script>")
    assert cdp.evaluate(VISIBLE_NAMES) == ["Evil"]
    cdp.click("#filter-reset")
    assert cdp.evaluate("document.getElementById('filter-text').value") == ""

    # sorting by name: ascending, then descending on a second click
    cdp.click('th[data-sort="name"]')
    ascending = sorted(names, key=lambda n: (n.lower(), n))
    assert cdp.evaluate(VISIBLE_NAMES) == ascending
    assert cdp.evaluate("document.querySelector('th[data-sort=name]').getAttribute('aria-sort')") == "ascending"
    cdp.click('th[data-sort="name"]')
    assert cdp.evaluate(VISIBLE_NAMES) == list(reversed(ascending))

    # numeric sort by deletable lines
    cdp.click('th[data-sort="lines"]')
    by_lines = [c["name"] for c in sorted(report["candidates"], key=lambda c: c["deletable_lines"])]
    assert cdp.evaluate(VISIBLE_NAMES) == by_lines

    # sorting keeps filters applied
    _select(cdp, "filter-kind", "worker")
    cdp.click('th[data-sort="confidence"]')
    assert cdp.evaluate(VISIBLE_NAMES) == ["EstimateWorker", "ReportWorker", "CleanupWorker"]
    cdp.click("#filter-reset")

    # a click on a row expands its evidence; a second click collapses it
    row = 'tr.candidate[data-name="EstimateWorker"]'
    detail_visible = (
        f"(() => {{ const r = document.querySelector({json.dumps(row)});"
        " const d = document.getElementById(r.querySelector('button.toggle').getAttribute('aria-controls'));"
        " return d.getClientRects().length > 0 ? d.innerText : null; })()")
    assert cdp.evaluate(detail_visible) is None
    cdp.click(row + " td.kind")
    text = cdp.evaluate(detail_visible)
    assert text and "spec/x_spec.rb:3" in text and "reason for EstimateWorker" in text
    cdp.click(row + " td.kind")
    assert cdp.evaluate(detail_visible) is None

    # hostile names arrive as text, never as markup
    assert cdp.evaluate("document.querySelectorAll('#candidates script').length") == 0
    assert cdp.evaluate("document.querySelectorAll('script').length") == 1
    assert 'Mailer`Tick|Pipe' in cdp.evaluate(VISIBLE_NAMES)

    # the cluster graph was drawn
    assert cdp.evaluate("document.querySelectorAll('svg.cluster-graph').length") == 1
    assert cdp.evaluate("document.querySelectorAll('svg.cluster-graph path.edge').length") == 3

    # no JS errors, no console errors, no network beyond the file itself
    time.sleep(0.2)
    assert _errors(cdp) == []
    urls = [ev["params"]["request"]["url"] for ev in cdp.all_events
            if ev.get("method") == "Network.requestWillBeSent"]
    assert all(u.startswith("file:") for u in urls), urls


def test_error_detection_works(page):
    """Guard against a vacuous pass: a thrown error is seen by the collector."""
    cdp, _report, _path = page
    cdp.evaluate("setTimeout(() => { throw new Error('boom'); }, 0); 1")
    deadline = time.monotonic() + TIMEOUT
    while not _errors(cdp) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(ev["method"] == "Runtime.exceptionThrown" for ev in _errors(cdp))


# ---------------------------------------------------------------------------
# the filter state in the URL hash (issue #13)
# ---------------------------------------------------------------------------

def _hash(cdp: CDP) -> str:
    return cdp.evaluate("location.hash")


def test_filter_state_is_kept_in_the_url_hash(page):
    cdp, report, path = page
    names = [c["name"] for c in report["candidates"]]
    assert _hash(cdp) == ""
    _select(cdp, "filter-kind", "worker")
    assert _hash(cdp) == "#kind=worker"
    _select(cdp, "filter-confidence", "low")
    assert _hash(cdp) == "#kind=worker&confidence=low"
    cdp.click("#filter-reset")
    assert _hash(cdp) == ""
    cdp.type_text("#filter-text", "Worker")
    cdp.click('th[data-sort="lines"]')
    cdp.click('th[data-sort="lines"]')
    assert _hash(cdp) == "#q=Worker&sort=-lines"
    shared = cdp.evaluate(VISIBLE_NAMES)
    workers = [c for c in report["candidates"] if "worker" in c["name"].lower()]
    assert shared == [c["name"] for c in sorted(workers, key=lambda c: -c["deletable_lines"])]

    # the shared link opens the same view in a fresh page
    _open(cdp, path, "#q=Worker&sort=-lines")
    assert cdp.evaluate(VISIBLE_NAMES) == shared
    assert cdp.evaluate("document.getElementById('filter-text').value") == "Worker"
    assert cdp.evaluate("document.querySelector('th[data-sort=lines]').getAttribute('aria-sort')") == "descending"

    _open(cdp, path, "#kind=worker&confidence=high&verdict=test_only")
    assert cdp.evaluate(VISIBLE_NAMES) == ["EstimateWorker"]
    assert cdp.evaluate("['kind', 'verdict', 'confidence']"
                        ".map(id => document.getElementById('filter-' + id).value)") \
        == ["worker", "test_only", "high"]
    assert _count(cdp) == 1
    assert _hash(cdp) == "#kind=worker&verdict=test_only&confidence=high"

    # editing the hash in place applies it; unknown values are ignored, not errors
    cdp.evaluate("location.hash = '#kind=model&confidence=bogus&sort=nosuch'")
    cdp.wait_for("document.getElementById('filter-kind').value === 'model'")
    assert cdp.evaluate(VISIBLE_NAMES) == [c["name"] for c in report["candidates"] if c["kind"] == "model"]
    assert cdp.evaluate("document.getElementById('filter-confidence').value") == ""

    # #cand-N still opens one candidate, and filtering replaces it
    _open(cdp, path, "#cand-4")
    assert cdp.evaluate(VISIBLE_NAMES) == names
    assert cdp.evaluate("document.getElementById('detail-4').hidden") is False
    _select(cdp, "filter-kind", "model")
    assert _hash(cdp) == "#kind=model"
    time.sleep(0.1)
    assert _errors(cdp) == []


# ---------------------------------------------------------------------------
# layout at 1400 and 800 px, with screenshots (issue #13)
# ---------------------------------------------------------------------------

def long_report() -> dict:
    """Names and paths with no break opportunity, as real apps have them."""
    report = browser_report()
    c = report["candidates"][0]
    c.update(name="Api::V2::Administration::Reporting::MonthlyStatementExportsController"
                  "#download_statement_pdf_with_attachments", kind="action",
             file="engines/billing_engine/app/controllers/api/v2/administration/reporting/"
                  "monthly_statement_exports_controller.rb", deletable_lines=123456,
             reasons=["x" * 400])
    c["references"][0].update(
        file="engines/billing_engine/app/controllers/api/v2/administration/reporting/"
             "monthly_statement_exports_controller_helpers_for_pdf_rendering.rb",
        line=12345, why="y" * 300,
        **{"from": "Api::V2::Administration::Reporting::MonthlyStatementExportsController::Pdf"})
    report["candidates"][1]["name"] = "Z" * 150
    report["candidates"][3]["file"] = "app/helpers/" + "deeply_nested_" * 12 + "helper.rb"
    return report


LAYOUT = """(() => {
  const panel = document.getElementById('candidates-section');
  const wrap = panel.querySelector('.table-wrap');
  const table = document.getElementById('candidates');
  const lines = table.querySelector('th[data-sort=lines]').getBoundingClientRect();
  const cell = table.querySelector('tr.candidate td.num').getBoundingClientRect();
  const p = panel.getBoundingClientRect(), w = wrap.getBoundingClientRect();
  return {page: document.documentElement.scrollWidth, viewport: innerWidth,
          panelLeft: p.left, panelRight: p.right, wrapLeft: w.left, wrapRight: w.right,
          wrapClient: wrap.clientWidth, wrapScroll: wrap.scrollWidth, table: table.scrollWidth,
          linesLeft: lines.left, linesRight: lines.right, cellRight: cell.right};
})()"""


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _screenshot(cdp: CDP, target) -> tuple[int, int]:
    import base64
    shot = cdp.send("Page.captureScreenshot", {"format": "png"})
    data = base64.b64decode(shot["data"])
    target.write_bytes(data)
    return _png_size(data)


@pytest.mark.parametrize("report_of", [browser_report, long_report], ids=["plain", "long-names"])
def test_candidates_table_fits_or_scrolls_inside_its_panel(browser, tmp_path, report_of):
    path = tmp_path / "report.html"
    path.write_text(render_html(report_of()), encoding="utf-8")
    cdp = browser
    try:
        for width in (1400, 800):
            cdp.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
            _open(cdp, path)
            for expanded in (False, True):
                if expanded:
                    cdp.click("#expand-all")
                    assert cdp.evaluate("document.querySelectorAll('tr.detail:not([hidden])').length") == 9
                m = cdp.evaluate(LAYOUT)
                assert _screenshot(cdp, tmp_path / f"report-{width}-{expanded}.png") == (width, 900)
                # the page never scrolls sideways; the table stays inside its panel's box
                assert m["page"] == m["viewport"] == width, m
                assert m["panelLeft"] >= 0 and m["panelRight"] <= width, m
                assert m["panelLeft"] <= m["wrapLeft"] and m["wrapRight"] <= m["panelRight"], m
                if width == 1400:
                    # at 1400 px the whole table fits: the Lines column is not cut off
                    assert m["table"] <= m["wrapClient"] and m["wrapScroll"] <= m["wrapClient"], m
                    assert m["linesRight"] <= m["panelRight"] and m["cellRight"] <= m["panelRight"], m
                else:
                    # narrower, it may scroll inside the panel; scrolled to the end, Lines shows
                    cdp.evaluate("document.querySelector('#candidates-section .table-wrap').scrollLeft = 1e6")
                    m = cdp.evaluate(LAYOUT)
                    assert m["linesLeft"] >= m["wrapLeft"] and m["linesRight"] <= m["wrapRight"] + 0.5, m
                    cdp.evaluate("document.querySelector('#candidates-section .table-wrap').scrollLeft = 0")
    finally:
        cdp.send("Emulation.clearDeviceMetricsOverride")
    assert _errors(cdp) == []


def test_rows_link_to_the_source(browser, tmp_path):
    report = browser_report()
    report["source"] = {"url": "https://example.test/org/shop/blob/{commit}/{path}#L{line}",
                        "commit": "0123456789abcdef0123456789abcdef01234567",
                        "path_prefix": "", "repository": "https://example.test/org/shop"}
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    _open(browser, path)
    hrefs = browser.evaluate(
        "[...document.querySelectorAll('#candidates tr.candidate td.c-file a.src')].map(a => a.href)")
    assert len(hrefs) == len(report["candidates"])
    assert hrefs[0] == ("https://example.test/org/shop/blob/0123456789abcdef0123456789abcdef01234567/"
                        "app/workers/estimate_worker.rb#L1")
    # the hostile path is percent-encoded in the link, shown as typed in the text
    evil = browser.evaluate("document.querySelector('tr.candidate[data-name=Evil] a.src').href")
    assert evil.endswith("/app/models/%3Cscript%3Ealert%281%29%3C/script%3E%20%26%20%22q%22%20%7C%20x.rb#L6")
    ref = browser.evaluate("document.querySelector('#detail-0 td.loc a.src').getAttribute('href')")
    assert ref.endswith("/spec/x_spec.rb#L3")
    # a click on the link does not toggle the row (the page navigates instead)
    assert browser.evaluate("document.getElementById('detail-0').hidden") is True
    assert _errors(browser) == []
