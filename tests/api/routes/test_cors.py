"""CORS: the web app (another origin) may read the headers it acts on, and only from allowed
origins: ``Retry-After`` (how long a throttled sign-in or upload waits) and
``Content-Disposition`` (an export's file name)."""

from __future__ import annotations

import httpx

from api.settings import Settings

ALLOWED = "http://localhost:3000"


def _exposed(response: httpx.Response) -> set[str]:
    raw = response.headers.get("access-control-expose-headers", "")
    return {h.strip().lower() for h in raw.split(",") if h.strip()}


async def test_the_web_origin_may_read_retry_after(
    settings: Settings, anonymous: httpx.AsyncClient
) -> None:
    assert ALLOWED in settings.cors_origins
    response = await anonymous.get("/healthz", headers={"Origin": ALLOWED})
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert {"retry-after", "content-disposition"} <= _exposed(response)


async def test_a_foreign_origin_may_read_nothing(anonymous: httpx.AsyncClient) -> None:
    """No Access-Control-Allow-Origin: the browser hands that page neither body nor headers
    (the expose list alone grants nothing)."""
    response = await anonymous.get("/healthz", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers
