"""Event ids are positions: writers take no lock, readers see only final positions, so the feed
stays in order with no gap even when a later transaction commits first."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from api.context import AppContext
from api.events.hub import EventHub
from api.events.model import JobEventMessage
from api.settings import Settings
from db.models import JobEventType, ProcessingJob
from db.repositories import EventRepository
from db.repositories.events import ORDINAL_BITS
from tests.api.helpers import make_document


@pytest.fixture
async def hub(ctx: AppContext, settings: Settings) -> AsyncIterator[EventHub]:
    assert settings.redis_url
    # As the app builds it: the idle probe on a bare connection (api.main).
    hub = EventHub(
        settings.redis_url,
        settings.events_channel,
        ctx.session,
        probe=ctx.last_event_id,
        poll_seconds=0.5,
    )
    await hub.start()
    await asyncio.wait_for(hub.connected.wait(), 10)
    yield hub
    await hub.stop()


async def _job(ctx: AppContext) -> ProcessingJob:
    document = await make_document(ctx, state="QUEUED")
    async with ctx.session() as session:
        job = await session.scalar(
            select(ProcessingJob).where(ProcessingJob.document_id == document.id)
        )
    assert job is not None
    return job


async def _final(ctx: AppContext, after: int = 0) -> list[int]:
    async with ctx.session() as session:
        return [e.id for e in await EventRepository(session).list(after_id=after)]


async def test_events_of_one_transaction_are_consecutive(ctx: AppContext) -> None:
    job = await _job(ctx)
    async with ctx.session() as session:
        events = [
            await EventRepository(session).add(job, JobEventType.DOCUMENT_PARSING_STARTED)
            for _ in range(3)
        ]
        await session.commit()
    ids = [e.id for e in events]
    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]
    assert ids[0] % (1 << ORDINAL_BITS) == 0  # the transaction's first position


async def test_a_later_transaction_committed_first_waits_for_the_older_one(
    ctx: AppContext, hub: EventHub
) -> None:
    job = await _job(ctx)
    before = await _final(ctx)
    subscriber = await hub.subscribe()
    async with ctx.session() as older, ctx.session() as later:
        first = await EventRepository(older).add(job, JobEventType.DOCUMENT_PARSING_STARTED)
        second = await EventRepository(later).add(job, JobEventType.DOCUMENT_PARSING_COMPLETED)
        assert first.id < second.id
        await later.commit()
        await ctx.publisher.publish(JobEventMessage.from_row(second))
        # Committed, but not final: a reader delivering it now could never deliver ``first``.
        assert await _final(ctx) == before
        await asyncio.sleep(0.3)
        assert subscriber.queue.empty()
        await older.commit()
    got = [(await asyncio.wait_for(subscriber.get(), 5)).id for _ in range(2)]
    assert got == [first.id, second.id]
    assert await _final(ctx) == [*before, first.id, second.id]


async def test_concurrent_writers_feed_every_event_once_in_order(
    ctx: AppContext, hub: EventHub
) -> None:
    """Twenty writers commit in random interleavings; the hub's feed equals the stored log."""
    jobs = [await _job(ctx) for _ in range(4)]
    start = await _final(ctx)
    subscriber = await hub.subscribe(queue_size=10_000)
    rng = random.Random(15)

    async def writer(index: int) -> None:
        for _ in range(10):
            async with ctx.session() as session:
                for _ in range(rng.randint(1, 3)):
                    event = await EventRepository(session).add(
                        jobs[index % len(jobs)], JobEventType.DOCUMENT_PARSING_STARTED
                    )
                    await asyncio.sleep(rng.random() / 100)
                await session.commit()
            if rng.random() < 0.7:  # some publishes are "lost": the hub must still find them
                await ctx.publisher.publish(JobEventMessage.from_row(event))

    await asyncio.gather(*(writer(i) for i in range(20)))
    stored = [i for i in await _final(ctx) if i not in set(start)]
    got: list[int] = []
    while len(got) < len(stored):
        got.append((await asyncio.wait_for(subscriber.get(), 10)).id)
    assert got == stored
    assert got == sorted(set(got))


async def test_a_bogus_announcement_is_not_rechecked_forever(
    ctx: AppContext, hub: EventHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anyone on the Redis channel may announce an id that never becomes final: the hub rechecks
    it only for a while, and real events keep coming through meanwhile."""
    monkeypatch.setattr("api.events.hub.RECHECK_FOR_SECONDS", 0.5)
    subscriber = await hub.subscribe()
    job = await _job(ctx)
    first = await asyncio.wait_for(subscriber.get(), 5)
    bogus = first.model_copy(update={"id": 1 << 62})
    await ctx.redis.publish(ctx.settings.events_channel, bogus.to_json())
    async with asyncio.timeout(5):
        while hub.published_id != 1 << 62:  # noqa: ASYNC110 (a counter, no event)
            await asyncio.sleep(0.01)
    assert hub.behind
    async with ctx.session() as session:
        event = await EventRepository(session).add(job, JobEventType.DOCUMENT_PARSING_STARTED)
        await session.commit()
    assert (await asyncio.wait_for(subscriber.get(), 5)).id == event.id
    await asyncio.sleep(0.6)
    assert not hub.behind


async def test_the_bare_connection_probe_reads_the_last_final_position(ctx: AppContext) -> None:
    """``AppContext.last_event_id`` (the app's idle hub probe) is ``EventRepository.last_id``."""
    job = await _job(ctx)
    async with ctx.session() as session:
        await EventRepository(session).add(job, JobEventType.JOB_STARTED)
        await session.commit()
    async with ctx.session() as session:
        expected = await EventRepository(session).last_id()
    assert expected > 0
    assert await ctx.last_event_id() == expected
