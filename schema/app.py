"""The Strawberry router mounted at /graphql, with Paperlane's transport rules:

- Multipart uploads (GraphQL multipart request spec) are on, guarded against CSRF: a multipart
  POST must carry ``Apollo-Require-Preflight`` or ``X-Paperlane-CSRF`` (any value). A browser
  sends such a header cross-origin only after a CORS preflight, which our CORS policy answers for
  allowed origins only; a plain HTML form cannot add it.
- Keep-alive: Strawberry answers pings but never sends any on ``graphql-transport-ws``; this
  handler pings every ``settings.keepalive_seconds`` after ``connection_ack``, skipping an
  interval in which the socket's subscription frames went out. The legacy ``graphql-ws``
  protocol gets its ``ka`` messages every interval (its clients time out without them).
- At most ``settings.max_subscriptions_per_connection`` operations per WebSocket; one more gets
  an ``error`` for that operation id only (code ``TOO_MANY_SUBSCRIPTIONS``, the limit in the
  message), and the others keep running.
- Subscription results are executed once per (document, variables, event) and their JSON is
  shared among the subscribers that sent the same ones (``schema.shared``). Eligible
  ``jobEvents`` subscriptions go further: once live, their events skip Strawberry's
  per-subscriber path and are written to the socket as pre-encoded frames (``schema.direct``);
  every other message the handler sends waits for those frames first. Once live, such a
  subscription is also taken over by the handler (``_adopt``): Strawberry's operation task
  ends silently and its execution state is freed (~20 KiB per subscriber); the handler answers
  ``complete``/``stop`` and sends the error + ``complete`` when the sink ends on its own.
- Malformed WebSocket messages (not an object, missing fields, wrong types) close the socket
  with 4400 and a reason instead of crashing the connection's task.
- Authentication (``api.auth``): an HTTP request without a valid token or session cookie gets
  401 and ``extensions.code`` UNAUTHENTICATED before anything executes. A WebSocket is
  authenticated at ``connection_init`` by ``{"authorization": "Bearer …"}`` in its payload, or
  by the session cookie of the handshake (whose Origin Strawberry has checked against the
  allowed origins); refused: close 4403 (graphql-transport-ws) or ``connection_error``
  (graphql-ws). Every ``auth_recheck_seconds`` the connection's credential is re-checked; once
  revoked, expired or its user disabled, the socket closes with 4403. One ``CredentialWatcher``
  per router does this for all its connections, one query per interval (a task and a query
  per connection every 3 s was 3,300 queries a second at 10,000 subscribers).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIWebSocketRoute
from graphql import GraphQLError
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry import UNSET
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from api.auth.actor import Actor
from api.auth.http import actor_of
from api.auth.identity import SESSION_COOKIE, invalid_credentials, resolve
from api.auth.secrets import server_key
from api.routes.errors import error_body
from api.settings import Settings, get_settings
from api.unavailable import is_dependency_error
from schema.context import get_context, new_context
from schema.direct import TARGET, DirectSink, SocketWriter, Target
from schema.extensions import PaperlaneMaskErrors
from schema.http_limits import HttpHardening
from schema.schema import schema
from schema.shared import shared_next_text
from schema.wire import Wire

log = logging.getLogger(__name__)
CSRF_HEADERS = ("apollo-require-preflight", "x-paperlane-csrf")
TOO_MANY = "TOO_MANY_SUBSCRIPTIONS"


def _too_many(limit: int) -> dict[str, Any]:
    return {
        "message": f"at most {limit} subscriptions per connection; complete one first "
        "or open another connection",
        "extensions": {"code": TOO_MANY},
    }


class PaperlaneWebSocketAdapter(ASGIWebSocketAdapter):
    async def send_text(self, text: str) -> None:
        """Send already-encoded JSON (a shared subscription result, ``schema.shared``)."""
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


async def _send(handler: Any, message: Any, fallback: Any) -> None:
    """A ``next``/``data`` message carrying a shared result goes out as the once-encoded payload
    with this operation's id spliced in; everything else is encoded as Strawberry does. Direct
    frames still pending go first (``schema.direct``: nothing overtakes them)."""
    if handler.writer is not None:
        await handler.writer.flush()
    text = shared_next_text(message)
    send_text = getattr(handler.websocket, "send_text", None)
    if text is not None and send_text is not None:
        await send_text(text)
    else:
        await fallback(message)


UNAUTHENTICATED: dict[str, object] = {
    "message": 'send {"authorization": "Bearer <token>"} in connection_init, or sign in',
    "extensions": {"code": "UNAUTHENTICATED"},
}


class CredentialWatcher:
    """Re-checks the credentials of every registered connection each ``interval`` seconds, in
    one query (``invalid_credentials``), and calls ``on_revoked`` (which closes the socket) for
    those no longer valid. Its task runs only while some connection is registered."""

    def __init__(self, interval: float):
        self.interval = interval
        self.watched: dict[Any, tuple[Actor, Callable[[], Awaitable[None]]]] = {}
        self.sessions: Any = None
        self.task: asyncio.Task[None] | None = None

    def add(
        self, handler: Any, actor: Actor, sessions: Any, on_revoked: Callable[[], Awaitable[None]]
    ) -> None:
        self.watched[handler] = (actor, on_revoked)
        self.sessions = sessions
        task = self.task
        if task is None or task.done() or task.get_loop() is not asyncio.get_running_loop():
            self.task = asyncio.create_task(self._run(), name="paperlane-credential-watch")

    def remove(self, handler: Any) -> None:
        self.watched.pop(handler, None)

    async def _run(self) -> None:
        while self.watched:
            await asyncio.sleep(self.interval)
            watched = list(self.watched.items())
            try:
                async with self.sessions() as session:
                    invalid = await invalid_credentials(session, (a for _, (a, _) in watched))
            except Exception as error:  # the database is away: try again next interval
                log.warning("credential re-check failed (%s)", type(error).__name__)
                continue
            revoked = []
            for handler, (actor, on_revoked) in watched:
                kind = "token" if actor.kind == "token" else "session"
                if (kind, actor.credential_id) in invalid and handler in self.watched:
                    del self.watched[handler]
                    revoked.append(on_revoked())
            await asyncio.gather(*revoked, return_exceptions=True)  # closes, side by side


def _source_error_payload(error: Exception) -> list[Any]:
    """The ``errors`` Strawberry sends when a subscription's source stream raises ``error``:
    coerced to a GraphQLError, logged (``process_errors``), masked (``PaperlaneMaskErrors``)."""
    graphql_error = (
        error if isinstance(error, GraphQLError) else GraphQLError(str(error), original_error=error)
    )
    schema._process_errors([graphql_error])
    result = _Errors([graphql_error])
    PaperlaneMaskErrors()._process_result(result)
    return [e.formatted for e in result.errors]


class _Errors:
    __slots__ = ("errors",)

    def __init__(self, errors: list[GraphQLError]):
        self.errors = errors


_ENDING: set[asyncio.Task[None]] = set()  # handlers' error sends for sinks that ended


class CredentialWatch:
    """The handlers' shared parts: the credential re-check, this socket's direct frames and the
    live ``jobEvents`` subscriptions it took over from Strawberry (``schema.direct``)."""

    watched: CredentialWatcher | None = None
    writer: SocketWriter | None = None  # this socket's direct frames (schema.direct)
    direct: dict[str, DirectSink] | None = None  # operation id -> its live sink, once adopted

    def start_watch(self, on_revoked: Callable[[], Awaitable[None]]) -> None:
        actor: Actor | None = getattr(self.context, "actor", None)  # type: ignore[attr-defined]
        watcher = getattr(self.view, "credential_watcher", None)  # type: ignore[attr-defined]
        if actor is None or actor.kind == "system" or watcher is None or self.watched:
            return
        self.watched = watcher
        watcher.add(self, actor, self.context.app.sessions, on_revoked)  # type: ignore[attr-defined]

    def direct_target(self, operation_id: str, kind: str) -> None:
        """Let this operation's ``jobEvents`` resolver deliver directly (the operation's task)."""
        if self.writer is None:
            websocket = self.websocket  # type: ignore[attr-defined]
            self.writer = SocketWriter(websocket.send_text, Wire.of(getattr(websocket, "ws", None)))
        TARGET.set(Target(self.writer, operation_id, kind, self._adopt))

    # Keep-alive without a task per idle connection: a timer (~100 bytes) per socket, and a
    # short-lived task only while a keep-alive message is being sent (a sleeping task per
    # connection was ~1.5 KiB, issue 16). Timers keep each socket's own rhythm.
    keepalive_message: Any = None
    keepalive_interval: float = 0
    keepalive_timer: asyncio.TimerHandle | None = None
    keepalive_task: asyncio.Task[None] | None = None
    keepalive_stopped = False
    keepalive_when_idle = False

    def start_keepalive(
        self, message: Any, interval: float, now: bool = False, when_idle: bool = False
    ) -> None:
        """``when_idle``: skip an interval in which direct frames went out. A ping and its pong
        took ~150 µs of the API's CPU, 10 % of a core for 10,000 subscribers pinged every 15 s
        (2026-12-02), while the frames themselves keep proxies from closing the socket."""
        if self.keepalive_message is not None or not interval:
            return
        self.keepalive_message, self.keepalive_interval = message, interval
        self.keepalive_when_idle = when_idle
        if now:
            self._keepalive_due()
        else:
            self._schedule_keepalive()

    def _schedule_keepalive(self) -> None:
        if not self.keepalive_stopped:
            loop = asyncio.get_running_loop()
            self.keepalive_timer = loop.call_later(self.keepalive_interval, self._keepalive_due)

    def _keepalive_due(self) -> None:
        self.keepalive_timer = None
        if self.keepalive_stopped:
            return
        writer = self.writer
        if self.keepalive_when_idle and writer is not None and writer.wrote:
            writer.wrote = False  # busy within this interval: look again at the next one
            self._schedule_keepalive()
            return
        self.keepalive_task = asyncio.get_running_loop().create_task(self._send_keepalive())

    async def _send_keepalive(self) -> None:
        try:
            await self.send_message(self.keepalive_message)  # type: ignore[attr-defined]
        except Exception:  # the socket is gone: no more keep-alives
            return
        finally:
            self.keepalive_task = None
        self._schedule_keepalive()

    async def stop_keepalive(self) -> None:
        self.keepalive_stopped = True
        if self.keepalive_timer is not None:
            self.keepalive_timer.cancel()
        task = self.keepalive_task
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task

    def _running(self, operation_id: str) -> bool:
        """The operation is registered and this is its task (protocol-specific)."""
        raise NotImplementedError

    def _adopt(self, target: Target, sink: DirectSink) -> bool:
        """Take over a live sink: its operation's Strawberry task then ends without a message,
        freeing the operation's execution state, and this handler answers for it."""
        if not self._running(target.operation_id):
            return False
        if self.direct is None:
            self.direct = {}
        self.direct[target.operation_id] = sink
        sink.on_end = self._direct_ended
        return True

    def _direct_ended(self, sink: DirectSink) -> None:
        task = asyncio.get_running_loop().create_task(self._end_direct(sink))
        _ENDING.add(task)
        task.add_done_callback(_ENDING.discard)

    async def _end_direct(self, sink: DirectSink) -> None:
        TARGET.set(None)  # this task's messages are the handler's own
        operation_id = sink.target.operation_id
        if self.direct is None or self.direct.get(operation_id) is not sink:
            return  # completed or stopped meanwhile
        del self.direct[operation_id]
        with contextlib.suppress(Exception):  # the socket is gone: nothing to tell
            await self._send_source_error(operation_id, _source_error_payload(sink.ending()))

    async def _send_source_error(self, operation_id: str, errors: list[Any]) -> None:
        raise NotImplementedError

    def _drop_direct(self, operation_id: str) -> bool:
        """Detach an adopted subscription's sink; False if there is none under that id."""
        sink = self.direct.pop(operation_id, None) if self.direct else None
        if sink is None:
            return False
        sink.on_end = None
        sink.hub.detach(sink)
        return True

    def close_writer(self) -> None:
        if self.writer is not None:
            self.writer.close()

    async def stop_watch(self) -> None:
        if self.watched is not None:
            self.watched.remove(self)


