"""The report object: one dict that every format renders (docs/report-schema.md)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from urllib.parse import quote

from .. import __version__
from ..model import KINDS, VERDICTS, Candidate, own_test_files

SCHEMA_VERSION = 1


def printable(value, keep: str = "") -> str:
    """Repo-derived text with every control character (newline, CR, ESC, DEL, the C1
    range, U+2028/2029 ...) written as a visible escape (``\\n``, ``\\x1b``): a file
    name can then never start a line of its own in a report, nor drive a terminal."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in keep
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)


_ESCAPE = re.compile(r'\\[^"]')   # an escape in JSON text other than \" (once \\ pairs are gone)


class PrintableReport(dict):
    """A report known to hold no character ``printable`` would escape (``mark_printable``
    checked it): renderers of the same report need not check it again."""


def _all_printable(value) -> bool:
    """Found by one C-encoded dump: JSON writes every control character below U+0020
    with a backslash and leaves the others raw, which ``isprintable`` finds."""
    try:
        dumped = json.dumps(value, ensure_ascii=False, check_circular=False)
    except (TypeError, ValueError):
        return False
    return dumped.isprintable() and (
        "\\" not in dumped or not _ESCAPE.search(dumped.replace("\\\\", "")))


def mark_printable(report: dict) -> dict:
    """The report as a PrintableReport when nothing in it needs escaping (checked once
    for all the formats a scan writes), else the report itself."""
    if isinstance(report, dict) and not isinstance(report, PrintableReport) and _all_printable(report):
        return PrintableReport(report)
    return report


def printable_report(value, keep: str = ""):
    """``printable`` applied to every string of a report dict (keys included);
    ``keep``: characters a renderer neutralises itself. A report with nothing to escape
    (nearly all) is returned as it is. Renderers read the result and never change it."""
    if isinstance(value, PrintableReport):
        return value
    if isinstance(value, (dict, list)) and _all_printable(value):
        return value
    return _printable_report(value, keep)


def _printable_report(value, keep: str = ""):
    if isinstance(value, str):
        return printable(value, keep)
    if isinstance(value, (list, tuple)):
        return [_printable_report(v, keep) for v in value]
    if isinstance(value, dict):
        return {printable(k, keep) if isinstance(k, str) else k: _printable_report(v, keep)
                for k, v in value.items()}
    return value


def candidate_id(c: Candidate) -> str:
    return f"{c.definition.kind}:{c.definition.name}"


