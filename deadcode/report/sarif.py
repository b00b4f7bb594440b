"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

Shape (keys are emitted in this fixed order, ``json.dumps(indent=2)``, no key
sorting, so the same report dict always gives the same bytes):

- one run; ``tool.driver`` is ``deadcode`` with the report's tool version and one
  rule per candidate verdict, ``id`` = the verdict code (DC101..DC105), in code
  order, always all of them so rule indexes are stable between runs;
- one result per candidate, in report order, with ``ruleId``/``ruleIndex``,
  ``message.text`` (name, verdict, first reason), a physical location relative
  to ``%SRCROOT%``, ``partialFingerprints.deadcodeId`` = the candidate id (stable
  across line moves, so code scanning keeps alert identity), ``properties``
  {kind, confidence, verdict}, ``baselineState`` when the report was made against
  a baseline, and up to 10 ``relatedLocations`` from the candidate's references;
- skipped and partially parsed files as ``toolExecutionNotifications``.

Levels: confidence ``high`` -> ``warning``; ``medium`` and ``low`` -> ``note``
(a candidate is a suggestion to review, never an ``error``; code scanning shows
``note`` results as the lowest severity so low-signal findings do not block).

URIs are the repo-relative POSIX paths percent-encoded per RFC 3986: every byte
outside the unreserved set (``A-Z a-z 0-9 - . _ ~``) is encoded as UTF-8 ``%XX``
except ``/``, which stays the segment separator.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import quote

try:  # the verdict registry; fall back to a copy if it is not importable
    from deadcode.model import VERDICTS as _MODEL_VERDICTS
except Exception:  # pragma: no cover - only when the model module is broken
    _MODEL_VERDICTS = {}

from ..model import SARIF_LEVELS

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
REPOROOT = "%REPOROOT%"   # the repository root, when --source-url places %SRCROOT% inside it
MAX_RELATED = 10

# verdict -> (code, title); the model's registry wins when available.
_DEFAULT_RULES = (
    ("unreferenced", "DC101", "Unreferenced definition"),
    ("test_only", "DC102", "Referenced only from tests"),
    ("dead_callers_only", "DC103", "Referenced only from dead code"),
    ("orphaned_entry", "DC104", "Dispatch entry never triggered"),
    ("runtime_unseen", "DC105", "Live statically but never seen at runtime"),
)

_NAMES = {
    "unreferenced": "UnreferencedDefinition",
    "test_only": "TestOnlyReference",
    "dead_callers_only": "DeadCallersOnly",
    "orphaned_entry": "OrphanedDispatchEntry",
    "runtime_unseen": "RuntimeUnseen",
}

_FULL = {
    "unreferenced": "Nothing in the application, its configuration, views, routes or scripts "
    "references this definition; only the definition itself mentions it.",
    "test_only": "The only references to this definition come from test code (specs, tests, "
    "factories, test support). Production code never reaches it.",
    "dead_callers_only": "Every reference to this definition comes from other dead-code "
    "candidates. It forms a dead cluster with them: deleting the cluster together is safe "
    "only if all of its members are dead.",
    "orphaned_entry": "An entry of a dispatch map (a hash from keys to handlers) whose key no "
    "live code, configuration or data triggers.",
    "runtime_unseen": "Static analysis finds live references, but the production logs given to "
    "deadcode never show this definition running during the log window.",
}

_CHECKS = {
    "unreferenced": (
        "Search for dynamic uses the analysis cannot see: `constantize`, `const_get`, "
        "`send`/`public_send`, string-built class names, YAML/JSON configuration and the "
        "database (e.g. STI `type` columns, polymorphic `*_type` columns).",
        "Check other repositories, gems, engines and scheduled jobs that may call it by name.",
    ),
    "test_only": (
        "Confirm the tests exercise only this definition and delete them with it.",
        "Check factories and test support files listed as related files.",
    ),
    "dead_callers_only": (
        "Review the whole cluster: the callers listed are candidates themselves.",
        "Delete the cluster together, callers first, and re-run deadcode.",
    ),
    "orphaned_entry": (
        "Check where the keys of the dispatch map come from: database rows, API payloads, "
        "feature flags or configuration can trigger a key that no code mentions.",
    ),
    "runtime_unseen": (
        "Check the log window is long enough for rare paths (month-end, yearly, on-call tools).",
        "Check the log sources cover every process that could run it.",
    ),
}

_GENERIC_CHECKS = (
    "Run `git log -S` on the name to learn why it was added and who to ask.",
    "If it must stay, add a `# deadcode:keep <reason>` comment or a keep entry in the "
    "configuration so it is reported as kept.",
)

_LEVELS = SARIF_LEVELS   # one mapping with the GitHub annotations (model.py)
_BASELINE = {"new": "new", "known": "unchanged"}


def rule_table() -> list[tuple[str, str, str]]:
    """(verdict, code, title) of every candidate verdict, in code order."""
    rows = {verdict: (verdict, code, title) for verdict, code, title in _DEFAULT_RULES}
    for verdict, info in _MODEL_VERDICTS.items():
        if getattr(info, "candidate", False):
            rows[verdict] = (verdict, info.code, info.title)
    return sorted(rows.values(), key=lambda row: row[1])


def artifact_uri(path: str) -> str:
    """Percent-encode a repo-relative POSIX path as an RFC 3986 relative reference."""
    return _quoted(str(path))


