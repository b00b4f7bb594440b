"""The command line. The only module that talks to the user.

Commands: ``scan`` (the report), ``baseline`` (snapshot of today's candidates),
``explain`` (why one definition is live or dead), ``graph`` (the references
around one definition, as Mermaid or Graphviz), ``init`` (a first ``.deadcode.yml``).

Every error is one line on stderr, ``deadcode: error: <message>``, and exit
code 2 (``ExitCode.USAGE_ERROR``); a failed ``--fail-on`` gate exits 1.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import signal
import sys
import time
from dataclasses import dataclass

import click

from . import __version__
from .config import (CONFIG_NAME, Config, ConfigError, find_app_root, find_config, load_config,
                     rails_signs)
from .discovery import DiscoveryError
from .index import IndexOptions
from .model import ExitCode
from .report import FORMATS, chunk_renderer, format_for_file, renderer
from .report.data import build_report, source_info, source_url_error
from .scan import ScanOptions, ScanResult, run_scan
from .model import CONFIDENCES, KINDS
from .suppress import (
    BaselineError, FilterError, apply_baseline, expired_keeps, filters_active, gate_failed,
    load_baseline, make_baseline, parse_filters, passes, render_baseline, split_keeps, stale_keeps,
)
from .writing import WriteError, write_file

DEFAULT_REPORT_DIR = "reports"


def _fail(message: str) -> None:
    click.echo(f"deadcode: error: {message}", err=True)
    sys.exit(ExitCode.USAGE_ERROR)


def _note(message: str, quiet: bool) -> None:
    if not quiet:
        click.echo(f"deadcode: {message}", err=True)


def _color_ok(stream, mode: str = "auto") -> bool:
    """``--color``: ``always``/``never`` decide; ``auto`` colours a terminal, or any stream
    when ``FORCE_COLOR`` is set (``| less -R``), and never when ``NO_COLOR`` is set
    (https://no-color.org; it wins over FORCE_COLOR, as in CPython)."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or stream.isatty()


COLOR_OPTION = click.option(
    "--color", "color_mode", type=click.Choice(["auto", "always", "never"], case_sensitive=False),
    default="auto", show_default=True,
    help="Colour the text on stdout: auto = on a terminal or when FORCE_COLOR is set, "
         "never when NO_COLOR is set.")


# ---------------------------------------------------------------------------
# progress
# ---------------------------------------------------------------------------

class _Progress:
    """``ScanOptions.progress``: a one-line bar on stderr, drawn only on a terminal and
    only once the scan has taken more than a second."""

    DELAY = 1.0
    WIDTH = 30

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.start = time.monotonic()
        self.drawn = 0
        self.label = "reading files"

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0 or time.monotonic() - self.start < self.DELAY:
            return
        filled = self.WIDTH * min(done, total) // total
        line = f"\rdeadcode: {self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        sys.stderr.write(line)
        sys.stderr.flush()
        self.drawn = len(line)

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r" + " " * self.drawn + "\r")
            sys.stderr.flush()
            self.drawn = 0


# ---------------------------------------------------------------------------
# one analysis: config -> scan options -> scan -> keeps
# ---------------------------------------------------------------------------

@dataclass
class Analysis:
    result: ScanResult
    config: Config
    stale_keeps: list[dict]
    expired_keeps: list[dict]


def analysis_options(f):
    """Options every command that scans shares."""
    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                     help="Configuration file (default: .deadcode.yml or .deadcode.yaml in the app root)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                     help="Worker processes for parsing (default: CPU count)."),
        click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
                     help="Cache folder (default: $XDG_CACHE_HOME/deadcode or ~/.cache/deadcode)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=None, metavar="BYTES",
                     help="Skip files larger than this (default: config max_file_size or 2000000)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar or notes on stderr."),
        click.option("--context", "context", multiple=True, metavar="DIR",
                     type=click.Path(file_okay=False, exists=True),
                     help="Another repository or folder (an infra repo, a service that enqueues "
                          "jobs) read only for the references it makes; never a candidate. Repeatable."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _shown_path(path: str) -> str:
    """A folder as the user would type it: relative to the current folder when inside it."""
    rel = os.path.relpath(path)
    return os.path.abspath(path) if rel.startswith(os.pardir) or rel == os.curdir else rel


def app_root(path: str, quiet: bool) -> str:
    """The app root to scan for PATH: PATH, or the nearest folder above it with a Gemfile,
    a deadcode config file or .git (said on stderr when it is not PATH)."""
    if not os.path.isdir(path):
        return path          # discovery says what is wrong with it
    root, marker = find_app_root(path)
    if os.path.realpath(root) == os.path.realpath(path):
        root = path
    elif marker is not None:
        _note(f"app root: {_shown_path(root)} (the nearest folder with {marker} above "
              f"{_shown_path(os.path.abspath(path))})", quiet)
    return root


def _warn_if_not_rails(root: str, quiet: bool) -> None:
    """Said once the command has done its work (an error stays the one line on stderr)."""
    if os.path.isdir(root) and not rails_signs(root):
        _note(f"warning: no sign of Rails in {_shown_path(root)} (no config/application.rb, "
              f"no Gemfile naming rails); is this the app's folder?", quiet)


def default_report_name(root: str, today: _dt.date) -> str:
    """``deadcode-<app>-YYYY-MM-DD.html``: the app's folder name, so scans of two apps on
    one day do not overwrite each other."""
    app = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(os.path.abspath(root))).strip("._") or "app"
    return f"deadcode-{app}-{today.isoformat()}.html"


