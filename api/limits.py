"""A request body limit as a small ASGI middleware.

A declared ``Content-Length`` above the limit is refused before any byte is read; a body
without one (chunked) is counted as it streams and the request is cut off once it passes the
limit. Either way the client gets 413 ``REQUEST_TOO_LARGE`` with the usual error body.

Two limits: multipart uploads may be as large as ``max_request_bytes`` (all files together);
every other body (a GraphQL query, a JSON review) is at most ``max_json_body_bytes``. Checking
bytes before parsing is what bounds a GraphQL document of comments, which the token limit does
not count: a 60 MB comment is refused in microseconds instead of lexed for seconds.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi_errors import send_error
from api.errors import RejectedUpload


class RequestTooLarge(RejectedUpload):
    code = "REQUEST_TOO_LARGE"


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    """The error body, and the connection closed (what is left of the body is not read)."""
    await send_error(send, status, code, message, [(b"connection", b"close")])


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, max_json_bytes: int | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_bytes = max_json_bytes if max_json_bytes is not None else max_bytes

    def _limit(self, headers: dict[bytes, bytes]) -> int:
        content_type = headers.get(b"content-type", b"").lower()
        return self.max_bytes if content_type.startswith(b"multipart/") else self.max_json_bytes

    async def _reject(self, send: Send, limit: int) -> None:
        message = f"the request body is larger than the limit of {limit} bytes"
        await _send_error(send, 413, RequestTooLarge.code, message)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        limit = self._limit(headers)
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False
            if too_large:
                await self._reject(send, limit)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(
                        f"the request body is larger than the limit of {limit} bytes"
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
                await self._reject(send, limit)


class RequestTimeout(RejectedUpload):
    """Raised from ``receive`` inside the app: the app's error handler answers 408 (the code is
    mapped in ``api.routes.errors``); if it escapes, :class:`BodyReadTimeout` answers it."""

    code = "REQUEST_TIMEOUT"


class BodyReadTimeout:
    """Abort a request whose body arrives too slowly: 408 ``REQUEST_TIMEOUT``, connection closed.

    uvicorn has no body read timeout: a client that sends headers with ``Content-Length: 1000``
    and then one byte every few seconds holds a connection and a task for as long as it likes
    (150 such connections stayed open 40 s and more). Two rules, both needed:

    - no gap between two body chunks longer than ``idle_seconds`` (a stalled client);
    - after the first ``idle_seconds``, an average of at least ``min_rate`` bytes per second
      (a trickling client never stalls long, yet never finishes).

    A legitimate 50 MB upload over a slow link (100 KB/s) passes both. Once the body is complete
    the rules stop: waiting for a disconnect while streaming a response (SSE) is not a body read.
    """

    def __init__(self, app: ASGIApp, idle_seconds: float, min_rate: int):
        self.app = app
        self.idle_seconds = idle_seconds
        self.min_rate = min_rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.idle_seconds <= 0:
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        started_at = loop.time()
        received = 0
        body_done = False
        response_started = False

        async def timed_receive() -> Message:
            nonlocal received, body_done
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.idle_seconds)
            except TimeoutError:
                raise RequestTimeout(f"no request body bytes for {self.idle_seconds:g} s") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                elapsed = loop.time() - started_at
                if (
                    not body_done
                    and elapsed > self.idle_seconds
                    and received < self.min_rate * elapsed
                ):
                    raise RequestTimeout(
                        f"the request body arrives slower than {self.min_rate} bytes/s"
                    )
            else:
                body_done = True
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except RequestTimeout as error:
            if response_started:
                return
            await _send_error(send, 408, RequestTimeout.code, str(error))


__all__ = ["BodyReadTimeout", "BodySizeLimit", "RequestTimeout", "RequestTooLarge"]