class TransportWSHandler(CredentialWatch, BaseGraphQLTransportWSHandler[Any, Any]):
    async def send_message(self, message: Any) -> None:
        await _send(self, message, super().send_message)

    async def run_operation(self, operation: Any) -> None:
        self.direct_target(operation.id, "next")
        await super().run_operation(operation)

    def _running(self, operation_id: str) -> bool:
        operation = self.operations.get(operation_id)
        if operation is None or operation.task is not asyncio.current_task():
            return False
        # Strawberry sends nothing more for it (no ``complete`` when its stream ends) and
        # keeps it registered: the limit, a reused id and ``complete`` work as before. Its
        # task is let go: a finished task keeps its context, which holds the executor.
        operation.completed = True
        operation.task = None
        return True

    async def _send_source_error(self, operation_id: str, errors: list[Any]) -> None:
        self.operations.pop(operation_id, None)  # de-registered before its last message
        await self.send_message(
            {"id": operation_id, "type": "next", "payload": {"data": None, "errors": errors}}
        )
        await self.send_message({"id": operation_id, "type": "complete"})

    async def cleanup_operation(self, operation_id: str) -> None:
        if self._drop_direct(operation_id):
            self.operations.pop(operation_id, None)  # its task has ended or is ending
            return
        await super().cleanup_operation(operation_id)

    async def handle_message(self, message: Any) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.handle_invalid_message(
                "Failed to parse message: expected an object with a type"
            )
            return
        if message["type"] == "subscribe":
            payload = message.get("payload")
            if (
                not isinstance(message.get("id"), str)
                or not isinstance(payload, dict)
                or not isinstance(payload.get("query"), str)
                or not isinstance(payload.get("variables") or {}, dict)
            ):
                await self.handle_invalid_message(
                    "Invalid subscribe message: needs a string id and a payload with a query"
                )
                return
        if message["type"] == "complete" and not isinstance(message.get("id"), str):
            await self.handle_invalid_message("Invalid complete message: needs a string id")
            return
        try:
            await super().handle_message(message)  # type: ignore[arg-type]
        except (TypeError, KeyError, AttributeError):
            await self.handle_invalid_message("Failed to parse message")

    async def handle_subscribe(self, message: Any) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and message["id"] not in self.operations
            and len(self.operations) >= limit
        ):
            error: Any = {"id": message["id"], "type": "error", "payload": [_too_many(limit)]}
            await self.send_message(error)
            return
        await super().handle_subscribe(message)

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if self.connection_init_timeout_task is not None and self.connection_init_received:
            # cancelled by Strawberry once connection_init arrived: not kept for the
            # connection's life (a finished task keeps its coroutine and context)
            self.connection_init_timeout_task = None
        if self.connection_acknowledged:
            interval = getattr(self.view, "keepalive_seconds", 0)
            # graphql-transport-ws clients need no ping while frames flow; legacy graphql-ws
            # clients time out without their ``ka``, whatever else arrives
            self.start_keepalive({"type": "ping"}, interval, when_idle=True)
            self.start_watch(self._revoked)

    async def _revoked(self) -> None:
        await self.websocket.close(code=4403, reason="Forbidden")

    async def shutdown(self) -> None:
        self.close_writer()
        await self.stop_watch()
        await self.stop_keepalive()
        await super().shutdown()
        for operation_id in list(self.direct or ()):
            self._drop_direct(operation_id)


