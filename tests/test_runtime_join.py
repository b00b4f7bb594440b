"""Static verdicts joined with runtime logs, on the estimation fixture app."""

import os

import pytest

from deadcode.classify import apply_runtime
from deadcode.runtime import read_runtime_logs
from deadcode.scan import ScanOptions, run_scan

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGS = [os.path.join(ROOT, "tests", "data", "runtime", n) for n in ("sidekiq.log", "production.log", "ecs.log")]


@pytest.fixture(scope="module")
def joined():
    result = run_scan(os.path.join(ROOT, "fixtures", "estimation_app"), ScanOptions(cache_dir="", jobs=1))
    log = read_runtime_logs(LOGS)
    return apply_runtime(result.index, result.graph, result.classification, log)


def test_joined_candidates(joined):
    got = {(c.definition.kind, c.definition.name, c.verdict, c.confidence, c.runtime)
           for c in joined.classification.candidates}
    assert got == {
        ("action", "InvoicesController#statement", "runtime_unseen", "medium", "unseen"),
        ("class", "Analytics::Report", "unreferenced", "high", None),
        ("class", "Estimation::CsvFetcher", "dead_callers_only", "medium", None),
        ("class", "TaxCalculator", "test_only", "high", None),
        ("dispatch_entry", "estimate_analysis", "orphaned_entry", "high", "unseen"),
        ("dispatch_entry", "estimate_clair_v1", "orphaned_entry", "high", "unseen"),
        ("dispatch_entry", "estimate_download", "orphaned_entry", "high", "unseen"),
        ("worker", "Estimation::DownloadWorker", "dead_callers_only", "high", "unseen"),
        ("worker", "Estimation::FetchWorker", "dead_callers_only", "high", "unseen"),
    }


def test_dead_but_seen_is_reported_apart_and_keeps_its_callees(joined):
    seen = {c.definition.name: c for c in joined.seen_at_runtime}
    assert list(seen) == ["Estimation::AnalysisWorker"]
    assert seen["Estimation::AnalysisWorker"].verdict == "seen_at_runtime"
    assert seen["Estimation::AnalysisWorker"].runtime_detail["count"] == 1
    assert seen["Estimation::AnalysisWorker"].runtime_detail["last_seen"] == "2026-09-15T03:00:00Z"
    names = {c.definition.name for c in joined.classification.candidates}
    # what the seen worker calls is live now
    assert not names & {"Estimation::Analyzer", "EstimationAnalysis", "estimation_analyses", "Archivable"}


def test_unseen_reason_names_the_window(joined):
    fetch = next(c for c in joined.classification.candidates if c.definition.name == "Estimation::FetchWorker")
    assert fetch.reasons[-1] == "not seen in 91 days of logs from 2026-08-01T03:00:00Z to 2026-10-30T23:59:59Z"
    statement = next(c for c in joined.classification.candidates
                     if c.definition.name == "InvoicesController#statement")
    assert statement.reasons[1] == "statically live through: config/routes.rb:8"


def test_log_without_job_lines_says_nothing_about_jobs():
    result = run_scan(os.path.join(ROOT, "fixtures", "estimation_app"), ScanOptions(cache_dir="", jobs=1))
    log = read_runtime_logs([LOGS[1]])   # request log only
    joined = apply_runtime(result.index, result.graph, result.classification, log)
    fetch = next(c for c in joined.classification.candidates if c.definition.name == "Estimation::FetchWorker")
    assert fetch.runtime is None and fetch.confidence == "medium"