def _glob_escape(path: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in path)


def _repo_relative(root: str, path: str | None) -> str | None:
    """``path`` as a repo-relative POSIX path, or None when it is outside ``root``."""
    if not path or path == "-":
        return None
    try:
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    except ValueError:  # pragma: no cover - another drive on Windows
        return None
    if rel in (os.curdir, os.pardir) or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def _own_files(root: str, paths) -> tuple[str, ...]:
    """Exclude globs for deadcode's own files (config, baseline, reports) inside the root:
    their names would otherwise read as references from a text source."""
    rels = (_repo_relative(root, p) for p in paths)
    return tuple(_glob_escape(rel) for rel in rels if rel)


def _known_plugins() -> set[str]:
    from .plugins import all_plugins
    return {p.name for p in all_plugins()}


def analyse(path: str, *, config_path: str | None, jobs: int, cache_dir: str | None,
            no_cache: bool, max_file_size: int | None, quiet: bool, own_files=(),
            reuse: bool = False, context: tuple[str, ...] = ()) -> Analysis:
    """Configuration, then the scan. ``reuse``: the caller needs the verdicts only, so
    the stored analysis may stand in for the index and graph when nothing changed."""
    cfg_file = config_path or find_config(path)
    try:
        config = load_config(cfg_file, _known_plugins(), root=path) if cfg_file else Config()
    except ConfigError as exc:
        _fail(str(exc))
    active, expired = split_keeps(config.keep, _dt.date.today())
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    options = ScanOptions(
        exclude=config.exclude + _own_files(path, (cfg_file, *own_files)),
        include=config.include,
        test_patterns=config.test_paths,
        max_size=max_file_size or config.max_file_size or ScanOptions().max_size,
        jobs=jobs,
        cache_dir="" if no_cache else cache_dir,
        plugins=dict(config.plugins),
        index=IndexOptions(
            dispatch_maps=config.dispatch_maps,
            roots=tuple((r.name, r.reason) for r in config.roots),
            keep=tuple((r.name, r.reason) for r in active),
            conventions=config.conventions,
        ),
        extra_text=config.trigger_sources,
        context=tuple(context),
        progress=progress,
        reuse_analysis=reuse,
    )
    try:
        result = run_scan(path, options)
    except DiscoveryError as exc:
        _fail(str(exc))
    finally:
        progress.close()
    for message in getattr(result, "notes", ()):
        _note(message, quiet)
    stale, gone = stale_keeps(active, result.unmatched_keeps), expired_keeps(expired)
    rel = _repo_relative(path, cfg_file)
    if rel and rel != cfg_file:   # origins in the report are repo-relative like every path
        for entry in stale + gone:
            if entry["origin"].startswith(cfg_file + ":"):
                entry["origin"] = rel + entry["origin"][len(cfg_file):]
    return Analysis(result, config, stale, gone)


