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


# ---------------------------------------------------------------------------
# a log from another app is set aside (issue #13)
# ---------------------------------------------------------------------------

def _sidekiq_log(path, classes, controllers=()):
    lines = []
    for i, name in enumerate(classes):
        lines.append(f"2026-09-0{1 + i % 9}T03:00:00.000Z pid=7 tid=t{i} class={name} "
                     f"jid={i:024d} INFO: start")
    for i, name in enumerate(controllers):
        lines.append(f"I, [2026-09-01T10:00:0{i % 10}.000000 #1]  INFO -- : "
                     f"Processing by {name}#index as HTML")
    path.write_text("\n".join(lines) + "\n")
    return str(path)


FOREIGN = [f"Shop::Order{n}Worker" for n in "ABCDEFGHIJ"]   # ten classes the app lacks


def _json_scan(*args):
    proc = run("scan", APP, "--format", "json", "--no-cache", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr.decode()


def _verdicts(report):
    return [(c["id"], c["verdict"], c["confidence"], c["runtime"]) for c in report["candidates"]]


def test_another_apps_log_is_set_aside_with_a_warning(tmp_path):
    other = _sidekiq_log(tmp_path / "other.log",
                         FOREIGN + ["ActionMailer::MailDeliveryJob"],   # a framework job: not judged
                         controllers=["Shop::CartsController", "Devise::SessionsController"])
    static, _ = _json_scan()
    report, stderr = _json_scan("--runtime-log", other)
    warning = (f"runtime log {other}: 0 of the 11 job classes, controllers and rake tasks it "
               f"names exist in this app (under 1 in 10): is it another app's log? Not used: "
               f"nothing counts as seen or unseen because of it (--force-runtime to use it).")
    assert f"deadcode: {warning}\n" in stderr
    assert report["runtime"]["warnings"] == [warning]
    assert report["runtime"]["set_aside"] == [{"file": other, "names": 11, "found": 0}]
    assert report["runtime"]["window"] == {"first": None, "last": None, "days": None}
    # nothing derived from it: the verdicts are the static ones
    assert _verdicts(report) == _verdicts(static)
    assert not any(c["verdict"] == "runtime_unseen" for c in report["candidates"])

    forced, stderr = _json_scan("--runtime-log", other, "--force-runtime")
    assert "is it another app's log? Used anyway (--force-runtime).\n" in stderr
    assert forced["runtime"]["set_aside"] == []
    unseen = [c["name"] for c in forced["candidates"] if c["verdict"] == "runtime_unseen"]
    assert "DigestWorker" in unseen and "Payments::ReconcileWorker" in unseen


def test_a_foreign_log_beside_a_real_one_changes_nothing(tmp_path):
    other = _sidekiq_log(tmp_path / "other.log", FOREIGN)
    real = os.path.join(LOGS, "sidekiq.log")
    alone, _ = _json_scan("--runtime-log", real)
    both, _ = _json_scan("--runtime-log", real, "--runtime-log", other)
    assert _verdicts(both) == _verdicts(alone)
    assert any(c["runtime"] == "unseen" for c in both["candidates"])
    assert [c["name"] for c in both["seen_at_runtime"]] == ["Estimation::AnalysisWorker"]
    assert both["runtime"]["window"] == alone["runtime"]["window"]
    assert both["runtime"]["set_aside"] == [{"file": other, "names": 10, "found": 0}]
    assert both["runtime"]["files"] == [real, other]


def test_one_in_ten_names_known_is_enough(tmp_path):
    # DigestWorker exists in the app: 1 of 10 is used, 1 of 11 is set aside
    used = _sidekiq_log(tmp_path / "ten.log", ["DigestWorker"] + FOREIGN[:9])
    report, stderr = _json_scan("--runtime-log", used)
    assert report["runtime"]["set_aside"] == [] and "another app" not in stderr
    assert any(c["verdict"] == "runtime_unseen" for c in report["candidates"])

    aside = _sidekiq_log(tmp_path / "eleven.log", ["DigestWorker"] + FOREIGN)
    report, _ = _json_scan("--runtime-log", aside)
    assert report["runtime"]["set_aside"] == [{"file": aside, "names": 11, "found": 1}]
    assert not any(c["runtime"] for c in report["candidates"])
