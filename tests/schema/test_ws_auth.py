"""WebSocket and SSE doors on a real uvicorn (in a thread): both GraphQL WebSocket protocols
refuse a connection_init without a valid token (4403 / connection_error), accept a token or the
session cookie of the handshake, and close a connection whose token is revoked or whose user is
disabled while it is subscribed; an SSE stream ends the same way."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets

from api.context import AppContext
from api.settings import Settings
from db.models import Role
from tests.api.helpers import make_document
from tests.auth import ADMIN_HEADERS, PASSWORD, connection_init, make_identity
from tests.services import serve_in_thread

RECHECK = 0.5
PROTOCOLS = ["graphql-transport-ws", "graphql-ws"]
SUBSCRIPTION = "subscription { jobEvents { id type } }"


@pytest.fixture
def server(settings: Settings, clean: None) -> Iterator[str]:
    from api.main import create_app

    tuned = settings.model_copy(update={"auth_recheck_seconds": RECHECK})
    with serve_in_thread(create_app(tuned)) as address:
        yield address


async def recv(socket: Any, timeout: float = 10) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if message["type"] not in ("ping", "pong", "ka"):
            return message


def start(protocol: str) -> str:
    kind = "subscribe" if protocol == "graphql-transport-ws" else "start"
    return json.dumps({"type": kind, "id": "1", "payload": {"query": SUBSCRIPTION}})


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("token", [None, "pl_not-a-token", ""])
async def test_connection_init_without_a_valid_token_is_refused(
    server: str, protocol: str, token: str | None
) -> None:
    async with websockets.connect(f"ws://{server}/graphql", subprotocols=[protocol]) as ws:  # type: ignore[list-item]
        await ws.send(connection_init(token))
        if protocol == "graphql-transport-ws":
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await recv(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
        else:
            message = await recv(ws)
            assert message["type"] == "connection_error"


async def _subscribed(
    server: str, protocol: str, headers: dict[str, str], token: str | None
) -> Any:
    ws = await websockets.connect(
        f"ws://{server}/graphql",
        subprotocols=[protocol],  # type: ignore[list-item]
        additional_headers=headers,
    )
    await ws.send(connection_init(token))
    assert (await recv(ws))["type"] == "connection_ack"
    await ws.send(start(protocol))
    return ws


async def _closed_within(ws: Any, protocol: str, seconds: float) -> None:
    started = time.monotonic()
    messages = []
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            messages.append(await recv(ws, timeout=seconds))
    assert time.monotonic() - started < seconds
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    if protocol == "graphql-ws":
        assert messages and messages[-1]["type"] == "connection_error"


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_revoked_token_closes_the_subscription(
    server: str, ctx: AppContext, protocol: str
) -> None:
    reviewer = await make_identity(ctx, Role.REVIEWER)
    ws = await _subscribed(server, protocol, {}, reviewer.token)
    try:
        await make_document(ctx)  # the feed works: an event arrives
        assert (await recv(ws))["type"] in ("next", "data")
        async with httpx.AsyncClient(base_url=f"http://{server}", headers=ADMIN_HEADERS) as http:
            revoked = await http.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }",
                    "variables": {"id": str(reviewer.token_id)},
                },
            )
        assert revoked.json()["data"]["revokeApiToken"]["__typename"] == "RevokeApiTokenSuccess"
        await _closed_within(ws, protocol, 10)
    finally:
        await ws.close()


async def test_one_revocation_closes_every_connection_of_that_token_only(
    server: str, ctx: AppContext
) -> None:
    """All of a process's WebSockets are re-checked together (``CredentialWatcher``): each
    connection of the revoked token closes, another token's connection stays and gets events."""
    revoked_user = await make_identity(ctx, Role.REVIEWER)
    other_user = await make_identity(ctx, Role.REVIEWER)
    doomed = [
        await _subscribed(server, protocol, {}, revoked_user.token)
        for protocol in (*PROTOCOLS, *PROTOCOLS)
    ]
    kept = await _subscribed(server, "graphql-transport-ws", {}, other_user.token)
    try:
        async with httpx.AsyncClient(base_url=f"http://{server}", headers=ADMIN_HEADERS) as http:
            await http.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }",
                    "variables": {"id": str(revoked_user.token_id)},
                },
            )
        for ws, protocol in zip(doomed, (*PROTOCOLS, *PROTOCOLS), strict=True):
            await _closed_within(ws, protocol, 10)
        await asyncio.sleep(3 * RECHECK)  # a few more re-checks: the other token is still valid
        await make_document(ctx)
        assert (await recv(kept))["type"] == "next"
    finally:
        for ws in [*doomed, kept]:
            await ws.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_session_cookie_on_the_handshake_then_user_disabled(
    server: str, ctx: AppContext, protocol: str
) -> None:
    viewer = await make_identity(ctx, Role.VIEWER)
    web = {"Origin": "http://localhost:3000"}
    async with httpx.AsyncClient(base_url=f"http://{server}") as http:
        login = await http.post(
            "/api/auth/login", json={"email": viewer.email, "password": PASSWORD}, headers=web
        )
        assert login.status_code == 200, login.text
        cookie = f"paperlane_session={http.cookies['paperlane_session']}"
    ws = await _subscribed(server, protocol, {"Cookie": cookie, **web}, None)
    try:
        async with httpx.AsyncClient(base_url=f"http://{server}", headers=ADMIN_HEADERS) as http:
            disabled = await http.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!) { updateUser(input: {id: $id, disabled: true}) "
                    "{ __typename } }",
                    "variables": {"id": str(viewer.user_id)},
                },
            )
        assert disabled.json()["data"]["updateUser"]["__typename"] == "UpdateUserSuccess"
        await _closed_within(ws, protocol, 10)
    finally:
        await ws.close()


async def test_sse_stream_ends_when_the_token_is_revoked(server: str, ctx: AppContext) -> None:
    viewer = await make_identity(ctx, Role.VIEWER)
    document = await make_document(ctx)
    async with httpx.AsyncClient(base_url=f"http://{server}", headers=ADMIN_HEADERS) as admin:
        detail = (await admin.get(f"/api/documents/{document.id}")).json()
        job_id = detail["latestJob"]["id"]
        anonymous = await admin.get(f"/api/jobs/{job_id}/stream", headers={"Authorization": ""})
        assert anonymous.status_code == 401
        async with (
            httpx.AsyncClient(base_url=f"http://{server}", headers=viewer.headers) as http,
            http.stream(
                "GET", f"/api/jobs/{job_id}/stream", timeout=httpx.Timeout(10, read=15)
            ) as stream,
        ):
            assert stream.status_code == 200
            lines = stream.aiter_lines()
            async for line in lines:  # the stored events arrive first
                if line == "event: job_event":
                    break
            await admin.post(
                "/graphql",
                json={
                    "query": "mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }",
                    "variables": {"id": str(viewer.token_id)},
                },
            )
            started = time.monotonic()
            rest = [line async for line in lines]
            assert time.monotonic() - started < 10
            assert "event: error" in rest and any("UNAUTHENTICATED" in x for x in rest)