def _write(path: str, text, root: str, color: bool = False) -> None:
    """Write a report or baseline (``-``: stdout; a string or an iterable of pieces)
    atomically, never through a symbolic link; inside the scanned ``root`` no folder on
    the way may be a link either."""
    if path == "-":
        for piece in [text] if isinstance(text, str) else text:
            click.echo(piece, nl=False, color=color or None)
        return
    try:
        write_file(path, text, base=root)
    except WriteError as exc:
        _fail(f"cannot write {path}: {exc}")
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


TEXT_WIDTH = 100   # text lines are cut to this when the output is not a terminal


def _text_width(stream) -> int:
    """The terminal's width (COLUMNS when set), else TEXT_WIDTH."""
    if os.environ.get("COLUMNS", "").isdigit():
        return max(int(os.environ["COLUMNS"]), 40)
    if stream is not None and stream.isatty():
        import shutil
        return max(shutil.get_terminal_size((TEXT_WIDTH, 24)).columns, 40)
    return TEXT_WIDTH


def _render_pieces(fmt: str, report: dict, verbose: bool = False):
    """The report for a file: in pieces when the format writes them so (a report of
    50,000 candidates is then never held whole), else as one string."""
    fn = chunk_renderer(fmt)
    if fn is None:
        return _render(fmt, report, verbose=verbose)
    return fn(report)


def _render(fmt: str, report: dict, color: bool = False, verbose: bool = False,
            stream=None) -> str:
    fn = renderer(fmt)
    if fmt == "text":
        return fn(report, color=color, width=None if verbose else _text_width(stream),
                  verbose=verbose)
    return fn(report)


# ---------------------------------------------------------------------------
# runtime evidence (--runtime-log): baseline status and --fail-on include what it adds
# ---------------------------------------------------------------------------

def _runtime_evidence(result: ScanResult, runtime_logs: tuple[str, ...] = (), quiet: bool = True,
                      force: bool = False):
    """Join runtime logs with the static verdicts.

    Replaces ``result.classification`` with the joined one and returns
    (extra candidates, seen_at_runtime candidates, report["runtime"] dict).
    A file whose names mostly do not exist in this app (another app's log) is set
    aside unless ``force``: nothing is seen or unseen because of it.
    """
    if not runtime_logs:
        return [], [], None
    from .classify import MIN_FIT, apply_runtime, foreign_runtime_logs
    from .runtime import RuntimeLogError, read_runtime_logs

    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    progress.label = "reading logs"
    try:
        log = read_runtime_logs(list(runtime_logs), stdin=sys.stdin.buffer,
                                progress=lambda done, total: progress(done, total or 0))
    except RuntimeLogError as exc:
        _fail(str(exc))
    finally:
        progress.close()
    foreign = foreign_runtime_logs(result.index, log)
    for entry in foreign:
        what = (f"runtime log {entry['file']}: {entry['found']} of the {entry['names']} job classes, "
                f"controllers and rake tasks it names exist in this app (under 1 in {MIN_FIT}): "
                f"is it another app's log?")
        log.warnings.append(f"{what} Used anyway (--force-runtime)." if force else
                            f"{what} Not used: nothing counts as seen or unseen because of it "
                            f"(--force-runtime to use it).")
    if foreign and not force:
        log = log.without(foreign)
    for warning in log.warnings:
        _note(warning, quiet)
    joined = apply_runtime(result.index, result.graph, result.classification, log)
    result.classification = joined.classification
    result.graph = joined.graph
    return [], joined.seen_at_runtime, log.to_dict()


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deadcode")
def cli() -> None:
    """Find dead code in a Ruby on Rails repository.

    Exit codes: 0 ok, 1 the --fail-on gate failed, 2 usage or input error.
    """


