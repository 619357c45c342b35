"""Engine and session factory. One engine per process (the worker makes its own after fork)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_engine(url: str, **kwargs: object) -> AsyncEngine:
    # No pool_pre_ping: it costs a round trip per checkout (a worker checks out seven times per
    # document). A connection broken by a server restart fails its statement once; SQLAlchemy then
    # invalidates the pool, the request answers 503 and a task retries (api.unavailable).
    return create_async_engine(url, **kwargs)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
