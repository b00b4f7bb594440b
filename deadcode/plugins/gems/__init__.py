"""Gem plugins: one module per gem or gem family, each mostly declarations.

``catalogue.py`` writes docs/gems.md from these declarations (and from the list of gems
considered that load nothing by name)."""

from __future__ import annotations

from .annotate import AnnotatePlugin
from .association_macros import AssociationMacrosPlugin
from .cancancan import CanCanCanPlugin
from .draper import DraperPlugin
from .grape import GrapePlugin
from .notifications import SubscribersPlugin
from .observers import RailsObserversPlugin
from .paper_trail import PaperTrailPlugin
from .resque import ResquePlugin
from .responders import RespondersPlugin
from .serializers import SerializersPlugin
from .simple_form import SimpleFormPlugin
from .stimulus_reflex import StimulusReflexPlugin
from .translations import TranslatesPlugin
from .view_component import ViewComponentGemPlugin

GEM_PLUGINS = [
    RailsObserversPlugin, TranslatesPlugin, StimulusReflexPlugin, ViewComponentGemPlugin,
    DraperPlugin, SerializersPlugin, SimpleFormPlugin, GrapePlugin, CanCanCanPlugin,
    PaperTrailPlugin, ResquePlugin, SubscribersPlugin, RespondersPlugin, AnnotatePlugin,
    AssociationMacrosPlugin,
]

__all__ = ["GEM_PLUGINS"]
