"""One scan, start to finish: discover -> read/extract (parallel, cached) -> reuse
the stored analysis when no input changed, else index -> graph -> classify (and
store it). Returns a ``ScanResult``; it prints nothing.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import signal
import sqlite3
import stat
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import __version__
from .cache import (FactsCache, blob_lines, check_blob, content_key, decode_facts,
                    default_cache_dir, encode_facts, facts_digest, open_worker, unsafe_folder,
                    write_blobs)
from .discovery import (DiscoveryResult, discover_files, read_inside, read_regular_file,
                        whole_file_digest)
from .index import Index, IndexOptions, build_index, parse_gems
from .model import Candidate, Definition, FileFacts, Role, SourceFile
from .globs import NameIndex

if TYPE_CHECKING:  # pragma: no cover - the graph and verdicts are imported when built
    from .classify import Classification
    from .graph import Graph


@dataclass
class ScanOptions:
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    test_patterns: tuple[str, ...] = ()
    max_size: int = 2_000_000
    jobs: int = 0                      # 0: CPU count
    cache_dir: str | None = None       # None: default user cache; "" disables
    plugins: dict[str, bool] = field(default_factory=dict)
    index: IndexOptions = field(default_factory=IndexOptions)
    progress: object = None            # callable(done, total) or None
    extra_text: tuple[str, ...] = ()   # globs of extra text sources (config trigger_sources)
    context: tuple[str, ...] = ()      # other folders read only for their references (--context)
    # reuse the stored analysis when no input changed (then ``index`` and ``graph``
    # of the result are None: only for callers that need the verdicts alone)
    reuse_analysis: bool = False


@dataclass
class ReusedClassification:
    """The verdicts of a reused analysis (what the report needs of a ``Classification``)."""

    candidates: list[Candidate]
    kept: list[tuple[Definition, str, str]]
    hidden_by_keep: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ScanResult:
    root: str
    discovery: DiscoveryResult
    index: Index | None                     # None when the analysis was reused
    graph: Graph | None
    classification: Classification | ReusedClassification
    skipped: list[tuple[str, str]]
    partial: list[tuple[str, str]]
    timings: dict[str, float]
    files_scanned: int
    notes: list[str] = field(default_factory=list)   # e.g. why the cache was not used
    lines: dict[str, int] = field(default_factory=dict)   # path -> line count
    definition_count: int = 0
    unmatched_keeps: frozenset = frozenset()     # configured keep names no definition matches
    reused: bool = False


def read_source(f: SourceFile, limit: int | None = None) -> tuple[bytes | None, str | None]:
    """The bytes of a file, or a reason it was skipped (never blocks, at most ``limit``)."""
    data, reason = read_regular_file(f.abspath, limit)
    if data is None:
        return None, reason
    if b"\0" in data[:8192] or (b"\0" in data and f.lang != "text"):
        return None, "binary file (contains NUL bytes)"
    return data, None


def as_utf8(data: bytes) -> tuple[bytes, str]:
    """Valid UTF-8 for the parser, and a note when bytes had to be replaced.

    Invalid bytes become U+FFFD; newlines are untouched, so line numbers hold.
    """
    if data.isascii():   # (checked without building the decoded text)
        return data, ""
    try:
        data.decode("utf-8")
        return data, ""
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        fixed = data.decode("utf-8", "replace").encode("utf-8")
        return fixed, f"not valid UTF-8 (from line {line}); invalid bytes replaced"


# --- worker side ------------------------------------------------------------

_WORKER: dict = {"salt": None, "db_path": None, "db": None}
# A file changed this shortly before a scan could change again within the same
# timestamp tick, unseen by stat: its manifest entry is then only trusted after its
# content is read and hashed again (cheap, in the parent), until it is older.
_RACY_NS = 3_000_000_000


def _stat_sig(abspath: str) -> tuple[int, int, int, int] | None:
    """(size, mtime_ns, ctime_ns, inode) of a regular file, else None."""
    try:
        st = os.stat(abspath)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _extract_data(path: str, lang: str, data: bytes) -> tuple[FileFacts | None, str | None]:
    from .extract import TooDeep, extract_file
    data, enc_note = as_utf8(data)
    try:
        facts = extract_file(path, lang, data)
    except RecursionError:
        return None, "too deeply nested to parse"
    except TooDeep as exc:
        return None, f"not analysed: {exc.args[0]}"
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a scan
        return None, f"could not be analysed ({type(exc).__name__})"
    if enc_note:
        facts = dataclasses.replace(facts, note="; ".join(n for n in (enc_note, facts.note) if n))
    return facts, None


def _read_keyed(item, salt: bytes | None) -> tuple:
    """(stat, bytes or None, why not read, content key) of one file."""
    path, abspath, lang, role, limit = item
    sig = _stat_sig(abspath) if salt is not None else None   # before reading: a later write shows
    data, reason = read_source(SourceFile(path, abspath, role, lang), limit)
    key = content_key(salt, path, lang, data) if data is not None and salt is not None else None
    return sig, data, reason, key


def _process(item, salt: bytes | None, lookup, encode: bool, read: tuple | None = None):
    """Read, key, look up or extract one file (``read``: what ``_read_keyed`` gave, if
    the file was read already).

    Returns (path, facts | None, blob | None, skip reason, content key, stat, fresh):
    ``blob`` is the encoded facts (always when ``encode``), ``fresh`` says they were
    extracted now rather than found in the cache.
    """
    path, _, lang, _, _ = item
    sig, data, reason, key = read if read is not None else _read_keyed(item, salt)
    if data is None:
        return path, None, None, reason, None, None, False
    if key is not None:
        blob = lookup(key) if lookup is not None else None
        if blob is not None:
            return path, None, blob, None, key, sig, False
    facts, reason = _extract_data(path, lang, data)
    if facts is None:
        return path, None, None, reason, None, None, False
    blob = encode_facts(facts) if encode or key is not None else None
    return path, (None if encode else facts), blob, None, key, sig, True


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive the scan (holding its stdout open, forever): on Linux
    the kernel kills it when its parent dies (``PR_SET_PDEATHSIG``); everywhere a
    watchdog thread exits once the parent is gone (the worker is re-parented)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):   # pragma: no cover - no prctl: the watchdog stays
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="deadcode-watchdog", daemon=True).start()


_PR_SET_PDEATHSIG = 1


def _worker_init(salt: bytes | None, db_path: str | None, parent: int | None = None) -> None:
    # The parent handles interrupts and terminates the pool; a worker just dies on
    # SIGTERM/SIGHUP (it inherited the CLI's handlers, which raise) and ignores ^C.
    for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        _die_with_parent(parent)
    # Workers keep nothing between files; cyclic garbage collection only costs time.
    gc.disable()
    _WORKER.update(salt=salt, db_path=db_path, db=None)
    try:
        from .extract import _query
        _query()   # compile the queries while the parent is still busy
    except Exception:  # noqa: BLE001 - reported per file instead
        pass


def _worker_db():
    db = _WORKER["db"]
    if db is None and _WORKER["db_path"]:
        db = _WORKER["db"] = open_worker(_WORKER["db_path"])
        if db is None:
            _WORKER["db_path"] = None
    return db


def _worker_lookup_many(keys) -> dict[str, bytes]:
    """Stored blobs for many content keys, in a few queries (absent keys left out)."""
    db = _worker_db()
    out: dict[str, bytes] = {}
    if db is None:
        return out
    keys = list(keys)
    try:
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            for key, value in db.execute(
                    f"SELECT key, value FROM blobs WHERE key IN ({','.join('?' * len(part))})", part):
                if check_blob(value):
                    out[key] = value
                else:       # damaged or planted: a miss, extracted again and replaced
                    _WORKER["damaged"] = _WORKER.get("damaged", 0) + 1
    except sqlite3.Error:
        return out
    return out


# How many bytes of a batch's files a worker holds at once to look them up together.
_BATCH_READ_BYTES = 64 << 20


def _work_batch(batch):
    """Results of a batch, and an error message if its new facts could not be cached.

    Workers write what they extract to the cache themselves (one short transaction
    a batch), in parallel with each other and with the parent."""
    salt = _WORKER["salt"]
    if salt is None:
        out = [_process(item, None, None, True) for item in batch]
    else:
        # read and hash the files first and look their keys up in one query (a query a
        # file cost as much as hashing); past the byte budget, files are read when done
        reads: list[tuple | None] = []
        held = 0
        for item in batch:
            if held > _BATCH_READ_BYTES:
                reads.append(None)
                continue
            r = _read_keyed(item, salt)
            held += len(r[1]) if r[1] is not None else 0
            reads.append(r)
        found = _worker_lookup_many({r[3] for r in reads if r is not None and r[3] is not None})
        lookup = found.get
        out = []
        for j, item in enumerate(batch):
            r, reads[j] = reads[j], None      # let each file's bytes go once it is done
            if r is None:
                r = _read_keyed(item, salt)
                hit = _worker_lookup_many([r[3]]) if r[3] is not None else {}
                out.append(_process(item, salt, hit.get, True, r))
            else:
                out.append(_process(item, salt, lookup, True, r))
    # facts found in the cache are sent back as (digest, lines): the parent decodes
    # them only if it has to rebuild the analysis, fetching them again then
    out = [_defer(r) if _deferrable(r, salt) else r for r in out]
    error = None
    fresh = [(r[4], r[2]) for r in out if r[6] and r[4] is not None]
    if fresh:
        db = _worker_db()
        error = write_blobs(db, fresh) if db is not None else "cache not written: cannot open it"
    damaged, _WORKER["damaged"] = _WORKER.get("damaged", 0), 0
    return out, error, damaged


# --- parent side ------------------------------------------------------------

@dataclass
class Collected:
    """What ``collect_facts`` learnt about every file.

    ``facts`` holds the facts read or extracted now; ``stored`` the files whose stat
    matched the manifest: their facts are still in the cache, fetched (``load_facts``)
    only when the analysis has to be rebuilt. ``digests`` and ``lines`` cover both.
    """

    files: list[SourceFile]
    facts: dict[str, FileFacts] = field(default_factory=dict)
    stored: dict[str, str] = field(default_factory=dict)        # path -> content key
    digests: dict[str, str] = field(default_factory=dict)       # path -> facts digest
    lines: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    max_size: int | None = None


def collect_facts(files: list[SourceFile], jobs: int, cache: FactsCache | None, progress=None,
                  max_size: int | None = None, root: str | None = None) -> Collected:
    """Facts of every file, from the cache or extracted in parallel.

    With a cache, a file whose (size, mtime_ns, ctime_ns, inode) match the root's
    manifest is not read again: the manifest gives its content key, the digest of its
    facts and its length. Every other file is read and hashed, and looked up by
    content before it is extracted. An entry recorded for a file changed only a few
    seconds before that scan ("racy", as git calls it) is trusted only once its
    content hashes to the recorded key again, so a write within the same timestamp
    tick is never missed.
    """
    t0 = time.perf_counter()
    start_ns = time.time_ns()
    n = len(files)
    col = Collected(files, max_size=max_size)
    results: list[FileFacts | None] = [None] * n
    reasons: list[str | None] = [None] * n
    entries: dict[str, tuple] = {}          # the new manifest
    salt = cache.salt if cache is not None and cache.db is not None else None
    manifest = cache.manifest(root) if salt is not None and root else {}

    pool = None
    parallel = jobs > 1 and n > 200
    if parallel and not manifest:
        # nothing known yet: let the workers start (and compile queries) right away
        pool = _start_pool(jobs, salt, cache)

    todo: list[int] = []
    if manifest:
        for i, f in enumerate(files):
            m = manifest.get(f.path)
            if m is not None and len(m) == 9 and m[0] == f.lang:
                sig = f.sig or _stat_sig(f.abspath)
                if sig is not None and sig == tuple(m[1:5]) \
                        and (max_size is None or sig[0] <= max_size):
                    entry = m
                    if m[6]:   # racy when recorded: trust it only if the content still hashes to it
                        data, _ = read_source(f, max_size)
                        if data is None or content_key(salt, f.path, f.lang, data) != m[5]:
                            todo.append(i)
                            continue
                        entry = m[:6] + (_racy(sig, start_ns),) + m[7:]
                    entries[f.path] = entry
                    col.stored[f.path] = m[5]
                    col.digests[f.path], col.lines[f.path] = m[7], m[8]
                    continue
            todo.append(i)
        if cache is not None:
            cache.hits += n - len(todo)
    else:
        todo = list(range(n))
    t_cache = time.perf_counter() - t0

    t1 = time.perf_counter()
    t_decode = 0.0
    items = [(files[i].path, files[i].abspath, files[i].lang, files[i].role, max_size) for i in todo]
    outs = []
    stored: list[bool] = []   # per result: its facts were written to the cache by a worker
    if parallel and len(todo) > 200:
        if pool is None:
            pool = _start_pool(jobs, salt, cache)
        chunk = min(512, max(16, len(items) // (jobs * 16)))
        batches = [items[i:i + chunk] for i in range(0, len(items), chunk)]
        done = 0
        try:
            for out, error, damaged in pool.map(_work_batch, batches):
                if cache is not None:
                    cache.damaged += damaged
                if error and cache is not None:
                    cache.error = error
                td = time.perf_counter()
                for r in out:
                    blob = r[2]
                    if isinstance(blob, tuple):      # deferred by the worker
                        outs.append((r, _STORED))
                        stored.append(True)
                        continue
                    fx = decode_facts(blob) if blob is not None else None
                    digest = facts_digest(blob) if fx is not None and salt is not None else None
                    # cached by the worker (or not wanted): let the bytes go
                    r = r[:2] + (digest if not error else blob,) + r[3:]
                    outs.append((r, fx))
                    stored.append(not error)
                t_decode += time.perf_counter() - td
                done += len(out)
                if progress:
                    progress(done, len(items))
        except BaseException:   # an interrupt or a signal (see cli.main): no worker left behind
            _stop_pool(pool)
            raise
        pool.shutdown()
    else:
        if pool is not None:
            pool.shutdown()
        lookup = (lambda k: cache.get_blobs([k]).get(k)) if salt is not None else None
        for j, item in enumerate(items):
            r = _process(item, salt, lookup, False)
            if _deferrable(r, salt):
                outs.append((_defer(r), _STORED))
                stored.append(True)
                continue
            fx = r[1]
            if fx is None and r[2] is not None:
                fx = decode_facts(r[2])
            outs.append((r, fx))
            stored.append(False)
            if progress and j % 200 == 0:
                progress(j, len(items))
    for j, (i, ((path, _, blob, reason, key, sig, fresh), fx)) in enumerate(zip(todo, outs)):
        if fx is _STORED:
            digest, lines = blob
            col.stored[path] = key
            col.digests[path], col.lines[path] = digest, lines
            if sig is not None:
                entries[path] = (files[i].lang,) + sig + (key, _racy(sig, start_ns), digest, lines)
            continue
        in_cache = stored[j] and fresh
        has_digest = stored[j]    # the parallel path kept only the digest of the bytes
        if fx is None and reason is None:
            # an unreadable cache entry: extract again, here, and replace it
            if cache is not None:
                cache.damaged += 1
            r = _process(items[j], None, None, False)
            fx, reason = r[1], r[3]
            fresh, in_cache, has_digest = fx is not None, False, False
            blob = encode_facts(fx) if fx is not None and key is not None else None
        if fx is None:
            reasons[i] = reason or "skipped"
            continue
        results[i] = fx
        if key is None:
            continue
        if has_digest:
            digest = blob
        else:
            digest = facts_digest(blob)
            if fresh and not in_cache:
                cache.put_blob(key, blob)
        col.digests[path] = digest
        if sig is not None:
            entries[path] = (files[i].lang,) + sig + (key, _racy(sig, start_ns), digest, fx.lines)
    if cache is not None:
        cache.misses += sum(1 for _, fx in outs if fx is not None and fx is not _STORED)
        cache.hits += sum(1 for _, fx in outs if fx is _STORED)
    t_extract = time.perf_counter() - t1 - t_decode

    t2 = time.perf_counter()
    if cache is not None:
        cache.flush()
        if salt is not None and root:
            if entries != manifest:
                cache.save_manifest(root, entries)
            cache.mark_used(root)
            if cache.misses:
                cache.prune()
    t_write = time.perf_counter() - t2

    for f, fx, reason in zip(files, results, reasons):
        if fx is not None:
            col.facts[f.path] = fx
            col.lines[f.path] = fx.lines
        elif f.path in col.stored:
            pass          # digest and lines known; facts fetched by load_facts if needed
        else:
            col.skipped.append((f.path, reason or "skipped"))
    col.timings = {"cache_lookup": t_cache, "extract": t_extract, "decode": t_decode,
                   "cache_write": t_write}
    return col


# Stands for facts found in the cache by content: their digest and line count come
# from the stored bytes, which are decoded only if the analysis has to be rebuilt.
_STORED = object()


def _deferrable(r: tuple, salt: bytes | None) -> bool:
    """A ``_process`` result whose facts came from the cache (not extracted now)."""
    return salt is not None and r[1] is None and r[2] is not None and r[4] is not None and not r[6]


def _defer(r: tuple) -> tuple:
    return r[:2] + ((facts_digest(r[2]), blob_lines(r[2])),) + r[3:]


def load_facts(col: Collected, cache: FactsCache | None) -> dict[str, FileFacts]:
    """Every file's facts, in ``col.files`` order: the stored ones are fetched and
    decoded now; one whose cache entry has gone or is damaged is extracted again."""
    if col.stored:
        t0 = time.perf_counter()
        by_key: dict[str, list[str]] = {}
        for path, key in col.stored.items():
            by_key.setdefault(key, []).append(path)
        blobs = cache.get_blobs(by_key) if cache is not None else {}
        files = {f.path: f for f in col.files}
        for key, paths in by_key.items():
            blob = blobs.get(key)
            fx = decode_facts(blob) if blob is not None else None
            if fx is None and blob is not None and cache is not None:
                cache.damaged += 1
            for path in paths:
                got = fx
                if got is None:
                    got, reason = _extract_again(files[path], col.max_size, key, cache)
                    if got is None:
                        col.skipped.append((path, reason or "skipped"))
                        col.digests.pop(path, None)
                        col.lines.pop(path, None)
                        continue
                col.facts[path] = got
        col.stored = {}
        if cache is not None:
            cache.flush()
        col.timings["cache_lookup"] = col.timings.get("cache_lookup", 0.0) + time.perf_counter() - t0
    return {f.path: col.facts[f.path] for f in col.files if f.path in col.facts}


def _extract_again(f: SourceFile, max_size: int | None, key: str,
                   cache: FactsCache | None) -> tuple[FileFacts | None, str | None]:
    """Facts of a file whose cache entry was gone or damaged; the entry is replaced
    when the file still holds the content it was recorded for."""
    salt = cache.salt if cache is not None and cache.db is not None else None
    _, fx, blob, reason, new_key, _, _ = _process(
        (f.path, f.abspath, f.lang, f.role, max_size), salt, None, False)
    if fx is not None and blob is not None and new_key == key:
        cache.put_blob(key, blob)
    return fx, reason


def _racy(sig: tuple, start_ns: int) -> bool:
    """Was the file modified (or its inode changed) too shortly before this scan?"""
    return sig[1] >= start_ns - _RACY_NS or sig[2] >= start_ns - _RACY_NS


def _start_pool(jobs: int, salt: bytes | None, cache: FactsCache | None) -> ProcessPoolExecutor:
    db_path = cache.path if salt is not None and cache is not None else None
    return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init,
                               initargs=(salt, db_path, os.getpid()))


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """End the workers now (the scan was interrupted): waiting for the queued batches
    would keep them running, and an interrupted parent must not leave any behind."""
    pool.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(pool, "terminate_workers", None)   # Python 3.14
    if terminate is not None:   # pragma: no cover - newer Pythons
        terminate()
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.terminate()
        except (OSError, ValueError):   # pragma: no cover - already gone
            pass
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.join(2)


def _inside(path: str, root: str) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _read_small(root: str, name: str) -> str | None:
    """A file at the root (Gemfile.lock), if it is a regular file inside the root."""
    path = os.path.join(root, name)
    if not _inside(path, root):
        return None
    data, _ = read_regular_file(path, 10_000_000)
    return data.decode("utf-8", "replace") if data is not None else None


def run_scan(root: str, options: ScanOptions | None = None) -> ScanResult:
    """Scan ``root``.

    The scan builds millions of small, long-lived objects and no reference cycles
    worth collecting, so the cyclic garbage collector is paused while it runs (it
    would otherwise walk the whole growing heap again and again), and what the scan
    built is then moved out of its sight (``gc.freeze``) before it is resumed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_scan(root, options)
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _with_context(root: str, discovery: DiscoveryResult, options: ScanOptions) -> DiscoveryResult:
    """Add the files of each ``--context`` folder, named by their path from the root
    (``../infra/rules.yml``) and given the context role: what they reference is used from
    outside, what they define is not a candidate (nor a definition at all)."""
    files = list(discovery.files)
    skipped = list(discovery.skipped)
    for ctx in options.context:
        label = os.path.relpath(os.path.abspath(ctx), os.path.abspath(root)).replace(os.sep, "/")
        if label == "." or not label.startswith(".."):
            continue   # inside the root: scanned anyway
        found = discover_files(ctx, max_size=options.max_size)
        files += [dataclasses.replace(f, path=f"{label}/{f.path}",
                                      role=f.role if f.role == Role.TEST else Role.CONTEXT)
                  for f in found.files]
        skipped += [(f"{label}/{p}", why) for p, why in found.skipped]
    files.sort(key=lambda f: f.path)
    return dataclasses.replace(discovery, files=files, skipped=skipped)


