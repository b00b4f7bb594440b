"""Tests for deadcode.runtime: streaming parsing of runtime log exports."""

from __future__ import annotations

import gzip
import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deadcode import runtime
from deadcode.runtime import (
    Observation,
    RuntimeLog,
    RuntimeLogError,
    read_runtime_logs,
)

LOGS = Path(__file__).parent / "data" / "logs"


def log_path(name: str) -> str:
    return str(LOGS / name)


def obs_table(log: RuntimeLog) -> dict[tuple[str, str], tuple]:
    """(kind, name) -> (count, first_seen, last_seen, sources)."""
    return {
        key: (o.count, o.first_seen, o.last_seen, o.sources)
        for key, o in log.observations.items()
    }


def window(log: RuntimeLog) -> tuple:
    return (log.window_first, log.window_last, log.window_days)


# ---------------------------------------------------------------------------
# One sample file per format
# ---------------------------------------------------------------------------

def test_sidekiq_default_logger():
    log = read_runtime_logs([log_path("sidekiq.log")])
    assert obs_table(log) == {
        # two start lines (its fail/done and context lines do not add)
        ("job", "Billing::ReconcileWorker"):
            (2, "2024-05-01T11:30:00Z", "2024-05-01T11:35:01Z", ["sidekiq"]),
        ("job", "HardWorker"):
            (1, "2024-05-01T10:00:01Z", "2024-05-01T10:00:02Z", ["sidekiq"]),
        # ActiveJob wrapper: wrapped= names the job
        ("job", "InvoiceMailerJob"):
            (1, "2024-05-02T09:00:00Z", "2024-05-02T09:00:00Z", ["sidekiq"]),
        # only "done" lines in the window: those are counted
        ("job", "NightlyDigestWorker"):
            (2, "2024-05-01T09:59:59Z", "2024-05-03T02:00:00Z", ["sidekiq"]),
    }
    assert log.lines_read == 20
    assert log.lines_matched == {"sidekiq": 12}
    assert log.lines_unmatched == 8
    assert window(log) == ("2024-05-01T09:59:59Z", "2024-05-03T02:00:00Z", 2)
    assert log.observed_kinds == {"job"}
    assert log.warnings == []
    assert ("job", "ActiveJob::QueueAdapters::SidekiqAdapter::JobWrapper") not in log.observations


def test_sidekiq_legacy_tid_jid_style():
    log = read_runtime_logs([log_path("sidekiq_legacy.log")])
    assert obs_table(log) == {
        ("job", "HardWorker"):
            (1, "2019-03-04T08:15:01Z", "2019-03-04T08:15:02Z", ["sidekiq"]),
        ("job", "Legacy::ExportWorker"):
            (2, "2019-03-04T08:20:00Z", "2019-03-05T08:20:00Z", ["sidekiq"]),
    }
    assert log.lines_matched == {"sidekiq": 5}
    assert (log.lines_read, log.lines_unmatched) == (10, 5)
    assert window(log) == ("2019-03-04T08:15:01Z", "2019-03-05T08:20:00Z", 2)


def test_sidekiq_json_formatter():
    log = read_runtime_logs([log_path("sidekiq_json.log")])
    assert obs_table(log) == {
        ("job", "CleanupWorker"):
            (1, "2024-05-04T07:00:00Z", "2024-05-04T07:00:00Z", ["sidekiq_json"]),
        # the last start line has a `docker compose logs` prefix
        ("job", "HardWorker"):
            (3, "2024-05-01T10:00:01Z", "2024-05-04T08:00:00Z", ["sidekiq_json"]),
        ("job", "Reports::WeeklyJob"):
            (1, "2024-05-04T06:00:00Z", "2024-05-04T06:00:04Z", ["sidekiq_json"]),
    }
    # the malformed BrokenWorker line and the two context-free lines
    assert ("job", "BrokenWorker") not in log.observations
    assert log.lines_matched == {"sidekiq_json": 9}
    assert (log.lines_read, log.lines_unmatched) == (12, 3)
    assert window(log) == ("2024-05-01T10:00:01Z", "2024-05-04T08:00:00Z", 3)


