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
    subscriber = hub.subscribe()
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
    subscriber = hub.subscribe()
    document = await make_document(silent_ctx, state="QUEUED")
    message = await asyncio.wait_for(subscriber.get(), 5)
    assert message.document_id == document.id


async def test_duplicates_and_stale_messages_are_ignored(ctx: AppContext, hub: EventHub) -> None:
    subscriber = hub.subscribe()
    await make_document(ctx, state="QUEUED")
    first = await asyncio.wait_for(subscriber.get(), 5)
    await ctx.redis.publish(ctx.settings.events_channel, first.to_json())  # again
    await ctx.redis.publish(ctx.settings.events_channel, b"{not json")
    await make_document(ctx, state="QUEUED")
    second = await asyncio.wait_for(subscriber.get(), 5)
    assert second.id > first.id
    await asyncio.sleep(0.3)
    assert subscriber.queue.empty()
