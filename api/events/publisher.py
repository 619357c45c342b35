"""Publishing job events on the one Redis Pub/Sub channel, after the commit that stored them."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from api.effects import after_commit_batched
from api.events.model import EventRow, JobEventMessage


class EventPublisher:
    def __init__(self, redis: Redis, channel: str):
        self.redis = redis
        self.channel = channel

    async def publish(self, message: JobEventMessage) -> None:
        await self.redis.publish(self.channel, message.to_json())

    async def publish_rows(self, rows: list[EventRow]) -> None:
        """The events in order, in one round trip (a pipeline, not a MULTI)."""
        if len(rows) == 1:
            await self.publish(JobEventMessage.from_row(rows[0]))
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for row in rows:
                pipe.publish(self.channel, JobEventMessage.from_row(row).to_json())
            await pipe.execute()

    def publish_after_commit(self, session: AsyncSession, row: EventRow) -> None:
        """Buffer the event; it goes out only if and when ``row`` is committed, with the other
        events of that commit (a worker's back-to-back steps: one round trip, issue 16)."""
        after_commit_batched(session, f"publish:{self.channel}", row, self.publish_rows)
