"""End to end: `deadcode scan --runtime-log` on the estimation fixture."""

import gzip
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "fixtures", "estimation_app")
LOGS = os.path.join(ROOT, "tests", "data", "runtime")


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "deadcode", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=300)


def test_three_joined_verdicts_in_json(tmp_path):
    gz = tmp_path / "production.log.gz"
    gz.write_bytes(gzip.compress(open(os.path.join(LOGS, "production.log"), "rb").read()))
    proc = run("scan", APP, "--format", "json", "--no-cache",
               "--runtime-log", os.path.join(LOGS, "sidekiq.log"),
               "--runtime-log", str(gz),
               "--runtime-log", "-", stdin=open(os.path.join(LOGS, "ecs.log"), "rb").read())
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    by = {c["name"]: c for c in report["candidates"]}
    # statically dead and unseen: confidence raised
    assert (by["Estimation::FetchWorker"]["verdict"], by["Estimation::FetchWorker"]["confidence"],
            by["Estimation::FetchWorker"]["runtime"]) == ("dead_callers_only", "high", "unseen")
    # statically live, never seen
    st = by["InvoicesController#statement"]
    assert (st["verdict"], st["code"], st["confidence"]) == ("runtime_unseen", "DC105", "medium")
    # statically dead, but seen: reported apart
    assert [c["name"] for c in report["seen_at_runtime"]] == ["Estimation::AnalysisWorker"]
    assert report["seen_at_runtime"][0]["runtime_detail"]["count"] == 1
    rt = report["runtime"]
    assert rt["window"] == {"first": "2026-08-01T03:00:00Z", "last": "2026-10-30T23:59:59Z", "days": 91}
    assert rt["files"][2] == "<stdin>"
    assert rt["lines_matched"] == {"rails": 93, "rake": 182, "sidekiq": 553}


def test_log_matching_nothing_is_a_warning_not_an_error(tmp_path):
    junk = tmp_path / "junk.log"
    junk.write_bytes(b"\xff\xfe garbage\nnothing to see\n")
    proc = run("scan", APP, "--format", "json", "--no-cache", "--runtime-log", str(junk))
    assert proc.returncode == 0
    assert f"runtime log {junk}: no line matched a known format" in proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["runtime"]["warnings"] == [f"runtime log {junk}: no line matched a known format"]
    # a log that says nothing about jobs changes no verdict
    assert all(c["runtime"] is None for c in report["candidates"])


def test_unreadable_log_is_usage_error():
    proc = run("scan", APP, "--runtime-log", "/nonexistent/x.log")
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == \
        "deadcode: error: cannot read runtime log /nonexistent/x.log: No such file or directory"
