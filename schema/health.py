from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.routes.health import check_dependencies


@strawberry.type(description="Readiness of the API and the services it depends on.")
class Health:
    ok: bool = strawberry.field(description="True when PostgreSQL and Redis both answer.")
    postgres: str = strawberry.field(description='"ok" or why PostgreSQL is unavailable.')
    redis: str = strawberry.field(description='"ok" or why Redis is unavailable.')


async def health(info: Info) -> Health:
    checks = await check_dependencies(info.context.app)
    return Health(
        ok=all(v == "ok" for v in checks.values()),
        postgres=checks["postgres"],
        redis=checks["redis"],
    )
