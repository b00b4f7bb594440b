"""Data types shared by every stage. Imports nothing of ours.

Per-file facts (``FileFacts`` and the ``Raw*`` records) are what extraction
returns for one file: compact, picklable, path-independent line numbers only,
so they can cross process boundaries and be cached by content hash. The index
turns them into ``Definition`` / ``Reference`` records with repo-relative
``Location``s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, IntEnum


class ExitCode(IntEnum):
    """Process exit codes (documented in the README)."""

    OK = 0
    GATE_FAILED = 1
    USAGE_ERROR = 2


# ---------------------------------------------------------------------------
# Roles, kinds, verdicts, confidence
# ---------------------------------------------------------------------------

class Role(str, Enum):
    TEST = "test"
    APP = "app"
    CONFIG = "config"
    SCRIPT = "script"
    VIEW = "view"
    TEXT = "text"
    MIGRATION = "migration"
    CONTEXT = "context"     # another repository or folder, read only for its references

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.value


# Kinds of definitions. Order here is the order of report sections.
KINDS = (
    "model", "controller", "action", "job", "worker", "mailer", "helper",
    "concern", "class", "module", "dispatch_entry", "rake_task", "table",
)


@dataclass(frozen=True)
class VerdictInfo:
    code: str
    verdict: str
    title: str
    candidate: bool  # False: informational, kept out of the candidate list


# The one registry of verdict codes. Never renumber a code; only add.
VERDICTS: dict[str, VerdictInfo] = {
    v.verdict: v
    for v in (
        # DC101: nothing references the definition except itself.
        VerdictInfo("DC101", "unreferenced", "Unreferenced definition", True),
        # DC102: only test code (specs, factories, test support) references it.
        VerdictInfo("DC102", "test_only", "Referenced only from tests", True),
        # DC103: only other candidates reference it: a dead cluster.
        VerdictInfo("DC103", "dead_callers_only", "Referenced only from dead code", True),
        # DC104: a dispatch-map entry whose key nothing live triggers.
        VerdictInfo("DC104", "orphaned_entry", "Dispatch entry never triggered", True),
        # DC105: statically live, but never seen in the runtime logs' window.
        VerdictInfo("DC105", "runtime_unseen", "Live statically but never seen at runtime", True),
        # DC106: statically dead, but the runtime logs show it ran.
        VerdictInfo("DC106", "seen_at_runtime", "Ran in production without a static reference", False),
    )
}

CONFIDENCES = ("high", "medium", "low")

# The one mapping from confidence to the level of a finding, for every format that has
# levels (README "Output formats"): high -> SARIF ``warning`` / GitHub ``::warning``;
# medium and low -> SARIF ``note`` / GitHub ``::notice`` (the same level under its name there).
SARIF_LEVELS = {"high": "warning", "medium": "note", "low": "note"}
GITHUB_LEVELS = {"high": "warning", "medium": "notice", "low": "notice"}


# ---------------------------------------------------------------------------
# Per-file facts (extraction output)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RawDefinition:
    """A class/module/constant/rake task/dispatch entry seen in one file."""

    kind: str                 # "class" | "module" | "constant" | "rake_task" | "dispatch_entry"
    name: str                 # fully-qualified as far as the file can tell
    line: int
    end_line: int
    superclass: str | None = None      # as written
    scope: tuple[str, ...] = ()        # lexical scope of the superclass expression
    owner: str | None = None           # enclosing definition (qualified) or None
    detail: str = ""                   # e.g. rake task desc, dispatch map name
    keep: str | None = None            # inline ``# deadcode:keep`` reason


@dataclass(frozen=True)
class RawReference:
    """A reference seen in one file, before resolution."""

    name: str                 # constant path as written ("A::B", "::Foo") or a literal
    kind: str                 # "constant" | "string" | "pattern" | "literal" | "rake_task" | "table" | ...
    line: int
    scope: tuple[str, ...]    # lexical nesting, innermost last ("Billing", "Billing::Sub")
    owner: str | None         # enclosing definition (qualified name / node id) or None (top level)
    via: str = ""             # call or construct that made the reference (evidence)


@dataclass(frozen=True)
class RawCall:
    """A call to a method some plugin is interested in, with its literal args."""

    method: str
    receiver: str | None      # constant path, "self", or None
    args: tuple               # tuple of simple literals: ("sym", "x") ("str", "x") ("const", "A::B") ("pair", key, value)
    line: int
    scope: tuple[str, ...]
    owner: str | None
    has_block: bool = False


@dataclass(frozen=True)
class FileFacts:
    """Everything one file contributes. Line numbers only; the path is kept outside."""

    definitions: tuple[RawDefinition, ...] = ()
    references: tuple[RawReference, ...] = ()
    calls: tuple[RawCall, ...] = ()
    # dispatch-map candidates: (map name, owner, line, ((key, key_line, value, value_kind), ...))
    hashes: tuple = ()
    # literal strings and symbols (text, line, owner, is_symbol) for key and table lookups
    literals: tuple = ()
    # method names called without a receiver (controllers, helpers, concerns and views only):
    # a controller method called by name is not an action
    names: tuple = ()
    error_regions: int = 0
    lines: int = 0
    note: str = ""            # e.g. parse warning


# ---------------------------------------------------------------------------
# Index / graph / classification records
# ---------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int
    end_line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class SourceFile:
    path: str        # repo-relative POSIX path
    abspath: str
    role: Role
    lang: str        # "ruby" | "erb" | "haml" | "slim" | "text"
    size: int = 0
    sig: tuple | None = None   # (size, mtime_ns, ctime_ns, inode) when listed, for the cache


@dataclass
class Definition:
    """One definition in the index. Mutable while the index grows."""

    id: str                   # node id, e.g. "class:Billing::Invoice"
    kind: str
    name: str                 # fully-qualified constant name, task name, key, table
    locations: list[Location] = field(default_factory=list)
    superclass: str | None = None     # resolved superclass name
    roles: set[Role] = field(default_factory=set)
    detail: str = ""
    owner: str | None = None          # node id of the owning definition (dispatch maps, actions)
    keep: str | None = None

    @property
    def location(self) -> Location:
        return min(self.locations) if self.locations else Location("", 0, 0)

    @property
    def is_test(self) -> bool:
        return bool(self.roles) and self.roles <= {Role.TEST}


@dataclass(frozen=True)
class Reference:
    target: str               # node id
    source: str               # node id (a definition, ROOT or TEST_ROOT)
    name: str                 # as written
    location: Location
    role: Role
    via: str = ""
    certainty: str = "exact"  # "exact" | "ambiguous" | "dynamic"


@dataclass(frozen=True)
class EntryPoint:
    target: str               # node id
    reason: str
    origin: str               # plugin or config that declared it
    location: Location | None = None


@dataclass(frozen=True)
class Evidence:
    origin: str
    detail: str


@dataclass
class Candidate:
    definition: Definition
    verdict: str
    confidence: str
    reasons: list[str] = field(default_factory=list)
    references: list[dict] = field(default_factory=list)
    related_files: list[str] = field(default_factory=list)
    cluster: list[str] = field(default_factory=list)
    deletable_lines: int = 0
    runtime: str | None = None
    runtime_detail: dict | None = None
    status: str | None = None    # baseline: "new" | "known"

    @property
    def code(self) -> str:
        return VERDICTS[self.verdict].code


ROOT = "<root>"
TEST_ROOT = "<tests>"


# ---------------------------------------------------------------------------
# Naming shared by verdicts and reports
# ---------------------------------------------------------------------------

def underscore_name(name: str) -> str:
    """``Billing::InvoiceItem`` -> ``billing/invoice_item`` (file-name style, no inflections)."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", s)
    return s.replace("::", "/").lower()


def own_test_files(d: Definition, related: list[str]) -> list[str]:
    """Spec/test/factory files named after the definition."""
    base = underscore_name(d.name.rsplit("::", 1)[-1]) if d.id.startswith("const:") else ""
    out = []
    for path in related:
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if base and (stem in (f"{base}_spec", f"{base}_test")
                     or ("factories" in path and stem.startswith(base))):
            out.append(path)
    return out


# the detail of an undescribed rake task declared with arguments (`task :x, [:arg]`)
TAKES_ARGUMENTS = "(takes arguments)"