def test_activejob_performing_performed():
    log = read_runtime_logs([log_path("activejob.log")])
    assert obs_table(log) == {
        ("job", "Billing::ChargeJob"):
            (1, "2024-05-02T11:00:00", "2024-05-02T11:00:00", ["activejob"]),
        ("job", "InvoiceMailerJob"):
            (2, "2024-05-01T10:00:01", "2024-05-02T10:00:01", ["activejob"]),
        # only a Performed line: counted as the fallback
        ("job", "Reports::ExportJob"):
            (1, "2024-05-03T00:00:07", "2024-05-03T00:00:07", ["activejob"]),
        ("job", "Sync::PullJob"):
            (1, "2024-05-03T00:10:00", "2024-05-03T00:10:00", ["activejob"]),
    }
    # "Enqueued ..." is not an execution
    assert log.lines_matched == {"activejob": 8}
    assert (log.lines_read, log.lines_unmatched) == (13, 5)
    # Rails logger timestamps carry no zone: kept as written
    assert window(log) == ("2024-05-01T10:00:01", "2024-05-03T00:10:00", 2)


def test_rails_request_log_with_tags_and_stack_traces():
    log = read_runtime_logs([log_path("rails_production.log")])
    assert obs_table(log) == {
        ("action", "Admin::UsersController#index"):
            (1, "2024-05-02T08:15:30", "2024-05-02T08:15:30", ["rails"]),
        ("action", "Api::V1::StatusController#ping?"):
            (1, "2024-05-03T06:00:00Z", "2024-05-03T06:00:00Z", ["rails"]),
        ("action", "InvoicesController#show"):
            (2, "2024-05-01T10:00:00", "2024-05-03T07:59:59", ["rails"]),
        ("action", "PaymentsController#create"):
            (1, "2024-05-02T12:00:00", "2024-05-02T12:00:00", ["rails"]),
    }
    assert log.lines_matched == {"rails": 5}
    assert (log.lines_read, log.lines_unmatched) == (32, 27)
    assert log.observed_kinds == {"action"}
    # `bin/rails server --help` in the boot banner is not a rake task
    assert not any(k == "rake_task" for k, _ in log.observations)


def test_lograge_key_value():
    log = read_runtime_logs([log_path("lograge.log")])
    assert obs_table(log) == {
        ("action", "Admin::UsersController#create"):
            (1, "2024-05-01T10:00:05", "2024-05-01T10:00:05", ["lograge"]),
        ("action", "InvoicesController#show"):
            (2, "2024-05-01T10:00:00", "2024-05-02T23:59:59", ["lograge"]),
        ("action", "Rails::HealthController#show"):
            (1, "2024-05-03T00:00:00", "2024-05-03T00:00:00", ["lograge"]),
        ("action", "SessionsController#destroy"):
            (1, "2024-05-03T00:00:01", "2024-05-03T00:00:01", ["lograge"]),
    }
    assert log.lines_matched == {"lograge": 5}
    assert (log.lines_read, log.lines_unmatched) == (7, 2)
    assert window(log) == ("2024-05-01T10:00:00", "2024-05-03T00:00:01", 2)


def test_lograge_json_with_offsets():
    log = read_runtime_logs([log_path("lograge_json.log")])
    assert obs_table(log) == {
        # lograge JSON written through the Rails logger (prefix, no time field)
        ("action", "Admin::UsersController#index"):
            (1, "2024-05-02T08:00:00", "2024-05-02T08:00:00", ["lograge_json"]),
        ("action", "Api::V1::OrdersController#update"):
            (1, "2024-05-01T10:05:00Z", "2024-05-01T10:05:00Z", ["lograge_json"]),
        # +02:00 and -04:00 converted to UTC
        ("action", "InvoicesController#show"):
            (2, "2024-05-01T10:00:00Z", "2024-05-05T13:30:00Z", ["lograge_json"]),
        # no time field: counted, no timestamp
        ("action", "Rails::HealthController#show"): (1, None, None, ["lograge_json"]),
    }
    assert ("action", "BrokenController#show") not in log.observations
    assert log.lines_matched == {"lograge_json": 5}
    assert (log.lines_read, log.lines_unmatched) == (7, 2)
    assert window(log) == ("2024-05-01T10:00:00Z", "2024-05-05T13:30:00Z", 5)


