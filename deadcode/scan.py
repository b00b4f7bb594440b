"""One scan, start to finish: discover -> read/extract (parallel, cached) -> index
-> graph -> classify. Returns a ``ScanResult``; it prints nothing.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from . import __version__
from .cache import FactsCache
from .classify import Classification, classify
from .discovery import DiscoveryResult, discover_files
from .extract import extract_file
from .graph import Graph, build_graph
from .index import Index, IndexOptions, build_index, parse_gems
from .model import FileFacts, SourceFile
from .plugins import enabled_plugins


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


@dataclass
class ScanResult:
    root: str
    discovery: DiscoveryResult
    index: Index
    graph: Graph
    classification: Classification
    skipped: list[tuple[str, str]]
    partial: list[tuple[str, str]]
    timings: dict[str, float]
    files_scanned: int


def read_source(f: SourceFile) -> tuple[bytes | None, str | None]:
    """The bytes of a file, or a reason it was skipped."""
    try:
        with open(f.abspath, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return None, "vanished before it could be read"
    except PermissionError:
        return None, "permission denied"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if b"\0" in data[:8192] or (b"\0" in data and f.lang != "text"):
        return None, "binary file (contains NUL bytes)"
    return data, None


def _extract_one(args) -> tuple[str, FileFacts | None, str | None, str | None]:
    """Worker: (path, facts, skip reason, content hash)."""
    path, abspath, lang, role, cache_key_only = args
    f = SourceFile(path, abspath, role, lang)
    data, reason = read_source(f)
    if data is None:
        return path, None, reason, None
    try:
        facts = extract_file(path, lang, data)
    except RecursionError:
        return path, None, "too deeply nested to parse", None
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a scan
        return path, None, f"could not be analysed ({type(exc).__name__})", None
    return path, facts, None, None


def _extract_batch(batch):
    return [_extract_one(a) for a in batch]


def extract_all(files: list[SourceFile], jobs: int, cache: FactsCache | None, progress=None
                ) -> tuple[dict[str, FileFacts], list[tuple[str, str]], dict[str, float]]:
    facts: dict[str, FileFacts] = {}
    skipped: list[tuple[str, str]] = []
    todo: list[tuple[SourceFile, str | None, bytes | None]] = []
    t0 = time.perf_counter()
    if cache is not None:
        for f in files:
            data, reason = read_source(f)
            if data is None:
                skipped.append((f.path, reason))
                continue
            key = cache.key(f.path, f.lang, data)
            hit = cache.get(key)
            if hit is not None:
                facts[f.path] = hit
            else:
                todo.append((f, key, data))
    else:
        todo = [(f, None, None) for f in files]
    t_cache = time.perf_counter() - t0

    t1 = time.perf_counter()
    results = []
    if jobs > 1 and len(todo) > 200:
        chunk = max(16, len(todo) // (jobs * 8))
        batches = [
            [(f.path, f.abspath, f.lang, f.role, False) for f, _, _ in todo[i:i + chunk]]
            for i in range(0, len(todo), chunk)
        ]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = 0
            for out in pool.map(_extract_batch, batches):
                results.extend(out)
                done += len(out)
                if progress:
                    progress(done, len(todo))
    else:
        for i, (f, _, _) in enumerate(todo):
            results.append(_extract_one((f.path, f.abspath, f.lang, f.role, False)))
            if progress and i % 200 == 0:
                progress(i, len(todo))
    keys = {f.path: key for f, key, _ in todo}
    for path, fx, reason, _ in results:
        if fx is None:
            skipped.append((path, reason or "skipped"))
            continue
        facts[path] = fx
        if cache is not None and keys.get(path):
            cache.put(keys[path], fx)
    t_extract = time.perf_counter() - t1
    if cache is not None:
        cache.flush()
    return facts, skipped, {"cache_lookup": t_cache, "extract": t_extract}


def _read_small(root: str, name: str) -> str | None:
    try:
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as fh:
            return fh.read(2_000_000)
    except OSError:
        return None


def run_scan(root: str, options: ScanOptions | None = None) -> ScanResult:
    options = options or ScanOptions()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    discovery = discover_files(root, exclude=options.exclude, include=options.include,
                               test_patterns=options.test_patterns, max_size=options.max_size,
                               extra_text=options.extra_text)
    timings["discover"] = time.perf_counter() - t

    jobs = options.jobs or os.cpu_count() or 1
    cache = None
    if options.cache_dir != "":
        cache = FactsCache(options.cache_dir, __version__)
    facts, skipped, t_ex = extract_all(discovery.files, jobs, cache, options.progress)
    timings.update(t_ex)

    t = time.perf_counter()
    files = [f for f in discovery.files if f.path in facts]
    gems = parse_gems(_read_small(root, "Gemfile.lock"), _read_small(root, "Gemfile"))
    plugins = enabled_plugins(gems, options.plugins)
    index = build_index(os.path.abspath(root), files, facts, plugins, options.index, gems)
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
        if fx.error_regions:
            partial.append((path, f"{fx.error_regions} syntax error region"
                                  f"{'s' if fx.error_regions != 1 else ''}; kept what parsed"))
        elif fx.note:
            partial.append((path, fx.note))
    partial += index.partial
    all_skipped = sorted(set(discovery.skipped) | set(skipped) | set(index.skipped))
    return ScanResult(
        root=root, discovery=discovery, index=index, graph=graph, classification=classification,
        skipped=all_skipped, partial=sorted(partial), timings=timings, files_scanned=len(files),
    )
