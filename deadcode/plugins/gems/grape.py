"""grape: APIs are reached by ``mount API::V1`` (a constant, already a reference) from
routes or another API; entities by ``present x, with: Entity``."""

from __future__ import annotations

from ..base import Plugin


class GrapePlugin(Plugin):
    name = "grape"
    gems = ("grape", "grape-entity")
    reaches = "Grape::API subclasses and entities (app/api)"
    how = ("judged by references: `mount API::V1` (routes or an API) and `with: Entity` are "
           "constants; an API nothing mounts is dead")
    parent_kinds = {"Grape::API": "api", "Grape::API::Instance": "api", "Grape::Entity": "entity"}
    app_folders = ("api",)
