"""``schema.wire``: a direct frame written straight to uvicorn's transport, on a real uvicorn
(websockets-sansio, as ``paperlane api`` runs it) and a real client. It writes only while the
socket takes a frame without waiting; otherwise it answers False and writes nothing, and the
frame takes the ASGI path (``schema.direct.SocketWriter``)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from schema.wire import Wire
from tests.services import serve_in_thread


def _app(seen: dict[str, Any]) -> Any:
    """A bare ASGI app, as ``api.main`` serves the GraphQL WebSocket: uvicorn's own ``send``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await feed(WebSocket(scope, receive, send))

    async def feed(websocket: WebSocket) -> None:
        await websocket.accept()
        wire = Wire.of(websocket)
        seen["wire"] = wire is not None
        assert wire is not None
        seen["written"] = [wire.write(f"frame {n} ✓") for n in range(3)]
        protocol = wire.protocol
        protocol.pause_writing()  # the transport pushes back: its buffer is full
        seen["pushed back"] = wire.write("held")
        protocol.resume_writing()
        await websocket.send_text("through ASGI")
        seen["after"] = wire.write("frame 3")
        await websocket.close()
        seen["closed"] = wire.write("late")

    return app


@pytest.mark.parametrize("compression", [None, "deflate"])
async def test_frames_go_straight_to_the_socket_in_order_and_never_when_it_cannot_take_them(
    compression: str | None,
) -> None:
    """With permessage-deflate negotiated too: the protocol still frames (and compresses)."""
    seen: dict[str, Any] = {}
    received: list[str | bytes] = []
    with serve_in_thread(_app(seen)) as address:
        async with connect(f"ws://{address}/feed", compression=compression) as ws:
            with pytest.raises(ConnectionClosed):
                while True:
                    received.append(await asyncio.wait_for(ws.recv(), 10))
            assert ws.close_code == 1000
    assert seen == {
        "wire": True,
        "written": [True, True, True],
        "pushed back": False,
        "after": True,
        "closed": False,
    }
    assert received == ["frame 0 ✓", "frame 1 ✓", "frame 2 ✓", "through ASGI", "frame 3"]


async def test_no_wire_when_a_middleware_wraps_send() -> None:
    """Starlette's routing wraps ``send``: frames then take the ASGI path, whole."""
    seen: dict[str, Any] = {}

    async def feed(websocket: WebSocket) -> None:
        await websocket.accept()
        seen["wire"] = Wire.of(websocket)
        await websocket.send_text("through ASGI")
        await websocket.close()

    with serve_in_thread(Starlette(routes=[WebSocketRoute("/feed", feed)])) as address:
        async with connect(f"ws://{address}/feed") as ws:
            assert await asyncio.wait_for(ws.recv(), 10) == "through ASGI"
    assert seen == {"wire": None}


def test_no_wire_without_uvicorn_s_websockets_sansio_protocol() -> None:
    class Recording:
        async def _send(self, message: Any) -> None:
            pass

    assert Wire.of(Recording()) is None
    assert Wire.of(None) is None
