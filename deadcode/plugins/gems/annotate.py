"""annotate / annotaterb: the gem's generated ``lib/tasks/auto_annotate_models.rake``
defines ``set_annotation_options``, which the gem's own ``annotate_models`` task and its
``db:migrate`` hook invoke."""

from __future__ import annotations

from ..base import Plugin


class AnnotatePlugin(Plugin):
    name = "annotate"
    gems = ("annotate", "annotaterb")
    reaches = "rake hook tasks"
    how = "`set_annotation_options` is invoked by the gem's tasks"
    hook_tasks = ("set_annotation_options", "annotate_rb:set_defaults")
