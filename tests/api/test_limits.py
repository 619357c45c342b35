"""Connection hygiene with the API exposed directly: uvicorn started exactly as ``paperlane api``
starts it (api.cli.commands.api_argv), slow-body clients answered 408 and disconnected
(api.limits.BodyReadTimeout) instead of holding their connections for as long as they like."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli.commands import api_argv
from tests.services import ApiProcess

HEAD = (
    b"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
)


class CliApi(ApiProcess):
    def argv(self) -> list[str]:
        return api_argv("127.0.0.1", self.port, "warning")


@pytest.fixture
def api(settings_env: dict[str, str], data_dir: Path) -> Iterator[CliApi]:
    import os

    env = {
        **os.environ,
        **settings_env,
        "PAPERLANE_BODY_IDLE_TIMEOUT_SECONDS": "1",
        "PAPERLANE_BODY_MIN_RATE_BYTES": "100",
    }
    process = CliApi(env, log_path=data_dir / "api-limits.log").start()
    try:
        yield process
    finally:
        process.stop()


def test_cli_passes_the_connection_limits() -> None:
    argv = api_argv("127.0.0.1", 8000, "info")
    for flag in ("--timeout-keep-alive", "--limit-concurrency", "--h11-max-incomplete-event-size"):
        assert flag in argv


async def _slow_client(port: int, *, trickle: bool) -> tuple[bytes, float]:
    """Send the headers, then one body byte every 0.3 s (``trickle``) or nothing at all; return
    what the server answered and when it closed the connection."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(HEAD)
    await writer.drain()

    async def drip() -> None:
        while trickle:
            await asyncio.sleep(0.3)
            writer.write(b" ")
            await writer.drain()

    dripping = asyncio.create_task(drip())
    try:
        answer = await asyncio.wait_for(reader.read(), timeout=15)  # until the server closes
    finally:
        dripping.cancel()
        writer.close()
    return answer, time.monotonic() - started


async def test_slow_body_connections_are_closed(api: CliApi) -> None:
    clients = [_slow_client(api.port, trickle=i % 2 == 0) for i in range(60)]
    results = await asyncio.gather(*clients, return_exceptions=True)
    answers = [r for r in results if isinstance(r, tuple)]
    assert len(answers) == 60, [r for r in results if not isinstance(r, tuple)][:3]
    for answer, _ in answers:
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"REQUEST_TIMEOUT" in answer
    slowest = max(seconds for _, seconds in answers)
    print(f"60 slow-body connections: all answered 408 and closed within {slowest:.1f} s")
    assert slowest < 6
    # The server is still answering others.
    import httpx

    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{api.url}/healthz")).status_code == 200


async def test_sixty_megabyte_graphql_body_is_refused_from_its_headers(api: CliApi) -> None:
    """Over TCP, as the attacker sent it: the 413 answers the headers, before any body byte."""
    reader, writer = await asyncio.open_connection("127.0.0.1", api.port)
    try:
        started = time.monotonic()
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: %d\r\n\r\n{"query": "#' % (60 * 1024 * 1024)
        )
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=5)
        elapsed = time.monotonic() - started
    finally:
        writer.close()
    print(f"60 MB GraphQL body over TCP: {status.decode().strip()} in {elapsed * 1000:.1f} ms")
    assert status.startswith(b"HTTP/1.1 413")
    assert elapsed < 0.1
