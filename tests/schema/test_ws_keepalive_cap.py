"""WebSocket keep-alive and the per-connection subscription cap, on a real uvicorn (in a thread)
whose settings make the keep-alive interval short and the cap small."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import websockets

from api.context import AppContext
from api.events.hub import EventHub
from api.settings import Settings
from schema.shared import SHARED
from tests.api.helpers import make_document
from tests.auth import connection_init
from tests.services import serve_in_thread

INTERVAL = 0.4
CAP = 3
SUBSCRIPTION = "subscription { jobEvents { id type jobId } }"


@pytest.fixture
def served(settings: Settings, clean: None) -> Iterator[tuple[str, EventHub]]:
    """The server's URL and its event hub (it runs in this process: its state is ours to read)."""
    from api.main import create_app

    tuned = settings.model_copy(
        update={"keepalive_seconds": INTERVAL, "max_subscriptions_per_connection": CAP}
    )
    app = create_app(tuned)
    with serve_in_thread(app) as address:
        yield f"ws://{address}/graphql", app.state.hub


@pytest.fixture
def server(served: tuple[str, EventHub]) -> str:
    return served[0]


async def subscribers(hub: EventHub, count: int) -> None:
    """Until the hub holds ``count`` subscribers (a hang guard, not a speed limit)."""
    async with asyncio.timeout(30):
        while True:  # the hub lives on the server's thread: poll its count
            if hub.subscriber_count == count:
                return
            await asyncio.sleep(0.02)


async def recv(socket: Any, timeout: float = 5) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), timeout))
    return message


async def recv_skipping(socket: Any, skip: set[str], timeout: float = 5) -> dict[str, Any]:
    """The next message whose type is not in ``skip`` (keep-alive chatter)."""
    deadline = time.monotonic() + timeout
    while True:
        message = await recv(socket, max(0.01, deadline - time.monotonic()))
        if message["type"] not in skip:
            return message


@contextlib.asynccontextmanager
async def connected(url: str, protocol: str) -> AsyncIterator[Any]:
    async with websockets.connect(url, subprotocols=[protocol]) as socket:  # type: ignore[list-item]
        await socket.send(connection_init())
        assert (await recv(socket))["type"] == "connection_ack"
        yield socket


# How long a test waits for a message before failing: a guard against a hang, far above INTERVAL,
# never a measure of speed (a loaded machine delays the server's timer, it does not break it).
PATIENCE = 30


async def test_transport_ws_server_pings_an_idle_client(server: str) -> None:
    async with connected(server, "graphql-transport-ws") as socket:
        first = await recv(socket, timeout=PATIENCE)
        assert first == {"type": "ping"}
        await socket.send(json.dumps({"type": "pong"}))
        second = await recv(socket, timeout=PATIENCE)
        assert second == {"type": "ping"}  # pinged again: periodic, not once
        # the client's own ping is still answered
        await socket.send(json.dumps({"type": "ping"}))
        assert (await recv_skipping(socket, {"ping"}))["type"] == "pong"


async def test_transport_ws_server_does_not_ping_while_frames_flow(
    served: tuple[str, EventHub], ctx: AppContext
) -> None:
    """A dashboard receiving events is not idle: no ping while its frames flow (each ping and
    pong cost the API ~150 µs), and pings again once they stop. An event every INTERVAL / 4;
    the old rhythm would have pinged ~8 times in the busy window."""
    server, hub = served
    async with connected(server, "graphql-transport-ws") as socket:
        subscribe = {"type": "subscribe", "id": "feed", "payload": {"query": SUBSCRIPTION}}
        await socket.send(json.dumps(subscribe))
        await subscribers(hub, 1)
        received: list[str] = []

        async def read() -> None:
            while True:
                received.append((await recv(socket, timeout=PATIENCE))["type"])

        reader = asyncio.create_task(read())
        try:
            for _ in range(4):  # the interval under way when the frames started may still ping
                await make_document(ctx, state="QUEUED")
                await asyncio.sleep(INTERVAL / 4)
            received.clear()
            for _ in range(32):  # eight intervals
                await make_document(ctx, state="QUEUED")
                await asyncio.sleep(INTERVAL / 4)
            busy = list(received)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader  # websockets' recv is cancellation-safe: nothing is lost
        assert busy.count("next") >= 28  # frames flowed through the window
        # at most one: a loaded machine may stall the events for a whole interval
        assert busy.count("ping") <= 1, busy
        # idle again: pinged again
        assert await recv_skipping(socket, {"next"}, timeout=PATIENCE) == {"type": "ping"}


async def test_legacy_graphql_ws_gets_ka(server: str) -> None:
    async with connected(server, "graphql-ws") as socket:
        # one right after the ack, then one per interval: three in a row from an idle server
        for _ in range(3):
            message = await recv(socket, timeout=PATIENCE)
            assert message["type"] == "ka", message


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
async def test_subscription_cap_per_connection(
    served: tuple[str, EventHub], ctx: AppContext, protocol: str
) -> None:
    server, hub = served
    legacy = protocol == "graphql-ws"
    start, stop, data = ("start", "stop", "data") if legacy else ("subscribe", "complete", "next")
    chatter = {"ka", "ping", "pong"}
    async with connected(server, protocol) as socket:

        async def subscribe(op: str, socket: Any = socket) -> None:
            await socket.send(
                json.dumps({"type": start, "id": op, "payload": {"query": SUBSCRIPTION}})
            )

        for op in ("1", "2", "3"):
            await subscribe(op)
        await subscribe("4")
        error = await recv_skipping(socket, chatter)
        assert error["type"] == "error" and error["id"] == "4", error
        payload = error["payload"] if legacy else error["payload"][0]
        assert payload["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        assert f"at most {CAP} subscriptions per connection" in payload["message"]

        # the first three keep working: each gets the next event (executed once for the three,
        # delivered directly by schema.direct: the server runs in this process, so its
        # schema.shared counters are ours)
        await subscribers(hub, CAP)  # the three are registered with the hub
        hits, misses = SHARED.hits, SHARED.misses
        await make_document(ctx, state="QUEUED")
        got = [await recv_skipping(socket, chatter) for _ in range(CAP)]
        assert sorted(m["id"] for m in got) == ["1", "2", "3"], got
        assert all(m["type"] == data for m in got)
        assert all(m["payload"]["data"]["jobEvents"]["type"] == "JOB_QUEUED" for m in got)
        assert (SHARED.misses - misses, SHARED.hits - hits) == (1, 0)

        # completing one frees a slot
        await socket.send(json.dumps({"type": stop, "id": "1"}))
        if legacy:  # graphql-ws answers stop with complete
            assert (await recv_skipping(socket, chatter)) == {"type": "complete", "id": "1"}
        await subscribers(hub, CAP - 1)
        await subscribe("5")
        await subscribers(hub, CAP)
        await make_document(ctx, state="QUEUED")
        got = [await recv_skipping(socket, chatter) for _ in range(CAP)]
        assert sorted(m["id"] for m in got) == ["2", "3", "5"], got
