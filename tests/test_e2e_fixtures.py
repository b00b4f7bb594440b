"""End to end: the real CLI on each fixture app, compared with its expected verdicts."""

import glob
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = sorted(glob.glob(os.path.join(ROOT, "fixtures", "*.expected.json")))


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "deadcode", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: os.path.basename(p))
def test_fixture_matches_expected(expected_path, tmp_path):
    app = expected_path[: -len(".expected.json")]
    expected = json.load(open(expected_path))
    proc = run_cli("scan", app, "--format", "json", "--no-cache", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    got = sorted((c["kind"], c["name"], c["verdict"], c["confidence"]) for c in report["candidates"])
    want = sorted((c["kind"], c["name"], c["verdict"], c["confidence"]) for c in expected["candidates"])
    assert got == want
    reported = {c["name"] for c in report["candidates"]}
    assert [n for n in expected["live"] if n in reported] == []
    # every candidate carries its evidence
    for c in report["candidates"]:
        assert c["reasons"], c["id"]
        assert c["file"] and c["line"] >= 1


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: os.path.basename(p))
def test_json_is_byte_identical_across_runs_and_jobs(expected_path, tmp_path):
    app = expected_path[: -len(".expected.json")]
    cache = str(tmp_path / "cache")
    a = run_cli("scan", app, "--format", "json", "--no-cache", "--jobs", "1").stdout
    b = run_cli("scan", app, "--format", "json", "--cache-dir", cache, "--jobs", "2").stdout
    c = run_cli("scan", app, "--format", "json", "--cache-dir", cache, "--jobs", "2").stdout
    assert a == b == c
    assert json.loads(a)["schema_version"] == 1


def test_estimation_story_evidence():
    """The cleanup story: the pipeline is dead only through orphaned dispatch entries."""
    proc = run_cli("scan", os.path.join(ROOT, "fixtures", "estimation_app"), "--format", "json", "--no-cache")
    report = json.loads(proc.stdout)
    by_name = {c["name"]: c for c in report["candidates"]}
    entry = by_name["estimate_clair_v1"]
    assert entry["kind"] == "dispatch_entry" and entry["verdict"] == "orphaned_entry"
    fetch = by_name["Estimation::FetchWorker"]
    assert fetch["verdict"] == "dead_callers_only"
    assert any("estimate_clair_v1" in c for c in fetch["cluster"])
    assert by_name["estimation_analyses"]["kind"] == "table"
    assert report["summary"]["deletable_lines"] > 0


def test_text_report_lists_candidates_and_summary():
    proc = run_cli("scan", os.path.join(ROOT, "fixtures", "estimation_app"), "--no-cache")
    assert proc.returncode == 0
    out = proc.stdout
    assert out.startswith("15 candidates in estimation_app (high 2, medium 13); 357 lines would go\n")
    assert "medium  estimate_clair_v1 (dispatch_entry)  DC104 orphaned_entry\n" in out
    assert "\n(every reason and reference: --verbose, or deadcode explain NAME)\n" in out


def test_missing_path_is_usage_error():
    proc = run_cli("scan", "/nonexistent/deadcode-test")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["deadcode: error: path does not exist: /nonexistent/deadcode-test"]
