"""Shared fixtures: real PostgreSQL and Redis per session, a clean slate per test, an in-process
ASGI client and a real Celery worker. Servers start lazily: pure unit tests never pay for them."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import hypothesis
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.context import AppContext
from api.settings import Settings
from db.migrate import upgrade
from db.models import Role
from tests.auth import ADMIN_EMAIL, ADMIN_TOKEN, Identity, make_identity
from tests.services import (
    SESSION_PREFIX,
    S3Server,
    Servers,
    WorkerProcess,
    free_port,
    reap_stale_sessions,
)

# Property tests assert what holds, never how fast: no per-example deadline, which a loaded
# machine (CI, two suites at once) would break now and then.
hypothesis.settings.register_profile(
    "paperlane", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("paperlane")

TABLES = "job_events, extracted_results, processing_jobs, documents, audit_events, sessions"


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    reap_stale_sessions()
    with tempfile.TemporaryDirectory(prefix=SESSION_PREFIX) as path:
        yield Path(path)


@pytest.fixture(scope="session")
def servers(data_dir: Path) -> Iterator[Servers]:
    servers = Servers.start(data_dir)
    try:
        upgrade(servers.database_url)
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def settings_env(servers: Servers, data_dir: Path) -> dict[str, str]:
    """Environment for the code under test, in-process and in child processes alike."""
    return {
        "PAPERLANE_DATABASE_URL": servers.database_url,
        "PAPERLANE_REDIS_URL": servers.redis_url,
        "PAPERLANE_DATA_DIR": str(data_dir),
        "PAPERLANE_EVENTS_CHANNEL": "paperlane:test-events",
        "PAPERLANE_LEASE_SECONDS": "4",
        "PAPERLANE_HEARTBEAT_SECONDS": "1",
        "PAPERLANE_QUEUED_GRACE_SECONDS": "2",
        "PAPERLANE_SWEEP_INTERVAL_SECONDS": "0.5",
        "PAPERLANE_MAX_UPLOAD_BYTES": str(5 * 1024 * 1024),
        # The fault tests kill or cancel a job mid-run: their PDF has thousands of pages so the
        # job lasts long enough (tests/pdfs.py slow_invoice_pdf).
        "PAPERLANE_MAX_PAGES": "5000",
    }


@pytest.fixture(scope="session")
def settings(settings_env: dict[str, str]) -> Settings:
    os.environ.update(settings_env)
    from api.settings import get_settings

    get_settings.cache_clear()
    return get_settings()


@pytest.fixture(scope="session")
async def admin(settings: Settings) -> Identity:
    """The session's admin user and API token: what ``client`` and the live-server tests send
    by default (``admin.headers``). ``clean`` keeps it and restores it to an active admin."""
    ctx = AppContext.create(settings)
    try:
        async with ctx.engine.begin() as conn:
            await conn.execute(text("TRUNCATE users CASCADE"))
        return await make_identity(ctx, Role.ADMIN, ADMIN_EMAIL, token=ADMIN_TOKEN)
    finally:
        await ctx.aclose()


@pytest.fixture
async def clean(settings: Settings, admin: Identity) -> AsyncIterator[None]:
    """Every test that touches the servers starts from empty tables and an empty Redis (and
    only the session's admin user and token, active)."""
    ctx = AppContext.create(settings)
    try:
        # A worker may still be finishing an earlier test's job: its row locks can deadlock
        # with TRUNCATE's table locks, and then trying again is right.
        for attempt in range(5):
            try:
                async with ctx.engine.begin() as conn:
                    await conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
                    keep = {"user": admin.user_id, "token": admin.token_id}
                    await conn.execute(
                        text("DELETE FROM api_tokens WHERE id <> :token"), {"token": keep["token"]}
                    )
                    await conn.execute(text("DELETE FROM users WHERE id <> :user"), keep)
                    await conn.execute(
                        text("UPDATE users SET role = 'admin', disabled = false WHERE id = :user"),
                        keep,
                    )
                    await conn.execute(
                        text(
                            "UPDATE api_tokens SET role = 'admin', revoked_at = NULL, "
                            "expires_at = NULL WHERE id = :token"
                        ),
                        {"token": keep["token"]},
                    )
                break
            except DBAPIError:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.2)
        await ctx.redis.flushdb()
    finally:
        await ctx.aclose()
    yield


@pytest.fixture
async def ctx(settings: Settings, clean: None) -> AsyncIterator[AppContext]:
    context = AppContext.create(settings)
    try:
        yield context
    finally:
        await context.aclose()


@pytest.fixture
async def dead_broker_ctx(settings: Settings, clean: None) -> AsyncIterator[AppContext]:
    """An AppContext whose Redis is unreachable: commits succeed, enqueue and publish fail.

    Also how tests get QUEUED jobs that no running worker will race them for.
    """
    ctx = AppContext.create(
        settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    )
    yield ctx
    await ctx.aclose()


@pytest.fixture
async def app(settings: Settings, clean: None) -> AsyncIterator[object]:
    from api.main import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: object, admin: Identity) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client acting as the session's admin (API token)."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=admin.headers
    ) as c:
        yield c


@pytest.fixture
async def anonymous(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client with no credentials."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    assert settings.redis_url
    client = Redis.from_url(settings.redis_url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def worker_env(settings_env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **settings_env}


@pytest.fixture(scope="session")
def worker(worker_env: dict[str, str], data_dir: Path) -> Iterator[WorkerProcess]:
    """A real Celery worker (prefork, two processes) shared by the tests that need one."""
    process = WorkerProcess(worker_env, log_path=data_dir / "worker.log").start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
def s3_server(data_dir: Path) -> Iterator[S3Server]:
    """A real S3-protocol server (moto's standalone server) for the session, with one bucket;
    tests keep apart by key prefix (``s3_env``)."""
    server = S3Server(log_path=data_dir / "s3.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_env(s3_server: S3Server) -> dict[str, str]:
    """Settings that store files on the S3 server under a prefix of the test's own."""
    return s3_server.settings_env(f"t-{uuid.uuid4().hex[:8]}")
