"""A content-hash cache of per-file facts, in the user's cache folder.

One SQLite file (stdlib, crash-safe, one file instead of thousands) holds:

``blobs``      ``sha256(salt, language, path, content)`` -> the file's ``FileFacts``,
               encoded compactly (``encode_facts``). The content hash is the key of
               record: facts are only ever looked up by what the file contains.
``manifests``  one row per scanned root: ``path -> (language, size, mtime_ns,
               ctime_ns, inode, content key, racy, facts digest, lines)`` as of the
               last scan. It saves re-reading and re-hashing unchanged files (see
               ``FactsCache.manifest``).
``analyses``   one row per scanned root: the finished analysis of its last scan,
               keyed by the digests of every file's facts (see ``scan.py``), so a scan
               where no file's facts changed skips the index, graph and verdicts.
``roots``      each scanned root's path and the day it was last scanned.

The cache prunes itself (``FactsCache.prune``): once it holds many more facts than
the last pruning left, the roots that are gone or unscanned for ``STALE_DAYS`` are
dropped, and then every fact no root's manifest names.

The salt names the schema, the tool version, the extraction queries, the field
layout of the facts, the source of the extraction code, the Python version and the
versions of the parsers, so facts made by other rules are never served. The cache
never lives inside the scanned repository. A corrupt, locked or foreign cache is
ignored (and rebuilt when possible), never fatal.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import sqlite3
import stat
import struct
import sys
import time
import zlib
from collections import deque
from itertools import repeat

from .extract import queries_hash
from .model import (Candidate, Definition, FileFacts, Location, RawCall, RawDefinition,
                    RawReference, Role)

SCHEMA = 4
STALE_DAYS = 30
# Prune when the facts table has grown by half since the last pruning, and by at
# least this many entries (so small caches are never bothered).
PRUNE_SLACK = 20_000

# Facts are stored as marshal'd tuples (no pickle of dataclasses: several times
# faster to load, and no code runs when reading). Field order comes from the
# dataclasses themselves and is part of the salt.
_RECORDS = (("definitions", RawDefinition), ("references", RawReference), ("calls", RawCall))
_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(FileFacts))
_RECORD_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _RECORDS}
_LAYOUT = repr((_FACT_FIELDS, sorted(_RECORD_FIELDS.items())))
# ``lines`` (the file's length) is kept out of the body: the body is what the
# analysis reads, so its digest is unchanged by an edit that only adds lines after
# everything else (a comment appended at the end).
_BODY_FIELDS = tuple(name for name in _FACT_FIELDS if name != "lines")

# Every stored value (facts, manifests, analyses) is one data-only envelope:
#
#     tag (1 byte) | format version (1) | line count (<I) | body length (<I)
#     | blake2b-128 of the body (16) | body: marshal'd plain values
#
# The body holds only tuples, lists, dicts, sets, str, bytes, int, float, bool and
# None; nothing in it is ever called or imported, and no pickle is used anywhere.
# ``check_blob`` verifies tag, version, length and digest before anything is
# unmarshalled; a value that fails (or is not bytes at all) is a miss, rebuilt.
_FACTS_TAG = b"F"
_MANIFEST_TAG = b"M"
_ANALYSIS_TAG = b"A"
FORMAT = 1
_ENVELOPE = struct.Struct("<cBII16s")
_HEAD = _ENVELOPE.size


def _seal(tag: bytes, body: bytes, lines: int = 0) -> bytes:
    digest = hashlib.blake2b(body, digest_size=16).digest()
    return _ENVELOPE.pack(tag, FORMAT, min(max(lines, 0), 0xFFFFFFFF), len(body), digest) + body


def check_blob(blob, tag: bytes = _FACTS_TAG) -> bool:
    """Is ``blob`` an intact envelope of this format with this tag?"""
    if type(blob) is not bytes or len(blob) < _HEAD:
        return False
    got_tag, version, _, length, digest = _ENVELOPE.unpack_from(blob)
    return (got_tag == tag and version == FORMAT and length == len(blob) - _HEAD
            and hashlib.blake2b(memoryview(blob)[_HEAD:], digest_size=16).digest() == digest)


def _open_blob(blob, tag: bytes):
    """The plain value sealed in ``blob``, or None when it fails the check."""
    if not check_blob(blob, tag):
        return None
    try:
        return marshal.loads(memoryview(blob)[_HEAD:])
    except Exception:  # noqa: BLE001 - digest matched but not ours: a miss
        return None


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "deadcode")


def _code_hash() -> str:
    """The extraction code itself: a changed extractor never reads old facts."""
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("extract.py", "parsing.py", "model.py", "cache.py"):
        try:
            with open(os.path.join(here, name), "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()[:16]


# Packages whose upgrade can change the facts of an unchanged file (the grammars
# parse differently, libyaml reads differently).
_PARSERS = ("tree-sitter", "tree-sitter-ruby", "tree-sitter-embedded-template", "PyYAML")


def _parser_versions() -> str:
    from importlib import metadata
    out = []
    for name in _PARSERS:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except Exception:  # noqa: BLE001 - not installed, or no metadata: still a distinct salt
            out.append(f"{name}=?")
    return ",".join(out)


def cache_salt(version: str) -> bytes:
    layout = hashlib.sha256(_LAYOUT.encode()).hexdigest()[:16]
    env = hashlib.sha256(f"{sys.version}|{_parser_versions()}".encode()).hexdigest()[:16]
    return f"{SCHEMA}|{version}|{queries_hash()}|{layout}|{_code_hash()}|{env}|".encode()


def content_key(salt: bytes, path: str, lang: str, data: bytes) -> str:
    h = hashlib.sha256(salt)
    h.update(lang.encode())
    h.update(b"\0")
    h.update(path.encode("utf-8", "surrogateescape"))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Encoding of FileFacts
# ---------------------------------------------------------------------------

def _plain(cls) -> bool:
    """Can instances be made by handing them their ``__dict__``? (What ``__init__`` of a
    dataclass without ``__post_init__``, slots or non-init fields would produce.)"""
    return (not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
            and all(f.init for f in dataclasses.fields(cls)))


_FAST = all(_plain(cls) for cls in (FileFacts, RawDefinition, RawReference, RawCall))


def encode_facts(facts: FileFacts) -> bytes:
    """Compact bytes for one file's facts (what workers send and the cache stores):
    the envelope (with the line count in its head) around a marshal'd tuple of the
    other fields, records as their attribute dicts."""
    parts = []
    for name in _BODY_FIELDS:
        value = getattr(facts, name)
        if name in _RECORD_FIELDS:
            if _FAST:   # a plain dataclass instance's __dict__ is exactly its fields
                value = tuple([r.__dict__ for r in value])
            else:
                value = tuple([{f: getattr(r, f) for f in _RECORD_FIELDS[name]} for r in value])
        parts.append(value)
    try:
        body = marshal.dumps(tuple(parts))
    except ValueError:  # a str subclass or the like: store its plain value
        body = marshal.dumps(_plain_value(tuple(parts)))
    return _seal(_FACTS_TAG, body, facts.lines)


def _plain_value(value):
    """``value`` with every str/int subclass (enums) made a plain str/int."""
    if isinstance(value, (tuple, list)):
        return type(value)(_plain_value(v) for v in value) if type(value) in (tuple, list) \
            else tuple(_plain_value(v) for v in value)
    if isinstance(value, dict):
        return {_plain_value(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str.__str__(value) if type(value) is not str else value
    if isinstance(value, int):
        return int(value)
    return value


def blob_lines(blob: bytes) -> int:
    """The line count recorded in encoded facts (0 when the bytes are not ours)."""
    if type(blob) is not bytes or len(blob) < _HEAD:
        return 0
    return _ENVELOPE.unpack_from(blob)[2]


def facts_digest(blob: bytes) -> str:
    """A digest of everything in encoded facts but the line count: two files' facts
    with equal digests are equal as far as the analysis is concerned.

    Equal facts normally encode to equal bytes; when they do not (marshal shares
    repeated objects by identity), the digests differ and the only cost is a
    recomputed analysis, never a wrong one. (It is the envelope's own digest: the
    blob must have passed ``check_blob``.)"""
    return _ENVELOPE.unpack_from(blob)[4].hex()


_new = object.__new__
_set = object.__setattr__


def _records(cls, dicts: tuple) -> tuple:
    if _FAST:
        objs = list(map(_new, repeat(cls, len(dicts))))
        deque(map(_set, objs, repeat("__dict__"), dicts), maxlen=0)
        return tuple(objs)
    return tuple(cls(**d) for d in dicts)


_RECORD_KEYS = {name: frozenset(fields) for name, fields in _RECORD_FIELDS.items()}


def decode_facts(blob: bytes) -> FileFacts | None:
    """The facts ``encode_facts`` wrote, or None when the bytes are not ours (failed
    the envelope check, or hold values of the wrong shape)."""
    parts = _open_blob(blob, _FACTS_TAG)
    if type(parts) is not tuple or len(parts) != len(_BODY_FIELDS):
        return None
    try:
        lines = _ENVELOPE.unpack_from(blob)[2]
        values = dict(zip(_BODY_FIELDS, parts))
        values = {name: (lines if name == "lines" else values[name]) for name in _FACT_FIELDS}
        for name, cls in _RECORDS:
            dicts, keys = values[name], _RECORD_KEYS[name]
            if type(dicts) is not tuple or not all(type(d) is dict and d.keys() == keys
                                                   for d in dicts):
                return None
            values[name] = _records(cls, dicts)
        for name in ("hashes", "literals", "names"):
            if type(values[name]) is not tuple:
                return None
        if type(values["error_regions"]) is not int or type(values["note"]) is not str:
            return None
        if _FAST:
            facts = _new(FileFacts)
            _set(facts, "__dict__", values)
            return facts
        return FileFacts(**values)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss
        return None


# ---------------------------------------------------------------------------
# Encoding of a finished analysis (plain tuples; see ``encode_analysis``)
# ---------------------------------------------------------------------------

def _def_tuple(d: Definition) -> tuple:
    return (d.id, d.kind, d.name, tuple((loc.path, loc.line, loc.end_line) for loc in d.locations),
            d.superclass, tuple(sorted(r.value for r in d.roles)), d.detail, d.owner, d.keep)


def _def_from(t: tuple) -> Definition:
    nid, kind, name, locs, superclass, roles, detail, owner, keep = t
    return Definition(id=str(nid), kind=str(kind), name=str(name),
                      locations=[Location(str(p), int(a), int(b)) for p, a, b in locs],
                      superclass=superclass, roles={Role(r) for r in roles}, detail=str(detail),
                      owner=owner, keep=keep)


def encode_analysis(digest: str, raw_reads: tuple, payload: dict) -> bytes:
    """A finished analysis as plain tuples: candidates and kept definitions are
    spelt out field by field (never stored as objects)."""
    cands = tuple((_def_tuple(c.definition), c.verdict, c.confidence, tuple(c.reasons),
                   tuple(c.references), tuple(c.related_files), tuple(c.cluster),
                   c.deletable_lines, c.runtime, c.runtime_detail, c.status)
                  for c in payload["candidates"])
    kept = tuple((_def_tuple(d), reason, origin) for d, reason, origin in payload["kept"])
    plain = (digest, tuple(raw_reads), cands, kept, tuple(payload["index_skipped"]),
             tuple(payload["partial"]), payload["definitions"],
             frozenset(payload["unmatched_keeps"]), tuple(payload["notes"]),
             tuple((k, tuple(v)) for k, v in sorted(payload.get("hidden_by_keep", {}).items())))
    return _seal(_ANALYSIS_TAG, zlib.compress(marshal.dumps(_plain_value(plain)), 1))


def decode_analysis(blob) -> tuple | None:
    """``(digest, raw reads, payload)`` from ``encode_analysis``, or None."""
    if not check_blob(blob, _ANALYSIS_TAG):
        return None
    try:
        plain = marshal.loads(zlib.decompress(memoryview(blob)[_HEAD:]))
        digest, reads, cands, kept, skipped, partial, count, unmatched, notes, hidden = plain
        candidates = [Candidate(definition=_def_from(d), verdict=str(v), confidence=str(conf),
                                reasons=[str(r) for r in reasons],
                                references=[dict(r) for r in refs],
                                related_files=[str(f) for f in related],
                                cluster=[str(c) for c in cluster], deletable_lines=int(lines),
                                runtime=runtime, runtime_detail=detail, status=status)
                      for (d, v, conf, reasons, refs, related, cluster, lines, runtime, detail,
                           status) in cands]
        payload = {
            "candidates": candidates,
            "kept": [(_def_from(d), str(reason), str(origin)) for d, reason, origin in kept],
            "index_skipped": [(str(p), str(r)) for p, r in skipped],
            "partial": [(str(p), str(r)) for p, r in partial],
            "definitions": int(count), "unmatched_keeps": frozenset(map(str, unmatched)),
            "notes": [str(n) for n in notes],
            "hidden_by_keep": {str(k): [str(x) for x in v] for k, v in hidden},
        }
        reads = tuple((str(p), None if h is None else str(h)) for p, h in reads)
        return (str(digest), reads, payload)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss
        return None


def encode_manifest(entries: dict) -> bytes:
    return _seal(_MANIFEST_TAG, zlib.compress(marshal.dumps(entries), 1))


# lang, size, mtime_ns, ctime_ns, inode, content key, racy, facts digest, lines
_MANIFEST_TYPES = (str, int, int, int, int, str, bool, str, int)


def decode_manifest(blob) -> dict | None:
    """The manifest ``encode_manifest`` wrote, or None when it fails the check or an
    entry is not of the documented shape."""
    if not check_blob(blob, _MANIFEST_TAG):
        return None
    try:
        value = marshal.loads(zlib.decompress(memoryview(blob)[_HEAD:]))
    except Exception:  # noqa: BLE001 - digest matched but not ours: a miss
        return None
    if type(value) is not dict:
        return None
    n = len(_MANIFEST_TYPES)
    for path, e in value.items():
        if type(path) is not str or type(e) is not tuple or len(e) != n \
                or not all(map(isinstance, e, _MANIFEST_TYPES)):
            return None
    return value


def unsafe_folder(directory: str) -> str | None:
    """Why ``directory`` (or the cache file in it) must not be trusted, or None.

    A cache folder other users can write to lets them plant facts; one that is
    group- or world-writable is refused unless it is sticky and ours (as /tmp is
    sticky, but then the folder itself must be ours)."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is None:
        return None
    try:
        st = os.stat(directory)
    except OSError:
        return None        # not made yet: we make it, ours and private
    if st.st_uid != uid:
        return f"{directory} belongs to another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not st.st_mode & stat.S_ISVTX:
        return f"{directory} is writable by other users"
    db = os.path.join(directory, "facts.sqlite3")
    try:
        st = os.stat(db)
    except OSError:
        return None
    if st.st_uid != uid:
        return f"{db} belongs to another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{db} is writable by other users"
    return None