def _run_scan(root: str, options: ScanOptions | None = None) -> ScanResult:
    options = options or ScanOptions()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    discovery = discover_files(root, exclude=options.exclude, include=options.include,
                               test_patterns=options.test_patterns, max_size=options.max_size,
                               extra_text=options.extra_text)
    if options.context:
        discovery = _with_context(root, discovery, options)
    timings["discover"] = time.perf_counter() - t

    jobs = options.jobs or os.cpu_count() or 1
    root_abs = os.path.abspath(root)
    cache = None
    notes: list[str] = list(discovery.notes)
    if options.cache_dir != "":
        cache_dir = options.cache_dir or default_cache_dir()
        unsafe = unsafe_folder(cache_dir) if options.cache_dir is None else None
        if _inside(cache_dir, root):
            # never write into the scanned tree, and never read what it ships
            notes.append(f"cache not used: {cache_dir} is inside the scanned folder")
        elif unsafe:
            # others could plant facts there; --cache-dir names it on purpose
            notes.append(f"cache not used: {unsafe} (pass --cache-dir to use it anyway)")
        else:
            cache = FactsCache(cache_dir, __version__)
    col = collect_facts(discovery.files, jobs, cache, options.progress,
                        max_size=options.max_size, root=root_abs)
    if cache is not None and cache.error:
        notes.append(cache.error)
    timings.update(col.timings)
    gemfiles = (_read_small(root, "Gemfile.lock"), _read_small(root, "Gemfile"))

    inputs = None
    if options.reuse_analysis and cache is not None and cache.db is not None \
            and len(col.digests) == len(col.lines):
        t = time.perf_counter()
        inputs = _inputs_digest(cache.salt, options, discovery, col, gemfiles)
        stored = cache.analysis(root_abs)
        reused = None
        if stored is not None and stored[0] == inputs and _reads_unchanged(root_abs, stored[1]):
            reused = _from_payload(root, discovery, col, stored[2], notes)
        timings["reuse"] = time.perf_counter() - t
        if reused is not None:
            _note_damage(cache, notes)
            reused.timings = timings
            return reused

    facts = load_facts(col, cache)
    skipped = col.skipped
    timings["cache_lookup"] = col.timings["cache_lookup"]

    from .classify import classify       # not needed when the analysis is reused
    from .graph import build_graph
    from .plugins import enabled_plugins

    t = time.perf_counter()
    files = [f for f in discovery.files if f.path in facts]
    gems = parse_gems(*gemfiles)
    plugins = enabled_plugins(gems, options.plugins)
    index = build_index(root_abs, files, facts, plugins, options.index, gems)
    timings["index"] = time.perf_counter() - t

    t = time.perf_counter()
    graph = build_graph(index)
    timings["graph"] = time.perf_counter() - t
    t = time.perf_counter()
    classification = classify(index, graph)
    timings["classify"] = time.perf_counter() - t

    partial = []
    for path in sorted(facts):
        fx = facts[path]
        reasons = []
        if fx.error_regions:
            # valid Ruby the grammar does not know (`def m(&) = n(&)`) looks the same as
            # broken Ruby to the parser: say so without blaming the code
            n = fx.error_regions
            reasons.append(f"the parser does not support {'this construct' if n == 1 else 'these constructs'}: "
                           f"{n} region{'s' if n != 1 else ''} (Ruby newer than its grammar, or a syntax "
                           f"error); kept what parsed")
        if fx.note:
            reasons.append(fx.note)
        if reasons:
            partial.append((path, "; ".join(reasons)))
    partial += index.partial
    partial.sort()
    unmatched = frozenset()
    if options.index.keep:      # name_matches, through one index of the names (not pairs)
        names = NameIndex([d.name for d in index.definitions.values()])
        unmatched = frozenset(name for name, _ in options.index.keep
                              if not names.matching(name, or_equal=True))
    notes += [n for n in index.notes if n not in notes]
    if inputs is not None:
        t = time.perf_counter()
        payload = {
            "candidates": classification.candidates, "kept": classification.kept,
            "hidden_by_keep": classification.hidden_by_keep,
            "index_skipped": index.skipped, "partial": partial,
            "definitions": len(index.definitions), "unmatched_keeps": unmatched,
            "notes": list(index.notes),
        }
        reads = tuple(sorted(set(index.raw_reads)))
        cache.save_analysis(root_abs, inputs, reads, payload)
        timings["store"] = time.perf_counter() - t
    if cache is not None:
        _note_damage(cache, notes)
    all_skipped = sorted(set(discovery.skipped) | set(skipped) | set(index.skipped))
    return ScanResult(
        root=root, discovery=discovery, index=index, graph=graph, classification=classification,
        skipped=all_skipped, partial=partial, timings=timings, files_scanned=len(files),
        notes=notes, lines=col.lines, definition_count=len(index.definitions),
        unmatched_keeps=unmatched,
    )


