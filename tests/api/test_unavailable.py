"""With PostgreSQL gone, REST answers 503 (never 500) and GraphQL says SERVICE_UNAVAILABLE."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppContext
from db.session import create_engine

# A socket path that does not exist: asyncpg raises FileNotFoundError, as when the embedded
# server is stopped; and a closed TCP port: ConnectionRefusedError.
DEAD_URLS = [
    "postgresql+asyncpg://postgres@/postgres?host=/nonexistent-paperlane-socket-dir",
    "postgresql+asyncpg://postgres@127.0.0.1:1/postgres",
]


@pytest.fixture(params=DEAD_URLS, ids=["socket-gone", "port-closed"])
async def dead_database(app: object, request: pytest.FixtureRequest) -> AsyncEngine:
    ctx: AppContext = app.state.ctx  # type: ignore[attr-defined]
    live = ctx.engine
    dead = create_engine(request.param, connect_args={"timeout": 2})
    ctx.engine = dead
    ctx.sessions.configure(bind=dead)
    yield dead
    ctx.engine = live
    ctx.sessions.configure(bind=live)
    await dead.dispose()


async def test_rest_answers_503_while_the_database_is_down(
    client: httpx.AsyncClient, dead_database: AsyncEngine
) -> None:
    for method, path in [("GET", "/api/documents"), ("GET", "/readyz")]:
        response = await client.request(method, path)
        assert response.status_code == 503, (path, response.text)
    response = await client.post(
        "/api/documents/upload", files=[("files", ("a.pdf", b"%PDF-1.7\n", "application/pdf"))]
    )
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["retry-after"]


async def test_graphql_reports_service_unavailable(
    client: httpx.AsyncClient, dead_database: AsyncEngine
) -> None:
    response = await client.post("/graphql", json={"query": "{ documentCounts { status count } }"})
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "asyncpg" not in response.text and "Traceback" not in response.text
