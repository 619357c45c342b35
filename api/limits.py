"""A request body limit as a small ASGI middleware.

A declared ``Content-Length`` above ``max_request_bytes`` is refused before any byte is read;
a body without one (chunked) is counted as it streams and the request is cut off once it
passes the limit. Either way the client gets 413 ``REQUEST_TOO_LARGE`` with the usual error body.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import RejectedUpload


class RequestTooLarge(RejectedUpload):
    code = "REQUEST_TOO_LARGE"


def _body(limit: int) -> bytes:
    return json.dumps(
        {
            "error": {
                "code": "REQUEST_TOO_LARGE",
                "message": f"the request body is larger than the limit of {limit} bytes",
                "field": None,
            }
        }
    ).encode()


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send: Send) -> None:
        body = _body(self.max_bytes)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                too_large = False
            if too_large:
                await self._reject(send)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge(
                        f"the request body is larger than the limit of {self.max_bytes} bytes"
                    )
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except RequestTooLarge:
            if not started:
                await self._reject(send)


__all__ = ["BodySizeLimit", "RequestTooLarge"]