# ---------------------------------------------------------------------------

class FactsCache:
    def __init__(self, directory: str | None, version: str):
        self.directory = directory or default_cache_dir()
        self.path = os.path.join(self.directory, "facts.sqlite3")
        self.salt = cache_salt(version)
        self.pending: list[tuple[str, bytes]] = []
        self.hits = 0
        self.misses = 0
        self.db: sqlite3.Connection | None = None
        self.error: str | None = None
        self.damaged = 0       # stored values that failed the check (ignored, rebuilt)
        self._open()

    def _open(self) -> None:
        path = self.path
        for attempt in range(2):
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                db = sqlite3.connect(path, timeout=5, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, value BLOB)")
                db.execute("CREATE TABLE IF NOT EXISTS manifests (key TEXT PRIMARY KEY, value BLOB)")
                db.execute("CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, value BLOB)")
                db.execute("CREATE TABLE IF NOT EXISTS roots "
                           "(key TEXT PRIMARY KEY, analysis TEXT, path TEXT, used INTEGER)")
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER)")
                db.execute("SELECT key FROM blobs LIMIT 1").fetchall()
                self.db = db
                return
            except (sqlite3.Error, OSError) as exc:
                self.error = f"cache disabled: {exc}"
                if attempt == 0 and isinstance(exc, sqlite3.DatabaseError) and os.path.isfile(path):
                    try:  # a corrupt or foreign file: start again
                        os.replace(path, path + ".corrupt")
                    except OSError:
                        return
                    continue
                return

    # -- content-keyed facts ----------------------------------------------------
    def key(self, path: str, lang: str, data: bytes) -> str:
        return content_key(self.salt, path, lang, data)

    def get_blobs(self, keys) -> dict[str, bytes]:
        """Stored blobs for many keys at once (absent keys are left out)."""
        out: dict[str, bytes] = {}
        if self.db is None:
            return out
        keys = list(keys)
        try:
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                rows = self.db.execute(
                    f"SELECT key, value FROM blobs WHERE key IN ({','.join('?' * len(part))})", part)
                for key, value in rows:
                    if check_blob(value):
                        out[key] = value
                    else:
                        self.damaged += 1
        except sqlite3.Error:
            return out
        return out

    def get(self, key: str) -> FileFacts | None:
        blob = self.get_blobs([key]).get(key)
        facts = decode_facts(blob) if blob is not None else None
        if facts is None:
            self.misses += 1
            return None
        self.hits += 1
        return facts

    def put_blob(self, key: str, blob: bytes) -> None:
        if self.db is not None:
            self.pending.append((key, blob))

    def put(self, key: str, facts: FileFacts) -> None:
        self.put_blob(key, encode_facts(facts))

    # -- per-root manifest: the stat fast path -----------------------------------------
    def _manifest_key(self, root: str) -> str:
        return hashlib.sha256(self.salt + b"manifest\0" + os.fsencode(root)).hexdigest()

    def manifest(self, root: str) -> dict:
        """``{path: (lang, size, mtime_ns, ctime_ns, inode, content key, racy, facts
        digest, lines)}`` of the last scan of ``root``. A file whose stat still matches is taken to hold the
        content it held then (its facts are still looked up by that content key);
        ``racy`` entries (the file had just changed) are checked by content first."""
        if self.db is None:
            return {}
        try:
            row = self.db.execute("SELECT value FROM manifests WHERE key = ?",
                                  (self._manifest_key(root),)).fetchone()
            if row is None:
                return {}
        except sqlite3.Error:
            return {}
        value = decode_manifest(row[0])
        if value is None:
            self.damaged += 1
            return {}
        return value

    def save_manifest(self, root: str, entries: dict) -> None:
        if self.db is None:
            return
        try:
            blob = encode_manifest(entries)
        except ValueError:
            return
        self._write([("INSERT OR REPLACE INTO manifests (key, value) VALUES (?, ?)",
                      [(self._manifest_key(root), blob)])])

    # -- per-root finished analysis ----------------------------------------------
    def _analysis_key(self, root: str) -> str:
        return hashlib.sha256(self.salt + b"analysis\0" + os.fsencode(root)).hexdigest()

    def analysis(self, root: str) -> tuple | None:
        """``(inputs digest, raw reads, payload)`` stored by the last full scan of
        ``root`` (only the latest is kept), or None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM analyses WHERE key = ?",
                                  (self._analysis_key(root),)).fetchone()
            if row is None:
                return None
        except sqlite3.Error:
            return None
        value = decode_analysis(row[0])
        if value is None:
            self.damaged += 1
        return value

    def save_analysis(self, root: str, digest: str, raw_reads: tuple, payload) -> None:
        if self.db is None:
            return
        try:
            blob = encode_analysis(digest, raw_reads, payload)
        except (ValueError, TypeError, KeyError):  # not storable: the next scan recomputes it
            return
        self._write([("INSERT OR REPLACE INTO analyses (key, value) VALUES (?, ?)",
                      [(self._analysis_key(root), blob)])])

    # -- keeping the cache small ---------------------------------------------------
    def mark_used(self, root: str, today: int | None = None) -> None:
        """Record that ``root`` was scanned today (days since the epoch)."""
        today = int(time.time() // 86400) if today is None else today
        if self.db is None:
            return
        try:
            row = self.db.execute("SELECT used FROM roots WHERE key = ?",
                                  (self._manifest_key(root),)).fetchone()
        except sqlite3.Error:
            return
        if row is not None and row[0] == today:
            return   # a read, not a write, on every scan of the day but the first
        self._write([("INSERT OR REPLACE INTO roots (key, analysis, path, used) VALUES (?, ?, ?, ?)",
                      [(self._manifest_key(root), self._analysis_key(root), os.fsdecode(root),
                        today)])])

    def prune(self, today: int | None = None, slack: int = PRUNE_SLACK) -> int:
        """Drop what no scan will ask for again, once the facts table has grown enough
        since the last pruning. Returns the number of facts removed.

        Roots whose folder is gone or that were not scanned for ``STALE_DAYS`` lose
        their manifest and stored analysis; then every fact that no remaining manifest
        names goes (older versions of files, deleted files, other tools' versions).
        """
        if self.db is None:
            return 0
        today = int(time.time() // 86400) if today is None else today
        try:
            count = self.db.execute("SELECT count(*) FROM blobs").fetchone()[0]
            row = self.db.execute("SELECT value FROM meta WHERE key = 'pruned_to'").fetchone()
            if count <= (row[0] if row else 0) * 3 // 2 + slack:
                return 0
            gone = [(key, analysis) for key, analysis, path, used
                    in self.db.execute("SELECT key, analysis, path, used FROM roots")
                    if used is None or today - used > STALE_DAYS or not os.path.isdir(path)]
            gone_keys = {key for key, _ in gone}
            known = {key for (key,) in self.db.execute("SELECT key FROM roots")}
            live = set()
            for key, value in self.db.execute("SELECT key, value FROM manifests").fetchall():
                if key in gone_keys:
                    continue
                if key not in known:     # no root row: written before roots were recorded
                    gone.append((key, None))
                    continue
                entries = decode_manifest(value)
                if entries is not None:     # a damaged manifest keeps nothing alive
                    live.update(e[5] for e in entries.values())
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM manifests WHERE key = ?", [(k,) for k, _ in gone])
            self.db.executemany("DELETE FROM analyses WHERE key = ?", [(a,) for _, a in gone if a])
            self.db.executemany("DELETE FROM roots WHERE key = ?", [(k,) for k, _ in gone])
            dead = [(k,) for (k,) in self.db.execute("SELECT key FROM blobs") if k not in live]
            self.db.executemany("DELETE FROM blobs WHERE key = ?", dead)
            removed = len(dead)
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('pruned_to', ?)",
                            (count - removed,))
            self.db.execute("COMMIT")
            return removed
        except sqlite3.Error as exc:
            self._abort(f"cache not pruned: {exc}")
            return 0

    def flush(self) -> None:
        if self.db is None or not self.pending:
            self.pending = []
            return
        self._write([("INSERT OR REPLACE INTO blobs (key, value) VALUES (?, ?)", self.pending)])
        self.pending = []

    def _write(self, statements) -> None:
        try:
            self.db.execute("BEGIN")
            for sql, rows in statements:
                self.db.executemany(sql, rows)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._abort(f"cache not written: {exc}")

    def _abort(self, message: str) -> None:
        """Note why a write failed and undo what it had done (never fatal)."""
        self.error = message
        try:
            self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def open_worker(path: str) -> sqlite3.Connection | None:
    """A connection of a worker process: it looks facts up by content key and writes
    the ones it extracts (never creates the file: the parent did)."""
    try:
        from urllib.request import pathname2url   # workers only: keep the CLI's start light
        db = sqlite3.connect(f"file:{pathname2url(path)}?mode=rw", uri=True,
                             timeout=10, isolation_level=None)
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("SELECT key FROM blobs LIMIT 1").fetchall()
        return db
    except sqlite3.Error:
        return None


def write_blobs(db: sqlite3.Connection, rows: list[tuple[str, bytes]]) -> str | None:
    """Insert (key, blob) rows in one transaction; an error message when it failed."""
    try:
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO blobs (key, value) VALUES (?, ?)", rows)
        db.execute("COMMIT")
        return None
    except sqlite3.Error as exc:
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        return f"cache not written: {exc}"
