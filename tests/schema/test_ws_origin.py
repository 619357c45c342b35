"""Browsers send an Origin header on WebSocket upgrades: allowed origins connect, others do not."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import websockets

from tests.auth import connection_init
from tests.services import ApiProcess


@pytest.fixture
def api(settings_env: dict[str, str], clean: None, data_dir: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, **settings_env, "PAPERLANE_CORS_ORIGINS": '["http://localhost:3000"]'}
    process = ApiProcess(env, log_path=data_dir / "api-origin.log").start()
    yield process
    process.stop()


async def _handshake(api: ApiProcess, origin: str) -> dict:
    url = api.url.replace("http", "ws") + "/graphql"
    async with websockets.connect(
        url, subprotocols=["graphql-transport-ws"], origin=origin, open_timeout=5
    ) as ws:
        await ws.send(connection_init())
        return json.loads(await ws.recv())


async def test_allowed_origin_connects(api: ApiProcess) -> None:
    assert (await _handshake(api, "http://localhost:3000"))["type"] == "connection_ack"


async def test_foreign_origin_is_refused(api: ApiProcess) -> None:
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        await _handshake(api, "http://evil.example")
    assert refused.value.response.status_code == 403
