"""WebSockets on /graphql skip FastAPI's stack (``api.main.PaperlaneAPI``) but not its checks: a
foreign Host is refused, a cookie-carrying handshake from another site is refused (cross-site
WebSocket hijacking), the web app's own origin with the cookie is served; HTTP on /graphql and
WebSockets on other paths still go through the middleware and the router."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
import websockets

from api.context import AppContext
from api.settings import Settings
from db.models import Role
from tests.auth import ADMIN_HEADERS, PASSWORD, connection_init, make_identity
from tests.services import serve_in_thread

PROTOCOLS = ["graphql-transport-ws", "graphql-ws"]
WEB = {"Origin": "http://localhost:3000"}
EVIL = {"Origin": "https://evil.example"}


@pytest.fixture
def server(settings: Settings, clean: None) -> Iterator[str]:
    from api.main import create_app

    with serve_in_thread(create_app(settings)) as address:
        yield address


async def session_cookie(server: str, ctx: AppContext) -> str:
    viewer = await make_identity(ctx, Role.VIEWER)
    async with httpx.AsyncClient(base_url=f"http://{server}") as http:
        login = await http.post(
            "/api/auth/login", json={"email": viewer.email, "password": PASSWORD}, headers=WEB
        )
        assert login.status_code == 200, login.text
        return f"paperlane_session={http.cookies['paperlane_session']}"


async def first_message(server: str, protocol: str, headers: dict[str, str]) -> dict[str, str]:
    """Open /graphql, send connection_init without a token (the cookie, if any, authenticates)."""
    async with websockets.connect(
        f"ws://{server}/graphql",
        subprotocols=[protocol],  # type: ignore[list-item]
        additional_headers=headers,
        open_timeout=5,
    ) as ws:
        await ws.send(connection_init(None))
        message: dict[str, str] = json.loads(await ws.recv())
        return message


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_cookie_from_the_web_app_is_served(
    server: str, ctx: AppContext, protocol: str
) -> None:
    cookie = await session_cookie(server, ctx)
    message = await first_message(server, protocol, {"Cookie": cookie, **WEB})
    assert message["type"] == "connection_ack"


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_cookie_from_another_site_is_refused(
    server: str, ctx: AppContext, protocol: str
) -> None:
    cookie = await session_cookie(server, ctx)
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        await first_message(server, protocol, {"Cookie": cookie, **EVIL})
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example:8000"])
async def test_foreign_host_is_refused(server: str, host: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        async with websockets.connect(
            f"ws://{host}/graphql",
            host="127.0.0.1",
            port=port,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            open_timeout=5,
        ):
            pass
    assert refused.value.response.status_code == 403  # closed before the handshake's answer


async def test_http_on_graphql_and_other_websockets_use_the_full_stack(
    server: str, ctx: AppContext
) -> None:
    async with httpx.AsyncClient(base_url=f"http://{server}") as http:
        answer = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={**ADMIN_HEADERS, **WEB}
        )
        assert answer.status_code == 200, answer.text
        assert "default-src 'none'" in answer.headers["content-security-policy"]  # SecurityGuard
        assert answer.headers["access-control-allow-origin"] == WEB["Origin"]  # CORS
        cookie = await session_cookie(server, ctx)
        forged = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Cookie": cookie, **EVIL}
        )
        assert forged.status_code == 403
        assert forged.json()["error"]["code"] == "CROSS_SITE_REQUEST"
    for path in ("/graphql/", "/api/documents"):  # no WebSocket route: refused by the router
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            async with websockets.connect(f"ws://{server}{path}", open_timeout=5):
                pass
        assert refused.value.response.status_code == 403


async def test_graphql_websockets_are_counted_for_the_collector(
    settings: Settings, clean: None
) -> None:
    """``api.heap``: the open count (which decides when to freeze) follows the sockets."""
    from api.main import PaperlaneAPI, create_app

    app = create_app(settings)
    assert isinstance(app, PaperlaneAPI)
    with serve_in_thread(app) as server:
        async with websockets.connect(
            f"ws://{server}/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        ) as ws:
            await ws.send(connection_init())
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            assert app.heap.open == 1
        for _ in range(50):
            if app.heap.open == 0:
                break
            await asyncio.sleep(0.05)
        assert (app.heap.open, app.heap.closed) == (0, 1)
