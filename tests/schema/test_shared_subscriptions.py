"""Shared execution of subscription results (``schema.shared``): the real WebSocket handlers of
``schema.app`` over recording sockets, an ``EventHub`` fed by hand (``hub.deliver``) and, for
replays, the real database. Each event is executed once per (document, variables) and its JSON
is shared, while filters, replay, slow-subscriber close, errors and both protocols behave as
without sharing."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest

from api.auth.actor import SYSTEM
from api.context import AppContext
from api.events.hub import EventHub
from api.events.model import JobEventMessage
from api.settings import Settings
from schema.app import LegacyWSHandler, PaperlaneGraphQLRouter, TransportWSHandler
from schema.schema import schema
from schema.shared import SHARED
from tests.api.helpers import make_document

FIELDS = "id jobId documentId type status progress stage message attempt occurredAt"
FEED = f"subscription Feed($job: ID, $after: ID) {{ jobEvents(jobId: $job, afterEventId: $after) {{ {FIELDS} }} }}"
PROTOCOLS = ["graphql-transport-ws", "graphql-ws"]


class View(PaperlaneGraphQLRouter):
    async def on_ws_connect(self, context: Any) -> Any:
        context.actor = SYSTEM  # these handlers run without a server: no credentials to check


VIEW = View(Settings(keepalive_seconds=0))


class Socket:
    """A recording stand-in for Strawberry's WebSocket adapter (with our ``send_text``)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.closed: tuple[int, str] | None = None
        self.changed = asyncio.Event()
        self.reading = asyncio.Event()  # cleared: a send waits, as to a client that stopped reading
        self.reading.set()
        self.writes = 0  # completed sends

    def stall(self) -> None:
        self.reading.clear()

    def resume(self) -> None:
        self.reading.set()

    async def send_json(self, message: Any) -> None:
        await self.send_text(json.dumps(message, separators=(",", ":")))

    async def send_text(self, text: str) -> None:
        await self.reading.wait()
        self.texts.append(text)
        self.writes += 1
        self.changed.set()

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)
        self.changed.set()

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [json.loads(t) for t in self.texts]

    def results(self, op: str) -> list[dict[str, Any]]:
        return [
            m["payload"]
            for m in self.messages
            if m.get("id") == op and m["type"] in ("next", "data")
        ]

    async def wait(self, predicate: Any, timeout: float = 5) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()


async def _no_database_to_check(*_: object) -> None:
    return None


class Client:
    def __init__(self, hub: EventHub, protocol: str) -> None:
        self.socket = Socket()
        self.protocol = protocol
        # No database behind these handlers: the subscription checks (unknown ids, replay
        # window) are tests/api/events/test_replay.py's.
        context = SimpleNamespace(
            hub=hub, connection_params=None, check_subscription=_no_database_to_check
        )
        self.handler: Any
        if protocol == "graphql-transport-ws":
            self.handler = TransportWSHandler(
                VIEW,
                cast(Any, self.socket),
                context,
                None,
                schema,
                timedelta(seconds=30),
                20,
            )
        else:
            self.handler = LegacyWSHandler(
                VIEW,
                cast(Any, self.socket),
                context,
                None,
                schema,
                False,
                None,
                20,
            )

    async def start(self, op: str, query: str, variables: dict[str, Any] | None = None) -> None:
        if not self.socket.texts:
            await self.handler.handle_message({"type": "connection_init"})
        kind = "subscribe" if self.protocol == "graphql-transport-ws" else "start"
        await self.handler.handle_message(
            {"type": kind, "id": op, "payload": {"query": query, "variables": variables or {}}}
        )

    async def close(self) -> None:
        if self.protocol == "graphql-transport-ws":
            await self.handler.shutdown()
        else:
            await self.handler.cleanup()