class LegacyWSHandler(CredentialWatch, BaseGraphQLWSHandler[Any, Any]):
    async def send_message(self, message: Any) -> None:
        if message.get("type") == "complete":
            target = TARGET.get()
            if target is not None and target.adopted and message.get("id") == target.operation_id:
                return  # its stream ended because this handler took the subscription over
        await _send(self, message, super().send_message)

    def _running(self, operation_id: str) -> bool:
        return self.tasks.get(operation_id) is asyncio.current_task()

    async def _send_source_error(self, operation_id: str, errors: list[Any]) -> None:
        await self.send_message(
            {"type": "data", "id": operation_id, "payload": {"data": None, "errors": errors}}
        )
        await self.send_message({"type": "complete", "id": operation_id})

    async def cleanup_operation(self, operation_id: str) -> None:
        adopted = self._drop_direct(operation_id)
        await super().cleanup_operation(operation_id)  # its task may still be finishing
        if adopted:  # answered with complete, as Strawberry answers a stopped operation
            await self.send_message({"type": "complete", "id": operation_id})

    def _operation_ids(self) -> set[str]:
        return self.tasks.keys() | (self.direct or {}).keys()

    async def handle_connection_init(self, message: Any) -> None:
        keep_alive, self.keep_alive = self.keep_alive, False  # ours: a timer, not a task
        try:
            await super().handle_connection_init(message)
        finally:
            self.keep_alive = keep_alive
        if keep_alive and self.connection_acknowledged and self.keep_alive_interval:
            # as Strawberry's: a ka right after the ack, then every interval
            self.start_keepalive({"type": "ka"}, self.keep_alive_interval, now=True)
        if getattr(self.context, "actor", None) is not None:
            self.start_watch(self._revoked)

    async def _revoked(self) -> None:
        with contextlib.suppress(Exception):
            await self.send_message({"type": "connection_error", "payload": UNAUTHENTICATED})
        await self.websocket.close(code=4403, reason="Forbidden")

    async def cleanup(self) -> None:
        self.close_writer()
        await self.stop_watch()
        await self.stop_keepalive()
        await super().cleanup()
        for operation_id in list(self.direct or ()):
            with contextlib.suppress(Exception):  # the socket is usually gone by now
                await self.cleanup_operation(operation_id)

    async def handle_async_results(
        self,
        operation_id: str,
        query: str,
        operation_name: str | None,
        variables: dict[str, object] | None,
    ) -> None:
        self.direct_target(operation_id, "data")
        await super().handle_async_results(operation_id, query, operation_name, variables)

    async def handle_start(self, message: Any) -> None:
        limit = self.max_subscriptions_per_connection
        operations = self._operation_ids()
        if (
            self.connection_acknowledged
            and limit is not None
            and message["id"] not in operations
            and len(operations) >= limit
        ):
            error: Any = {"type": "error", "id": message["id"], "payload": _too_many(limit)}
            await self.send_message(error)
            return
        if self.direct and message["id"] in self.direct:  # a reused id restarts, as Strawberry's
            await self.cleanup_operation(message["id"])
        await super().handle_start(message)

    async def handle_message(self, message: Any) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_message(
                {
                    "type": "connection_error",
                    "payload": {"message": "expected an object with a type"},
                }
            )
            return
        if message["type"] == "start":
            payload = message.get("payload")
            if (
                not isinstance(message.get("id"), str)
                or not isinstance(payload, dict)
                or not isinstance(payload.get("query"), str)
            ):
                error: Any = {
                    "type": "error",
                    "id": message.get("id") if isinstance(message.get("id"), str) else None,
                    "payload": {"message": "start needs a string id and a payload with a query"},
                }
                await self.send_message(error)
                return
        try:
            await super().handle_message(message)  # type: ignore[arg-type]
        except (TypeError, KeyError, AttributeError):
            await self.send_message(
                {"type": "connection_error", "payload": {"message": "malformed message"}}
            )