def _note_damage(cache: FactsCache, notes: list[str]) -> None:
    if cache.damaged:
        n = cache.damaged
        notes.append(f"cache: {n} damaged entr{'y' if n == 1 else 'ies'} ignored and rebuilt")


# --- reusing the last analysis ------------------------------------------------
#
# The analysis (index, graph, verdicts) is a function of the files' facts and of a
# few other inputs. Its result is stored per root with a digest of those inputs;
# when a scan finds the same digest it reuses the result instead of rebuilding it.
# Because the digest is taken over the facts, not the bytes, an edit that changes no
# fact (a touched file, a comment appended) reuses it too ("early cutoff"). Files a
# plugin reads whole (routes, structure.sql) are checked by their bytes as well.

_ANALYSIS_CODE: list[str] = []


def _analysis_code_hash() -> str:
    """Every source file of the package: any change to the rules is a new analysis."""
    if not _ANALYSIS_CODE:
        h = hashlib.sha256()
        here = os.path.dirname(os.path.abspath(__file__))
        for folder, dirs, names in os.walk(here):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith((".py", ".scm")):
                    h.update(name.encode())
                    try:
                        with open(os.path.join(folder, name), "rb") as fh:
                            h.update(fh.read())
                    except OSError:
                        h.update(b"?")
        _ANALYSIS_CODE.append(h.hexdigest())
    return _ANALYSIS_CODE[0]