FORMAT_NAMES = list(FORMATS)


@cli.command()
@click.argument("path", default=".", required=False)
@click.option("--format", "formats", multiple=True, default=(),
              type=click.Choice(FORMAT_NAMES, case_sensitive=False),
              help="Report format; repeat for several (needs --output-dir). Default: text.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the report to FILE ('-': stdout).")
@click.option("--output-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Write deadcode.<ext> for each format into DIR.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Mark candidates new/known against a file written by `deadcode baseline`.")
@click.option("--fail-on", type=click.Choice(["new", "any", "none"], case_sensitive=False),
              default="none", show_default=True,
              help="Exit 1 if there are new candidates (not in --baseline) / any candidates.")
@click.option("--runtime-log", "runtime_logs", multiple=True, metavar="FILE",
              help="A production log export to confirm verdicts with (repeatable; '-' for stdin; .gz ok).")
@click.option("--source-url", "source_url", metavar="TEMPLATE", default=None,
              help="Link each location to its source: a URL with {path}, {line} and {commit} "
                   "(the checked-out git commit), e.g. "
                   "https://github.com/org/app/blob/{commit}/{path}#L{line}. Used by the html, "
                   "markdown and sarif formats.")
@click.option("--force-runtime", is_flag=True,
              help="Use a runtime log even when the names it gives mostly do not exist in this "
                   "app (by default such a file is set aside with a warning).")
@click.option("--min-confidence", type=click.Choice(CONFIDENCES, case_sensitive=False), default=None,
              help="Show (and gate on) only candidates at least this certain.")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help=f"Only these kinds ({', '.join(KINDS)}); repeatable or comma-separated.")
@click.option("--select", multiple=True, metavar="CODE",
              help="Only these verdict codes or code prefixes (DC102, DC10); repeatable or comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODE",
              help="Leave out these verdict codes or prefixes; repeatable or comma-separated.")
@click.option("--new-only/--all", "new_only", default=None,
              help="With --baseline, show only new candidates (default for --format github "
                   "with a baseline) / show every candidate (default otherwise).")
@click.option("--verbose", "-v", is_flag=True,
              help="Text: every reason and reference of each candidate (lines not cut).")
