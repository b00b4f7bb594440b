"""The command line. The only module that talks to the user."""

from __future__ import annotations

import os
import sys

import click

from . import __version__
from .discovery import DiscoveryError
from .model import ExitCode
from .report.data import build_report, render_json
from .report.text import render_text
from .scan import ScanOptions, run_scan


class UsageError(Exception):
    """A one-line message for the user; exit code 2."""


def _fail(message: str) -> None:
    click.echo(f"deadcode: error: {message}", err=True)
    sys.exit(ExitCode.USAGE_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deadcode")
def cli() -> None:
    """Find dead code in a Ruby on Rails repository."""


@cli.command()
@click.argument("path", default=".", required=False)
@click.option("--format", "formats", multiple=True, default=(),
              type=click.Choice(["text", "json"], case_sensitive=False),
              help="Report format (default: text).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Worker processes for parsing (default: CPU count).")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Cache folder (default: $XDG_CACHE_HOME/deadcode or ~/.cache/deadcode).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--timings", is_flag=True, help="Print stage times to stderr.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or notes on stderr.")
def scan(path, formats, output, jobs, cache_dir, no_cache, timings, quiet):
    """Scan PATH (default: .) and report dead-code candidates."""
    fmt = (formats[-1] if formats else "text").lower()
    options = ScanOptions(jobs=jobs, cache_dir="" if no_cache else cache_dir)
    try:
        result = run_scan(path, options)
    except DiscoveryError as exc:
        _fail(str(exc))
    report = build_report(result)
    if fmt == "json":
        text = render_json(report)
    else:
        color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        text = render_text(report, color=color)
    if output:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            _fail(f"cannot write {output}: {exc.strerror or exc}")
        if not quiet:
            click.echo(f"deadcode: wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
    if timings:
        for stage, secs in result.timings.items():
            click.echo(f"timing: {stage} {secs:.3f}s", err=True)
    sys.exit(ExitCode.OK)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover
        click.echo("deadcode: interrupted", err=True)
        sys.exit(130)
