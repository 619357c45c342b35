"""A direct frame written straight to the socket, under Starlette and uvicorn (issue 16).

A ``jobEvents`` frame reaches the client through Strawberry's adapter, Starlette's ``send``
(state checks, a message dict), uvicorn's ``send`` (a coroutine that waits for the transport
to be writable and reads the dict back), then the ``websockets`` protocol's framing and the
transport's ``write``. Measured on one API process with 1,000 subscribers: 13 µs of user CPU per
delivery besides the write's 5.6 µs in the kernel (2026-12-02). ``Wire`` keeps the two parts
that matter, the protocol's framing (its state checks, and compression when it was negotiated)
and the transport's write, and drops the layers between.

It serves only uvicorn's ``websockets-sansio`` implementation (the one ``paperlane api``
runs), and only while the socket takes a frame without waiting: open, no close sent, the
transport not pushing back. Anything else answers ``False`` and the frame takes the ASGI path,
which waits; the caller (``schema.direct.SocketWriter``) keeps frames in order across both.
"""

from __future__ import annotations

from typing import Any

from websockets.protocol import State

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import (
        WebSocketsSansIOProtocol,
    )
except ImportError:  # another server, or another uvicorn: the ASGI path
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]


class Wire:
    __slots__ = ("protocol",)

    def __init__(self, protocol: Any):
        self.protocol = protocol

    @classmethod
    def of(cls, websocket: Any) -> Wire | None:
        """The wire under a Starlette ``WebSocket`` whose ASGI ``send`` is uvicorn's
        websockets-sansio protocol itself (no middleware wraps it); else ``None``."""
        protocol = getattr(getattr(websocket, "_send", None), "__self__", None)
        if WebSocketsSansIOProtocol is None or not isinstance(protocol, WebSocketsSansIOProtocol):
            return None
        return cls(protocol)

    def write(self, text: str) -> bool:
        """Send ``text`` as one text frame now, if the socket takes it without waiting."""
        protocol = self.protocol
        if (
            not protocol.writable.is_set()
            or protocol.conn.state is not State.OPEN  # a close sent or received
            or protocol.transport.is_closing()  # the connection is lost
        ):
            return False
        conn = protocol.conn
        conn.send_text(text.encode())
        protocol.transport.write(b"".join(conn.data_to_send()))
        return True