def unique_references(refs) -> list[dict]:
    """Each piece of reference evidence once (two references on one line from the same
    place, by the same means, say the same thing), in their order."""
    refs = list(refs)
    if len(refs) < 2:
        return refs
    seen, out = set(), []
    for ref in refs:
        try:
            key = tuple(sorted((k, type(v).__name__, v) for k, v in ref.items()))
            hash(key)
        except TypeError:   # a value that is not hashable: its JSON text
            key = json.dumps(ref, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def candidate_dict(c: Candidate) -> dict:
    d = c.definition
    loc = d.location
    return {
        "id": candidate_id(c),
        "name": d.name,
        "kind": d.kind,
        "code": VERDICTS[c.verdict].code,
        "file": loc.path,
        "line": loc.line,
        "end_line": loc.end_line,
        "verdict": c.verdict,
        "confidence": c.confidence,
        "reasons": list(c.reasons),
        "references": unique_references(c.references),
        "related_files": list(c.related_files),
        "cluster": list(c.cluster),
        "deletable_lines": c.deletable_lines,
        "runtime": c.runtime,
        "runtime_detail": c.runtime_detail,
        "status": c.status,
    }


def _file_lines(result, path: str) -> int:
    return result.lines.get(path, 0)


def build_report(result, *, runtime: dict | None = None, root_label: str | None = None,
                 extra_candidates: list[Candidate] | None = None,
                 seen_at_runtime: list[Candidate] | None = None,
                 baseline: dict | None = None, stale_keeps: list[dict] | None = None,
                 expired_keeps: list[dict] | None = None, candidates: list[Candidate] | None = None,
                 filters: dict | None = None) -> dict:
    """The report dict for a ``ScanResult``. ``candidates``: the ones to show (after the
    filters, which ``filters`` records with how many they hid), default all of them."""
    cands = list(candidates) if candidates is not None else \
        list(result.classification.candidates) + list(extra_candidates or [])
    cands.sort(key=lambda c: (KINDS.index(c.definition.kind) if c.definition.kind in KINDS else 99,
                              c.definition.name, c.definition.id))
    cluster_ids = {c.definition.id: candidate_id(c) for c in cands}
    out_cands = []
    counted_files: set[str] = set()
    total_lines = 0
    for c in cands:
        cd = candidate_dict(c)
        cd["cluster"] = [cluster_ids.get(m, m) for m in c.cluster]
        # lines that would go: the definition plus its own spec/factory files
        own = own_test_files(c.definition, c.related_files) if c.verdict in ("test_only",) or \
            (c.verdict == "dead_callers_only") else []
        extra = 0
        for path in own:
            if path not in counted_files:
                counted_files.add(path)
                extra += _file_lines(result, path)
        cd["deletable_lines"] = c.deletable_lines + extra
        total_lines += cd["deletable_lines"]
        out_cands.append(cd)

    by_kind = Counter(c["kind"] for c in out_cands)
    by_conf = Counter(c["confidence"] for c in out_cands)
    by_verdict = Counter(c["verdict"] for c in out_cands)
    hidden = getattr(result.classification, "hidden_by_keep", None) or {}
    kept = [{
        "id": f"{d.kind}:{d.name}", "name": d.name, "kind": d.kind, "file": d.location.path,
        "line": d.location.line, "reason": reason, "origin": origin,
        "hides": list(hidden.get(d.id, [])),
    } for d, reason, origin in result.classification.kept]
    report = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "deadcode", "version": __version__},
        "root": root_label if root_label is not None else os.path.basename(os.path.abspath(result.root)),
        "summary": {
            "files_scanned": result.files_scanned,
            "files_skipped": len(result.skipped),
            "definitions": result.definition_count,
            "candidates": len(out_cands),
            "by_kind": {k: by_kind[k] for k in sorted(by_kind, key=lambda k: (KINDS.index(k) if k in KINDS else 99, k))},
            "by_confidence": {k: by_conf[k] for k in ("high", "medium", "low") if by_conf[k]},
            "by_verdict": {k: by_verdict[k] for k in sorted(by_verdict)},
            "deletable_lines": total_lines,
        },
        "skipped": [{"file": p, "reason": r} for p, r in result.skipped],
        "partial": [{"file": p, "reason": r} for p, r in result.partial],
        "candidates": out_cands,
        "seen_at_runtime": [candidate_dict(c) for c in (seen_at_runtime or [])],
        "kept": kept,
        "stale_keeps": list(stale_keeps or []),
        "expired_keeps": list(expired_keeps or []),
        "runtime": runtime,
    }
    if baseline is not None:
        report["baseline"] = baseline
    if filters is not None:
        report["filters"] = filters
    return report


def json_text(value) -> str:
    """``value`` as indented JSON (``json.dumps(indent=2)``, a trailing newline), non-ASCII
    kept readable, but every character that is not printable (DEL, C1, U+2028/2029 ...;
    json escapes only C0 itself) written as a ``\\u`` escape: the value loads back
    exactly and nothing raw reaches the file."""
    return "".join(json_chunks(value))


def _dumped(o, pad: str) -> str:
    """``json.dumps(o, indent=2, ensure_ascii=False)`` at indentation ``pad``: the same
    text, built with joins instead of the encoder's generators (twice as fast)."""
    t = type(o)
    if t is str:
        return _encode_str(o)
    if t is dict:
        if not o:
            return "{}"
        inner = pad + "  "
        try:
            return "{\n" + inner + (",\n" + inner).join(
                [_encode_str(k) + ": " + _dumped(v, inner) for k, v in o.items()]) + "\n" + pad + "}"
        except TypeError:   # a key that is not a string: as json writes it
            pass
    elif t is list:
        if not o:
            return "[]"
        inner = pad + "  "
        return "[\n" + inner + (",\n" + inner).join([_dumped(v, inner) for v in o]) + "\n" + pad + "]"
    elif t is int:
        return int.__repr__(o)
    elif o is None:
        return "null"
    elif o is True:
        return "true"
    elif o is False:
        return "false"
    # anything else (floats, tuples, other keys) as the encoder writes it
    return json.dumps(o, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)


