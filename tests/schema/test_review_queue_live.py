"""The review queue's length, live (``reviewQueueLength`` subscription, on a real uvicorn): its
value at once, then each change, whether the queue grew (a job completed) or shrank (a finalize,
which publishes no job event), on both WebSocket protocols; one count per process is shared by
every subscriber, and the count stops when the last one leaves."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets

from api.context import AppContext
from api.services.review_queue import ReviewQueueWatch
from api.settings import Settings
from tests.api.helpers import make_document
from tests.auth import ADMIN_HEADERS, connection_init
from tests.bench.common import wait_until
from tests.services import serve_in_thread

POLL = 0.2
SUBSCRIPTION = "subscription { reviewQueueLength }"


@pytest.fixture
def served(settings: Settings, clean: None) -> Iterator[tuple[str, ReviewQueueWatch]]:
    from api.main import create_app

    app = create_app(settings.model_copy(update={"review_queue_poll_seconds": POLL}))
    with serve_in_thread(app) as address:
        yield address, app.state.ctx.review_queue


async def subscribe(address: str, protocol: str) -> Any:
    ws = await websockets.connect(f"ws://{address}/graphql", subprotocols=[protocol])  # type: ignore[list-item]
    await ws.send(connection_init())
    kind = "subscribe" if protocol == "graphql-transport-ws" else "start"
    await ws.send(json.dumps({"type": kind, "id": "q", "payload": {"query": SUBSCRIPTION}}))
    return ws


async def next_length(ws: Any) -> int:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] in ("next", "data"):
            assert "errors" not in message["payload"], message
            return int(message["payload"]["data"]["reviewQueueLength"])
        assert message["type"] in ("connection_ack", "ka", "ping", "pong"), message


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
async def test_the_length_now_then_each_change(
    served: tuple[str, ReviewQueueWatch], ctx: AppContext, protocol: str
) -> None:
    address, watch = served
    first = await make_document(ctx)
    one, other = await subscribe(address, protocol), await subscribe(address, protocol)
    try:
        assert [await next_length(one), await next_length(other)] == [1, 1]
        second = await make_document(ctx)
        assert [await next_length(one), await next_length(other)] == [2, 2]
        async with httpx.AsyncClient(base_url=f"http://{address}", headers=ADMIN_HEADERS) as api:
            assert (await api.post(f"/api/documents/{first.id}/finalize")).status_code == 200
            assert [await next_length(one), await next_length(other)] == [1, 1]
            # A change outside the queue pushes nothing: the next value is the next change.
            await make_document(ctx, state="FAILED")
            assert (await api.post(f"/api/documents/{second.id}/finalize")).status_code == 200
            assert [await next_length(one), await next_length(other)] == [0, 0]
    finally:
        await one.close()
        await other.close()
    assert await wait_until(lambda: watch.idle, 10)  # nobody listens: no more counting


async def test_a_subscriber_that_does_not_read_keeps_only_the_latest_length(
    ctx: AppContext,
) -> None:
    watch = ReviewQueueWatch(ctx.session, POLL)
    lengths = watch.lengths()
    try:
        assert await anext(lengths) == 0
        for _ in range(3):
            await make_document(ctx)
            assert await wait_until(lambda: watch.length is not None and watch.length > 0, 10)
        assert await wait_until(lambda: watch.length == 3, 10)
        assert await anext(lengths) == 3  # 1 and 2 were replaced, unread
    finally:
        await lengths.aclose()
        await watch.stop()
