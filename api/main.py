"""The ASGI application: ``uvicorn --factory api.main:create_app``.

This is the composition root: the only module of ``api`` that imports ``schema``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth.guard import SecurityGuard
from api.auth.secrets import server_key
from api.context import AppContext
from api.events.hub import EventHub
from api.heap import ConnectionHeap
from api.limits import BodyReadTimeout, BodySizeLimit
from api.routes import auth, docs, documents, errors, exports, health, jobs, openapi, uploads
from api.settings import Settings, get_settings


class PaperlaneAPI(FastAPI):
    """FastAPI, except for WebSockets on /graphql: those go straight to ``graphql_websocket``
    (SecurityGuard's Host check, then the GraphQL view's own ASGI entry, which checks the
    Origin and authenticates at connection_init). A WebSocket's ASGI call stack stays
    suspended for the connection's whole life; FastAPI's middleware, route and dependency
    injection in it cost ~18 KiB per subscriber (docs/benchmarks.md, issue 16). The HTTP-only
    middlewares (body limits, CORS) pass WebSockets through untouched anyway; uvicorn's
    proxy-headers middleware (the client address) wraps the whole app and still applies.
    FastAPI's native telemetry (OpenTelemetry, not configured here) does not see these."""

    graphql_websocket: ASGIApp
    heap: ConnectionHeap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == "/graphql":
            scope["app"] = self
            with self.heap.connection():
                await self.graphql_websocket(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level)
    # Production refuses to start without PAPERLANE_SECRET_KEY (raises SecretKeyMissing).
    server_key(settings)

    @asynccontextmanager
    async def lifespan(app: PaperlaneAPI) -> AsyncIterator[None]:
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
        app.heap.install()
        try:
            yield
        finally:
            app.heap.uninstall()
            await hub.stop()
            await ctx.aclose()

    app = PaperlaneAPI(
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
    guard = {"allowed_hosts": settings.allowed_hosts, "origins": settings.cors_origins}
    app.add_middleware(SecurityGuard, **guard)
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

    graphql = graphql_router(settings)
    app.include_router(graphql, prefix="/graphql", include_in_schema=False)
    app.graphql_websocket = SecurityGuard(graphql.serve_websocket, **guard)
    app.heap = ConnectionHeap()
    return app
