"""Suppression: configured keeps (with expiry), stale keeps, and the baseline.

Inline ``# deadcode:keep <reason>`` comments and configured keeps are applied
by the index (``Index.kept``) and reported by ``classify``; this stage decides
which configured keeps still apply (``until`` not passed), finds keeps that no
longer match any definition, and compares candidates with a baseline file.

A baseline is what ``deadcode baseline`` writes: the candidates of one scan,
keyed by ``kind:name`` (no line numbers, so moving code does not make it new)::

    {"schema_version": 1, "tool": {"name": "deadcode", "version": "0.1.0"},
     "entries": [{"id": "worker:EstimateWorker", "name": "EstimateWorker",
                  "kind": "worker", "verdict": "test_only"}]}
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import sys
from typing import Iterable, Protocol

from . import __version__
from .config import excerpt, read_user_file
from .model import CONFIDENCES, KINDS, VERDICTS, Candidate, Definition

BASELINE_SCHEMA_VERSION = 1


class KeepRule(Protocol):  # config.Rule has this shape
    name: str
    reason: str
    origin: str
    until: _dt.date | None


class BaselineError(Exception):
    """The baseline file cannot be used (one-line message)."""


# ---------------------------------------------------------------------------
# keeps
# ---------------------------------------------------------------------------

def name_matches(d: Definition, pattern: str) -> bool:
    """The rule the index uses for ``roots`` and ``keep`` patterns."""
    return d.name == pattern or fnmatch.fnmatchcase(d.name, pattern)


def split_keeps(rules: Iterable[KeepRule], today: _dt.date) -> tuple[list[KeepRule], list[KeepRule]]:
    """(keeps that apply today, expired keeps). A keep applies through its ``until`` day."""
    active, expired = [], []
    for r in rules:
        (expired if r.until is not None and today > r.until else active).append(r)
    return active, expired


def stale_keeps(rules: Iterable[KeepRule], unmatched: Iterable[str]) -> list[dict]:
    """Configured keeps whose name or glob matches no definition at all (``unmatched``:
    those names, as the scan found them with ``name_matches``)."""
    unmatched = set(unmatched)
    out = [{"name": r.name, "reason": r.reason, "origin": r.origin}
           for r in rules if r.name in unmatched]
    return sorted(out, key=lambda e: (e["origin"], e["name"]))


def expired_keeps(rules: Iterable[KeepRule]) -> list[dict]:
    out = [{"name": r.name, "reason": r.reason, "origin": r.origin,
            "until": r.until.isoformat() if r.until else None} for r in rules]
    return sorted(out, key=lambda e: (e["origin"], e["name"]))


# ---------------------------------------------------------------------------
# baseline
# ---------------------------------------------------------------------------

def entry_id(c: Candidate) -> str:
    """The stable id of a candidate: ``kind:name`` (same as the report's ``id``)."""
    return f"{c.definition.kind}:{c.definition.name}"


def make_baseline(candidates: Iterable[Candidate]) -> dict:
    entries = {}
    for c in candidates:
        entries[entry_id(c)] = {"id": entry_id(c), "name": c.definition.name,
                                "kind": c.definition.kind, "verdict": c.verdict}
    return {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "tool": {"name": "deadcode", "version": __version__},
        "entries": [entries[k] for k in sorted(entries)],
    }


def render_baseline(baseline: dict) -> str:
    return json.dumps(baseline, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: str, root: str | None = None) -> set[str]:
    """The entry ids of a baseline file; raises ``BaselineError``. ``root``: the
    scanned tree, which a baseline inside it may not leave through a symbolic link."""
    text = read_user_file(path, f"baseline {path}", "file", BaselineError, root)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"baseline {path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BaselineError(f"baseline {path}: not a deadcode baseline (nested too deep)") from None
    except ValueError:      # Python's limit on the digits of an integer
        raise BaselineError(f"baseline {path}: not a deadcode baseline (a number of more than "
                            f"{sys.get_int_max_str_digits()} digits)") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BaselineError(f"baseline {path}: not a deadcode baseline (no \"entries\" list); "
                            f"write one with `deadcode baseline`")
    version = data.get("schema_version")
    if version != BASELINE_SCHEMA_VERSION:
        shown = excerpt(version) if isinstance(version, str) else repr(version)
        raise BaselineError(f"baseline {path}: schema_version {shown} is not supported "
                            f"(expected {BASELINE_SCHEMA_VERSION})")
    ids = set()
    for i, e in enumerate(data["entries"]):
        if isinstance(e, dict) and isinstance(e.get("id"), str):
            ids.add(e["id"])
        elif isinstance(e, dict) and isinstance(e.get("kind"), str) and isinstance(e.get("name"), str):
            ids.add(f"{e['kind']}:{e['name']}")
        else:
            raise BaselineError(f"baseline {path}: entry {i} has no \"id\"")
    return ids


def apply_baseline(candidates: Iterable[Candidate], known: set[str], file: str) -> dict:
    """Set each candidate's ``status`` (new/known); the report's ``baseline`` section."""
    current = set()
    new = old = 0
    for c in candidates:
        cid = entry_id(c)
        current.add(cid)
        if cid in known:
            c.status = "known"
            old += 1
        else:
            c.status = "new"
            new += 1
    return {"file": file, "new": new, "known": old, "fixed": sorted(known - current)}


# ---------------------------------------------------------------------------
# filters: --min-confidence, --kind, --select/--ignore, --new-only
# ---------------------------------------------------------------------------

ALL_CODES = tuple(sorted(v.code for v in VERDICTS.values()))


class FilterError(Exception):
    """A filter names no confidence, kind or code (one-line message)."""


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def parse_filters(min_confidence: str | None = None, kinds: Iterable[str] = (),
                  select: Iterable[str] = (), ignore: Iterable[str] = (),
                  new_only: bool = False) -> dict:
    """The filters as the report records them; raises ``FilterError``. Codes match by
    prefix, the way linters read them (``DC10`` is every DC10x)."""
    kinds, select, ignore = _split(kinds), [c.upper() for c in _split(select)], \
        [c.upper() for c in _split(ignore)]
    for k in kinds:
        if k not in KINDS:
            raise FilterError(f"unknown kind '{k}' (one of: {', '.join(KINDS)})")
    for code in select + ignore:
        if not any(c.startswith(code) for c in ALL_CODES):
            raise FilterError(f"unknown code '{code}' (codes: {', '.join(ALL_CODES)})")
    if min_confidence is not None and min_confidence not in CONFIDENCES:
        raise FilterError(f"unknown confidence '{min_confidence}'")   # pragma: no cover - click checks it
    return {"min_confidence": min_confidence, "kinds": sorted(set(kinds), key=KINDS.index),
            "select": sorted(set(select)), "ignore": sorted(set(ignore)), "new_only": bool(new_only)}


def filters_active(filters: dict) -> bool:
    return bool(filters["min_confidence"] or filters["kinds"] or filters["select"]
                or filters["ignore"] or filters["new_only"])


def passes(c: Candidate, filters: dict) -> bool:
    """Does one candidate pass the filters (what every format shows and the gate counts)?"""
    code = VERDICTS[c.verdict].code
    if filters["min_confidence"] and c.confidence in CONFIDENCES and \
            CONFIDENCES.index(c.confidence) > CONFIDENCES.index(filters["min_confidence"]):
        return False
    if filters["kinds"] and c.definition.kind not in filters["kinds"]:
        return False
    if filters["select"] and not any(code.startswith(s) for s in filters["select"]):
        return False
    if any(code.startswith(i) for i in filters["ignore"]):
        return False
    if filters["new_only"] and c.status == "known":
        return False
    return True


def gate_failed(candidates: Iterable[Candidate], fail_on: str) -> int:
    """How many candidates fail the ``--fail-on`` gate (0: it passes).

    ``new``: candidates not in the baseline (without a baseline, every candidate is new);
    ``any``: every candidate; ``none``: never fails.
    """
    cands = list(candidates)
    if fail_on == "any":
        return len(cands)
    if fail_on == "new":
        return sum(1 for c in cands if c.status != "known")
    return 0
