"""Helpers for the CLI tests: a small Rails-ish tree and the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

# A small app:
#   config/initializers/boot.rb (top-level code) -> Reporter -> Exporter   live
#   TaskRunner is live; its TASKS entries are dispatch entries no one triggers
#   Orphan: unreferenced; Tested: referenced only from its spec
#   Legacy: unreferenced, but kept by an inline comment
APP = {
    "Gemfile": 'source "https://rubygems.org"\ngem "rails"\n',
    "config/initializers/boot.rb": "Reporter.new.run\nTaskRunner\n",
    "app/services/reporter.rb": """\
        class Reporter
          def run
            Exporter.new.call
          end
        end
        """,
    "app/services/exporter.rb": """\
        class Exporter
          def call
          end
        end
        """,
    "app/services/orphan.rb": "class Orphan\nend\n",
    "app/services/legacy.rb": "# deadcode:keep used by the ops console\nclass Legacy\nend\n",
    "app/services/tested.rb": "class Tested\nend\n",
    "spec/services/tested_spec.rb": "RSpec.describe Tested do\nend\n",
    "app/services/task_runner.rb": """\
        class TaskRunner
          TASKS = {
            "nightly_export" => "Exporter",
            "weekly_cleanup" => "Orphan",
          }.freeze
        end
        """,
}


def make_app(root: Path, files: dict[str, str] | None = None) -> Path:
    """Write APP (or ``files``) under ``root``; returns ``root``."""
    for rel, text in (APP if files is None else files).items():
        write(root, rel, text)
    return root


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


_CACHE_HOME = tempfile.mkdtemp(prefix="deadcode-cli-tests-")   # never inside a scanned tree


def run(*args, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m deadcode ARGS`` with a private cache and no colour (``env``: more
    variables; a value of None removes one, ``{"NO_COLOR": None}``)."""
    full_env = dict(os.environ)
    full_env.pop("DEADCODE_DEBUG", None)
    full_env.pop("FORCE_COLOR", None)
    full_env["NO_COLOR"] = "1"
    full_env["XDG_CACHE_HOME"] = _CACHE_HOME
    for key, value in (env or {}).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "deadcode", *map(str, args)],
        cwd=str(cwd) if cwd else None, env=full_env, capture_output=True, text=True, timeout=120,
    )


def scan_json(root: Path, *args, cwd: Path | None = None) -> dict:
    proc = run("scan", root, "--format", "json", "--no-cache", *args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def ids(report: dict) -> list[str]:
    return [c["id"] for c in report["candidates"]]


def assert_one_line_error(proc: subprocess.CompletedProcess, message: str) -> None:
    """Exit 2, nothing on stdout, exactly ``deadcode: error: MESSAGE`` on stderr."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr == f"deadcode: error: {message}\n"
