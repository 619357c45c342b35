from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.context import AppContext
from api.deps import Context

router = APIRouter(tags=["health"])


async def check_dependencies(ctx: AppContext) -> dict[str, str]:
    """ "ok" or the reason, for PostgreSQL and Redis, each bounded to two seconds."""

    async def database() -> None:
        async with ctx.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def redis() -> None:
        await ctx.redis.ping()

    results: dict[str, str] = {}
    for name, probe in (("postgres", database), ("redis", redis)):
        try:
            await asyncio.wait_for(probe(), timeout=2)
            results[name] = "ok"
        except Exception as error:
            results[name] = f"unavailable: {type(error).__name__}"
    return results


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: PostgreSQL and Redis answer")
async def readyz(ctx: Context) -> JSONResponse:
    checks = await check_dependencies(ctx)
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
