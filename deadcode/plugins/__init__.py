"""Framework and gem plugins. See ``base.Plugin`` for the contract."""

from __future__ import annotations

from .base import CallRef, Plugin
from .core import CORE_PLUGINS


def all_plugins() -> list[Plugin]:
    """Every plugin, in a fixed order."""
    plugins: list[Plugin] = [cls() for cls in CORE_PLUGINS]
    try:
        from .rails import RAILS_PLUGINS
    except ImportError:  # pragma: no cover - during bootstrap only
        RAILS_PLUGINS = []
    plugins += [cls() for cls in RAILS_PLUGINS]
    from .gems import GEM_PLUGINS
    plugins += [cls() for cls in GEM_PLUGINS]
    return plugins


def all_plugin_methods() -> frozenset[str]:
    methods: set[str] = set()
    for p in all_plugins():
        methods |= set(p.methods)
        methods |= set(p.call_args)
    return frozenset(methods)


def enabled_plugins(gems: set[str], switches: dict[str, bool] | None = None) -> list[Plugin]:
    """Plugins whose gems the app uses (or that need none), minus those switched off."""
    switches = switches or {}
    out = []
    for p in all_plugins():
        on = (not p.gems) or bool(gems & set(p.gems))
        if p.name in switches:
            on = switches[p.name]
        if on:
            out.append(p)
    return out


__all__ = ["CallRef", "Plugin", "all_plugins", "all_plugin_methods", "enabled_plugins"]
