from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, WebSocket
from strawberry.fastapi import BaseContext

from api.context import AppContext


@dataclass
class Context(BaseContext):
    app: AppContext


async def get_context(request: Request = None, websocket: WebSocket = None) -> Context:  # type: ignore[assignment]
    connection = request if request is not None else websocket
    return Context(app=connection.app.state.ctx)
