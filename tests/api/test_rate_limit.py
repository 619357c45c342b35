"""The generic rate limiter (api.rate_limit) on real Redis, and its use on both upload surfaces."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from api.rate_limit import Limit, RateLimited, RateLimiter, caller_keys
from tests.api.helpers import MINI_PDF
from tests.api.routes.test_documents import multipart


async def test_budget_per_caller_and_retry_after(redis, clean):
    limiter = RateLimiter(redis, prefix="test:rl")
    limit = Limit(3, window_seconds=30)
    for _ in range(3):
        await limiter.check("upload", ["addr:1.2.3.4"], limit)
    with pytest.raises(RateLimited) as refused:
        await limiter.check("upload", ["addr:1.2.3.4"], limit)
    assert refused.value.code == "RATE_LIMITED"
    assert 1 <= refused.value.retry_after <= 30
    # Another caller and another purpose have budgets of their own.
    await limiter.check("upload", ["addr:5.6.7.8"], limit)
    await limiter.check("sign-in", ["addr:1.2.3.4"], limit)
    # A caller-chosen code (sign-in throttling answers TOO_MANY_ATTEMPTS).
    with pytest.raises(RateLimited) as throttled:
        for _ in range(4):
            await limiter.check("login", ["addr:9.9.9.9"], limit, code="TOO_MANY_ATTEMPTS")
    assert throttled.value.code == "TOO_MANY_ATTEMPTS"


async def test_window_ends_and_zero_disables(redis, clean):
    limiter = RateLimiter(redis, prefix="test:rl")
    short = Limit(1, window_seconds=0.3)
    await limiter.check("p", ["k"], short)
    with pytest.raises(RateLimited):
        await limiter.check("p", ["k"], short)
    import asyncio

    await asyncio.sleep(0.4)
    await limiter.check("p", ["k"], short)
    for _ in range(50):
        await limiter.check("p", ["k"], Limit(0))


async def test_every_key_is_counted_so_rotating_tokens_does_not_escape(redis, clean):
    """The address budget holds even when each request comes with a different actor."""
    limiter = RateLimiter(redis, prefix="test:rl")
    limit = Limit(2, window_seconds=30)
    for token in ("a", "b"):
        await limiter.check("upload", [f"actor:token:{token}", "addr:10.0.0.1"], limit)
    with pytest.raises(RateLimited):
        await limiter.check("upload", ["actor:token:c", "addr:10.0.0.1"], limit)


def test_caller_keys_actor_then_address():
    request = SimpleNamespace(client=SimpleNamespace(host="10.1.2.3"), state=SimpleNamespace())
    assert caller_keys(request) == ["addr:10.1.2.3"]
    request.state.actor = SimpleNamespace(kind="user", id="42")
    assert caller_keys(request) == ["actor:user:42", "addr:10.1.2.3"]
    no_client = SimpleNamespace(client=None, state=SimpleNamespace())
    assert caller_keys(no_client) == ["addr:unknown"]


async def test_fails_open_when_redis_is_away_unless_told_not_to():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    dead = Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    try:
        limiter = RateLimiter(dead)
        await limiter.check("upload", ["addr:x"], Limit(1))
        with pytest.raises(RedisConnectionError):
            await limiter.check("login", ["addr:x"], Limit(1), fail_open=False)
    finally:
        await dead.aclose()


async def test_rest_and_graphql_uploads_share_the_address_budget(app, client, monkeypatch):
    settings = app.state.ctx.settings
    monkeypatch.setattr(settings, "upload_rate_limit_per_address", 2)
    files = [("files", ("a.pdf", MINI_PDF, "application/pdf"))]
    assert (await client.post("/api/documents/upload", files=files)).status_code == 201
    response = await client.post("/graphql", **multipart([("b.pdf", MINI_PDF)]))
    assert response.json()["data"]["uploadDocuments"]["documents"], response.text

    refused = await client.post("/api/documents/upload", files=files)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert 1 <= int(refused.headers["Retry-After"]) <= settings.upload_rate_window_seconds
    response = await client.post("/graphql", **multipart([("c.pdf", MINI_PDF)]))
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    # Nothing of the refused calls was stored.
    listing = (await client.get("/api/documents")).json()
    assert listing["totalCount"] == 2


async def test_each_user_or_token_has_its_own_upload_budget(app, client, ctx, monkeypatch):
    """Per actor: the admin's token is refused after its budget while another uploader's token,
    from the same address, still has its own."""
    from db.models import Role
    from tests.auth import make_identity

    settings = app.state.ctx.settings
    monkeypatch.setattr(settings, "upload_rate_limit_per_actor", 1)
    monkeypatch.setattr(settings, "upload_rate_limit_per_address", 0)
    files = [("files", ("a.pdf", MINI_PDF, "application/pdf"))]
    assert (await client.post("/api/documents/upload", files=files)).status_code == 201
    refused = await client.post("/api/documents/upload", files=files)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "RATE_LIMITED"
    other = await make_identity(ctx, Role.UPLOADER)
    response = await client.post("/api/documents/upload", files=files, headers=other.headers)
    assert response.status_code == 201, response.text
    request = multipart([("b.pdf", MINI_PDF)])
    request["headers"] = {**request["headers"], **other.headers}
    (error,) = (await client.post("/graphql", **request)).json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED", "GraphQL counts the same actor"
