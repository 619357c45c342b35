"""The per-request GraphQL context: the process's AppContext, the event hub, one lazily opened
database session (serialised by a lock: DataLoader batches run as separate tasks and an
AsyncSession must never be used by two at once), and the request's DataLoaders."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from sqlalchemy.exc import InterfaceError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from api.auth.actor import Actor
from api.auth.http import actor_of
from api.context import AppContext
from api.effects import commit
from api.errors import NotFound
from api.events.hub import EventHub
from api.events.replay import check_resume_point
from api.services.documents import DocumentService
from api.unavailable import is_dependency_error
from schema.cost import RawTextBudget, check_slice
from schema.loaders import Loaders

log = logging.getLogger(__name__)


@dataclass
class Context(BaseContext):
    app: AppContext
    hub: EventHub
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    connection_params: dict[str, Any] | None = None
    # The caller: resolved per HTTP request here, per WebSocket at connection_init (schema.app).
    actor: Actor | None = None
    introspection: bool = True
    _session: AsyncSession | None = None
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _loaders: Loaders | None = None
    _raw_text_budget: RawTextBudget | None = None

    def __post_init__(self) -> None:
        super().__init__()

    @asynccontextmanager
    async def use(self) -> AsyncIterator[AsyncSession]:
        """The request's session, for one resolver or loader batch at a time."""
        async with self._lock:
            if self._session is None:
                self._session = await self._stack.enter_async_context(self.app.session())
            yield self._session

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.use)
        return self._loaders

    async def raw_text(self, document_id: uuid.UUID, offset: int, limit: int | None) -> str:
        """A slice of a document's text within this request's raw-text budget (schema.cost)."""
        offset, limit = check_slice(offset, limit)
        if self._raw_text_budget is None:
            self._raw_text_budget = RawTextBudget(self.app.settings.graphql_raw_text_budget_chars)
        length = await self.loaders.raw_text_length.load(document_id)
        self._raw_text_budget.take(max(0, min(limit, length - offset)))
        if offset >= length:
            return ""
        return await self.loaders.raw_text_slice.load((document_id, offset, limit))

    async def check_subscription(
        self, job: uuid.UUID | None, document: uuid.UUID | None, after: int | None
    ) -> None:
        """Refuse at once what would otherwise be a silent open stream (an unknown job or
        document) or an unbounded replay (``api.events.replay``). A short session of its own:
        a WebSocket lives long, and must not hold a database connection while it does."""
        async with self.app.session() as session:
            service = DocumentService(session)
            if job is not None and (await service.jobs_by_id([job]))[0] is None:
                raise NotFound(f"job {job} does not exist", field="jobId")
            if document is not None and (await service.documents_by_id([document]))[0] is None:
                raise NotFound(f"document {document} does not exist", field="documentId")
            await check_resume_point(
                session,
                after,
                self.app.settings.max_replay_events,
                job_id=job,
                document_id=document,
            )

    def reset_loaders(self) -> None:
        """Forget cached loads (after a mutation changed what they hold)."""
        self._loaders = None

    async def commit(self, session: AsyncSession) -> None:
        """Commit a mutation's work (and run its after-commit effects), then forget every cached
        load. The mutation's answer is resolved after this and must say what a fresh query would:
        its own audit entry in ``Document.history``, the new status. A field earlier in the same
        operation (mutations run one after another) may have loaded the history before this
        write; a loader kept past the commit would answer that stale list. Every mutation commits
        here, so none can forget the reset."""
        await commit(session)
        self.reset_loaders()

    async def aclose(self) -> None:
        """Close the request's session. When a field fails, graphql-core cancels its siblings'
        pending resolvers; a query cancelled mid-flight leaves asyncpg's connection closed, and
        the rollback on close then fails. The answer is already sent and the pool drops the
        connection: that is worth a log line, not an error after the response started."""
        self._session = None
        try:
            await self._stack.aclose()
        except InterfaceError as error:
            log.info(
                "request %s: session closed after a cancelled query (%s)", self.request_id, error
            )


async def _actor(request: Request) -> Actor | None:
    """The request's caller. A database outage here is left for the router, which answers it
    as GraphQL's SERVICE_UNAVAILABLE (``schema.app``) instead of REST's 503 body."""
    try:
        return await actor_of(request)
    except Exception as error:
        if is_dependency_error(error):
            return None
        raise


def new_context(state: Any, actor: Actor | None = None) -> Context:
    """A context on the application's state (``app.state``: the AppContext and the hub)."""
    return Context(
        app=state.ctx,
        hub=state.hub,
        actor=actor,
        introspection=state.ctx.settings.graphiql_enabled,
    )


async def get_context(request: Request) -> AsyncIterator[Context]:
    """The HTTP routes' context (a FastAPI dependency). WebSockets get theirs without
    dependency injection (``schema.app``: ``PaperlaneGraphQLRouter.serve_websocket``)."""
    context = new_context(request.app.state, await _actor(request))
    try:
        yield context
    finally:
        await context.aclose()
