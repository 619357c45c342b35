"""The hub delivers in id order with no gap, whatever order (or whether) Pub/Sub brings events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from api.context import AppContext
from api.events.hub import EventHub
from api.events.model import JobEventMessage
from api.settings import Settings
from db.repositories import EventRepository
from tests.api.helpers import make_document
from tests.services import free_port


@pytest.fixture
async def silent_ctx(settings: Settings, clean: None) -> AsyncIterator[AppContext]:
    """Stores events like any writer, but its publishes fail (its Redis is unreachable)."""
    ctx = AppContext.create(
        settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    )
    yield ctx
    await ctx.aclose()


@pytest.fixture
async def hub(ctx: AppContext, settings: Settings) -> AsyncIterator[EventHub]:
    assert settings.redis_url
    hub = EventHub(settings.redis_url, settings.events_channel, ctx.session, poll_seconds=1.0)
    await hub.start()
    await asyncio.wait_for(hub.connected.wait(), 10)
    yield hub
    await hub.stop()


async def stored(ctx: AppContext) -> list[JobEventMessage]:
    async with ctx.session() as session:
        return [JobEventMessage.from_row(r) for r in await EventRepository(session).list()]


async def test_a_later_event_published_first_is_delivered_after_the_earlier_one(
    ctx: AppContext, silent_ctx: AppContext, hub: EventHub
) -> None:
    subscriber = await hub.subscribe()
    for _ in range(3):
        await make_document(silent_ctx, state="QUEUED")  # stored, never published
    events = await stored(ctx)
    assert len(events) == 3
    # Only the last one is published (as if the others' publishers were slower or failed).
    await ctx.redis.publish(ctx.settings.events_channel, events[-1].to_json())
    got = [await asyncio.wait_for(subscriber.get(), 5) for _ in range(3)]
    assert [m.id for m in got] == [e.id for e in events]
    assert hub.recovered == 3


async def test_an_event_never_published_arrives_by_the_poll(
    ctx: AppContext, silent_ctx: AppContext, hub: EventHub
) -> None:
    subscriber = await hub.subscribe()
    document = await make_document(silent_ctx, state="QUEUED")
    message = await asyncio.wait_for(subscriber.get(), 5)
    assert message.document_id == document.id


async def test_duplicates_and_stale_messages_are_ignored(ctx: AppContext, hub: EventHub) -> None:
    subscriber = await hub.subscribe()
    await make_document(ctx, state="QUEUED")
    first = await asyncio.wait_for(subscriber.get(), 5)
    await ctx.redis.publish(ctx.settings.events_channel, first.to_json())  # again
    await ctx.redis.publish(ctx.settings.events_channel, b"{not json")
    await make_document(ctx, state="QUEUED")
    second = await asyncio.wait_for(subscriber.get(), 5)
    assert second.id > first.id
    await asyncio.sleep(0.3)
    assert subscriber.queue.empty()


async def test_an_idle_hub_queries_nothing_and_a_late_subscriber_starts_from_now(
    ctx: AppContext, settings: Settings
) -> None:
    """Nobody subscribed: events and polls cost no query. The first subscriber to come moves
    the stale cursor with one probe, and gets what comes after it, not what went by before."""
    probes = 0

    async def probe() -> int:
        nonlocal probes
        probes += 1
        return await ctx.last_event_id()

    assert settings.redis_url
    hub = EventHub(
        settings.redis_url, settings.events_channel, ctx.session, probe=probe, poll_seconds=0.1
    )
    await hub.start()
    try:
        await asyncio.wait_for(hub.connected.wait(), 10)
        assert probes == 1  # the cursor on start
        for _ in range(5):
            await make_document(ctx, state="QUEUED")  # stored and published, for nobody
        before = await stored(ctx)
        await asyncio.sleep(0.5)  # the published events and a few polls went by
        assert probes == 1
        assert hub.last_seen_id is not None and hub.last_seen_id < before[-1].id

        subscriber = await hub.subscribe()
        assert probes == 2
        assert hub.last_seen_id == before[-1].id
        document = await make_document(ctx, state="QUEUED")
        message = await asyncio.wait_for(subscriber.get(), 5)
        assert message.document_id == document.id
        assert message.id > before[-1].id
        await asyncio.sleep(0.3)
        assert subscriber.queue.empty()
        assert probes == 2  # subscribed: catch-ups read rows, they do not probe
    finally:
        await hub.stop()
