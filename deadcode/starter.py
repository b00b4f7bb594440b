"""``deadcode init``: what a first configuration file should say about an app.

``detect`` looks at the folder (no scan: a few files at its top) and ``render_config``
turns what it found into a commented ``.deadcode.yml``. Nothing here writes or prints;
``cli`` does both.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from . import __version__
from .discovery import read_regular_file

# folders of test code a Rails app may have that deadcode does not recognise by itself
EXTRA_TEST_FOLDERS = ("qa", "e2e", "acceptance")
# what deadcode recognises as test code without configuration (discovery.TEST_PATTERNS)
BUILTIN_TEST_FOLDERS = ("spec", "test", "features")
_TMP_IGNORED = re.compile(r"^/?tmp(/\*?\*?)?\s*$", re.M)


@dataclass
class Detected:
    root: str                                        # absolute path of the app
    rails_signs: list[str] = field(default_factory=list)
    gem_source: str | None = None                    # "Gemfile.lock", "Gemfile" or None
    plugins: list[tuple[str, list[str]]] = field(default_factory=list)   # (name, enabling gems)
    always_on: list[str] = field(default_factory=list)
    test_folders: list[str] = field(default_factory=list)               # recognised already
    extra_test_paths: list[str] = field(default_factory=list)           # for test_paths:
    report_dir: str = "reports"
    report_dir_why: str = ""


def _small(root: str, rel: str) -> str | None:
    data, _ = read_regular_file(os.path.join(root, *rel.split("/")), 10_000_000)
    return data.decode("utf-8", "replace") if data is not None else None


def detect(root: str) -> Detected:
    from .index import parse_gems
    from .plugins import all_plugins

    found = Detected(root=os.path.abspath(root))
    lock, gemfile = _small(root, "Gemfile.lock"), _small(root, "Gemfile")
    gems = parse_gems(lock, gemfile)
    found.gem_source = "Gemfile.lock" if lock is not None else "Gemfile" if gemfile is not None else None
    if os.path.isfile(os.path.join(root, "config", "application.rb")):
        found.rails_signs.append("config/application.rb")
    if "rails" in gems or "railties" in gems:
        found.rails_signs.append(f"{found.gem_source} names rails")
    for plugin in all_plugins():
        if not plugin.gems:
            found.always_on.append(plugin.name)
        elif gems & set(plugin.gems):
            found.plugins.append((plugin.name, sorted(gems & set(plugin.gems))))
    found.test_folders = [f"{d}/" for d in BUILTIN_TEST_FOLDERS if os.path.isdir(os.path.join(root, d))]
    found.extra_test_paths = [f"{d}/*" for d in EXTRA_TEST_FOLDERS if os.path.isdir(os.path.join(root, d))]
    ignore = _small(root, ".gitignore") or ""
    if _TMP_IGNORED.search(ignore):
        found.report_dir = "tmp/deadcode"
        found.report_dir_why = "tmp/ is in .gitignore, so reports stay out of git"
    else:
        found.report_dir_why = "add it to .gitignore, or pick an ignored folder"
    return found


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_config(d: Detected) -> str:
    """The commented ``.deadcode.yml`` for what ``detect`` found (deterministic)."""
    out = [
        f"# deadcode configuration, written by `deadcode init` (deadcode {__version__}).",
        "# Every key is optional; README.md (\"Configuration: .deadcode.yml\") lists them all.",
        "#",
        f"# App root: the folder of this file ({os.path.basename(d.root.rstrip(os.sep)) or d.root})",
    ]
    if d.rails_signs:
        out.append(f"#   a Rails app: {', '.join(d.rails_signs)}")
    else:
        out.append("#   no sign of Rails here (no config/application.rb, no Gemfile naming rails):")
        out.append("#   is this the app's root folder?")
    out += ["", "# Plugins are switched on by the gems the app bundles."]
    if d.plugins:
        out.append(f"# Enabled by {d.gem_source}:")
        out += [f"#   {name} ({', '.join(gems)})" for name, gems in d.plugins]
    else:
        out.append(f"# No gem in {d.gem_source or 'a Gemfile (none found)'} enables a plugin.")
    out += [f"# Always on: {', '.join(d.always_on)}.",
            "# Force one on or off here, e.g. {sidekiq: false}:",
            "plugins: {}",
            "",
            "# Test code recognised without configuration: spec/, test/, features/, factories/,",
            "# *_spec.rb, *_test.rb, mailer previews."]
    if d.test_folders:
        out.append(f"# Found here: {', '.join(d.test_folders)}")
    out.append("# Other folders of test code (globs):")
    if d.extra_test_paths:
        out.append("test_paths:")
        out += [f"  - {_yaml_str(p)}" for p in d.extra_test_paths]
    else:
        out.append("test_paths: []")
    out += ["",
            "# Where `deadcode scan --format html` writes without -o "
            f"({d.report_dir_why}):",
            f"report_dir: {d.report_dir}",
            "",
            "# Entry points called from outside this repository (a mobile app, another service):",
            "# roots:",
            "#   - name: \"Api::V1::*\"",
            "#     reason: called by the mobile app",
            "# Dead code to keep on purpose (reported as kept; an expired keep stops applying):",
            "# keep:",
            "#   - name: LegacyExporter",
            "#     reason: ops console",
            "#     until: 2027-06-30",
            "# Paths never to scan:",
            "# exclude: [\"app/legacy/*\"]",
            ""]
    return "\n".join(out)