@click.option("--timings", is_flag=True, help="Print stage times to stderr.")
@COLOR_OPTION
@analysis_options
def scan(path, formats, output, output_dir, baseline_file, fail_on, runtime_logs, source_url,
         force_runtime, timings, color_mode, min_confidence, kinds, select, ignore, new_only,
         verbose, **opts):
    """Scan PATH (default: .) and report dead-code candidates."""
    path = app_root(path, opts["quiet"])
    formats = list(dict.fromkeys(f.lower() for f in formats)) or \
        [(output and output != "-" and format_for_file(output)) or "text"]
    if source_url is not None:
        problem = source_url_error(source_url)
        if problem:
            _fail(problem)
    if output and output_dir:
        _fail("--output and --output-dir cannot be used together")
    if len(formats) > 1 and not output_dir:
        _fail(f"{len(formats)} formats need --output-dir DIR (one file per format)")
    if new_only is None:   # a PR's annotations show what the PR introduced
        new_only = bool(baseline_file) and formats == ["github"]
    if new_only and not baseline_file:
        _fail("--new-only needs --baseline FILE")
    try:
        filters = parse_filters(min_confidence and min_confidence.lower(), kinds, select, ignore,
                                new_only)
    except FilterError as exc:
        _fail(str(exc))
    known = None
    if baseline_file:
        try:
            known = load_baseline(baseline_file, root=path)
        except BaselineError as exc:
            _fail(str(exc))
    targets = [output] if output else \
        [os.path.join(output_dir, f"deadcode.{FORMATS[f].extension}") for f in formats] if output_dir else []
    a = analyse(path, own_files=(baseline_file, *targets), reuse=not runtime_logs, **opts)
    result = a.result
    quiet = opts["quiet"]

    t_report = time.perf_counter()
    extra, seen, runtime = _runtime_evidence(result, runtime_logs, quiet, force=force_runtime)
    if runtime_logs:
        result.timings["runtime"] = time.perf_counter() - t_report
        t_report = time.perf_counter()
    candidates = list(result.classification.candidates) + list(extra)
    # stored repo-relative, like every path of the report (as typed when outside the repo)
    baseline_info = apply_baseline(candidates, known, _repo_relative(path, baseline_file) or baseline_file) \
        if known is not None else None
    report_filters = None
    if filters_active(filters):   # every format shows, and the gate counts, what passes
        shown = [c for c in candidates if passes(c, filters)]
        seen_filters = {**filters, "min_confidence": None, "new_only": False}
        seen = [c for c in seen if passes(c, seen_filters)]
        report_filters = {**filters, "hidden": len(candidates) - len(shown)}
        candidates = shown
    report = build_report(result, runtime=runtime, seen_at_runtime=seen, candidates=candidates,
                          baseline=baseline_info, stale_keeps=a.stale_keeps,
                          expired_keeps=a.expired_keeps, filters=report_filters)
    if source_url is not None:
        from .discovery import git_revision
        commit, prefix = git_revision(path)
        if commit is None and "{commit}" in source_url:
            _note(f"{path} is not in a git checkout with a commit: source links use HEAD "
                  f"for {{commit}}", quiet)
        report["source"] = source_info(source_url, commit, prefix)

    if output_dir:
        if len(formats) > 1:
            from .report.data import mark_printable
            report = mark_printable(report)   # checked once for every format
        for fmt, target in zip(formats, targets):
            _write(target, _render_pieces(fmt, report, verbose=verbose), path)
            _note(f"wrote {target}", quiet)
    elif output:
        color = output == "-" and _color_ok(sys.stdout, color_mode.lower())
        if output != "-" and formats[0] != "text":
            _write(output, _render_pieces(formats[0], report, verbose=verbose), path)
        else:
            _write(output, _render(formats[0], report, color=color, verbose=verbose,
                                   stream=sys.stdout if output == "-" else None), path, color=color)
        if output != "-":
            _note(f"wrote {output}", quiet)
    elif formats[0] == "html":
        folder = a.config.report_dir or DEFAULT_REPORT_DIR
        target = os.path.join(folder, default_report_name(path, _dt.date.today()))
        _write(target, _render_pieces("html", report), path)
        click.echo(target, err=True)
    else:
        color = _color_ok(sys.stdout, color_mode.lower())
        click.echo(_render(formats[0], report, color=color, verbose=verbose, stream=sys.stdout),
                   nl=False, color=color or None)

    _warn_if_not_rails(path, quiet)
    if timings:
        result.timings["report"] = time.perf_counter() - t_report
        for stage, secs in result.timings.items():
            click.echo(f"timing: {stage} {secs:.3f}s", err=True)
    failing = gate_failed(candidates, fail_on.lower())
    if failing:
        what = "new candidate" if fail_on.lower() == "new" else "candidate"
        _note(f"{failing} {what}{'s' if failing != 1 else ''} (--fail-on {fail_on.lower()})", quiet)
        sys.exit(ExitCode.GATE_FAILED)
    sys.exit(ExitCode.OK)