def _inputs_digest(salt: bytes, options: ScanOptions, discovery: DiscoveryResult,
                   col: Collected, gemfiles: tuple) -> str:
    h = hashlib.sha256(salt)
    h.update(_analysis_code_hash().encode())
    h.update(repr((options.index, sorted(options.plugins.items()), gemfiles,
                   discovery.skipped, sorted(col.skipped))).encode("utf-8", "surrogateescape"))
    digests, lines = col.digests, col.lines
    for f in discovery.files:
        if f.path in lines:
            h.update(f"\n{f.path}\0{f.lang}\0{f.role.value}\0{digests[f.path]}".encode(
                "utf-8", "surrogateescape"))
    return h.hexdigest()


def _reads_unchanged(root: str, reads: tuple) -> bool:
    """Do the files plugins read whole still hold what they held for the stored analysis?"""
    return all(whole_file_digest(read_inside(root, rel)) == digest for rel, digest in reads)


def _from_payload(root: str, discovery: DiscoveryResult, col: Collected, payload: dict,
                  notes: list[str]) -> ScanResult | None:
    try:
        classification = ReusedClassification(list(payload["candidates"]), list(payload["kept"]),
                                              dict(payload["hidden_by_keep"]))
        skipped = sorted(set(discovery.skipped) | set(col.skipped) | set(payload["index_skipped"]))
        notes += [n for n in payload["notes"] if n not in notes]
        return ScanResult(
            root=root, discovery=discovery, index=None, graph=None,
            classification=classification, skipped=skipped, partial=list(payload["partial"]),
            timings={}, files_scanned=len(col.lines), notes=notes, lines=col.lines,
            definition_count=payload["definitions"],
            unmatched_keeps=frozenset(payload["unmatched_keeps"]), reused=True,
        )
    except (KeyError, TypeError):
        return None
