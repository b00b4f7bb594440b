"""The gem catalogue: docs/gems.md, generated from the plugins' declarations.

Rows come from three places, so the table cannot drift from the code:

* every plugin (core, rails, gems) with ``gems`` declared: its ``reaches`` / ``how``
  (or its docstring's first line), and the test that passes one of its gems to ``check``;
* ``ELSEWHERE``: gems whose conventions another layer already models;
* ``NOTHING_BY_NAME``: gems considered that load no app code by name.
"""

from __future__ import annotations

import os
import re

# gem -> (what it reaches, where it is modelled, test)
ELSEWHERE: dict[str, tuple[str, str, str]] = {
    "devise": ("Devise::Models::X / Devise::Strategies::X defined in the repo; `devise_for` controllers",
               "the Ruby layer keeps a module inside the gem's namespace (a patch); routes.py reads "
               "`devise_for ... controllers:`", ""),
    "omniauth": ("OmniAuth::Strategies::X defined in the repo (`provider :x`)",
                 "the Ruby layer keeps a class inside the gem's namespace (a patch)", ""),
    "activeadmin": ("app/admin", "EngineConventionsPlugin (folder)", ""),
    "administrate": ("app/dashboards, app/fields", "EngineConventionsPlugin (folder); XDashboard "
                     "live while model X is (naming convention)", ""),
    "graphql": ("app/graphql (`field :x, Types::Y` is a constant)", "EngineConventionsPlugin (folder)", ""),
    "actioncable": ("channels (named from JavaScript)", "RailtiesPlugin framework_parents", ""),
    "friendly_id": ("the friendly_id_slugs table", "TablesPlugin (gem tables)", ""),
    "delayed_job": ("the delayed_jobs table; `.delay` / `handle_asynchronously` name methods only",
                    "TablesPlugin (gem tables)", ""),
    "delayed_job_active_record": ("the delayed_jobs table", "TablesPlugin (gem tables)", ""),
    "flipper": ("flipper_* tables", "TablesPlugin (gem tables)", ""),
    "flipper-active_record": ("flipper_* tables", "TablesPlugin (gem tables)", ""),
    "good_job": ("jobs in `config.good_job.cron` (`class: \"X\"`); good_job tables",
                 "class-name strings are references (index); TablesPlugin (gem tables)", ""),
    "sidekiq-scheduler": ("jobs in config/sidekiq.yml `class: X`", "class names in YAML are read as text", ""),
    "sidekiq-cron": ("jobs in config/schedule.yml `class: X`", "class names in YAML are read as text", ""),
    "whenever": ("config/schedule.rb `runner` / `rake`", "SchedulersPlugin", "test_jobs_and_schedulers"),
    "mobility": ("X::Translation, <x>_translations; mobility_* key-value tables",
                 "TranslatesPlugin; TablesPlugin (gem tables)", ""),
}

# gem -> why nothing of the app is loaded by name
NOTHING_BY_NAME: dict[str, str] = {
    "aasm": "`aasm do ... event ... after: :notify` names methods (no method nodes besides actions)",
    "state_machines": "callbacks name methods (no method nodes besides actions)",
    "state_machines-activerecord": "as state_machines",
    "rufus-scheduler": "jobs are blocks that call classes by constant",
    "wisper": "`subscribe(XListener.new)` is a constant; `broadcast(:event)` names methods",
    "kaminari": "pagination; its views are ordinary views", "will_paginate": "pagination",
    "pagy": "pagination", "jbuilder": "templates are views; partials by path",
    "turbo-rails": "broadcasts render partials by path", "stimulus-rails": "JavaScript controllers",
    "importmap-rails": "JavaScript", "rack-attack": "rules are blocks",
    "sentry-rails": "error reporting", "sentry-ruby": "error reporting", "lograge": "logging",
    "strong_migrations": "migration checks", "rspec-rails": "test code (roots)",
    "factory_bot": "see factory_bot_rails", "rails-i18n": "locale data",
    "dotenv-rails": "environment", "bootsnap": "boot cache", "sprockets-rails": "assets",
    "jquery-rails": "assets", "sassc-rails": "assets", "web-console": "development tool",
    "letter_opener": "development tool", "bullet": "development tool", "doorkeeper":
    "OAuth provider; its models are the gem's (oauth_* tables are gem tables)",
    "rails-observers": "",   # modelled (kept here only so the table lists it once)
}

FRAMEWORK = {"rails", "actioncable", "actionmailbox", "actionmailer", "actionpack", "actiontext",
             "actionview", "activejob", "activemodel", "activerecord", "activestorage",
             "activesupport", "railties"}