def message(i: int, job: uuid.UUID, document: uuid.UUID | None = None) -> JobEventMessage:
    return JobEventMessage(
        id=i,
        job_id=job,
        document_id=document or uuid.UUID(int=7),
        type="DOCUMENT_PARSING_STARTED",
        status="PROCESSING",
        progress=20,
        stage="parsing",
        message=f"event {i}",
        attempt=1,
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


async def registered(hub: EventHub, count: int) -> None:
    async with asyncio.timeout(5):
        while hub.subscriber_count < count:  # noqa: ASYNC110 (a count, no event)
            await asyncio.sleep(0.01)


def hub_without_redis(sessions: Any = None, queue_size: int = 1000) -> EventHub:
    return EventHub("redis://unused", "unused", sessions, queue_size=queue_size)


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_one_execution_per_event_for_identical_subscribers(protocol: str) -> None:
    hub = hub_without_redis()
    job, other_job = uuid.uuid4(), uuid.uuid4()
    same = [Client(hub, protocol) for _ in range(20)]
    for n, client in enumerate(same):
        await client.start(f"op{n}", FEED)
    filtered = Client(hub, protocol)  # other variables: its own execution, only its job
    await filtered.start("mine", FEED, {"job": str(job)})
    narrow = Client(hub, protocol)  # another document: its own execution and fields
    await narrow.start("narrow", "subscription { jobEvents { id type } }")
    await registered(hub, 22)
    SHARED.clear()

    for i in range(1, 6):
        hub.deliver(message(i, job if i % 2 else other_job))
    for client in [*same, filtered, narrow]:
        await client.socket.wait(
            lambda c=client: (
                sum(m["type"] in ("next", "data") for m in c.socket.messages)
                >= (3 if c is filtered else 5)
            )
        )

    # 5 events x (feed, filtered feed, narrow): executed once per key; these subscriptions are
    # delivered directly (schema.direct), so no subscriber executes an event on its own
    assert SHARED.misses == 5 + 3 + 5
    assert SHARED.hits == 0
    first = same[0].socket.results("op0")
    assert [int(p["data"]["jobEvents"]["id"]) for p in first] == [1, 2, 3, 4, 5]
    assert first[0]["data"]["jobEvents"] == {
        "id": "1",
        "jobId": str(job),
        "documentId": str(uuid.UUID(int=7)),
        "type": "DOCUMENT_PARSING_STARTED",
        "status": "PROCESSING",
        "progress": 20,
        "stage": "parsing",
        "message": "event 1",
        "attempt": 1,
        "occurredAt": "2026-01-01T00:00:00+00:00",
    }
    for n, client in enumerate(same):
        assert client.socket.results(f"op{n}") == first  # own operation id, same payloads
    assert [p["data"]["jobEvents"]["id"] for p in filtered.socket.results("mine")] == [
        "1",
        "3",
        "5",
    ]
    assert narrow.socket.results("narrow")[1]["data"] == {
        "jobEvents": {"id": "2", "type": "DOCUMENT_PARSING_STARTED"}
    }
    # the shared text is the same bytes apart from the operation id
    kind = "next" if protocol == "graphql-transport-ws" else "data"
    texts = {t.replace('"op3"', '"op0"') for t in same[3].socket.texts if kind in t}
    assert texts <= set(same[0].socket.texts)
    for client in [*same, filtered, narrow]:
        await client.close()
    assert hub.subscriber_count == 0


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_variables_are_part_of_the_key(protocol: str) -> None:
    hub = hub_without_redis()
    query = "subscription($full: Boolean!) { jobEvents { id stage @include(if: $full) } }"
    full, bare = Client(hub, protocol), Client(hub, protocol)
    await full.start("a", query, {"full": True})
    await bare.start("b", query, {"full": False})
    await registered(hub, 2)
    hub.deliver(message(1, uuid.uuid4()))
    await full.socket.wait(lambda: full.socket.results("a"))
    await bare.socket.wait(lambda: bare.socket.results("b"))
    assert full.socket.results("a")[0]["data"] == {"jobEvents": {"id": "1", "stage": "parsing"}}
    assert bare.socket.results("b")[0]["data"] == {"jobEvents": {"id": "1"}}
    await full.close()
    await bare.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_invalid_documents_and_arguments_still_fail_clearly(protocol: str) -> None:
    hub = hub_without_redis()
    client = Client(hub, protocol)
    await client.start("bad-field", "subscription { jobEvents { id nope } }")
    await client.start("bad-arg", 'subscription { jobEvents(afterEventId: "x") { id } }')
    await client.socket.wait(
        lambda: (
            {m.get("id") for m in client.socket.messages if m["type"] in ("error", "next", "data")}
            >= {"bad-field", "bad-arg"}
        )
    )
    text = json.dumps(client.socket.messages)
    assert "Cannot query field 'nope'" in text
    assert "afterEventId" in text
    assert hub.subscriber_count == 0
    await client.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_slow_subscriber_still_closed_with_resume_id(protocol: str) -> None:
    hub = hub_without_redis(queue_size=2)
    fast, slow = Client(hub, protocol), Client(hub, protocol)
    await slow.start("slow", FEED)
    await fast.start("fast", FEED)
    await registered(hub, 2)
    job = uuid.uuid4()
    hub.deliver(message(1, job))
    await fast.socket.wait(lambda: len(fast.socket.results("fast")) == 1)
    await slow.socket.wait(lambda: len(slow.socket.results("slow")) == 1)
    slow.socket.stall()  # its client stops reading: the next write never completes
    for i in range(2, 6):  # 2 is being written, 3 and 4 wait (queue_size 2), 5 overflows
        hub.deliver(message(i, job))
        await asyncio.sleep(0)
    await fast.socket.wait(lambda: len(fast.socket.results("fast")) == 5)
    slow.socket.resume()
    await slow.socket.wait(lambda: "SUBSCRIBER_TOO_SLOW" in "".join(slow.socket.texts))
    # the resume id is the last event it was sent: resuming there loses nothing
    sent = [p for p in slow.socket.results("slow") if p.get("data")]
    last_sent = sent[-1]["data"]["jobEvents"]["id"]
    assert last_sent == "2"
    assert f"afterEventId={last_sent}" in "".join(slow.socket.texts)
    hub.deliver(message(6, job))
    await fast.socket.wait(lambda: len(fast.socket.results("fast")) == 6)
    assert hub.subscriber_count == 1
    await fast.close()
    await slow.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_replay_then_live_no_gap_no_duplicate(protocol: str, ctx: AppContext) -> None:
    document = await make_document(ctx, state="COMPLETED")  # 3 stored events
    hub = hub_without_redis(ctx.session)
    async with ctx.session() as session:
        from db.repositories import EventRepository

        stored = await EventRepository(session).list(document_id=document.id)
    ids = [r.id for r in stored]
    job = stored[0].job_id
    replaying = [Client(hub, protocol) for _ in range(3)]
    for n, client in enumerate(replaying):
        await client.start(f"r{n}", FEED, {"job": str(job), "after": str(ids[0])})
    await registered(hub, 3)
    # a live duplicate of a replayed event, then new ones
    hub.deliver(JobEventMessage.from_row(stored[-1]))
    hub.deliver(message(ids[-1] + 1, job, document.id))
    hub.deliver(message(ids[-1] + 2, job, document.id))
    for n, client in enumerate(replaying):
        await client.socket.wait(lambda c=client, n=n: len(c.socket.results(f"r{n}")) >= 4)
        await asyncio.sleep(0.05)
        got = [int(p["data"]["jobEvents"]["id"]) for p in client.socket.results(f"r{n}")]
        assert got == [*ids[1:], ids[-1] + 1, ids[-1] + 2]
        await client.close()
