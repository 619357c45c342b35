"""The attacks from the issue, refused: a page on another site acting with the visitor's cookie
(text/plain finalize, form-encoded multipart upload, GraphQL POST), a foreign Host (DNS
rebinding); and the security headers on every answer, /docs without a CDN, production mode."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from api.auth.secrets import SecretKeyMissing
from api.context import AppContext
from api.settings import Settings
from db.models import Role
from tests.api.helpers import MINI_PDF, make_document
from tests.auth import PASSWORD, make_identity

EVIL = {"Origin": "https://evil.example"}
WEB = {"Origin": "http://localhost:3000"}


async def signed_in(ctx: AppContext, client: httpx.AsyncClient, role: Role = Role.ADMIN) -> None:
    identity = await make_identity(ctx, role)
    response = await client.post(
        "/api/auth/login", json={"email": identity.email, "password": PASSWORD}, headers=WEB
    )
    assert response.status_code == 200, response.text


async def test_cross_site_text_plain_finalize_is_refused(
    app: Any, anonymous: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signed_in(ctx, anonymous)
    document = await make_document(ctx)
    url = f"/api/documents/{document.id}/finalize"
    attack = await anonymous.post(url, headers={**EVIL, "Content-Type": "text/plain"}, content=b"")
    assert attack.status_code == 403
    assert attack.json()["error"]["code"] == "CROSS_SITE_REQUEST"
    no_origin = await anonymous.post(url)
    assert no_origin.status_code == 403
    detail = await anonymous.get(f"/api/documents/{document.id}")
    assert detail.json()["status"] == "COMPLETED"  # nothing happened
    # The web app's own origin may; so may the API's own page (Sec-Fetch-Site: same-origin).
    assert (await anonymous.post(url, headers=WEB)).status_code == 200
    same = await anonymous.post(url, headers={"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 200


async def test_cross_site_form_upload_and_graphql_are_refused(
    app: Any, anonymous: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signed_in(ctx, anonymous)
    files = {"files": ("a.pdf", io.BytesIO(MINI_PDF), "application/pdf")}
    upload = await anonymous.post("/api/documents/upload", files=files, headers=EVIL)
    assert upload.status_code == 403
    assert upload.json()["error"]["code"] == "CROSS_SITE_REQUEST"
    query = await anonymous.post("/graphql", json={"query": "{ me { email } }"}, headers=EVIL)
    assert query.status_code == 403
    ok = await anonymous.post("/graphql", json={"query": "{ me { email } }"}, headers=WEB)
    assert ok.json()["data"]["me"]["email"].endswith("@paperlane.test")
    # A cookie-less login from a foreign page (login CSRF) is refused too.
    anonymous.cookies.clear()
    login = await anonymous.post(
        "/api/auth/login", json={"email": "a@b.c", "password": "x"}, headers=EVIL
    )
    assert login.status_code == 403


async def test_bearer_requests_need_no_origin_but_json_or_multipart(
    app: Any, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    document = await make_document(ctx)
    url = f"/api/documents/{document.id}/review"
    body = b'{"fields": {"vendorName": "X"}, "expectedVersion": 1}'
    plain = await client.put(url, content=body, headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415
    assert plain.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    form = await client.post(
        "/api/documents/upload",
        content=b"files=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415
    ok = await client.put(url, content=body, headers={"Content-Type": "application/json"})
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "10.0.0.1:8000"])
async def test_foreign_host_is_refused(app: Any, client: httpx.AsyncClient, host: str) -> None:
    for path in ("/api/documents", "/healthz", "/graphql"):
        response = await client.get(path, headers={"Host": host})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "INVALID_HOST"
    assert (await client.get("/healthz", headers={"Host": "localhost:8000"})).status_code == 200


async def test_security_headers(app: Any, client: httpx.AsyncClient) -> None:
    for path in ("/api/documents", "/healthz", "/api/nothing-here"):
        response = await client.get(path)
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]


async def test_docs_are_served_from_the_package(app: Any, anonymous: httpx.AsyncClient) -> None:
    page = await anonymous.get("/docs")
    assert page.status_code == 200
    assert "https://" not in page.text and "<script>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        assert (await anonymous.get(asset)).status_code == 200
    assert (await anonymous.get("/openapi.json")).status_code == 200


async def test_graphiql_is_signed_in_and_on_in_development(
    app: Any, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    html = {"Accept": "text/html"}
    assert (await anonymous.get("/graphql", headers=html)).status_code == 401
    page = await client.get("/graphql", headers=html)
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    introspection = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert introspection.json()["data"]["__schema"]["types"]


def test_production_needs_a_secret_key(settings: Settings) -> None:
    from api.main import create_app

    production = settings.model_copy(update={"env": "production", "secret_key": None})
    with pytest.raises(SecretKeyMissing):
        create_app(production)
    short = settings.model_copy(update={"env": "production", "secret_key": SecretStr("too short")})
    with pytest.raises(SecretKeyMissing):
        create_app(short)


async def test_production_turns_graphiql_and_introspection_off(
    settings: Settings, clean: None, admin: Any
) -> None:
    from api.main import create_app

    production = settings.model_copy(
        update={"env": "production", "secret_key": SecretStr("k" * 40), "graphiql": None}
    )
    application = create_app(production)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            # A different key: the session's admin token does not verify here; make one.
            ctx = application.state.ctx
            identity = await make_identity(ctx, Role.ADMIN)
            page = await c.get("/graphql", headers={"Accept": "text/html", **identity.headers})
            assert "graphiql" not in page.text.lower()
            answer = await c.post(
                "/graphql",
                json={"query": "{ __schema { types { name } } }"},
                headers=identity.headers,
            )
            assert answer.json()["errors"], answer.text
            me = await c.post(
                "/graphql", json={"query": "{ me { role } }"}, headers=identity.headers
            )
            assert me.json()["data"]["me"]["role"] == "ADMIN"
