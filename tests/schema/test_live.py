"""Live: the event hub's fan-out, and a real uvicorn server driven by the third-party `gql`
client over HTTP (queries, mutations, upload) and WebSockets (both protocols), with jobs run by
the real Celery worker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
import websockets
from gql import Client, FileVar, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.websockets import WebsocketsTransport

from api.events.hub import EventHub, SubscriberTooSlow
from tests.api.helpers import make_document
from tests.auth import ADMIN_HEADERS, connection_init
from tests.fixtures import INVOICE2DATA
from tests.services import serve_in_thread

CORPUS = INVOICE2DATA
TERMINAL = {"JOB_COMPLETED", "JOB_FAILED", "JOB_CANCELLED"}
EVENTS = gql("""subscription($jobId: ID, $documentId: ID, $after: ID) {
  jobEvents(jobId: $jobId, documentId: $documentId, afterEventId: $after) {
    id jobId documentId type status progress stage message attempt occurredAt } }""")
UPLOAD = gql("""mutation($files: [Upload!]!) { uploadDocuments(files: $files) {
  documents { id latestJob { id } } rejected { filename code } } }""")


@pytest.fixture
def server(settings, clean) -> Iterator[str]:
    from api.main import create_app

    with serve_in_thread(create_app(settings)) as address:
        yield address


def http(server: str) -> Client:
    return Client(
        transport=AIOHTTPTransport(
            url=f"http://{server}/graphql",
            headers={"Apollo-Require-Preflight": "true", **ADMIN_HEADERS},
        )
    )


def ws(server: str, protocol: str) -> Client:
    return Client(
        transport=WebsocketsTransport(
            url=f"ws://{server}/graphql",
            subprotocols=[protocol],
            init_payload={"authorization": ADMIN_HEADERS["Authorization"]},
        )
    )


async def upload(server: str, name: str = "AzureInterior.pdf") -> tuple[str, str]:
    async with http(server) as session:
        with open(CORPUS / name, "rb") as f:
            result = await session.execute(
                UPLOAD, variable_values={"files": [FileVar(f)]}, upload_files=True
            )
    document = result["uploadDocuments"]["documents"][0]
    return document["id"], document["latestJob"]["id"]


async def collect(
    client: Client, variables: dict, until=lambda e: e["type"] in TERMINAL, timeout: float = 90
) -> list[dict]:
    events: list[dict] = []

    async def run() -> None:
        async with client as session:
            async for result in session.subscribe(EVENTS, variable_values=variables):
                events.append(result["jobEvents"])
                if until(result["jobEvents"]):
                    return

    await asyncio.wait_for(run(), timeout)
    return events


def assert_full_run(events: list[dict], job_id: str) -> None:
    types = [e["type"] for e in events]
    assert types[0] == "JOB_QUEUED" and types[1] == "JOB_STARTED", types
    assert types[-1] == "JOB_COMPLETED", types
    assert "DOCUMENT_PARSING_STARTED" in types and "FIELD_EXTRACTION_COMPLETED" in types
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(e["jobId"] == job_id for e in events)


# -- the hub on its own ---------------------------------------------------------------------


async def test_fan_out_200_subscribers_and_a_stalled_one(ctx, settings):
    hub = EventHub(settings.redis_url, settings.events_channel, ctx.session, queue_size=50)
    await hub.start()
    await asyncio.wait_for(hub.connected.wait(), 10)
    try:
        fast = [await hub.subscribe() for _ in range(200)]
        stalled = await hub.subscribe(queue_size=3)
        # Each document stores and publishes one JOB_QUEUED event, after commit.
        docs = [await make_document(ctx, state="QUEUED") for _ in range(10)]
        received = [[(await asyncio.wait_for(sub.get(), 5)) for _ in range(10)] for sub in fast]
        ids = [[m.id for m in got] for got in received]
        assert all(r == ids[0] for r in ids)
        assert ids[0] == sorted(ids[0]) and len(set(ids[0])) == 10
        assert {m.document_id for m in received[0]} == {d.id for d in docs}
        assert stalled.dropped
        # Resume just before the first event it never got (positions: any id below it works).
        resume = received[0][0].id - 1
        with pytest.raises(SubscriberTooSlow, match=f"resume with afterEventId={resume}$"):
            await stalled.get()  # buffered ones are not handed out: the error comes first
    finally:
        await hub.stop()


# -- gql over a real server, real worker ---------------------------------------------------


@pytest.mark.worker
async def test_gql_http_and_both_websocket_protocols(server, worker):
    async with http(server) as session:
        counts = await session.execute(gql("{ documentCounts { status count } }"))
        assert len(counts["documentCounts"]) == 6

    # dashboard feed (no job, no document), opened as the upload starts: every event of the job,
    # in order. afterEventId 0 (the database is clean) makes that true however late the
    # subscription registers: events before it come from the store, later ones live.
    feed = asyncio.ensure_future(
        collect(ws(server, WebsocketsTransport.APOLLO_SUBPROTOCOL), {"after": "0"})
    )
    document_id, job_id = await upload(server)
    events = await feed
    assert_full_run(events, job_id)

    # graphql-transport-ws with afterEventId=0 after the fact: stored events, then (none) live
    replay = await collect(
        ws(server, WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL), {"jobId": job_id, "after": "0"}
    )
    assert [e["id"] for e in replay] == [e["id"] for e in events]

    # resume: disconnect after JOB_STARTED, then resume from its id on another upload
    document_id, job_id = await upload(server, "QualityHosting.pdf")
    head = await collect(
        ws(server, WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL),
        {"jobId": job_id, "after": "0"},
        until=lambda e: e["type"] == "JOB_STARTED",
    )
    tail = await collect(
        ws(server, WebsocketsTransport.APOLLO_SUBPROTOCOL),
        {"jobId": job_id, "after": head[-1]["id"]},
    )
    assert_full_run(head + tail, job_id)
    # late subscriber passing the first event id gets the rest, exactly once
    rest = await collect(
        ws(server, WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL),
        {"documentId": document_id, "after": head[0]["id"]},
    )
    assert [e["id"] for e in rest] == [e["id"] for e in (head + tail)[1:]]

    async with http(server) as session:
        finalized = await session.execute(
            gql("""mutation($id: ID!) { finalizeDocument(id: $id) {
            __typename ... on UserError { code } } }"""),
            variable_values={"id": document_id},
        )
        assert finalized["finalizeDocument"]["__typename"] == "FinalizeDocumentSuccess"


async def test_websocket_hostile_messages_and_keepalive(server):
    url = f"ws://{server}/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket_:
        await socket_.send(connection_init())
        assert json.loads(await socket_.recv())["type"] == "connection_ack"
        await socket_.send("[1, 2, 3]")
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket_.recv()
        assert closed.value.rcvd.code == 4400
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket_:
        await socket_.send(connection_init())
        await socket_.recv()
        await socket_.send(json.dumps({"type": "subscribe", "id": "1", "payload": None}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket_.recv()
        assert closed.value.rcvd.code == 4400
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket_:
        await socket_.send("not json")
        with pytest.raises(websockets.ConnectionClosed):
            await socket_.recv()
    async with websockets.connect(url, subprotocols=["graphql-ws"]) as socket_:
        await socket_.send(connection_init())
        assert json.loads(await socket_.recv())["type"] == "connection_ack"
        await socket_.send(json.dumps({"type": "start", "id": "1", "payload": 5}))
        messages = [json.loads(await socket_.recv()) for _ in range(2)]
        assert any(m["type"] == "error" for m in messages)
    # a malformed argument is a clear GraphQL error, not a dropped socket
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket_:
        await socket_.send(connection_init())
        await socket_.recv()
        await socket_.send(
            json.dumps(
                {
                    "type": "subscribe",
                    "id": "1",
                    "payload": {"query": 'subscription { jobEvents(afterEventId: "abc") { id } }'},
                }
            )
        )
        message = json.loads(await asyncio.wait_for(socket_.recv(), 5))
        assert "afterEventId" in json.dumps(message)