@cli.command()
@click.argument("path", default=".", required=False)
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write the baseline to FILE (default: stdout).")
@analysis_options
def baseline(path, output, **opts):
    """Write today's candidates of PATH as a baseline for `scan --baseline`."""
    path = app_root(path, opts["quiet"])
    a = analyse(path, own_files=(output,), reuse=True, **opts)
    extra, _seen, _runtime = _runtime_evidence(a.result)
    data = make_baseline(list(a.result.classification.candidates) + list(extra))
    _write(output, render_baseline(data), path)
    if output != "-":
        n = len(data["entries"])
        _note(f"wrote {n} entr{'y' if n == 1 else 'ies'} to {output}", opts["quiet"])
    _warn_if_not_rails(path, opts["quiet"])
    sys.exit(ExitCode.OK)


def _as_file(root: str, name: str, index) -> str | None:
    """NAME as a repo-relative file of the scan (given relative to the current folder or
    to the root), or None when it names no scanned file."""
    if "/" not in name and not name.endswith((".rb", ".rake", ".erb", ".yml", ".yaml")):
        return None
    for rel in (_repo_relative(root, name) if os.path.exists(name) else None, name.lstrip("./")):
        if rel and rel in index.files:
            return rel
    return None


def _lookup(a: Analysis, name: str, root: str = "."):
    """The definitions NAME means: a name (see explain.find_definitions) or a file path
    (what it defines). An unknown name is an error with the closest names."""
    from . import explain as explaining
    index = a.result.index
    defs = explaining.find_definitions(index, name)
    if not defs:
        rel = _as_file(root, name, index)
        if rel is not None:
            defs = explaining.definitions_in_file(index, rel)
            if not defs:
                _fail(f"{rel} defines nothing deadcode tracks (no class, module, action, task or table)")
            return defs
        close = explaining.close_names(index, name)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        _fail(f"no definition named {name}{hint}")
    return defs


@cli.command("explain")
@click.argument("name")
@click.argument("path", default=".", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"], case_sensitive=False),
              default="text", show_default=True)
@COLOR_OPTION
@analysis_options
def explain_cmd(name, path, fmt, color_mode, **opts):
    """Why is NAME live or dead? References, verdict, and the chain from an entry point."""
    from . import explain as explaining
    path = app_root(path, opts["quiet"])
    a = analyse(path, **opts)
    defs = _lookup(a, name, path)
    fmt = fmt.lower()
    rel = None if explaining.find_definitions(a.result.index, name) else _as_file(path, name, a.result.index)
    if rel is not None:   # a file: explain everything it defines
        records = [explaining.explain(a.result, d.id) for d in defs]
        if fmt == "json":
            click.echo(json.dumps({"file": rel, "definitions": records}, indent=2, ensure_ascii=False))
        else:
            color = _color_ok(sys.stdout)
            click.echo(f"{rel} defines {len(records)} definition{'s' if len(records) != 1 else ''}\n\n"
                       + "\n".join(explaining.render_explanation(r, color=color) for r in records), nl=False)
        _warn_if_not_rails(path, opts["quiet"])
        sys.exit(ExitCode.OK)
    if len(defs) > 1:
        if fmt == "json":
            click.echo(json.dumps({"query": name, "matches": [
                {"id": explaining.report_id(d), "name": d.name, "kind": d.kind,
                 "file": d.location.path, "line": d.location.line} for d in defs]}, indent=2))
        else:
            click.echo(explaining.render_matches(name, defs), nl=False)
        sys.exit(ExitCode.OK)
    record = explaining.explain(a.result, defs[0].id)
    if fmt == "json":
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        color = _color_ok(sys.stdout, color_mode.lower())
        click.echo(explaining.render_explanation(record, color=color), nl=False, color=color or None)
    _warn_if_not_rails(path, opts["quiet"])
    sys.exit(ExitCode.OK)


@cli.command("graph")
@click.argument("name")
@click.argument("path", default=".", required=False)
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="How many references away from NAME to go, in both directions.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=60, show_default=True,
              help="Draw at most this many nodes, the nearest to NAME first (a note says when trimmed).")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"], case_sensitive=False),
              default="mermaid", show_default=True)
