"""Publishing job events on the one Redis Pub/Sub channel, after the commit that stored them."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from api.effects import after_commit
from api.events.model import JobEventMessage
from db.models import JobEvent


class EventPublisher:
    def __init__(self, redis: Redis, channel: str):
        self.redis = redis
        self.channel = channel

    async def publish(self, message: JobEventMessage) -> None:
        await self.redis.publish(self.channel, message.to_json())

    def publish_after_commit(self, session: AsyncSession, row: JobEvent) -> None:
        """Buffer the event; it goes out only if and when ``row`` is committed."""

        async def effect() -> None:
            await self.publish(JobEventMessage.from_row(row))

        after_commit(session, effect)