class PaperlaneGraphQLRouter(HttpHardening, GraphQLRouter[Any, Any]):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler
    websocket_adapter_class = PaperlaneWebSocketAdapter

    def __init__(self, settings: Settings, **kwargs: Any):
        self.keepalive_seconds = settings.keepalive_seconds
        self.auth_recheck_seconds = settings.auth_recheck_seconds
        self.credential_watcher = CredentialWatcher(settings.auth_recheck_seconds)
        self.settings = settings
        super().__init__(
            schema,
            context_getter=get_context,
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            multipart_uploads_enabled=True,
            keep_alive=settings.keepalive_seconds > 0,
            keep_alive_interval=settings.keepalive_seconds,
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            connection_init_wait_timeout=timedelta(seconds=30),
            # Browsers send Origin on WebSocket upgrades; Strawberry refuses any origin not listed
            # (cross-site WebSocket hijacking). The web app's origins are the CORS origins.
            allowed_origins=settings.cors_origins,
            **kwargs,
        )
        # WebSockets come in through ``serve_websocket`` only, not a FastAPI route.
        self.routes = [r for r in self.routes if not isinstance(r, APIWebSocketRoute)]

    async def serve_websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A WebSocket on /graphql as a plain ASGI app, which ``api.main`` calls in front of
        FastAPI's middleware, routing and dependency injection: a connection's ASGI call stack
        stays suspended for its whole life, and those layers cost ~18 KiB per subscriber
        (docs/benchmarks.md, issue 16). The context is ``get_context``'s without an actor,
        which ``on_ws_connect`` sets at connection_init; ``run`` checks the Origin first."""
        websocket = WebSocket(scope, receive, send)
        context = new_context(websocket.app.state)
        context.request = websocket
        try:
            await self.run(websocket, context=context, root_value=None)
        finally:
            await context.aclose()

    async def on_ws_connect(self, context: Any) -> Any:
        """connection_init: a bearer token in the payload, else the handshake's cookie."""
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        websocket = context.request
        actor = await resolve_ws(
            context.app,
            authorization if isinstance(authorization, str) else None,
            websocket.cookies.get(SESSION_COOKIE) if websocket is not None else None,
        )
        if actor is None:
            raise ConnectionRejectionError(UNAUTHENTICATED)
        context.actor = actor
        return UNSET

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if isinstance(request, Request):
            refused = await _unauthenticated(request)
            if refused is not None:
                return refused
        if isinstance(request, Request) and request.method == "POST":
            content_type = request.headers.get("content-type", "").lower()
            if content_type.startswith("multipart/") and not any(
                request.headers.get(h) for h in CSRF_HEADERS
            ):
                return JSONResponse(
                    error_body(
                        "CSRF_HEADER_REQUIRED",
                        "multipart requests must send an `Apollo-Require-Preflight: true` or "
                        "`X-Paperlane-CSRF: 1` header",
                    ),
                    status_code=400,
                )
        return await super().run(request, context=context, root_value=root_value)


def _graphql_error(status: int, code: str, message: str) -> JSONResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)


async def _unauthenticated(request: Request) -> JSONResponse | None:
    """401 without a valid credential (503 if the database cannot say), before any execution."""
    try:
        actor = await actor_of(request)
    except Exception as error:
        if not is_dependency_error(error):
            raise
        return _graphql_error(
            503, "SERVICE_UNAVAILABLE", "a backing service is unavailable; retry shortly"
        )
    if actor is None:
        return _graphql_error(
            401, "UNAUTHENTICATED", "sign in or send an API token (Authorization: Bearer …)"
        )
    return None


async def resolve_ws(app: Any, authorization: str | None, cookie: str | None) -> Actor | None:
    async with app.sessions() as session:
        return await resolve(
            session, server_key(app.settings), authorization=authorization, cookie=cookie
        )


def graphql_router(settings: Settings | None = None) -> PaperlaneGraphQLRouter:
    return PaperlaneGraphQLRouter(settings or get_settings())
