"""The events of one commit travel as one Pub/Sub message (a JSON array, in order); a commit of
more than ``PER_MESSAGE`` events as several, still in order; one event as a JSON object."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from redis.asyncio import Redis

from api.events.model import decode_published
from api.events.publisher import PER_MESSAGE, EventPublisher
from db.repositories.events import RecordedEvent


def _rows(count: int) -> list[RecordedEvent]:
    job, document = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    return [
        RecordedEvent(i, job, document, "job_started", "PROCESSING", 5, None, None, 1, now)
        for i in range(1, count + 1)
    ]


async def _published(redis: Redis, *batches: list[RecordedEvent]) -> list[bytes]:
    channel = f"test-publisher-{uuid.uuid4().hex}"
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)
    try:
        publisher = EventPublisher(redis, channel)
        for rows in batches:
            await publisher.publish_rows(list(rows))
        received: list[bytes] = []
        for _ in range(50):
            message = await pubsub.get_message(timeout=0.1)
            if message is not None:
                received.append(message["data"])
            elif received:
                break
            await asyncio.sleep(0)
        return received
    finally:
        await pubsub.aclose()


async def test_a_commit_is_one_message_and_a_large_one_several_in_order(redis: Redis) -> None:
    one, five, many = _rows(1), _rows(5), _rows(2 * PER_MESSAGE + 50)
    received = await _published(redis, one, five, many)
    assert len(received) == 1 + 1 + 3
    assert received[0].startswith(b"{") and received[1].startswith(b"[")
    ids = [event.id for data in received for event in decode_published(data)]
    assert ids == [1, *range(1, 6), *range(1, len(many) + 1)]
