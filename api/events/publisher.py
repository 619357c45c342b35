"""Publishing job events on the one Redis Pub/Sub channel, after the commit that stored them."""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from api.effects import after_commit_batched, committed_already
from api.events.model import EventRow, JobEventMessage, encode_many

# Events per Pub/Sub message at most (~350 bytes each): a commit of thousands of events (a bulk
# action) goes out as several messages of this many, still pipelined in one round trip.
PER_MESSAGE = 200


class EventPublisher:
    def __init__(self, redis: Redis, channel: str):
        self.redis = redis
        self.channel = channel

    async def publish(self, message: JobEventMessage) -> None:
        await self.redis.publish(self.channel, message.to_json())

    async def publish_rows(self, rows: Sequence[EventRow]) -> None:
        """Events in position order (one commit's, after the claim a worker held back for it),
        in ONE message (a JSON array; one event: an object), so one PUBLISH and one Pub/Sub
        message for each subscribing API process instead of one per event (a worker's outcome
        has five events, an upload one per file: issue 16). Above ``PER_MESSAGE`` events,
        several messages in one pipelined round trip."""
        if len(rows) == 1:
            await self.publish(JobEventMessage.from_row(rows[0]))
            return
        payloads = [
            encode_many([JobEventMessage.from_row(row) for row in rows[i : i + PER_MESSAGE]])
            for i in range(0, len(rows), PER_MESSAGE)
        ]
        if len(payloads) == 1:
            await self.redis.publish(self.channel, payloads[0])
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for payload in payloads:
                pipe.publish(self.channel, payload)
            await pipe.execute()

    def publish_after_commit(self, session: AsyncSession, row: EventRow) -> None:
        """Buffer the event; it goes out only if and when ``row`` is committed, with the other
        events of that commit (a worker's back-to-back steps: one message, issue 16)."""
        after_commit_batched(session, f"publish:{self.channel}", row, self.publish_rows)

    async def publish_committed(self, rows: Sequence[EventRow]) -> None:
        """``publish_rows`` for events a statement committed on its own (``HeldConnection``),
        best-effort as an after-commit effect (``committed_already``)."""
        await committed_already(lambda: self.publish_rows(rows))