def test_rake_invocations_and_ecs_commands():
    log = read_runtime_logs([log_path("ecs_rake.log")])
    assert obs_table(log) == {
        # cron line has a syslog date only (no ISO timestamp)
        ("rake_task", "billing:reconcile"):
            (2, "2024-05-01T04:00:00Z", "2024-05-01T04:00:00Z", ["rake"]),
        ("rake_task", "cleanup:sessions"):
            (1, "2024-05-04T01:00:00Z", "2024-05-04T01:00:00Z", ["rake"]),
        ("rake_task", "db:migrate"):
            (1, "2024-05-02T06:00:00Z", "2024-05-02T06:00:00Z", ["rake"]),
        ("rake_task", "reports:nightly"):
            (1, "2024-05-03T02:00:01Z", "2024-05-03T02:00:01Z", ["rake"]),
        ("rake_task", "tasks:dispatch"):
            (4, "2024-05-01T02:00:00Z", "2024-05-03T02:00:00Z", ["rake"]),
        ("task_arg", "2024"): (1, None, None, ["rake"]),
        ("task_arg", "estimate_v2"):
            (4, "2024-05-01T02:00:00Z", "2024-05-03T02:00:00Z", ["rake"]),
        ("task_arg", "refresh_totals"):
            (1, "2024-05-02T02:00:00Z", "2024-05-02T02:00:00Z", ["rake"]),
    }
    # rails server / rails console / "rake aborted!" / rake gem stack frames
    assert log.lines_matched == {"rake": 9}
    assert (log.lines_read, log.lines_unmatched) == (14, 5)
    assert log.observed_kinds == {"rake_task", "task_arg"}
    assert window(log) == ("2024-05-01T02:00:00Z", "2024-05-04T01:00:00Z", 3)


def test_csv_export():
    log = read_runtime_logs([log_path("export.csv")])
    assert obs_table(log) == {
        ("action", "InvoicesController#show"):
            (9001, "2024-05-03T23:59:59Z", "2024-05-03T23:59:59Z", ["csv"]),
        ("job", "Billing::ReconcileWorker"):
            (4, "2024-05-02T11:35:01", "2024-05-02T11:35:01", ["csv"]),
        ("job", "HardWorker"):
            (120, "2024-05-03T10:00:00Z", "2024-05-03T10:00:00Z", ["csv"]),
        # empty count defaults to 1
        ("job", "OrphanJob"): (1, None, None, ["csv"]),
        # a date-only last_seen
        ("rake_task", "billing:reconcile"):
            (30, "2024-05-03T00:00:00", "2024-05-03T00:00:00", ["csv"]),
        ("rake_task", "tasks:dispatch"):
            (2, "2024-05-01T02:00:00Z", "2024-05-01T02:00:00Z", ["csv"]),
        ("task_arg", "estimate_v3"):
            (2, "2024-05-01T02:00:00Z", "2024-05-01T02:00:00Z", ["csv"]),
    }
    # count 0 row: recognised but not an observation
    assert ("action", "Admin::UsersController#destroy") not in log.observations
    # header + 7 rows matched; "something weird" is not a recognisable name
    assert log.lines_matched == {"csv": 8}
    assert (log.lines_read, log.lines_unmatched) == (9, 1)
    assert log.observed_kinds == {"job", "action", "rake_task", "task_arg"}
    assert window(log) == ("2024-05-01T02:00:00Z", "2024-05-03T23:59:59Z", 3)
    assert log.warnings == []


