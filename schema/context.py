"""The per-request GraphQL context: the process's AppContext, the event hub, one lazily opened
database session (serialised by a lock: DataLoader batches run as separate tasks and an
AsyncSession must never be used by two at once), and the request's DataLoaders."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, WebSocket
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from api.auth.actor import Actor
from api.auth.http import actor_of
from api.context import AppContext
from api.events.hub import EventHub
from schema.loaders import Loaders


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

    def reset_loaders(self) -> None:
        """Forget cached loads (after a mutation changed what they hold)."""
        self._loaders = None

    async def aclose(self) -> None:
        self._session = None
        await self._stack.aclose()


async def get_context(
    request: Request = None,  # type: ignore[assignment]
    websocket: WebSocket = None,  # type: ignore[assignment]
) -> AsyncIterator[Context]:
    connection = request if request is not None else websocket
    state = connection.app.state
    context = Context(
        app=state.ctx,
        hub=state.hub,
        actor=await actor_of(request) if request is not None else None,
        introspection=state.ctx.settings.graphiql_enabled,
    )
    try:
        yield context
    finally:
        await context.aclose()
