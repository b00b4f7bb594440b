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


CORE_PLUGINS = [
    RubyPlugin, ActiveRecordPlugin, ActiveJobPlugin, SidekiqPlugin, ActionMailerPlugin,
    ActionPackPlugin, ActiveSupportPlugin, RailtiesPlugin,
]
