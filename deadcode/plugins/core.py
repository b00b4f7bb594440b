"""Plugins for Ruby itself and the Rails frameworks' class kinds.

Mostly data: which parents and included modules give a class its kind, which
parents make a class framework-called.
"""

from __future__ import annotations

from .base import Plugin


class RubyPlugin(Plugin):
    name = "ruby"
    methods = frozenset({"include", "extend", "prepend", "const_get", "require", "require_relative",
                         "autoload"})

    def finalize(self, index) -> None:
        # "# Not called in the code, only called if manually expiring" above a class:
        # its own authors say something the tool cannot see runs it
        # and a tool in lib/ or script/ that reads the keyboard (gets.chomp) is run by someone
        said_of: dict[str, str] = {}
        for did, attrs in sorted(index.attributes.items()):
            if did not in index.definitions:
                continue
            if attrs.get("used_outside"):
                said_of[did] = f"its header comment says it is used from outside the code: " \
                               f"\"{attrs['used_outside']}\""
            elif attrs.get("reads_keyboard"):
                said_of[did] = f"it reads the keyboard ({attrs['reads_keyboard']}): an interactive " \
                               f"tool someone runs by hand"
        for did, why in said_of.items():
            index.cap(did, "low", why)
        if said_of:
            # what such a module holds goes with it (a console tool's classes)
            prefixes = tuple(sorted(index.definitions[d].name + "::" for d in said_of))
            for d in list(index.definitions.values()):
                if d.id.startswith("const:") and d.id not in said_of and d.name.startswith(prefixes):
                    outer = next(p for p in prefixes if d.name.startswith(p))[:-2]
                    index.cap(d.id, "low", f"part of {outer}: {said_of['const:' + outer]}")


class ActiveRecordPlugin(Plugin):
    name = "active_record"
    gems = ("activerecord", "rails")
    parent_kinds = {"ActiveRecord::Base": "model", "ApplicationRecord": "model"}


class ActiveJobPlugin(Plugin):
    name = "active_job"
    gems = ("activejob", "rails")
    parent_kinds = {"ActiveJob::Base": "job", "ApplicationJob": "job"}


class SidekiqPlugin(Plugin):
    name = "sidekiq"
    gems = ("sidekiq",)
    include_kinds = {"Sidekiq::Job": "worker", "Sidekiq::Worker": "worker"}
    methods = frozenset({"push", "push_bulk", "perform_async", "perform_in", "perform_at",
                         "perform_bulk", "sidekiq_options"})


class ActionMailerPlugin(Plugin):
    name = "action_mailer"
    gems = ("actionmailer", "rails")
    parent_kinds = {"ActionMailer::Base": "mailer", "ApplicationMailer": "mailer"}


class ActionPackPlugin(Plugin):
    name = "action_pack"
    gems = ("actionpack", "rails")
    parent_kinds = {
        "ActionController::Base": "controller",
        "ActionController::API": "controller",
        "ActionController::Metal": "controller",
        "ApplicationController": "controller",
    }
    path_kinds = ((r"(^|/)app/helpers/", "helper"),)


class ActiveSupportPlugin(Plugin):
    name = "active_support"
    gems = ("activesupport", "rails")
    include_kinds = {"ActiveSupport::Concern": "concern"}
    path_kinds = ((r"(^|/)concerns/", "concern"),)

    def finalize(self, index) -> None:
        # a concern extends its including class with its ClassMethods module
        from ..model import Role
        for d in list(index.definitions.values()):
            if d.id.startswith("const:") and d.name.endswith("::ClassMethods"):
                owner = index.definitions.get(f"const:{d.name[:-len('::ClassMethods')]}")
                if owner is not None:
                    index.add_reference(owner.id, d.id, d.name, owner.location, Role.APP,
                                        "ClassMethods of a concern")


class RailtiesPlugin(Plugin):
    """Classes the framework itself instantiates by convention."""

    name = "railties"
    gems = ("railties", "rails", "actioncable")
    framework_parents = (
        "Rails::Application", "Rails::Engine", "Rails::Railtie",
        "ActionCable::Channel::Base", "ActionCable::Connection::Base",
        "ApplicationCable::Channel", "ApplicationCable::Connection",
        "Rails::Generators::Base", "Rails::Generators::NamedBase",
    )


FRAMEWORK_TASK_NAMESPACES = {
    "db", "assets", "test", "spec", "log", "tmp", "time", "middleware", "routes", "secrets",
    "credentials", "yarn", "webpacker", "javascript", "css", "active_storage", "action_mailbox",
    "action_text", "importmap", "zeitwerk", "app", "about", "stats", "notes", "cache_digests",
    "default", "environment",
}


class RakePlugin(Plugin):
    """Tasks in the framework's namespaces (db:, assets:...) run through Rails itself:
    they are entry points, and never candidates."""

    name = "rake"

    def finalize(self, index) -> None:
        for d in index.definitions.values():
            if d.kind == "rake_task" and d.name.split(":", 1)[0] in FRAMEWORK_TASK_NAMESPACES:
                index.add_entry_point(d.id, f"task in the framework namespace {d.name.split(':', 1)[0]}:",
                                      self.name)


CORE_PLUGINS = [RakePlugin, 
    RubyPlugin, ActiveRecordPlugin, ActiveJobPlugin, SidekiqPlugin, ActionMailerPlugin,
    ActionPackPlugin, ActiveSupportPlugin, RailtiesPlugin,
]
