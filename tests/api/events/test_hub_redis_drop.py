"""The event hub's gap fill: its Pub/Sub connection is killed (``CLIENT KILL TYPE pubsub``,
several times) while events are being stored and published; events published while it was
disconnected are lost from Pub/Sub and must come back from PostgreSQL, each exactly once and in
order. ``CLIENT KILL`` works the same on the embedded Redis and on a shared server."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

from redis.asyncio import Redis

from api.context import AppContext
from api.effects import commit
from api.events.hub import EventHub
from api.settings import Settings
from db.models import JobEventType
from db.repositories import EventRepository, JobRepository
from tests.api.helpers import make_document

EVENTS = 300
KILLS = 6


async def produce(ctx: AppContext, job_id: uuid.UUID, count: int) -> None:
    """Store and publish-after-commit ``count`` events, as the worker's steps do."""
    for i in range(count):
        async with ctx.session() as session:
            job = await JobRepository(session).get(job_id)
            assert job is not None
            row = await EventRepository(session).add(
                job, JobEventType.DOCUMENT_PARSING_STARTED, f"n{i}"
            )
            ctx.publisher.publish_after_commit(session, row)
            await commit(session)
        await asyncio.sleep(0)


async def kill_pubsub(redis: Redis, hub: EventHub, times: int) -> int:
    """Kill the hub's Pub/Sub connection ``times`` times, each once it has re-subscribed; every
    kill must be noticed (a silent re-subscribe inside redis-py would skip the gap fill)."""
    killed = 0
    for _ in range(times):
        await asyncio.wait_for(hub.connected.wait(), 15)
        await asyncio.sleep(0.05)
        before = hub.reconnects
        killed += await redis.client_kill_filter(_type="pubsub")
        async with asyncio.timeout(5):
            while hub.reconnects == before:  # noqa: ASYNC110 (a counter, no event to wait on)
                await asyncio.sleep(0.01)
    return killed


async def test_pubsub_connection_killed_while_publishing(
    ctx: AppContext, settings: Settings, redis: Redis
) -> None:
    assert settings.redis_url
    document = await make_document(ctx, state="QUEUED")
    async with ctx.session() as session:
        job = (await JobRepository(session).latest_for_documents([document.id]))[0]
    assert job is not None
    hub = EventHub(settings.redis_url, settings.events_channel, ctx.session, max_backoff=0.5)
    await hub.start()
    await asyncio.wait_for(hub.connected.wait(), 10)
    try:
        feed = await hub.subscribe()  # the dashboard feed: everything
        for_job = await hub.subscribe(job_id=job.id)
        producer = asyncio.create_task(produce(ctx, job.id, EVENTS))
        killed = await kill_pubsub(redis, hub, KILLS)
        await producer
        async with ctx.session() as session:
            stored = [r.id for r in await EventRepository(session).list(job_id=job.id)]
        assert len(stored) == EVENTS + 1  # + JOB_QUEUED, stored before the hub started

        for subscriber in (feed, for_job):
            received: list[int] = []
            with contextlib.suppress(TimeoutError):
                while len(received) < EVENTS:
                    received.append((await asyncio.wait_for(subscriber.get(), 5)).id)
            missing = sorted(set(stored[1:]) - set(received))
            assert received == stored[1:], f"gap, duplicate or disorder; missing {missing}"
            await asyncio.sleep(0.3)
            assert subscriber.queue.empty(), "a late duplicate arrived"
        assert killed >= KILLS and hub.reconnects == KILLS
        assert hub.recovered > 0, "no event needed the gap fill: the test proved nothing"
    finally:
        await hub.stop()