def _encode_str(s) -> str:
    if type(s) is not str:
        raise TypeError
    return _ENCODE(s)


from json.encoder import encode_basestring as _ENCODE  # noqa: E402


def _pieces(o, pad: str, depth: int):
    """``o`` piece by piece down to its small containers (the outer four levels, and any
    longer list or dict: the 50,000 results of a SARIF run), those whole."""
    t = type(o)
    if not o or t not in (dict, list) or (depth >= 4 and len(o) <= 64) \
            or (t is dict and not all(type(k) is str for k in o)):
        yield _dumped(o, pad)
        return
    inner = pad + "  "
    yield "{\n" + inner if t is dict else "[\n" + inner
    first = True
    for item in (o.items() if t is dict else o):
        if not first:
            yield ",\n" + inner
        first = False
        if t is dict:
            yield _ENCODE(item[0]) + ": "
            yield from _pieces(item[1], inner, depth + 1)
        else:
            yield from _pieces(item, inner, depth + 1)
    yield "\n" + pad + ("}" if t is dict else "]")


def batched(pieces, size: int = 1 << 16):
    """Strings joined into chunks of about ``size`` characters (the last may be short)."""
    buf: list[str] = []
    held = 0
    for piece in pieces:
        buf.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(buf)
            buf, held = [], 0
    if buf:
        yield "".join(buf)


def json_chunks(value, size: int = 1 << 16):
    """``json_text(value)`` in chunks of about ``size`` characters, encoded as they are
    written: a large report is never held whole. Each chunk is made printable on its
    own (pieces end between tokens)."""
    from itertools import chain
    for chunk in batched(chain(_pieces(value, "", 0), ("\n",)), size):
        yield _printable_json(chunk)


def _printable_json(chunk: str) -> str:
    if chunk.replace("\n", "").isprintable():
        return chunk
    return "".join(ch if ch.isprintable() or ch == "\n" else json.dumps(ch)[1:-1] for ch in chunk)


def render_json(report: dict) -> str:
    return json_text(report)


def render_json_chunks(report: dict):
    return json_chunks(report)


# ---------------------------------------------------------------------------
# links to the source (--source-url)
# ---------------------------------------------------------------------------

SOURCE_FIELDS = ("commit", "path", "line")
_FIELD = re.compile(r"\{([^{}]*)\}")


def source_url_error(template: str) -> str | None:
    """Why ``template`` is not a usable ``--source-url``, or None."""
    unknown = sorted({f for f in _FIELD.findall(template) if f not in SOURCE_FIELDS})
    if unknown:
        return (f"--source-url: unknown placeholder {{{unknown[0]}}} "
                f"(use {', '.join('{' + f + '}' for f in SOURCE_FIELDS)})")
    if "{path}" not in template:
        return "--source-url: the template needs {path}"
    return None


def source_info(template: str, commit: str | None, prefix: str) -> dict:
    """The report's ``source`` object: the template, the commit it links to (None when
    the tree is not a git checkout: links then use ``HEAD``) and the scanned folder's
    path inside the repository (``""`` or ``"sub/dir/"``)."""
    return {"url": template, "commit": commit, "path_prefix": prefix,
            "repository": repository_uri(template)}


def source_link(report: dict, path, line=None) -> str | None:
    """The URL of ``path:line`` in the report's ``source`` template, or None (no
    template, no path, or a file of another repository given with ``--context``)."""
    src = report.get("source")
    if not isinstance(src, dict) or not src.get("url") or not path:
        return None
    path = str(path)
    if path.startswith("../") or path.startswith("/"):
        return None
    try:
        n = int(line) if line else 1
    except (TypeError, ValueError):
        n = 1
    values = {"commit": quote(str(src.get("commit") or "HEAD"), safe=""),
              "path": quote(str(src.get("path_prefix") or "") + path, safe="/"),
              "line": str(max(n, 1))}
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), str(src["url"]))


_REPOSITORY = re.compile(r"(https?://[^\s?#{}]+?)/(?:-/)?(?:blob|tree|src|raw)/")


def repository_uri(template: str) -> str | None:
    """The repository a GitHub/GitLab/Bitbucket-style template points into
    (``https://github.com/org/app`` for ``…/org/app/blob/{commit}/{path}``), or None."""
    m = _REPOSITORY.match(template.split("{", 1)[0] + "{")
    return m.group(1) if m else None
