"""FastAPI dependencies: the process's AppContext and a request-scoped session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from api.context import AppContext


def get_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


Context = Annotated[AppContext, Depends(get_context)]


async def get_session(ctx: Context) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: routes call ``api.effects.commit``; anything else rolls back."""
    async with ctx.session() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]