@lru_cache(maxsize=4096)
def _quoted(path: str) -> str:
    # (a report names few files many times: 50,000 tables of one db/schema.rb)
    return quote(path, safe="/")


def _positive(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def _rule(verdict: str, code: str, title: str) -> dict:
    checks = _CHECKS.get(verdict, ()) + _GENERIC_CHECKS
    full = _FULL.get(verdict, title + ".")
    text = (
        f"{title} ({verdict}). {full}\n\nBefore deleting, check:\n"
        + "".join(f"- {c}\n" for c in checks)
    )
    markdown = (
        f"**{title}** (`{verdict}`)\n\n{full}\n\n**Before deleting, check:**\n\n"
        + "".join(f"- {c}\n" for c in checks)
    )
    return {
        "id": code,
        "name": _NAMES.get(verdict, "".join(p.capitalize() for p in verdict.split("_"))),
        "shortDescription": {"text": title},
        "fullDescription": {"text": full},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"verdict": verdict, "tags": ["maintainability", "dead-code"]},
    }


def _physical(path: str, line=None, end_line=None) -> dict:
    loc: dict = {"artifactLocation": {"uri": artifact_uri(path), "uriBaseId": SRCROOT}}
    start = _positive(line)
    if start is not None:
        region = {"startLine": start}
        end = _positive(end_line)
        if end is not None and end >= start:
            region["endLine"] = end
        loc["region"] = region
    return {"physicalLocation": loc}


def _result(candidate: dict, rule_index: dict[str, tuple[int, str]]) -> dict:
    verdict = str(candidate.get("verdict") or "")
    index, code = rule_index.get(verdict, (None, str(candidate.get("code") or verdict)))
    name = str(candidate.get("name") or candidate.get("id") or "")
    reasons = candidate.get("reasons") or []
    text = f"{name} ({candidate.get('kind') or 'definition'}) is {verdict}"
    if reasons:
        text += f": {reasons[0]}"
    result: dict = {"ruleId": code}
    if index is not None:
        result["ruleIndex"] = index
    result["level"] = _LEVELS.get(str(candidate.get("confidence")), "note")
    result["message"] = {"text": text}
    result["locations"] = [
        _physical(candidate.get("file") or "", candidate.get("line"), candidate.get("end_line"))
    ]
    related = []
    for n, ref in enumerate((candidate.get("references") or [])[:MAX_RELATED]):
        if not ref.get("file"):
            continue
        entry = {"id": n}
        entry.update(_physical(ref["file"], ref.get("line")))
        bits = [str(ref.get("role") or "reference")]
        bits.append("counted" if ref.get("counted") else "not counted")
        if ref.get("why"):
            bits.append(str(ref["why"]))
        entry["message"] = {"text": "reference: " + ", ".join(bits)}
        related.append(entry)
    if related:
        result["relatedLocations"] = related
    result["partialFingerprints"] = {"deadcodeId": str(candidate.get("id") or "")}
    if candidate.get("status") in _BASELINE:
        result["baselineState"] = _BASELINE[candidate["status"]]
    result["properties"] = {
        "kind": candidate.get("kind"),
        "confidence": candidate.get("confidence"),
        "verdict": verdict,
    }
    return result


def _notifications(report: dict) -> list[dict]:
    out = []
    for key, level in (("skipped", "warning"), ("partial", "note")):
        for item in report.get(key) or []:
            out.append({
                "level": level,
                "message": {"text": f"{key}: {item.get('file')}: {item.get('reason')}"},
                "locations": [_physical(item.get("file") or "")],
                "descriptor": {"id": key},
            })
    return out


def _provenance(source) -> dict:
    """``versionControlProvenance`` (and, when the scanned folder is inside the
    repository, ``originalUriBaseIds`` placing %SRCROOT% in it) from ``--source-url``:
    only when its template names a repository (``https://host/org/app/blob/…``)."""
    if not isinstance(source, dict) or not source.get("repository"):
        return {}
    prefix = str(source.get("path_prefix") or "")
    entry: dict = {"repositoryUri": str(source["repository"])}
    if source.get("commit"):
        entry["revisionId"] = str(source["commit"])
    entry["mappedTo"] = {"uriBaseId": REPOROOT if prefix else SRCROOT}
    out: dict = {"versionControlProvenance": [entry]}
    if prefix:
        out["originalUriBaseIds"] = {SRCROOT: {"uri": artifact_uri(prefix), "uriBaseId": REPOROOT}}
    return out


def build_sarif(report: dict) -> dict:
    """The SARIF log as a dict (``render_sarif`` serialises it)."""
    rules = rule_table()
    rule_index = {verdict: (i, code) for i, (verdict, code, _title) in enumerate(rules)}
    tool = report.get("tool") or {}
    driver = {
        "name": "deadcode",
        "version": str(tool.get("version") or "0"),
        "rules": [_rule(*row) for row in rules],
    }
    run: dict = {
        "tool": {"driver": driver},
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": _notifications(report),
        }],
        "results": [_result(c, rule_index) for c in report.get("candidates") or []],
    }
    provenance = _provenance(report.get("source"))
    if provenance:
        run.update(provenance)
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: dict) -> str:
    """SARIF 2.1.0 JSON text (indent=2, stable key order, trailing newline)."""
    from .data import json_text
    return json_text(build_sarif(report))


def render_sarif_chunks(report: dict):
    """``render_sarif`` in pieces, written as they come."""
    from .data import json_chunks
    return json_chunks(build_sarif(report))
