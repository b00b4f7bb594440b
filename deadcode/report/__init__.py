"""Reporters: one function per ``--format``, each rendering the report dict to a string.

``FORMATS`` is the registry the CLI reads: format name -> (module, function,
file extension used with ``--output-dir``). Modules are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable, Iterable, NamedTuple


class Format(NamedTuple):
    module: str        # module of this package
    function: str      # render function: report dict -> str (text also takes color=)
    extension: str     # file name under --output-dir is deadcode.<extension>
    chunks: str = ""   # the same text as an iterator of pieces, for large reports


FORMATS: dict[str, Format] = {
    "text": Format("text", "render_text", "txt"),
    "json": Format("data", "render_json", "json", "render_json_chunks"),
    "html": Format("html", "render_html", "html", "render_html_chunks"),
    "markdown": Format("markdown", "render_markdown", "md"),
    "sarif": Format("sarif", "render_sarif", "sarif", "render_sarif_chunks"),
    "github": Format("github", "render_github", "github.txt"),
}


# ``-o FILE`` without ``--format``: the format its name says (longest suffix first)
_BY_SUFFIX = (
    (".github.txt", "github"), (".sarif.json", "sarif"), (".sarif", "sarif"),
    (".json", "json"), (".html", "html"), (".htm", "html"), (".md", "markdown"),
    (".markdown", "markdown"), (".txt", "text"),
)


def format_for_file(path: str) -> str | None:
    """The format a file name asks for (``report.html`` -> html), or None."""
    lower = path.lower()
    return next((fmt for suffix, fmt in _BY_SUFFIX if lower.endswith(suffix)), None)


def renderer(name: str) -> Callable[..., str]:
    """The render function of a format name (a key of ``FORMATS``)."""
    fmt = FORMATS[name]
    return getattr(import_module(f".{fmt.module}", __name__), fmt.function)


def chunk_renderer(name: str) -> Callable[..., Iterable[str]] | None:
    """The piecewise render function of a format, if it has one."""
    fmt = FORMATS[name]
    if not fmt.chunks:
        return None
    return getattr(import_module(f".{fmt.module}", __name__), fmt.chunks)
