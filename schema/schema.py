from __future__ import annotations

import strawberry

from schema.health import Health, health


@strawberry.type(description="Read-only entry points.")
class Query:
    health: Health = strawberry.field(resolver=health, description="Whether the API's dependencies answer.")


schema = strawberry.Schema(query=Query)
