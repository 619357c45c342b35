"""The sweeper: the outbox relay and lease reaper that make "no lost job" true.

Runs in its own process (``paperlane sweeper``; ``paperlane dev`` and compose start it). Several
sweepers may run at once: rows are taken with ``FOR UPDATE SKIP LOCKED`` and every transition is
conditional, so two sweepers never handle the same job twice.
"""

from __future__ import annotations

import asyncio
import logging

from api.context import AppContext
from api.effects import commit
from api.settings import get_settings

log = logging.getLogger(__name__)


async def sweep_once(ctx: AppContext) -> tuple[int, int]:
    """One pass: (re-enqueued QUEUED jobs, reclaimed PROCESSING jobs)."""
    async with ctx.session() as session:
        jobs = ctx.jobs(session)
        requeued = await jobs.requeue_unclaimed()
        reclaimed = await jobs.reclaim_expired()
        await commit(session)
    if requeued or reclaimed:
        log.info(
            "sweep: re-enqueued %d queued job(s), reclaimed %d lost job(s)", requeued, reclaimed
        )
    return requeued, reclaimed


async def run_forever() -> None:
    settings = get_settings()
    ctx = AppContext.create(settings)
    log.info("sweeper running every %.1fs", settings.sweep_interval_seconds)
    try:
        while True:
            try:
                await sweep_once(ctx)
            except Exception:
                # PostgreSQL or Redis away: try again next period, never die of it.
                log.exception("sweep failed; retrying in %.1fs", settings.sweep_interval_seconds)
            await asyncio.sleep(settings.sweep_interval_seconds)
    finally:
        await ctx.aclose()
