"""The ASGI application: ``uvicorn --factory api.main:create_app``.

This is the composition root: the only module of ``api`` that imports ``schema``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.auth.guard import SecurityGuard
from api.auth.secrets import server_key
from api.context import AppContext
from api.events.hub import EventHub
from api.limits import BodyReadTimeout, BodySizeLimit
from api.routes import auth, docs, documents, errors, exports, health, jobs, openapi, uploads
from api.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level)
    # Production refuses to start without PAPERLANE_SECRET_KEY (raises SecretKeyMissing).
    server_key(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = AppContext.create(settings)
        app.state.ctx = ctx
        assert settings.redis_url is not None
        # One Redis Pub/Sub subscription per process, fanned out in memory (api.events.hub).
        hub = EventHub(
            settings.redis_url,
            settings.events_channel,
            # Each read is one SELECT: no BEGIN and ROLLBACK round trips around it.
            ctx.statement_session,
            probe=ctx.last_event_id,
            queue_size=settings.subscriber_queue_size,
        )
        app.state.hub = hub
        await hub.start()
        try:
            yield
        finally:
            await hub.stop()
            await ctx.aclose()

    app = FastAPI(
        title="Paperlane",
        summary="Invoice processing: upload, live progress, review, export.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        # Retry-After: the sign-in page says how long a throttled sign-in waits.
        expose_headers=["Content-Disposition", "Retry-After"],
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_request_bytes,
        max_json_bytes=settings.max_json_body_bytes,
    )
    app.add_middleware(
        BodyReadTimeout,
        idle_seconds=settings.body_idle_timeout_seconds,
        min_rate=settings.body_min_rate_bytes,
    )
    # Outermost: Host, cross-site and content-type checks run before anything else.
    app.add_middleware(
        SecurityGuard, allowed_hosts=settings.allowed_hosts, origins=settings.cors_origins
    )
    errors.install(app)
    openapi.install(app)
    app.include_router(health.router)
    app.include_router(auth.router)
    docs.install(app)
    app.include_router(uploads.router)
    app.include_router(documents.router)
    app.include_router(jobs.router)
    app.include_router(exports.router)

    from schema.app import graphql_router

    app.include_router(graphql_router(settings), prefix="/graphql", include_in_schema=False)
    return app
