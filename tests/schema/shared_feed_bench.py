"""CPU per event for N in-process ``jobEvents`` subscribers: the real WebSocket handlers of
``schema.app`` over fake sockets, fed by an ``EventHub`` that is not connected to Redis (events
are handed to ``hub.deliver``). No network, no database.

    .venv/bin/python -m tests.schema.shared_feed_bench [--subscribers 200] [--events 200]
        [--protocol graphql-transport-ws|graphql-ws] [--distinct 1] [--no-share]

``--no-share`` runs Strawberry's own per-subscriber execution and encoding (the "before").
``--distinct K`` spreads the subscribers over K different documents (K = subscribers: nothing
can be shared). Prints CPU microseconds per event (all subscribers) and per event per subscriber.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from api.auth.actor import SYSTEM
from api.events.hub import EventHub
from api.events.model import JobEventMessage
from api.settings import Settings
from schema.app import LegacyWSHandler, PaperlaneGraphQLRouter, TransportWSHandler
from schema.schema import schema

FIELDS = "id jobId documentId type status progress stage message attempt occurredAt"


class FakeSocket:
    """Just enough of Strawberry's ``AsyncWebSocketAdapter``: counts what would be sent."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.received = 0
        self.bytes = 0
        self.got = asyncio.Event()
        self.want = 0

    async def send_json(self, message: Any) -> None:
        await self.send_text(self.view.encode_json(message), message.get("type"))

    async def send_text(self, text: str, kind: str | None = "next") -> None:
        self.bytes += len(text)
        if kind in ("next", "data") or '"type":"next"' in text or '"type":"data"' in text:
            self.received += 1
            if self.received >= self.want:
                self.got.set()

    async def close(self, code: int, reason: str) -> None:
        raise RuntimeError(f"closed {code} {reason}")


class View(PaperlaneGraphQLRouter):
    async def on_ws_connect(self, context: Any) -> Any:
        context.actor = SYSTEM  # no server behind these handlers: no credential to check


async def _no_database_to_check(*_: object) -> None:
    return None


def event(i: int) -> JobEventMessage:
    return JobEventMessage(
        id=i,
        job_id=uuid.UUID(int=1),
        document_id=uuid.UUID(int=2),
        type="DOCUMENT_PARSING_STARTED",
        status="PROCESSING",
        progress=20,
        stage="parsing",
        message=None,
        attempt=1,
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


async def run(subscribers: int, events: int, protocol: str, distinct: int) -> dict[str, float]:
    from datetime import timedelta

    hub = EventHub("redis://unused", "unused", sessions=cast(Any, None))
    view = View(Settings(keepalive_seconds=0))
    sockets: list[FakeSocket] = []
    handlers: list[Any] = []
    for n in range(subscribers):
        socket = FakeSocket(view)
        context = SimpleNamespace(
            hub=hub, connection_params=None, check_subscription=_no_database_to_check
        )
        # K distinct documents: the same fields, a different operation name per group
        query = f"subscription Feed{n % distinct} {{ jobEvents {{ {FIELDS} }} }}"
        handler: Any
        if protocol == "graphql-transport-ws":
            handler = TransportWSHandler(
                view,
                cast(Any, socket),
                context,
                None,
                schema,
                timedelta(seconds=30),
                20,
            )
            await handler.handle_message({"type": "connection_init"})
            await handler.handle_message(
                {"type": "subscribe", "id": f"op{n}", "payload": {"query": query}}
            )
        else:
            handler = LegacyWSHandler(
                view,
                cast(Any, socket),
                context,
                None,
                schema,
                False,
                None,
                20,
            )
            await handler.handle_message({"type": "connection_init"})
            await handler.handle_message(
                {"type": "start", "id": f"op{n}", "payload": {"query": query}}
            )
        sockets.append(socket)
        handlers.append(handler)
    while hub.subscriber_count < subscribers:  # noqa: ASYNC110 (a count, no event)
        await asyncio.sleep(0.01)

    async def deliver(first: int, count: int) -> float:
        for socket in sockets:
            socket.want = socket.received + count
            socket.got.clear()
        started = time.process_time()
        for i in range(first, first + count):
            hub.deliver(event(i))
            await asyncio.sleep(0)  # let consumers run, as between Redis messages
        await asyncio.wait_for(asyncio.gather(*(s.got.wait() for s in sockets)), 120)
        return time.process_time() - started

    await deliver(1, 5)  # warm up (parser cache, first executions)
    cpu = await deliver(100, events)
    for handler in handlers:
        if protocol == "graphql-transport-ws":
            await handler.shutdown()
        else:
            await handler.cleanup()
    per_event = cpu / events * 1e6
    return {"per_event_us": per_event, "per_event_per_subscriber_us": per_event / subscribers}


def unshare() -> None:
    """Strawberry's stock behaviour: its executor class, its JSON encoding, one JobEvent per
    subscriber."""
    from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
        BaseGraphQLTransportWSHandler,
    )
    from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

    from schema import subscriptions
    from schema.types import JobEvent

    schema.execution_context_class = schema.execution_context_class.__mro__[1]
    TransportWSHandler.send_message = BaseGraphQLTransportWSHandler.send_message  # type: ignore[method-assign]
    LegacyWSHandler.send_message = BaseGraphQLWSHandler.send_message  # type: ignore[method-assign]
    subscriptions.job_event_of = JobEvent.of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--protocol", default="graphql-transport-ws")
    parser.add_argument("--distinct", type=int, default=1)
    parser.add_argument("--no-share", action="store_true")
    args = parser.parse_args()
    if args.no_share:
        unshare()
    result = asyncio.run(run(args.subscribers, args.events, args.protocol, args.distinct))
    print(
        f"{'unshared ' if args.no_share else ''}{args.protocol}: {args.subscribers} subscribers, {args.distinct} distinct document(s): "
        f"{result['per_event_us']:.0f} µs CPU per event, "
        f"{result['per_event_per_subscriber_us']:.1f} µs per event per subscriber"
    )


if __name__ == "__main__":
    main()
