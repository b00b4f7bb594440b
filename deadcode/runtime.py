"""Streaming parser for runtime log exports (what actually ran in production).

``read_runtime_logs`` reads log files (plain, ``.gz`` or ``-`` for stdin) line
by line with bounded memory and aggregates what it sees into
``Observation`` records keyed by ``(kind, name)``:

========== ============================================== =====================
kind       name                                           seen in format(s)
========== ============================================== =====================
job        ``Billing::ReconcileWorker``, ``FooJob``        sidekiq, sidekiq_json,
                                                          activejob, csv
action     ``Admin::UsersController#index``               rails, lograge,
                                                          lograge_json, csv
rake_task  ``billing:reconcile``                          rake, csv
task_arg   ``estimate_v2`` (rake ``[args]`` / ``TASK=``)   rake, csv
========== ============================================== =====================

Formats are recognised per line with no configuration (cheap substring
pre-checks first, then one regex or ``json.loads``):

``sidekiq``
    Sidekiq's default logger, both the ``pid=1 tid=x class=HardWorker jid=..
    INFO: start`` style (``wrapped=FooJob`` wins over the ActiveJob wrapper
    class) and the older ``TID-x HardWorker JID-y INFO: start`` style.
``sidekiq_json``
    Sidekiq's JSON formatter (``{"ts":..,"msg":"start","ctx":{"class":..}}``),
    also after a logger or container prefix (``web-1  | {...}``).
``activejob``
    ``Performing FooJob (Job ID: ..)`` / ``Performed ..`` / ``Error performing ..``.
``rails``
    ``Processing by Admin::UsersController#index as JSON`` (any tag prefix).
``lograge`` / ``lograge_json``
    ``controller=X action=y`` key=value lines and lograge JSON lines (bare or
    behind the Rails logger prefix). Malformed JSON is unmatched.
``rake``
    ``rake ns:task``, ``bundle exec rake ns:task[a,b]``, ``bin/rails ns:task``,
    ``bin/rake ..``, ECS/EventBridge command arrays
    (``["bundle","exec","rake","tasks:dispatch[estimate_v2]"]``) and
    ``rake tasks:dispatch TASK=estimate_v2``.
``csv``
    A file whose first line is a CSV header with a ``name`` column (optional
    ``count``, ``first_seen``, ``last_seen``, ``kind``).

Counting rules
--------------
* Jobs are counted once per execution: a ``start`` line (Sidekiq) or a
  ``Performing`` line (ActiveJob). When a job has no such line in a format,
  its ``done``/``fail`` (``Performed``/``Error performing``) lines are counted
  instead, and failing those, any other line carrying its job context.
  The tiers are decided per (job, format) over all files.
* Everything else counts one per matching line (a command line naming the same
  task twice counts once).
* The same event is often logged by two formats (the Sidekiq wrapper and
  ActiveJob, a request log and lograge), so an observation's ``count`` is the
  *largest* per-format count, not their sum. Files of the same format add up.
* ``first_seen``/``last_seen`` and the window use every matched line of the
  thing (``done`` lines included). The timestamp of a line is the first one
  on it, normalised to ``YYYY-MM-DDTHH:MM:SSZ`` (UTC) when the offset is
  known, ``YYYY-MM-DDTHH:MM:SS`` as written otherwise.
* JSON lines take their timestamp from a ``ts``/``time``/``timestamp``/
  ``@timestamp`` field, else the first one on the line. CSV rows use their
  ``first_seen``/``last_seen`` cells (a date alone means midnight); a row
  with only one of them uses it for both.
* ``lines_read`` counts every physical line (blank ones too) and
  ``lines_read == sum(lines_matched.values()) + lines_unmatched``. A line is
  matched when it yields an observation; a CSV header line and CSV rows with
  ``count`` 0 are matched too. ``lines_matched`` lists only formats with at
  least one matched line, in ``FORMATS`` order.
* ``rake_task`` names come from the first task word after ``rake``/``rails``
  (``rails`` needs an ``ns:task`` word and skips Rails commands such as
  ``credentials:edit``); further ``ns:task`` words on the same command count
  too. ``task_arg`` names come from ``[a,b]`` task arguments and from
  ``TASK=``/``TASKS=``/``TASK_NAME=``/``JOB=``/``JOBS=``/``JOB_NAME=``/
  ``NAME=``/``ACTION=``/``COMMAND=`` environment arguments (comma-split).
* CSV names are classified by shape: ``#`` → action; lowercase with ``:``
  but no ``::`` → rake task (``[args]`` → task args); a constant path → job;
  anything else is an unmatched row. A ``kind`` (or ``type``) column, when
  present with one of ``KINDS``, wins over the shape.

Input handling: ``-`` reads ``stdin`` (binary; gzip is detected by its magic
bytes and shown as ``<stdin>``); ``*.gz`` files are decompressed; bytes are
decoded as UTF-8 with replacement; CRLF is accepted; a line longer than
``MAX_LINE_BYTES`` (1 MiB) is skipped while streaming (counted, unmatched).
Memory grows only with the number of distinct observed names.

This module never prints; problems with content become ``warnings``, and a
file that cannot be read (missing, unreadable, corrupt or truncated gzip)
raises ``RuntimeLogError`` with a one-line message.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import os
import re
import sys
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable, Iterator

__all__ = [
    "Observation", "RuntimeLog", "RuntimeLogError", "read_runtime_logs",
    "FORMATS", "KINDS", "MAX_LINE_BYTES",
]

# Format names, in the order ``lines_matched`` lists them.
FORMATS = ("sidekiq", "sidekiq_json", "activejob", "rails", "lograge",
           "lograge_json", "rake", "csv")
KINDS = ("job", "action", "rake_task", "task_arg")

MAX_LINE_BYTES = 1 << 20          # longer lines are skipped (counted unmatched)
_CHUNK = 1 << 20                  # read size
_PROGRESS_INTERVAL = 0.1          # seconds between progress callbacks
_STDIN_NAME = "<stdin>"


class RuntimeLogError(Exception):
    """A runtime log could not be read (missing, unreadable, corrupt gzip)."""


@dataclass
class Observation:
    kind: str
    name: str
    count: int
    first_seen: str | None
    last_seen: str | None
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "count": self.count,
                "first_seen": self.first_seen, "last_seen": self.last_seen,
                "sources": list(self.sources)}


@dataclass
class RuntimeLog:
    observations: dict[tuple[str, str], Observation] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    lines_read: int = 0
    lines_matched: dict[str, int] = field(default_factory=dict)
    lines_unmatched: int = 0
    observed_kinds: set[str] = field(default_factory=set)
    window_first: str | None = None
    window_last: str | None = None
    window_days: int | None = None
    warnings: list[str] = field(default_factory=list)
    # files not used for evidence (another app's log): {"file", "names", "found"}
    set_aside: list[dict] = field(default_factory=list)
    # (display name, aggregator) per file read, in order: what ``without`` recomputes from
    _parts: list = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {
            "files": list(self.files),
            "lines_read": self.lines_read,
            "lines_matched": dict(self.lines_matched),
            "lines_unmatched": self.lines_unmatched,
            "window": {"first": self.window_first, "last": self.window_last,
                       "days": self.window_days},
            "warnings": list(self.warnings),
            "set_aside": [dict(entry) for entry in self.set_aside],
        }

    def names_by_file(self) -> list[tuple[str, set[tuple[str, str]]]]:
        """Each file read, with the distinct (kind, name) pairs it observed."""
        return [(display, {(kind, name) for kind, name, _source in agg.recs})
                for display, agg in self._parts]

    def without(self, set_aside: list[dict]) -> "RuntimeLog":
        """This log with the files named in ``set_aside`` (entries ``{"file": ...}``)
        contributing no observations: nothing is seen, nor unseen, because of them.
        Line counts and ``files`` still cover every file read."""
        drop = {entry["file"] for entry in set_aside}
        log = RuntimeLog(files=list(self.files), warnings=list(self.warnings),
                         set_aside=[*self.set_aside, *set_aside], _parts=list(self._parts))
        _assemble(log, [agg for display, agg in self._parts if display not in drop])
        return log

    def get(self, kind: str, name: str) -> Observation | None:
        return self.observations.get((kind, name))


# ---------------------------------------------------------------------------
# Timestamps
# ---------------------------------------------------------------------------

_TS_RE = re.compile(
    r"(\d{4}-[01]\d-[0-3]\d)[T ]([0-2]\d:[0-5]\d:[0-6]\d)(?:[.,]\d+)?"
    r"(?: ?(Z\b|UTC\b|[+-][0-2]\d:?[0-5]\d))?"
)
_UTC_OFFSETS = frozenset(("Z", "UTC", "+00:00", "+0000", "-00:00", "-0000"))
_DATE_ONLY_RE = re.compile(r"\s*(\d{4}-[01]\d-[0-3]\d)\s*$")


@lru_cache(maxsize=4096)
def _shift_to_utc(date: str, clock: str, offset: str) -> str:
    try:
        local = datetime.fromisoformat(f"{date}T{clock}")
    except ValueError:
        return f"{date}T{clock}"
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    try:
        utc = local - sign * delta
    except OverflowError:
        return ""       # 9999-12-31T23:59:59-01:00: past the calendar; the line is skipped
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
            f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z")


def _timestamp(text: str, _search=_TS_RE.search, _utc=_UTC_OFFSETS) -> str | None:
    """First timestamp in ``text``, normalised; None when there is none, "" when it
    leaves the calendar shifted to UTC (the caller skips the line and counts it)."""
    m = _search(text)
    if m is None:
        return None
    date, clock, offset = m.groups()
    if offset is None:
        return f"{date}T{clock}"
    if offset in _utc:
        return f"{date}T{clock}Z"
    return _shift_to_utc(date, clock, offset)


# json.loads minus its Python-level wrapper (C scanner; checked for trailing
# garbage by the caller).
_JSON_SCAN = json.JSONDecoder().scan_once
_JSON_TIME_KEYS = ("ts", "time", "timestamp", "@timestamp", "datetime")


def _json_timestamp(obj: dict, line: str) -> str | None:
    """Timestamp of a JSON log line: its time field, else the first on the line."""
    for k in _JSON_TIME_KEYS:
        v = obj.get(k)
        if type(v) is str:
            ts = _timestamp(v)
            if ts is not None:
                return ts
    return _timestamp(line)


def _csv_timestamp(text: str) -> str | None:
    ts = _timestamp(text)
    if ts is None:
        m = _DATE_ONLY_RE.match(text)
        if m:
            ts = m.group(1) + "T00:00:00"
    return ts


def _parse_iso(ts: str) -> datetime | None:
    try:
        if ts.endswith("Z"):
            return datetime.fromisoformat(ts[:-1]).replace(tzinfo=timezone.utc)
        return datetime.fromisoformat(ts).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Line patterns
# ---------------------------------------------------------------------------

_CONST = r"(?:::)?[A-Za-z_]\w*(?:::\w+)*"
# Anchored matchers, applied at the position a substring search found.
_CONST_AT = re.compile(_CONST).match
_WORD_AT = re.compile(r"\w").match
_SPACE_IN = re.compile(r"\s").search


def _sk_old(line: str) -> tuple[str, int] | None:
    """(worker, end) of the first ``TID-<tid> <Worker> JID-<j>`` on the line: what
    ``re.search(r"TID-\\S+ (CONST) JID-\\w")`` finds, in linear time. That regex tried
    every ``TID-`` against the rest of the line: a line of ``TID-`` repeated took minutes.
    Here each `` JID-`` is checked backwards, and each check reads only the line since
    the previous one."""
    q = line.find(" JID-")
    while q >= 0:
        if _WORD_AT(line, q + 5):
            s2 = line.rfind(" ", 0, q) + 1            # the worker: the word before " JID-"
            if 1 < s2 < q and _VALID_CONST_RE.match(line, s2, q):
                lo = line.rfind(" ", 0, s2 - 1) + 1    # the tid word ends before line[s2-1]
                t = line.find("TID-", lo, s2 - 2)
                while t >= 0:
                    w = _SPACE_IN(line, t + 4, s2 - 1)   # the tid must run to the space
                    if w is None:
                        break
                    t = line.find("TID-", w.end(), s2 - 2)
                if t >= 0:
                    return line[s2:q], q + 6
        q = line.find(" JID-", q + 1)
    return None
_RAILS_AT = re.compile(r"(" + _CONST + r")#(\w+[!?]?)").match
_LOGRAGE_AT = re.compile(
    r"\"?(" + _CONST + r")\"?\s(?:.*?\s)?action=\"?(\w+[!?]?)").match
_VALID_CONST_RE = re.compile(_CONST + r"\Z")
_VALID_ACTION_RE = re.compile(r"\w+[!?]?\Z")

# A rake/rails command word: preceded by a separator (or line start) and
# followed by one, so paths like gems/rake-13.0/lib/rake/task.rb never match.
_RAKE_CMD_RE = re.compile(r"(?:(?<=[\s\"'\[,(;&|=/`\\])|^)(rake|rails)(?=[\s\"',\\])")
_SEP = r"[\s\"',\\]*"
_END = r"(?=[\s\"',\\\])]|$)"
_RAKE_TOKEN_RE = re.compile(
    _SEP + r"(?:"
    r"(?P<opt>--?[A-Za-z][\w-]*(?:=[^\s\"',\\]*)?)"
    r"|(?P<key>[A-Z][A-Z0-9_]*)=(?P<val>[^\s\"',\\\])]*(?:,[^\s\"',\\\])]+)*)"
    r"|(?P<task>[A-Za-z_][\w-]*(?::[\w-]+)*)(?:\[(?P<args>[^\]\"\\]*)\])?"
    r")" + _END
)
# Env-style arguments that name the thing a dispatcher task runs.
_ARG_KEYS = frozenset(("TASK", "TASKS", "TASK_NAME", "JOB", "JOBS", "JOB_NAME",
                       "NAME", "ACTION", "COMMAND"))
# Bare words after ``rake`` that are prose, not task names.
_RAKE_STOPWORDS = frozenset((
    "task", "tasks", "aborted", "and", "or", "the", "a", "an", "is", "was",
    "to", "in", "on", "at", "with", "for", "from", "of", "by", "command",
    "version", "help", "failed", "finished", "started", "exited",
))
# ``rails x:y`` forms that are Rails commands rather than rake tasks.
_RAILS_COMMAND_PREFIXES = ("credentials:", "secrets:", "encrypted:", "test:",
                           "dev:", "db:system:")


def _split_args(text: str) -> list[str]:
    out = []
    for part in text.split(","):
        part = part.strip().strip("'\"")
        if part:
            out.append(part)
    return out


def _parse_rake(line: str) -> list[tuple[str, str]]:
    """(kind, name) pairs for every rake invocation on the line."""
    found: list[tuple[str, str]] = []
    pos = 0
    n = len(line)
    search = _RAKE_CMD_RE.search
    token = _RAKE_TOKEN_RE.match
    while pos < n:
        m = search(line, pos)
        if m is None:
            break
        is_rails = m.group(1) == "rails"
        pos = m.end()
        have_task = False
        while True:
            t = token(line, pos)
            if t is None:
                break
            task = t.group("task")
            if task is not None:
                if not have_task:
                    if ":" not in task:
                        if is_rails or task in _RAKE_STOPWORDS:
                            break
                    elif is_rails and task.startswith(_RAILS_COMMAND_PREFIXES):
                        break
                elif ":" not in task:
                    break           # only ns:task words continue a task list
                have_task = True
                found.append(("rake_task", task))
                args = t.group("args")
                if args:
                    for arg in _split_args(args):
                        found.append(("task_arg", arg))
            elif t.group("key") is not None:
                if t.group("key") in _ARG_KEYS:
                    for arg in _split_args(t.group("val")):
                        found.append(("task_arg", arg))
            pos = t.end()
    return found


# ---------------------------------------------------------------------------
# CSV exports
# ---------------------------------------------------------------------------

_JOB_NAME_RE = re.compile(r"(?:::)?[A-Z]\w*(?:::[A-Z]\w*)*\Z")
_ACTION_NAME_RE = re.compile(r"(?:::)?([A-Za-z_]\w*(?:::\w+)*#\w+[!?]?)\Z")
_RAKE_NAME_RE = re.compile(r"([a-z0-9_][\w-]*(?::[\w-]+)+)(?:\[([^\]]*)\])?\Z")


class _CsvLayout:
    __slots__ = ("delimiter", "name", "count", "first", "last", "kind")

    def __init__(self, header: list[str], delimiter: str):
        cols = [c.strip().strip('"').lower() for c in header]
        self.delimiter = delimiter

        def find(*names: str) -> int | None:
            for n in names:
                if n in cols:
                    return cols.index(n)
            return None

        self.name = cols.index("name")
        self.count = find("count")
        self.first = find("first_seen", "first_seen_at")
        self.last = find("last_seen", "last_seen_at")
        self.kind = find("kind", "type")


def _csv_header(line: str) -> _CsvLayout | None:
    if "name" not in line.lower():
        return None
    line = line.lstrip("\ufeff")
    if "," in line:
        delimiter = ","
    elif "\t" in line:
        delimiter = "\t"
    elif ";" in line:
        delimiter = ";"
    else:
        delimiter = ","
    try:
        header = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    if "name" not in [c.strip().strip('"').lower() for c in header]:
        return None
    return _CsvLayout(header, delimiter)


def _classify(name: str, kind_hint: str) -> list[tuple[str, str]]:
    """(kind, name) pairs for one CSV ``name`` cell; [] when unrecognised."""
    name = name.strip()
    if not name:
        return []
    if kind_hint in KINDS:
        if kind_hint == "job" or kind_hint == "action":
            name = name.lstrip(":") if name.startswith("::") else name
        return [(kind_hint, name)]
    if "#" in name:
        m = _ACTION_NAME_RE.match(name)
        return [("action", m.group(1))] if m else []
    task = name.partition("[")[0]           # args may be any case
    if ":" in task and "::" not in task and task == task.lower():
        m = _RAKE_NAME_RE.match(name)
        if not m:
            return []
        out = [("rake_task", m.group(1))]
        if m.group(2):
            out.extend(("task_arg", a) for a in _split_args(m.group(2)))
        return out
    if _JOB_NAME_RE.match(name):
        return [("job", name[2:] if name.startswith("::") else name)]
    return []


# ---------------------------------------------------------------------------
# Byte streams → decoded blocks of whole lines
# ---------------------------------------------------------------------------

class _Prefixed:
    """A read()-able stream that first returns ``prefix`` (used to sniff stdin)."""

    def __init__(self, prefix: bytes, stream):
        self._prefix = prefix
        self._stream = stream
        self.consumed = len(prefix)

    def read(self, n: int = -1) -> bytes:
        if self._prefix:
            if n is None or n < 0:
                data = self._prefix + self._more(-1)
                self._prefix = b""
                return data
            data, self._prefix = self._prefix[:n], self._prefix[n:]
            return data
        return self._more(n)

    def _more(self, n: int) -> bytes:
        data = _read_bytes(self._stream, n)
        self.consumed += len(data)
        return data

    def tell(self) -> int:
        return self.consumed


def _read_bytes(stream, n: int) -> bytes:
    data = stream.read(n)
    if isinstance(data, str):           # a text stream was passed as stdin
        data = data.encode("utf-8", "surrogateescape")
    return data or b""


class _Counter:
    __slots__ = ("long_lines",)

    def __init__(self) -> None:
        self.long_lines = 0


def _blocks(read: Callable[[int], bytes], counter: _Counter,
            on_chunk: Callable[[], None]) -> Iterator[str]:
    """Decoded text blocks of whole lines ('\\n'-joined, no final newline).

    Memory stays bounded: a line longer than MAX_LINE_BYTES is dropped as it
    streams past (counted in ``counter.long_lines``) instead of being buffered.
    An overlong line found inside a block is replaced by an empty line, which
    the caller then counts as read and unmatched.
    """
    carry = b""
    skipping = False          # inside an overlong line, discarding to its end
    limit = MAX_LINE_BYTES
    while True:
        data = read(_CHUNK)
        if not data:
            break
        on_chunk()
        if skipping:
            nl = data.find(b"\n")
            if nl < 0:
                continue
            counter.long_lines += 1
            skipping = False
            data = data[nl + 1:]
            if not data:
                continue
        nl = data.rfind(b"\n")
        if nl < 0:
            carry += data
            if len(carry) > limit:
                carry = b""
                skipping = True
            continue
        block = carry + data[:nl] if carry else data[:nl]
        carry = data[nl + 1:]
        if len(carry) > limit:
            carry = b""
            skipping = True
        if len(block) > limit:
            # Only the first line (carry + head of this chunk) can be too
            # long unless a single chunk holds more than a line's limit.
            first = block.find(b"\n")
            if (first if first >= 0 else len(block)) > limit or _CHUNK > limit:
                parts = block.split(b"\n")
                if any(len(p) > limit for p in parts):
                    block = b"\n".join(b"" if len(p) > limit else p for p in parts)
        yield _decode(block)
    if skipping:
        counter.long_lines += 1
    elif carry:                # truncated last line (no final newline)
        yield _decode(carry)


def _decode(block: bytes) -> str:
    text = block.decode("utf-8", "replace")
    if "\r" in text:                    # CRLF files; the block's last line
        text = text.replace("\r\n", "\n")   # lost its "\n" already
        if text[-1:] == "\r":
            text = text[:-1]
    return text


# ---------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------

class _Aggregator:
    """Per-line matching and aggregation. ``recs`` maps (kind, name, source) to
    [tier0, tier1, tier2, first_ts, last_ts]."""

    _HIGH = "\uffff"

    def __init__(self) -> None:
        self.recs: dict[tuple[str, str, str], list] = {}
        self.matched = dict.fromkeys(FORMATS, 0)
        self.lines_read = 0
        self.kinds: set[str] = set()
        self.bad_timestamps = 0     # lines skipped: a timestamp out of range in UTC

    # -- generic log lines --------------------------------------------------

    def feed_lines(self, lines: list[str]) -> None:
        """Match each line against the known formats and aggregate.

        Hot loop: substring pre-checks select at most a few regex matches per
        line; everything is inlined and bound to locals for speed.
        """
        recs = self.recs
        high = self._HIGH
        ts_search = _TS_RE.search
        utc = _UTC_OFFSETS
        shift = _shift_to_utc
        const_at = _CONST_AT
        valid_const = _VALID_CONST_RE.match
        valid_action = _VALID_ACTION_RE.match
        sk_old = _sk_old
        rails_at = _RAILS_AT
        lograge_at = _LOGRAGE_AT
        scan = _JSON_SCAN
        json_ts = _json_timestamp
        parse_rake = _parse_rake
        n_sk = n_skj = n_aj = n_rails = n_lg = n_lgj = n_rake = 0
        bad = dict.fromkeys(FORMATS, 0)     # matched, then skipped for the timestamp

        def one_object(line: str, j: int):
            """The JSON object starting at ``j`` when it is the rest of the line, else None."""
            try:
                obj, end = scan(line, j)
            except (ValueError, StopIteration, RecursionError):
                return None
            if end != len(line) and not line[end:].isspace():
                return None     # trailing garbage: not one JSON object
            return obj

        for line in lines:
            key = None
            tier = 0
            ts = False                  # False: not computed yet
            # JSON: the whole line, or after a logger/container prefix
            j = 0 if line[:1] == "{" else line.find('{"')
            if j >= 0:
                if '"ctx"' in line and '"class"' in line:
                    obj = one_object(line, j)
                    if type(obj) is dict:
                        ctx = obj.get("ctx")
                        if type(ctx) is dict:
                            name = ctx.get("wrapped") or ctx.get("class")
                            if type(name) is str and valid_const(name):
                                msg = obj.get("msg")
                                tier = 0 if msg == "start" else (
                                    1 if msg == "done" or msg == "fail" else 2)
                                key = ("job", name.lstrip(":"), "sidekiq_json")
                                n_skj += 1
                                ts = json_ts(obj, line)
                elif '"controller"' in line and '"action"' in line:
                    obj = one_object(line, j)
                    if type(obj) is dict:
                        c = obj.get("controller")
                        a = obj.get("action")
                        if (type(c) is str and type(a) is str
                                and valid_const(c) and valid_action(a)):
                            key = ("action", c.lstrip(":") + "#" + a, "lograge_json")
                            n_lgj += 1
                            ts = json_ts(obj, line)
                if key is None and j == 0 and "rake" not in line and "rails" not in line:
                    continue    # other JSON; only a rake command could match
            if key is None:
                i = line.find("class=")
                if i >= 0 and (i == 0 or line[i - 1] == " ") and "jid=" in line:
                    m = const_at(line, i + 6)
                    if m is not None:
                        name = m.group()
                        if "wrapped=" in line:
                            w = const_at(line, line.find("wrapped=") + 8)
                            if w is not None:
                                name = w.group()
                        k = line.find(": ", line.find("jid="))
                        if k < 0:
                            tier = 2
                        else:
                            msg = line[k + 2:k + 7]
                            tier = 0 if msg == "start" else (
                                1 if msg[:4] == "done" or msg[:4] == "fail" else 2)
                        key = ("job", name.lstrip(":"), "sidekiq")
                        n_sk += 1
                elif " JID-" in line:
                    m = sk_old(line)
                    if m is not None:
                        k = line.find(": ", m[1])
                        if k < 0:
                            tier = 2
                        else:
                            msg = line[k + 2:k + 7]
                            tier = 0 if msg == "start" else (
                                1 if msg[:4] == "done" or msg[:4] == "fail" else 2)
                        key = ("job", m[0].lstrip(":"), "sidekiq")
                        n_sk += 1
                if key is None:
                    i = line.find("Processing by ")
                    if i >= 0:
                        m = rails_at(line, i + 14)
                        if m is not None:
                            key = ("action", m.group(1).lstrip(":") + "#" + m.group(2), "rails")
                            n_rails += 1
                if key is None:
                    i = line.find("controller=")
                    if i >= 0 and (i == 0 or line[i - 1] == " "):
                        m = lograge_at(line, i + 11)
                        if m is not None:
                            key = ("action", m.group(1).lstrip(":") + "#" + m.group(2), "lograge")
                            n_lg += 1
                if key is None:
                    i = line.find(" (Job ID: ")
                    if i > 0:
                        sp = line.rfind(" ", 0, i)      # before the job name
                        if sp > 0:
                            v = line.rfind(" ", 0, sp)  # before the verb
                            verb = line[v + 1:sp]
                            if verb == "Performing":
                                tier = 0
                            elif verb == "Performed" or (
                                    verb == "performing" and line[v - 5:v] == "Error"):
                                tier = 1
                            else:
                                tier = -1
                            name = line[sp + 1:i]
                            if tier >= 0 and valid_const(name):
                                key = ("job", name.lstrip(":"), "activejob")
                                n_aj += 1
                            else:
                                tier = 0
                if key is None:
                    if "rake" not in line and "rails" not in line:
                        continue
                    found = parse_rake(line)
                    if not found:
                        continue
                    ts = _timestamp(line)
                    if ts == "":
                        self.bad_timestamps += 1
                        continue
                    n_rake += 1
                    for kind, name in dict.fromkeys(found):
                        k = (kind, name, "rake")
                        rec = recs.get(k)
                        if rec is None:
                            rec = recs[k] = [0, 0, 0, high, ""]
                        rec[0] += 1
                        if ts is not None:
                            if ts < rec[3]:
                                rec[3] = ts
                            if ts > rec[4]:
                                rec[4] = ts
                    continue
            # exactly one observation for this line
            if ts is False:
                m = ts_search(line)
                if m is None:
                    ts = None
                else:
                    d, c, off = m.groups()
                    if off is None:
                        ts = d + "T" + c
                    elif off in utc:
                        ts = d + "T" + c + "Z"
                    else:
                        ts = shift(d, c, off)
            if ts == "":
                self.bad_timestamps += 1     # counted as read, not matched
                bad[key[2]] += 1
                continue
            rec = recs.get(key)
            if rec is None:
                rec = recs[key] = [0, 0, 0, high, ""]
            rec[tier] += 1
            if ts is None:
                continue
            if ts < rec[3]:
                rec[3] = ts
            if ts > rec[4]:
                rec[4] = ts

        self.lines_read += len(lines)
        matched = self.matched
        matched["sidekiq"] += n_sk - bad["sidekiq"]
        matched["sidekiq_json"] += n_skj - bad["sidekiq_json"]
        matched["activejob"] += n_aj - bad["activejob"]
        matched["rails"] += n_rails - bad["rails"]
        matched["lograge"] += n_lg - bad["lograge"]
        matched["lograge_json"] += n_lgj - bad["lograge_json"]
        matched["rake"] += n_rake

    # -- CSV exports ----------------------------------------------------------

    def feed_csv(self, lines: list[str], layout: _CsvLayout) -> None:
        self.lines_read += len(lines)
        rows: list[list[str]]
        try:
            rows = list(csv.reader(lines, delimiter=layout.delimiter))
        except csv.Error:
            rows = []
            for line in lines:
                try:
                    rows.extend(csv.reader([line.replace("\0", "")],
                                           delimiter=layout.delimiter))
                except csv.Error:
                    pass
        recs = self.recs
        high = self._HIGH
        n = 0
        for row in rows:
            if len(row) <= layout.name:
                continue
            hint = ""
            if layout.kind is not None and layout.kind < len(row):
                hint = row[layout.kind].strip().lower()
            pairs = _classify(row[layout.name], hint)
            if not pairs:
                continue
            n += 1
            count = 1
            if layout.count is not None and layout.count < len(row):
                raw = row[layout.count].strip()
                if raw:
                    try:
                        count = int(float(raw.replace("_", "").replace(",", "")))
                    except (ValueError, OverflowError):
                        count = 1
            if count <= 0:
                continue
            first = last = None
            if layout.last is not None and layout.last < len(row):
                last = _csv_timestamp(row[layout.last])
            if layout.first is not None and layout.first < len(row):
                first = _csv_timestamp(row[layout.first])
            if first == "" or last == "":
                self.bad_timestamps += 1
                n -= 1
                continue
            if first is None:
                first = last
            if last is None:
                last = first
            for kind, name in pairs:
                k = (kind, name, "csv")
                rec = recs.get(k)
                if rec is None:
                    rec = recs[k] = [0, 0, 0, high, ""]
                rec[0] += count
                if first is not None and first < rec[3]:
                    rec[3] = first
                if last is not None and last > rec[4]:
                    rec[4] = last
        self.matched["csv"] += n

    def matched_total(self) -> int:
        return sum(self.matched.values())

    # -- result ---------------------------------------------------------------

    def result(self) -> tuple[dict[tuple[str, str], Observation], set[str]]:
        merged: dict[tuple[str, str], Observation] = {}
        high = self._HIGH
        for (kind, name, source), (t0, t1, t2, first, last) in self.recs.items():
            count = t0 or t1 or t2
            first_s = None if first == high else first
            last_s = last or None
            key = (kind, name)
            obs = merged.get(key)
            if obs is None:
                merged[key] = Observation(kind, name, count, first_s, last_s, [source])
                continue
            obs.count = max(obs.count, count)
            if first_s is not None and (obs.first_seen is None or first_s < obs.first_seen):
                obs.first_seen = first_s
            if last_s is not None and (obs.last_seen is None or last_s > obs.last_seen):
                obs.last_seen = last_s
            if source not in obs.sources:
                obs.sources.append(source)
        kinds = set()
        for obs in merged.values():
            obs.sources.sort()
            kinds.add(obs.kind)
        ordered = dict(sorted(merged.items()))
        return ordered, kinds


class _ProgressFailed(Exception):
    """Carries an exception raised by the progress callback past the
    read-error handling (a BrokenPipe while drawing a bar is not a log error)."""

    def __init__(self, original: BaseException):
        super().__init__(original)
        self.original = original


class _Progress:
    def __init__(self, callback, total: int | None):
        self.callback = callback
        self.total = total
        self.done = 0              # bytes of finished files
        self.last_call = 0.0

    def tick(self, position: int) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if now - self.last_call >= _PROGRESS_INTERVAL:
            self.last_call = now
            try:
                self.callback(self.done + position, self.total)
            except Exception as exc:
                raise _ProgressFailed(exc) from exc

    def finish(self) -> None:
        if self.callback is not None:
            self.callback(self.done, self.total)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(reason).split())


def _total_size(paths: list[str]) -> int | None:
    total = 0
    for p in paths:
        if p == "-":
            return None
        try:
            total += os.path.getsize(p)
        except OSError:
            return None
    return total


def read_runtime_logs(paths: list[str], stdin=None,
                      progress: Callable[[int, int | None], None] | None = None
                      ) -> RuntimeLog:
    """Stream and aggregate the given runtime logs ("-" = binary ``stdin``).

    Each file is aggregated on its own and the parts are merged (the merge gives
    the same counts as one pass over all files: tiers are summed per (name, format)),
    so a file can later be set aside (``RuntimeLog.without``) without reading it again.

    Raises RuntimeLogError (one-line message) for a file that cannot be read,
    including a corrupt or truncated ``.gz``.
    """
    log = RuntimeLog()
    prog = _Progress(progress, _total_size(paths))

    for path in paths:
        display = _STDIN_NAME if path == "-" else path
        log.files.append(display)
        agg = _Aggregator()
        counter = _Counter()
        csv_rows = _read_one(path, display, stdin, agg, counter, prog)
        agg.lines_read += counter.long_lines
        bad = agg.bad_timestamps
        if bad:
            log.warnings.append(
                f"runtime log {display}: {bad} line{'s' if bad != 1 else ''} skipped: a "
                f"timestamp out of the calendar's range once shifted to UTC")
        if agg.matched_total() == 0:
            if agg.lines_read == 0:
                log.warnings.append(
                    f"runtime log {display}: no line matched a known format (empty file)")
            else:
                log.warnings.append(
                    f"runtime log {display}: no line matched a known format")
        elif csv_rows == 0:
            log.warnings.append(
                f"runtime log {display}: no CSV row named a job, action or rake task")
        log._parts.append((display, agg))
    prog.finish()
    _assemble(log, [agg for _display, agg in log._parts])
    return log


def _merge(aggs: list[_Aggregator]) -> _Aggregator:
    """One aggregator holding what all of ``aggs`` hold (counts summed per tier)."""
    if len(aggs) == 1:
        return aggs[0]
    merged = _Aggregator()
    recs = merged.recs
    for agg in aggs:
        for key, rec in agg.recs.items():
            have = recs.get(key)
            if have is None:
                recs[key] = list(rec)
                continue
            have[0] += rec[0]
            have[1] += rec[1]
            have[2] += rec[2]
            if rec[3] < have[3]:
                have[3] = rec[3]
            if rec[4] > have[4]:
                have[4] = rec[4]
        for fmt, n in agg.matched.items():
            merged.matched[fmt] += n
        merged.lines_read += agg.lines_read
    return merged


def _assemble(log: RuntimeLog, used: list[_Aggregator]) -> None:
    """Fill ``log``'s observations and window from the ``used`` parts; its line counts
    from every part read."""
    everything = _merge([agg for _display, agg in log._parts]) if log._parts else _Aggregator()
    log.lines_read = everything.lines_read
    log.lines_matched = {f: n for f, n in everything.matched.items() if n}
    log.lines_unmatched = log.lines_read - sum(log.lines_matched.values())

    observations, kinds = (_merge(used) if used else _Aggregator()).result()
    log.observations = observations
    log.observed_kinds = kinds
    log.window_first = log.window_last = log.window_days = None
    firsts = [o.first_seen for o in observations.values() if o.first_seen]
    lasts = [o.last_seen for o in observations.values() if o.last_seen]
    if firsts or lasts:
        log.window_first = min(firsts or lasts)
        log.window_last = max(lasts or firsts)
        a, b = _parse_iso(log.window_first), _parse_iso(log.window_last)
        if a is not None and b is not None:
            seconds = (b - a).total_seconds()
            log.window_days = max(1, math.ceil(seconds / 86400))


# Every line a format matches holds one of these (``_Aggregator.feed_lines`` looks for
# nothing else before its regexes run).
_MARKERS = ("{", "class=", " JID-", "Processing by ", "controller=", " (Job ID: ", "rake", "rails")


def _may_match(block: str) -> bool:
    # one character of each marker first: a single-character search is a memchr
    if not ("{" in block or "=" in block or "J" in block or "P" in block or "(" in block
            or "r" in block):
        return False
    return any(m in block for m in _MARKERS)


def _read_one(path: str, display: str, stdin, agg: _Aggregator,
              counter: _Counter, prog: _Progress) -> int | None:
    """Stream one input into ``agg``. Returns the number of CSV data rows
    matched when the input is a CSV export, else None."""
    raw = None
    gz = None
    is_gzip = False
    try:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            head = _read_bytes(stream, 2)
            src = _Prefixed(head, stream)
            if head == b"\x1f\x8b":
                is_gzip = True
                gz = gzip.GzipFile(fileobj=src, mode="rb")
                read = gz.read
            else:
                read = src.read
            position = src.tell
        else:
            raw = open(path, "rb")
            position = raw.tell
            if path.endswith(".gz"):
                is_gzip = True
                gz = gzip.GzipFile(fileobj=raw, mode="rb")
                read = gz.read
            else:
                read = raw.read
    except OSError as exc:
        if raw is not None:
            raw.close()
        raise RuntimeLogError(f"cannot read runtime log {display}: {_reason(exc)}") from None

    def on_chunk() -> None:
        prog.tick(position())

    csv_layout: _CsvLayout | None = None
    first_block = True
    csv_before = agg.matched["csv"]
    long_before = counter.long_lines
    try:
        for block in _blocks(read, counter, on_chunk):
            if first_block:
                first_block = False
                # A CSV export declares itself on its first physical line; an
                # overlong (skipped) first line means this is no such file.
                if counter.long_lines == long_before:
                    csv_layout = _csv_header(block.split("\n", 1)[0])
                if csv_layout is not None:
                    agg.lines_read += 1
                    agg.matched["csv"] += 1
                    agg.feed_csv(block.split("\n")[1:], csv_layout)
                    continue
            if csv_layout is not None:
                agg.feed_csv(block.split("\n"), csv_layout)
            elif not _may_match(block):
                # no line of the block can match a format (a gzip of a gigabyte of empty
                # lines, say): counted as read, without a Python step per line
                agg.lines_read += block.count("\n") + 1
            else:
                agg.feed_lines(block.split("\n"))
    except _ProgressFailed as exc:
        raise exc.original
    except (OSError, EOFError, zlib.error) as exc:
        if is_gzip:
            reason = "not a valid gzip file"
        else:
            reason = _reason(exc)
        raise RuntimeLogError(f"cannot read runtime log {display}: {reason}") from None
    finally:
        if gz is not None:
            gz.close()
        if raw is not None:
            try:
                prog.done += os.fstat(raw.fileno()).st_size
            except OSError:
                pass
            raw.close()
        else:
            prog.done += position()
    if csv_layout is None:
        return None
    return agg.matched["csv"] - csv_before - 1