def plugin_rows():
    """gem -> [(plugin name, reaches, how)] from every plugin's declarations."""
    from .. import all_plugins

    rows: dict[str, list[tuple[str, str, str]]] = {}
    for p in all_plugins():
        doc = (type(p).__doc__ or "").strip().split("\n\n", 1)[0].replace("\n", " ")
        reaches = p.reaches or doc or "classes of the kinds it declares"
        how = p.how or _declared(p)
        for gem in p.gems:
            rows.setdefault(gem, []).append((f"{type(p).__module__.rsplit('.', 1)[-1]}.{type(p).__name__}",
                                             reaches, how))
    return rows


def _declared(p) -> str:
    parts = []
    if p.parent_kinds:
        parts.append("parents: " + ", ".join(sorted(p.parent_kinds)))
    if p.include_kinds:
        parts.append("includes: " + ", ".join(sorted(p.include_kinds)))
    if p.framework_parents:
        parts.append("framework-called: " + ", ".join(p.framework_parents))
    if p.hook_tasks:
        parts.append("hook tasks: " + ", ".join(p.hook_tasks))
    if p.call_args:
        parts.append("calls: " + ", ".join(f"{m} ({mode})" for m, mode in sorted(p.call_args.items())))
    return "; ".join(parts)


def tests_by_gem(tests_dir: str) -> dict[str, str]:
    """gem -> the test that passes it in a Gemfile.lock (``check(("gem", ...)`` or a lock text)."""
    out: dict[str, str] = {}
    for fname in ("test_gem_plugins.py", "test_rails_plugins.py"):
        path = os.path.join(tests_dir, fname)
        if not os.path.exists(path):
            continue
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(r"^def (test_\w+)\(check\):\n(.*?)(?=^def |\Z)", text, re.S | re.M):
            body = m.group(2)
            first = re.match(r"\s*c?\s*=?\s*check\(\(([^)]*)\)", body)
            gems = re.findall(r'"([\w.-]+)"', first.group(1)) if first else []
            gems += re.findall(r"\\n    ([\w.-]+) \(\d", body)
            for g in gems:
                out.setdefault(g, f"{fname[:-3]}::{m.group(1)}")
    return out


# tests of plugins/rails.py that run on the default lock of tests/conftest.py
RAILS_TESTS = {
    "sidekiq": "test_jobs_and_schedulers", "factory_bot_rails": "test_validator_policy_and_factory",
    "factory_bot": "test_validator_policy_and_factory", "pundit": "test_headless_pundit_policy",
}


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render(n_apps: int, apps: list[tuple[str, str]], counts: dict[str, int], tests_dir: str,
           top: int = 150) -> str:
    rows = plugin_rows()
    tests = tests_by_gem(tests_dir)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [g for g, _ in ranked[:top]]
    considered = sorted(set(rows) | set(ELSEWHERE) | {g for g, why in NOTHING_BY_NAME.items() if why})
    extra = [g for g in considered if g not in shown and g not in FRAMEWORK]
    out = ["# Gems and the app code they reach", "",
           "Generated by `python benchmarks/gem_table.py LOCKS_DIR` from the plugins' declarations",
           "(`reaches`, `how`, `gems`, kinds) and `deadcode/plugins/gems/catalogue.py`; do not edit.", "",
           f"Frequencies: top-level `specs:` entries of the Gemfile.lock of {n_apps} public Rails apps",
           "(`benchmarks/gem_frequency.py`).", "",
           "| gem | apps | reaches by convention | how deadcode models it | test |",
           "|---|---|---|---|---|"]

    def row(gem: str) -> str:
        k = counts.get(gem, 0)
        if gem in FRAMEWORK:
            reaches, how = "Rails itself", "plugins/core.py, plugins/rails.py (and notifications.SubscribersPlugin)"
        elif gem in rows:
            reaches = "; ".join(sorted({r for _, r, _ in rows[gem] if r}))
            how = "; ".join(f"`{name}`: {h}" if h else f"`{name}`" for name, _, h in rows[gem])
        elif gem in ELSEWHERE:
            reaches, how, _t = ELSEWHERE[gem]
        elif NOTHING_BY_NAME.get(gem):
            reaches, how = "nothing by name", NOTHING_BY_NAME[gem]
        else:
            reaches, how = "nothing by name", "a library the app calls by constant"
        test = tests.get(gem) or (gem in RAILS_TESTS and f"test_rails_plugins::{RAILS_TESTS[gem]}") or (ELSEWHERE.get(gem, ("", "", ""))[2] and
                                  f"test_rails_plugins::{ELSEWHERE[gem][2]}") or ""
        return f"| {gem} | {k}/{n_apps} | {_cell(reaches)} | {_cell(how)} | {test} |"

    out += [row(g) for g in shown]
    out += ["", f"## Gems considered outside the top {top}", "",
            "| gem | apps | reaches by convention | how deadcode models it | test |",
            "|---|---|---|---|---|"]
    out += [row(g) for g in sorted(extra, key=lambda g: (-counts.get(g, 0), g))]
    out += ["", "## Apps counted", "", "| app | commit |", "|---|---|"]
    out += [f"| {name} | {commit[:12]} |" for name, commit in apps]
    return "\n".join(out) + "\n"
