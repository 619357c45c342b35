"""Direct delivery of ``jobEvents`` (``schema.direct``): the real WebSocket handlers of
``schema.app`` over recording sockets (``test_shared_subscriptions``), an ``EventHub`` fed by
hand. Frames are built once per group with each subscriber's own operation id; a slow but alive
subscriber gets its backlog in order once its socket drains; idle subscribers hold no task."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from api.cli.commands import api_argv
from api.events.hub import SinkGroup, Subscriber
from schema.shared import SHARED
from tests.schema.test_shared_subscriptions import (
    FEED,
    PROTOCOLS,
    Client,
    hub_without_redis,
    message,
    registered,
)

KIND = {"graphql-transport-ws": "next", "graphql-ws": "data"}


def frames(client: Client, op: str) -> list[str]:
    return [t for t in client.socket.texts if t.startswith(f'{{"id":"{op}","type":')]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_same_operation_same_frame_with_its_own_id(protocol: str) -> None:
    hub = hub_without_redis()
    same = [Client(hub, protocol) for _ in range(3)]
    for n, client in enumerate(same):
        await client.start(f"op{n}", FEED)
    narrow = Client(hub, protocol)
    await narrow.start("narrow", "subscription { jobEvents { id type } }")
    await registered(hub, 4)
    groups = [t for t in hub._all if isinstance(t, SinkGroup)]
    assert sorted(g.size for g in groups) == [1, 3]  # one group per distinct operation
    SHARED.clear()
    job = uuid.uuid4()
    hub.deliver(message(1, job))
    hub.deliver(message(2, job))
    named = {**{f"op{n}": client for n, client in enumerate(same)}, "narrow": narrow}
    for op, client in named.items():
        await client.socket.wait(lambda c=client, op=op: len(c.socket.results(op)) == 2)
    assert SHARED.misses == 2 * 2  # executed once per event per group, never per subscriber
    kind = KIND[protocol]
    expected = [
        f'{{"id":"op0","type":"{kind}","payload":{{"data":{{"jobEvents":{{"id":"{i}",'
        f'"jobId":"{job}","documentId":"{uuid.UUID(int=7)}","type":"DOCUMENT_PARSING_STARTED",'
        f'"status":"PROCESSING","progress":20,"stage":"parsing","message":"event {i}",'
        f'"attempt":1,"occurredAt":"2026-01-01T00:00:00+00:00"}}}}}}}}'
        for i in (1, 2)
    ]
    assert frames(same[0], "op0") == expected
    for n, client in enumerate(same):
        assert frames(client, f"op{n}") == [f.replace('"op0"', f'"op{n}"') for f in expected]
    assert frames(narrow, "narrow") == [
        f'{{"id":"narrow","type":"{kind}","payload":{{"data":{{"jobEvents":'
        f'{{"id":"{i}","type":"DOCUMENT_PARSING_STARTED"}}}}}}}}'
        for i in (1, 2)
    ]
    for client in [*same, narrow]:
        assert client.handler.writer.task is None  # idle: nothing pending, no task
        await client.close()
    assert hub.subscriber_count == 0 and not hub._groups


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_slow_but_alive_subscriber_gets_its_backlog_in_order(protocol: str) -> None:
    hub = hub_without_redis(queue_size=10)
    fast, slow = Client(hub, protocol), Client(hub, protocol)
    await fast.start("fast", FEED)
    await slow.start("slow", FEED)
    await registered(hub, 2)
    job = uuid.uuid4()
    slow.socket.stall()
    for i in range(1, 8):
        hub.deliver(message(i, job))
        await asyncio.sleep(0)
    await fast.socket.wait(lambda: len(fast.socket.results("fast")) == 7)
    writer = slow.handler.writer
    # event 1 is being written; 2..7 wait together behind it, within the limit (10)
    assert [event_id for _, event_id, _ in writer.pending] == [2, 3, 4, 5, 6, 7]
    assert writer.task is not None
    writes_before = slow.socket.writes
    slow.socket.resume()
    await slow.socket.wait(lambda: len(slow.socket.results("slow")) == 7)
    assert slow.socket.writes - writes_before == 7
    got = [int(p["data"]["jobEvents"]["id"]) for p in slow.socket.results("slow")]
    assert got == [1, 2, 3, 4, 5, 6, 7]
    assert "SUBSCRIBER_TOO_SLOW" not in "".join(slow.socket.texts)
    await asyncio.sleep(0)
    assert writer.task is None and not writer.pending  # drained: no task left behind
    hub.deliver(message(8, job))
    await slow.socket.wait(lambda: len(slow.socket.results("slow")) == 8)
    await fast.close()
    await slow.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_stop_ends_direct_delivery_and_nothing_follows_complete(protocol: str) -> None:
    hub = hub_without_redis()
    client = Client(hub, protocol)
    await client.start("a", FEED)
    await client.start("b", FEED)
    await registered(hub, 2)
    job = uuid.uuid4()
    client.socket.stall()
    hub.deliver(message(1, job))
    hub.deliver(message(2, job))  # pending for both operations while the socket is stalled
    stop = "complete" if protocol == "graphql-transport-ws" else "stop"
    stopping = asyncio.create_task(client.handler.handle_message({"type": stop, "id": "a"}))
    await asyncio.sleep(0.05)
    client.socket.resume()
    await stopping
    await registered(hub, 1)
    hub.deliver(message(3, job))
    await client.socket.wait(lambda: len(client.socket.results("b")) == 3)
    if protocol == "graphql-ws":  # stop is answered with complete: after a's frames, not before
        await client.socket.wait(
            lambda: any(m["type"] == "complete" for m in client.socket.messages)
        )
        kinds = [m["type"] for m in client.socket.messages if m.get("id") == "a"]
        assert kinds[-1] == "complete" and kinds.count("complete") == 1
    got = [int(p["data"]["jobEvents"]["id"]) for p in client.socket.results("a")]
    # at most the frame being written when "a" stopped (its group's sink order decides whose
    # frame 1 went first); what waited behind it for "a" was dropped
    assert got in ([], [1])
    assert [int(p["data"]["jobEvents"]["id"]) for p in client.socket.results("b")] == [1, 2, 3]
    assert hub.subscriber_count == 1
    await client.close()
    assert hub.subscriber_count == 0


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_ineligible_operation_stays_on_strawberry_path(protocol: str) -> None:
    hub = hub_without_redis()
    query = "subscription { ...Feed } fragment Feed on Subscription { jobEvents { id } }"
    first, second = Client(hub, protocol), Client(hub, protocol)
    await first.start("f", query)
    await second.start("s", query)
    await registered(hub, 2)
    assert all(isinstance(t, Subscriber) for t in hub._all)  # queued subscribers, no group
    SHARED.clear()
    hub.deliver(message(1, uuid.uuid4()))
    await first.socket.wait(lambda: first.socket.results("f"))
    await second.socket.wait(lambda: second.socket.results("s"))
    assert first.socket.results("f")[0]["data"] == {"jobEvents": {"id": "1"}}
    assert (SHARED.misses, SHARED.hits) == (1, 1)  # schema.shared still shares it
    await first.close()
    await second.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_a_failed_execution_ends_the_group_with_a_masked_error(
    protocol: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = hub_without_redis()
    client = Client(hub, protocol)
    await client.start("x", FEED)
    await registered(hub, 1)
    (group,) = hub._groups.values()

    def broken(_: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(group, "render", broken)
    hub.deliver(message(1, uuid.uuid4()))
    await client.socket.wait(lambda: "INTERNAL_ERROR" in "".join(client.socket.texts))
    assert "boom" not in "".join(client.socket.texts)
    assert hub.subscriber_count == 0
    await client.close()


def test_the_api_runs_without_websocket_compression() -> None:
    argv = api_argv("127.0.0.1", 8000, "warning")
    assert argv[argv.index("--ws-per-message-deflate") + 1] == "false"
