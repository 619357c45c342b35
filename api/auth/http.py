"""The HTTP edge: the request's actor (once per request, kept on ``request.state.actor``) and
the FastAPI dependencies that demand a permission of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

from fastapi import Depends
from starlette.requests import HTTPConnection

from api.auth.actor import Actor
from api.auth.identity import SESSION_COOKIE, resolve
from api.auth.policy import Permission, authorize
from api.auth.secrets import server_key

_UNRESOLVED = object()


async def actor_of(connection: HTTPConnection) -> Actor | None:
    """The caller of this request or WebSocket handshake (None: no valid credential)."""
    cached = getattr(connection.state, "actor", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        return cast(Actor | None, cached)
    ctx = connection.app.state.ctx
    async with ctx.sessions() as session:
        actor = await resolve(
            session,
            server_key(ctx.settings),
            authorization=connection.headers.get("authorization"),
            cookie=connection.cookies.get(SESSION_COOKIE),
        )
    connection.state.actor = actor
    return actor


def require(permission: Permission) -> Callable[[HTTPConnection], Awaitable[Actor]]:
    async def dependency(connection: HTTPConnection) -> Actor:
        return authorize(await actor_of(connection), permission)

    dependency.__name__ = f"require_{permission.value}"
    return dependency


Reader = Annotated[Actor, Depends(require(Permission.READ))]
Uploader = Annotated[Actor, Depends(require(Permission.UPLOAD))]
Reviewer = Annotated[Actor, Depends(require(Permission.REVIEW))]
Exporter = Annotated[Actor, Depends(require(Permission.EXPORT))]