@analysis_options
def graph_cmd(name, path, depth, max_nodes, fmt, **opts):
    """The references around NAME as a Mermaid or Graphviz graph; dead nodes are red."""
    from . import explain as explaining
    path = app_root(path, opts["quiet"])
    a = analyse(path, **opts)
    defs = _lookup(a, name, path)
    if len(defs) > 1:
        _fail(f"{name} is ambiguous: {', '.join(explaining.report_id(d) for d in defs)}")
    render = explaining.render_dot if fmt.lower() == "dot" else explaining.render_mermaid
    trimmed: list = []
    click.echo(render(a.result, defs[0].id, depth, max_nodes, trimmed), nl=False)
    if trimmed:
        shown, total = trimmed[0]
        _note(f"graph trimmed to {shown} of {total} nodes, the nearest to {name} first "
              f"(--max-nodes {max_nodes}; raise it or lower --depth)", opts["quiet"])
    _warn_if_not_rails(path, opts["quiet"])
    sys.exit(ExitCode.OK)


@cli.command("init")
@click.argument("path", default=".", required=False,
                type=click.Path(exists=True, file_okay=False))
def init_cmd(path):
    """Write PATH/.deadcode.yml (default: ./.deadcode.yml), commented, with what was detected.

    This edits the repository: it creates that one file, and nothing else. It records the
    app root, the plugins the bundled gems enable, the test folders and a report_dir.
    An existing .deadcode.yml or .deadcode.yaml is never overwritten (exit 2).
    """
    from .starter import detect, render_config
    target = os.path.join(path, CONFIG_NAME)
    for name in (CONFIG_NAME, ".deadcode.yaml"):
        existing = os.path.join(path, name)
        if os.path.lexists(existing):
            _fail(f"{existing} already exists; not overwritten")
    found = detect(path)
    text = render_config(found)
    try:
        write_file(target, text, base=path, replace=False)
    except WriteError as exc:
        _fail(f"cannot write {target}: {exc}")
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")
    n = len(found.plugins)
    click.echo(f"deadcode: wrote {target} ({n} plugin{'' if n == 1 else 's'} enabled by "
               f"{found.gem_source or 'no Gemfile'}; report_dir: {found.report_dir})", err=True)
    if not found.rails_signs:
        click.echo(f"deadcode: warning: {path} shows no sign of Rails (no config/application.rb, "
                   f"no Gemfile naming rails)", err=True)
    sys.exit(ExitCode.OK)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (ending the worker pool) and exit 128+signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, _frame) -> None:
    raise Terminated(signum)


def _handle_signals() -> None:
    """SIGTERM and SIGHUP unwind like ^C does, so the worker pool is ended on every
    signal (``scan._stop_pool``) instead of the process vanishing past it."""
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, _on_signal)
            except ValueError:   # pragma: no cover - not the main thread (embedded use)
                pass


def main(argv: list[str] | None = None) -> None:
    _handle_signals()
    try:
        rv = cli.main(args=argv, prog_name="deadcode", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(ExitCode.USAGE_ERROR)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        message = " ".join(exc.format_message().split())
        click.echo(f"deadcode: error: {message}{hint}", err=True)
        sys.exit(ExitCode.USAGE_ERROR)
    except click.ClickException as exc:
        click.echo(f"deadcode: error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(ExitCode.USAGE_ERROR)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("deadcode: interrupted", err=True)
        sys.exit(130)
    except Terminated as exc:
        name = signal.Signals(exc.signum).name
        click.echo(f"deadcode: interrupted ({name})", err=True)
        sys.exit(128 + exc.signum)
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        if os.environ.get("DEADCODE_DEBUG"):
            raise
        click.echo(f"deadcode: error: internal error: {type(exc).__name__}: {exc} "
                   f"(set DEADCODE_DEBUG=1 for the traceback)", err=True)
        sys.exit(ExitCode.USAGE_ERROR)
    sys.exit(rv if isinstance(rv, int) else ExitCode.OK)