def test_csv_other_columns_kind_and_delimiter(tmp_path):
    p = tmp_path / "export.tsv"
    p.write_text(
        "\ufeffkind\tNAME\tcount\tfirst_seen\tlast_seen\n"
        "task_arg\testimate_v2\t7\t2024-05-01T00:00:00Z\t2024-05-09T00:00:00Z\n"
        "job\t::Billing::X\t1e3\t\t2024-05-02T00:00:00+01:00\n"
        "\tops:run[Nightly_Export]\t\"1,500\"\t\t\n"
    )
    log = read_runtime_logs([str(p)])
    assert obs_table(log) == {
        ("job", "Billing::X"): (1000, "2024-05-01T23:00:00Z", "2024-05-01T23:00:00Z", ["csv"]),
        ("rake_task", "ops:run"): (1500, None, None, ["csv"]),
        ("task_arg", "Nightly_Export"): (1500, None, None, ["csv"]),
        ("task_arg", "estimate_v2"): (7, "2024-05-01T00:00:00Z", "2024-05-09T00:00:00Z", ["csv"]),
    }
    assert window(log) == ("2024-05-01T00:00:00Z", "2024-05-09T00:00:00Z", 8)


def test_csv_header_only_warns(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("name,count,last_seen\n")
    log = read_runtime_logs([str(p)])
    assert log.observations == {}
    assert log.warnings == [f"runtime log {p}: no CSV row named a job, action or rake task"]


def test_noise_invalid_utf8_nul_and_truncated_last_line():
    raw = (LOGS / "noise.log").read_bytes()
    assert not raw.endswith(b"\n") and b"\xff" in raw and b"\x00" in raw
    log = read_runtime_logs([log_path("noise.log")])
    assert obs_table(log) == {
        ("action", "PagesController#home"):
            (1, "2024-05-06T01:00:01", "2024-05-06T01:00:01", ["rails"]),
        ("job", "HardWorker"):
            (1, "2024-05-06T00:00:01Z", "2024-05-06T00:00:01Z", ["sidekiq"]),
    }
    assert log.lines_matched == {"sidekiq": 1, "rails": 1}
    assert (log.lines_read, log.lines_unmatched) == (11, 9)
    assert window(log) == ("2024-05-06T00:00:01Z", "2024-05-06T01:00:01", 1)
    assert log.warnings == []


def test_no_match_warns_with_file_name():
    path = log_path("nginx_access.log")
    log = read_runtime_logs([path])
    assert log.observations == {}
    assert log.warnings == [f"runtime log {path}: no line matched a known format"]
    assert (log.lines_read, log.lines_matched, log.lines_unmatched) == (3, {}, 3)
    assert window(log) == (None, None, None)
    assert log.observed_kinds == set()


def test_empty_file_warns(tmp_path):
    p = tmp_path / "empty.log"
    p.write_bytes(b"")
    log = read_runtime_logs([str(p)])
    assert log.warnings == [f"runtime log {p}: no line matched a known format (empty file)"]
    assert log.lines_read == 0


# ---------------------------------------------------------------------------
# gzip, stdin, several files
# ---------------------------------------------------------------------------

def test_gzip_equals_plain():
    plain = read_runtime_logs([log_path("lograge.log")])
    gz = read_runtime_logs([log_path("lograge.log.gz")])
    assert obs_table(gz) == obs_table(plain)
    assert gz.lines_matched == {"lograge": 5}
    assert gz.files == [log_path("lograge.log.gz")]
    assert window(gz) == window(plain)


def test_stdin_plain_and_gzip():
    data = (LOGS / "sidekiq.log").read_bytes()
    expected = obs_table(read_runtime_logs([log_path("sidekiq.log")]))
    log = read_runtime_logs(["-"], stdin=io.BytesIO(data))
    assert obs_table(log) == expected
    assert log.files == ["<stdin>"]
    zipped = read_runtime_logs(["-"], stdin=io.BytesIO(gzip.compress(data)))
    assert obs_table(zipped) == expected
    assert zipped.lines_read == 20


def test_stdin_nothing_matched_warning():
    log = read_runtime_logs(["-"], stdin=io.BytesIO(b"hello\nworld\n"))
    assert log.warnings == ["runtime log <stdin>: no line matched a known format"]


def test_several_files_merge_counts_and_sources():
    paths = [log_path(n) for n in ("sidekiq.log", "sidekiq_legacy.log", "activejob.log",
                                   "export.csv", "nginx_access.log")]
    log = read_runtime_logs(paths)
    t = obs_table(log)
    # same format in two files: counts add up (1 + 1)
    assert ("job", "HardWorker") in t
    # ...but across formats the largest per-format count wins: csv says 120
    assert t[("job", "HardWorker")] == (
        120, "2019-03-04T08:15:01Z", "2024-05-03T10:00:00Z", ["csv", "sidekiq"])
    # sidekiq wrapper (1 start) and ActiveJob (2 Performing): max, not sum
    assert t[("job", "InvoiceMailerJob")] == (
        2, "2024-05-01T10:00:01", "2024-05-02T10:00:01", ["activejob", "sidekiq"])
    assert t[("job", "Billing::ReconcileWorker")] == (
        4, "2024-05-01T11:30:00Z", "2024-05-02T11:35:01", ["csv", "sidekiq"])
    assert log.files == paths
    assert log.lines_read == 20 + 10 + 13 + 9 + 3
    assert log.lines_matched == {"sidekiq": 17, "activejob": 8, "csv": 8}
    assert log.lines_unmatched == log.lines_read - 33
    assert log.warnings == [f"runtime log {paths[-1]}: no line matched a known format"]
    assert window(log) == ("2019-03-04T08:15:01Z", "2024-05-03T23:59:59Z", 1888)
    assert log.observed_kinds == {"job", "action", "rake_task", "task_arg"}


def test_same_format_counts_add_across_files():
    log = read_runtime_logs([log_path("sidekiq.log"), log_path("sidekiq_legacy.log")])
    assert obs_table(log)[("job", "HardWorker")] == (
        2, "2019-03-04T08:15:01Z", "2024-05-01T10:00:02Z", ["sidekiq"])


def test_to_dict_shape():
    log = read_runtime_logs([log_path("lograge.log"), log_path("nginx_access.log")])
    assert log.to_dict() == {
        "files": [log_path("lograge.log"), log_path("nginx_access.log")],
        "lines_read": 10,
        "lines_matched": {"lograge": 5},
        "lines_unmatched": 5,
        "window": {"first": "2024-05-01T10:00:00", "last": "2024-05-03T00:00:01", "days": 2},
        "warnings": [f"runtime log {log_path('nginx_access.log')}: no line matched a known format"],
        "set_aside": [],
    }
    obs = log.observations[("action", "InvoicesController#show")]
    assert isinstance(obs, Observation)
    assert obs.to_dict() == {"kind": "action", "name": "InvoicesController#show", "count": 2,
                             "first_seen": "2024-05-01T10:00:00",
                             "last_seen": "2024-05-02T23:59:59", "sources": ["lograge"]}


def test_crlf_line_endings(tmp_path):
    p = tmp_path / "crlf.log"
    p.write_bytes((LOGS / "sidekiq.log").read_bytes().replace(b"\n", b"\r\n"))
    assert obs_table(read_runtime_logs([str(p)])) == obs_table(
        read_runtime_logs([log_path("sidekiq.log")]))


def test_progress_callback_reports_bytes_and_total(tmp_path):
    calls = []
    paths = [log_path("sidekiq.log"), log_path("lograge.log.gz")]
    total = sum(os.path.getsize(p) for p in paths)
    read_runtime_logs(paths, progress=lambda done, tot: calls.append((done, tot)))
    assert calls[-1] == (total, total)
    assert all(t == total and 0 <= d <= total for d, t in calls)
    assert len(calls) <= 4   # throttled: these files take far less than 0.1 s

    calls.clear()
    data = (LOGS / "lograge.log").read_bytes()
    read_runtime_logs(["-"], stdin=io.BytesIO(data), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (len(data), None)


def test_library_does_not_print(capsys):
    read_runtime_logs([log_path(n) for n in os.listdir(LOGS)])
    out, err = capsys.readouterr()
    assert (out, err) == ("", "")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

def test_missing_file_error(tmp_path):
    missing = str(tmp_path / "nope.log")
    with pytest.raises(RuntimeLogError) as exc:
        read_runtime_logs([log_path("sidekiq.log"), missing])
    assert str(exc.value) == f"cannot read runtime log {missing}: No such file or directory"


def test_directory_error(tmp_path):
    with pytest.raises(RuntimeLogError) as exc:
        read_runtime_logs([str(tmp_path)])
    assert str(exc.value) == f"cannot read runtime log {tmp_path}: Is a directory"


def _corrupt_variants(tmp_path) -> list[str]:
    good = gzip.compress((LOGS / "rails_production.log").read_bytes() * 50, mtime=0)
    not_gzip = tmp_path / "plain.log.gz"
    not_gzip.write_bytes((LOGS / "sidekiq.log").read_bytes())
    truncated = tmp_path / "truncated.log.gz"
    truncated.write_bytes(good[: len(good) // 2])
    flipped = bytearray(good)
    for i in range(len(good) // 3, len(good) // 3 + 40):
        flipped[i] ^= 0x5A
    corrupt = tmp_path / "corrupt.log.gz"
    corrupt.write_bytes(bytes(flipped))
    bad_crc = bytearray(good)
    bad_crc[-8] ^= 0xFF
    crc = tmp_path / "crc.log.gz"
    crc.write_bytes(bytes(bad_crc))
    return [str(not_gzip), str(truncated), str(corrupt), str(crc)]


def test_corrupt_gzip_errors(tmp_path):
    for path in _corrupt_variants(tmp_path):
        with pytest.raises(RuntimeLogError) as exc:
            read_runtime_logs([path])
        assert str(exc.value) == f"cannot read runtime log {path}: not a valid gzip file"


def test_corrupt_gzip_on_stdin(tmp_path):
    good = gzip.compress((LOGS / "sidekiq.log").read_bytes())
    with pytest.raises(RuntimeLogError) as exc:
        read_runtime_logs(["-"], stdin=io.BytesIO(good[:-12]))
    assert str(exc.value) == "cannot read runtime log <stdin>: not a valid gzip file"


def test_error_messages_are_one_line(tmp_path):
    paths = [str(tmp_path / "nope.log"), str(tmp_path)] + _corrupt_variants(tmp_path)
    for path in paths:
        with pytest.raises(RuntimeLogError) as exc:
            read_runtime_logs([path])
        message = str(exc.value)
        assert "\n" not in message and message.startswith(f"cannot read runtime log {path}: ")


def test_progress_errors_are_not_read_errors(tmp_path):
    def boom(done, total):
        raise BrokenPipeError("stderr closed")
    with pytest.raises(BrokenPipeError):
        read_runtime_logs([log_path("sidekiq.log")], progress=boom)


# ---------------------------------------------------------------------------
# Long lines and chunk boundaries
# ---------------------------------------------------------------------------

def test_overlong_line_is_skipped_and_counted(tmp_path):
    start = b"2024-05-01T10:00:00.000Z pid=1 tid=a class=HardWorker jid=abc INFO: start\n"
    huge = b"2024-05-01T10:00:00.000Z pid=1 tid=a class=HugeWorker jid=abc INFO: start " \
        + b"x" * (3 * 1024 * 1024) + b"\n"
    p = tmp_path / "long.log"
    p.write_bytes(start + huge + start + huge[:-1])     # last one has no newline
    log = read_runtime_logs([str(p)])
    assert obs_table(log) == {
        ("job", "HardWorker"): (2, "2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z", ["sidekiq"]),
    }
    assert (log.lines_read, log.lines_unmatched) == (4, 2)


def test_line_just_over_the_limit_inside_a_block(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "MAX_LINE_BYTES", 100)
    monkeypatch.setattr(runtime, "_CHUNK", 1000)
    ok = b"I, [2024-05-01T10:00:00.0 #1]  INFO -- : Processing by AController#a as HTML\n"
    long = b"I, [2024-05-01T10:00:00.0 #1]  INFO -- : Processing by BController#b as HTML " \
        + b"y" * 30 + b"\n"
    assert len(ok) <= 100 < len(long)
    p = tmp_path / "mixed.log"
    p.write_bytes((ok + long) * 20)
    log = read_runtime_logs([str(p)])
    assert set(log.observations) == {("action", "AController#a")}
    assert log.observations[("action", "AController#a")].count == 20
    assert (log.lines_read, log.lines_unmatched) == (40, 20)


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 333])
def test_results_do_not_depend_on_chunk_size(monkeypatch, chunk):
    names = sorted(os.listdir(LOGS))
    paths = [log_path(n) for n in names]
    expected = read_runtime_logs(paths)
    monkeypatch.setattr(runtime, "_CHUNK", chunk)
    got = read_runtime_logs(paths)
    assert obs_table(got) == obs_table(expected)
    assert got.to_dict() == expected.to_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(
        st.one_of(
            st.binary(max_size=60),
            st.sampled_from([
                b"2024-05-01T10:00:00.1Z pid=1 tid=x class=A::B jid=1 INFO: start",
                b"{\"ts\":\"2024-05-01T10:00:00Z\",\"msg\":\"start\",\"ctx\":{\"class\":\"J\"}}",
                b"{\"controller\":\"C\",\"action\":\"a\"",
                b"Processing by X#y as HTML", b"controller=X action=y",
                b"Performing J (Job ID: 1) from Async", b"rake a:b[c,d] TASK=e",
                b"\"command\":[\"rake\",\"x:y[z]\"]", b"\xff\xfe\x00", b"", b"\r",
                b"rails", b"rake", b"class= jid=", b"JID-", b"name,count",
            ]),
        ),
        max_size=30,
    ),
    chunk=st.integers(min_value=1, max_value=50),
    limit=st.integers(min_value=1, max_value=200),
)
def test_arbitrary_bytes_never_crash(data, chunk, limit):
    blob = b"\n".join(data)
    old = runtime._CHUNK, runtime.MAX_LINE_BYTES
    runtime._CHUNK, runtime.MAX_LINE_BYTES = chunk, limit
    try:
        log = read_runtime_logs(["-"], stdin=io.BytesIO(blob))
    except RuntimeLogError as exc:
        # stdin that starts with the gzip magic is decompressed: junk after
        # it is a corrupt gzip stream, the one error allowed here
        assert blob[:2] == b"\x1f\x8b"
        assert str(exc) == "cannot read runtime log <stdin>: not a valid gzip file"
        return
    finally:
        runtime._CHUNK, runtime.MAX_LINE_BYTES = old
    physical = blob.count(b"\n") + (1 if blob and not blob.endswith(b"\n") else 0)
    assert log.lines_read == physical
    assert log.lines_read == sum(log.lines_matched.values()) + log.lines_unmatched
    assert log.lines_unmatched >= 0
    for (kind, name), o in log.observations.items():
        assert kind in runtime.KINDS and o.name == name and o.count >= 1
        assert o.sources == sorted(o.sources)
    if log.window_first is not None:
        assert log.window_days >= 1

    # Same observations as a naive whole-buffer split (no streaming).
    pieces = blob.split(b"\n")
    if blob.endswith(b"\n") or not blob:
        pieces.pop()
    lines = []
    for piece in pieces:
        if len(piece) > limit:
            lines.append("")
            continue
        text = piece.decode("utf-8", "replace")
        lines.append(text[:-1] if text.endswith("\r") else text)
    if lines and runtime._csv_header(lines[0]) is not None:
        return
    ref = runtime._Aggregator()
    ref.feed_lines(lines)
    assert obs_table(log) == {k: (o.count, o.first_seen, o.last_seen, o.sources)
                              for k, o in ref.result()[0].items()}


# ---------------------------------------------------------------------------
# Unit: rake command lines and timestamps
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("line,expected", [
    ("rake billing:reconcile", [("rake_task", "billing:reconcile")]),
    ("bundle exec rake billing:reconcile[2024]",
     [("rake_task", "billing:reconcile"), ("task_arg", "2024")]),
    ("bin/rails billing:reconcile", [("rake_task", "billing:reconcile")]),
    ("rails billing:reconcile", [("rake_task", "billing:reconcile")]),
    ("bin/rake cleanup", [("rake_task", "cleanup")]),
    ("rails db:migrate", [("rake_task", "db:migrate")]),
    ("rake ns:sub:task", [("rake_task", "ns:sub:task")]),
    ('"command": ["bundle","exec","rake","tasks:dispatch[estimate_v2]"]',
     [("rake_task", "tasks:dispatch"), ("task_arg", "estimate_v2")]),
    ('"command": ["rake", "tasks:dispatch[a, b]"]',
     [("rake_task", "tasks:dispatch"), ("task_arg", "a"), ("task_arg", "b")]),
    ("bundle exec rake tasks:dispatch TASK=estimate_v2",
     [("rake_task", "tasks:dispatch"), ("task_arg", "estimate_v2")]),
    ("rake --trace db:migrate db:seed VERSION=20240101",
     [("rake_task", "db:migrate"), ("rake_task", "db:seed")]),
    ("rake a:b && bin/rails c:d", [("rake_task", "a:b"), ("rake_task", "c:d")]),
    ("rails server", []),
    ("rails s -p 3000", []),
    ("rails console", []),
    ('rails runner "Foo.bar"', []),
    ("rails credentials:edit", []),
    ("rails test:system", []),
    ("rake aborted!", []),
    ("rake -T", []),
    ("running rake task now", []),
    ("/usr/local/bundle/gems/rake-13.1.0/lib/rake/task.rb:281:in `execute'", []),
    ("gems/railties-7.1.3/lib/rails/commands/server.rb:12", []),
    ("drake foo:bar", []),
])
def test_parse_rake(line, expected):
    assert runtime._parse_rake(line) == expected


@pytest.mark.parametrize("text,expected", [
    ("2024-05-01T10:00:00.123Z pid=1", "2024-05-01T10:00:00Z"),
    ("2024-05-01 10:00:00 +0000 web", "2024-05-01T10:00:00Z"),
    ("2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00Z"),
    ("2024-05-01T01:30:00-05:30", "2024-05-01T07:00:00Z"),
    ("2024-05-01T23:30:00-0100", "2024-05-02T00:30:00Z"),
    ("I, [2024-05-01T10:00:00.123456 #123]  INFO -- :", "2024-05-01T10:00:00"),
    ("2024-05-01 10:00:00 something", "2024-05-01T10:00:00"),
    ("at 2024-05-01 10:00:00 UTC", "2024-05-01T10:00:00Z"),
    ("first 2024-05-01T10:00:00Z then 2024-06-01T10:00:00Z", "2024-05-01T10:00:00Z"),
    ("May  1 10:00:00 host cron", None),
    ("no time here", None),
])
def test_timestamp_normalisation(text, expected):
    assert runtime._timestamp(text) == expected


def test_sample_gzip_matches_its_source():
    assert gzip.decompress((LOGS / "lograge.log.gz").read_bytes()) == \
        (LOGS / "lograge.log").read_bytes()


def test_file_names_with_gz_suffix_copy(tmp_path):
    # a .gz copy under another name is still decompressed transparently
    dst = tmp_path / "access.2024-05-01.gz"
    shutil.copy(LOGS / "lograge.log.gz", dst)
    assert read_runtime_logs([str(dst)]).lines_matched == {"lograge": 5}
