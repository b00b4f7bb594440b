"""GitHub Actions workflow-command annotations, one line per candidate.

Each candidate becomes::

    ::warning file=app/workers/estimate_worker.rb,line=1,endLine=8,title=DC102 test_only::EstimateWorker (worker, high confidence): referenced only from tests: spec/workers/estimate_worker_spec.rb:3

The message says the verdict once: the first reason when there is one (it names the
verdict), else a phrase for the verdict.

Level: ``high`` confidence -> ``warning``; ``medium`` and ``low`` -> ``notice``, the same
mapping as SARIF's ``warning``/``note`` (``model.GITHUB_LEVELS``, ``model.SARIF_LEVELS``).

Escaping follows the runner's rules (actions/toolkit ``command.ts``): in property
values ``%`` -> ``%25``, ``\\r`` -> ``%0D``, ``\\n`` -> ``%0A``, ``:`` -> ``%3A``,
``,`` -> ``%2C``; in the message only ``%``, ``\\r`` and ``\\n``. ``%`` is always
escaped first so an escape is never escaped twice.

The function is pure: same report dict, same string.
"""

from __future__ import annotations

from urllib.parse import quote

from ..model import GITHUB_LEVELS

# What each verdict means, phrased to follow the definition's name.
_PHRASES = {
    "unreferenced": "is not referenced anywhere",
    "test_only": "is referenced only from tests",
    "dead_callers_only": "is referenced only from dead code",
    "orphaned_entry": "is a dispatch entry that nothing triggers",
    "runtime_unseen": "is referenced statically but was never seen at runtime",
}

_LEVELS = GITHUB_LEVELS   # one mapping with SARIF's levels (model.py)


def escape_data(text: str) -> str:
    """Escape a message (the part after ``::``). Other control characters (ESC, DEL,
    U+2028 ...) are percent-encoded too, so none reaches the log raw."""
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else quote(ch, safe="") for ch in text)


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=`` ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _line_number(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def annotation(candidate: dict) -> str:
    """The workflow command for one candidate."""
    verdict = str(candidate.get("verdict") or "")
    code = str(candidate.get("code") or "")
    name = str(candidate.get("name") or candidate.get("id") or "")
    kind = str(candidate.get("kind") or "")
    confidence = str(candidate.get("confidence") or "")
    level = _LEVELS.get(confidence, "warning")

    props: list[tuple[str, str]] = []
    if candidate.get("file"):
        props.append(("file", str(candidate["file"])))
    line = _line_number(candidate.get("line"))
    if line is not None:
        props.append(("line", str(line)))
        end = _line_number(candidate.get("end_line"))
        if end is not None and end >= line:
            props.append(("endLine", str(end)))
    props.append(("title", f"{code} {verdict}".strip()))

    details = ", ".join(x for x in (kind, f"{confidence} confidence" if confidence else "") if x)
    message = f"{name} ({details})" if details else name
    reasons = candidate.get("reasons") or []
    if reasons:
        message += f": {reasons[0]}"
    else:
        message += f" {_PHRASES.get(verdict, f'is a dead-code candidate ({verdict})')}."

    head = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{level} {head}::{escape_data(message)}"


def render_github(report: dict) -> str:
    """All annotations, one per line, in the report's candidate order."""
    lines = [annotation(c) for c in report.get("candidates") or []]
    return "".join(line + "\n" for line in lines)
