"""Per-process dependencies: engine, Redis, publisher, queue, storage.

Built once by the API's lifespan, once per worker process (after fork), once by the sweeper.
``session()`` yields the unit of work for a request or a task step.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.effects import discard
from api.events.publisher import EventPublisher
from api.queue import JobQueue, make_celery
from api.services.accounts import AccountService
from api.services.bulk import BulkService
from api.services.jobs import JobService
from api.services.review_queue import ReviewQueueWatch
from api.services.uploads import UploadService
from api.settings import Settings
from api.storage import Storage, storage_from_settings
from db.repositories.events import last_event_id
from db.session import HeldConnection, create_engine, session_factory


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    publisher: EventPublisher
    queue: JobQueue
    storage: Storage
    review_queue: ReviewQueueWatch = field(init=False)
    statement_sessions: async_sessionmaker[AsyncSession] = field(init=False)
    autocommit: AsyncEngine = field(init=False)
    held: HeldConnection = field(init=False)

    def __post_init__(self) -> None:
        # The same pool, without BEGIN and COMMIT: see statement_session().
        self.autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.statement_sessions = session_factory(self.autocommit)
        self.held = HeldConnection(self.autocommit)  # opened on first use (the worker's)
        # Idle until a reviewQueueLength subscriber arrives (API processes only, in practice).
        self.review_queue = ReviewQueueWatch(self.session, self.settings.review_queue_poll_seconds)

    @classmethod
    def create(cls, settings: Settings) -> AppContext:
        if not settings.database_url or not settings.redis_url:
            raise RuntimeError(
                "PAPERLANE_DATABASE_URL and PAPERLANE_REDIS_URL must be set "
                "(`paperlane dev` sets them for its children)"
            )
        engine = create_engine(settings.database_url)
        redis = Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=30,
        )
        return cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            redis=redis,
            publisher=EventPublisher(redis, settings.events_channel),
            queue=JobQueue(make_celery(settings.redis_url), settings.jobs_per_task),
            storage=storage_from_settings(settings),
        )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose uncommitted work (and pending effects) is discarded on exit.

        Closing (rather than rolling back) keeps loaded objects readable after the block.
        """
        async with self.sessions() as session:
            try:
                yield session
            finally:
                await discard(session)

    @asynccontextmanager
    async def statement_session(self) -> AsyncIterator[AsyncSession]:
        """``session()`` for a unit of work of ONE statement, which PostgreSQL runs as its own
        transaction: no BEGIN and COMMIT round trips (the event hub's reads; the worker's claim and
        outcome go one step further, on ``held``, with no session at all).
        ``commit(session)`` still runs the after-commit effects once the statement is done;
        never use it for two statements that must commit together."""
        async with self.statement_sessions() as session:
            try:
                yield session
            finally:
                await discard(session)

    async def last_event_id(self) -> int:
        """The last final event position (``EventRepository.last_id``) on a bare AUTOCOMMIT
        connection of the same pool: what the event hub asks when it starts and when the first
        subscriber comes after idle time; an ORM session around one scalar cost more than the
        query (issue 16)."""
        async with self.autocommit.connect() as conn:
            return await last_event_id(conn)

    # The services that need more than a session are built here, and only here.

    def jobs(self, session: AsyncSession) -> JobService:
        return JobService(
            session, settings=self.settings, publisher=self.publisher, queue=self.queue
        )

    def uploads(self, session: AsyncSession) -> UploadService:
        return UploadService(
            session, storage=self.storage, jobs=self.jobs(session), settings=self.settings
        )

    def bulk(self, session: AsyncSession) -> BulkService:
        return BulkService(session, self.jobs(session))

    def accounts(self, session: AsyncSession) -> AccountService:
        return AccountService.of(session, self.settings)

    async def aclose(self) -> None:
        await self.review_queue.stop()
        await self.redis.aclose()
        await self.held.aclose()
        await self.engine.dispose()
