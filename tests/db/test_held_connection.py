"""The connection a process holds for its one-statement units of work (``HeldConnection``):
one failure is seen once, as with the pool, and the next statement runs on a fresh connection."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from api.context import AppContext
from api.unavailable import is_dependency_error

BACKEND = text("SELECT pg_backend_pid() AS pid")


async def _pid(ctx: AppContext) -> int:
    (row,) = await ctx.held.rows(BACKEND, {})
    return int(row["pid"])


async def test_statements_share_one_connection(ctx: AppContext) -> None:
    assert await _pid(ctx) == await _pid(ctx)


async def test_a_broken_connection_fails_once_then_a_fresh_one_is_used(ctx: AppContext) -> None:
    before = await _pid(ctx)
    async with ctx.autocommit.connect() as conn:  # the server drops it, as on a restart
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
    with pytest.raises(Exception) as failed:
        await _pid(ctx)
    assert is_dependency_error(failed.value)  # the task retries it (worker.tasks.base)
    assert await _pid(ctx) != before


async def test_a_refused_statement_does_not_poison_the_next(ctx: AppContext) -> None:
    with pytest.raises(Exception) as refused:
        await ctx.held.rows(text("SELECT 1 / 0"), {})
    assert not is_dependency_error(refused.value)
    assert await _pid(ctx) > 0


async def test_a_cancelled_statement_leaves_no_half_used_connection(ctx: AppContext) -> None:
    first = await _pid(ctx)
    slow = asyncio.create_task(ctx.held.rows(text("SELECT pg_sleep(5)"), {}))
    await asyncio.sleep(0.2)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    assert await asyncio.wait_for(_pid(ctx), 2) != first
