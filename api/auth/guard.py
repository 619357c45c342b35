"""The HTTP guard in front of every route (pure ASGI middleware):

- ``Host`` must be one of ``allowed_hosts`` (port ignored): else 400 ``INVALID_HOST``. A
  DNS-rebinding page reaches us under its own name, so it is refused before any route runs.
- Cross-site request forgery: a request that carries the session cookie and no
  ``Authorization`` header, and changes state (any method but GET/HEAD/OPTIONS; every POST to
  /graphql, queries too) must come from an allowed origin: ``Origin`` is one of the CORS origins
  or the API's own, or ``Sec-Fetch-Site: same-origin``. Else 403 ``CROSS_SITE_REQUEST``. Bearer
  tokens are never sent by a browser on its own, so they need no Origin.
- REST bodies are JSON or multipart only: a state-changing /api request with another
  ``Content-Type`` (text/plain, form-encoded: what an HTML form or a "simple" cross-site fetch
  can send without a preflight) gets 415 ``UNSUPPORTED_MEDIA_TYPE``.
- Security headers on every response (a route's own win): CSP (``default-src 'none'`` for
  JSON; GraphiQL and /docs get their own), frame-ancestors 'none' + X-Frame-Options DENY,
  Referrer-Policy no-referrer, X-Content-Type-Options nosniff.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi_errors import send_error
from api.auth.identity import SESSION_COOKIE

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
JSON_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
GRAPHIQL_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://unpkg.com; "
    "style-src 'self' 'unsafe-inline' https://unpkg.com; font-src https://unpkg.com data:; "
    "img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
BASE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


def host_name(value: str) -> str:
    """``example.com:8000`` → ``example.com``; ``[::1]:8000`` → ``[::1]``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def origin_of(url: str) -> str | None:
    parts = urlsplit(url.strip().lower())
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def allowed_origins(origins: Iterable[str]) -> set[str]:
    return {o for o in (origin_of(x) for x in origins) if o}


def origin_allowed(headers: Headers, scheme: str, origins: set[str]) -> bool:
    """``Sec-Fetch-Site: same-origin``, or an ``Origin`` that is listed or the API's own."""
    if headers.get("sec-fetch-site") == "same-origin":
        return True
    origin = headers.get("origin")
    if not origin or origin == "null":
        return False
    normalized = origin_of(origin)
    own = f"{scheme}://{headers.get('host', '').lower()}"
    return normalized is not None and (normalized in origins or normalized == own)


def _csp_for(path: str, content_type: str) -> str:
    if path.startswith("/docs") or path.startswith("/redoc"):
        return DOCS_CSP
    if path.startswith("/graphql") and content_type.startswith("text/html"):
        return GRAPHIQL_CSP
    return JSON_CSP


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    headers = [(b"content-security-policy", JSON_CSP.encode()), *BASE_HEADERS]
    await send_error(send, status, code, message, headers)


class SecurityGuard:
    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str], origins: Iterable[str]):
        self.app = app
        self.any_host = "*" in allowed_hosts
        self.hosts = {host_name(h) for h in allowed_hosts}
        self.origins = allowed_origins(origins)

    def origin_allowed(self, headers: Headers, scheme: str) -> bool:
        return origin_allowed(headers, scheme, self.origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not self.any_host and host_name(headers.get("host", "")) not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 4400, "reason": "invalid host"})
                return
            await _refuse(send, 400, "INVALID_HOST", "this server does not answer for that host")
            return
        if scope["type"] == "websocket":
            # Origin on the handshake is checked by the GraphQL router (allowed origins), and a
            # cookie is only believed there when the Origin is allowed (schema.app). A guard of
            # its own stands in front of the GraphQL WebSocket, outside FastAPI's stack (api.main).
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path: str = scope["path"]
        if method not in SAFE_METHODS:
            cookie_auth = (
                SESSION_COOKIE in headers.get("cookie", "") and "authorization" not in headers
            )
            scheme = "https" if scope.get("scheme") == "https" else "http"
            if cookie_auth and not self.origin_allowed(headers, scheme):
                await _refuse(
                    send,
                    403,
                    "CROSS_SITE_REQUEST",
                    "a signed-in browser request that changes data must come from the web app",
                )
                return
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if (
                path.startswith("/api/")
                and content_type
                and content_type not in ("application/json", "multipart/form-data")
            ):
                await _refuse(
                    send,
                    415,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "request bodies must be application/json (or multipart/form-data uploads)",
                )
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers: list[Any] = list(message.get("headers", []))
                present = {k.lower() for k, _ in response_headers}
                content_type = next(
                    (v.decode() for k, v in response_headers if k.lower() == b"content-type"), ""
                )
                if b"content-security-policy" not in present:
                    csp = _csp_for(path, content_type)
                    response_headers.append((b"content-security-policy", csp.encode()))
                for key, value in BASE_HEADERS:
                    if key not in present:
                        response_headers.append((key, value))
                message = {**message, "headers": response_headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
